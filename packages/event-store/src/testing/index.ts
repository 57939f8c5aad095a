export * from './fixtures.ts'
export * from './eventStoreContract.ts'
