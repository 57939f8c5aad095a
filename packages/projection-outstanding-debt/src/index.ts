export * from './measures.ts'
export * from './ratio.ts'
export * from './projection.ts'
export * from './queries.ts'
