export { startEventStoreDbProtocolDouble, type EventStoreDbProtocolDouble, type EventStoreDbProtocolDoubleOptions } from './protocolDouble.ts'
