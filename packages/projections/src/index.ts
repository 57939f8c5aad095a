export * from './readModelStore.ts'
export * from './projection.ts'
export * from './inMemoryReadModelStore.ts'
export * from './runner.ts'
