export * from './readModelStoreContract.ts'
export * from './decoderAgainstDomain.ts'
