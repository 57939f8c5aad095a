export { eventStoreDbEventStore, type EventStoreDbEventStoreOptions, type ReconnectPolicy } from './eventStoreDbEventStore.ts'
export type * from './client.ts'
