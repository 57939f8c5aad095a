export * from './postgresEventStore.ts'
export type { ConnectionOptions } from './connection.ts'
export * from './postgresReadModelStore.ts'
export * from './roles.ts'
