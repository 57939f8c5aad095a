export * from './readModelStore.ts'
export * from './projection.ts'
