export { runCli, STORE_ENVIRONMENT_VARIABLE, READ_MODELS_ENVIRONMENT_VARIABLE } from './cli.ts'
export { capturedIo, type CliIo, type CapturedIo } from './cliIo.ts'
export { ExitCode, type CliFailure } from './failures.ts'
export { parseStoreUrl, readModelLocation, DEFAULT_STORE_URL, type StoreLocation } from './storeUrl.ts'
