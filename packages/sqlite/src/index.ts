export type { SqliteFileOptions, SqliteOpenError } from './schema.ts'
export { LATEST_SCHEMA_VERSION, APPLICATION_ID } from './schema.ts'
export * from './sqliteEventStore.ts'
export * from './sqliteReadModelStore.ts'
