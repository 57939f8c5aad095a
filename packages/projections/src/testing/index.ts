export * from './readModelStoreContract.ts'
