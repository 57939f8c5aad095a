/** Domain events into an event store, the projection run over them, and the stores the tests run on. */
import * as E from 'fp-ts/lib/Either.js'
import { AdministrativeUnit, eventCodecs, Household, Plan, type DomainEvent } from '@policy-credit/core'
import { anyVersion, inMemoryEventStore, type EventStore, type NewEvent, type RecordedEvent } from '@policy-credit/event-store'
import { inMemoryReadModelStore, projectionNamespace, rebuildProjection, catchUpProjection, type ReadModelStore } from '@policy-credit/projections'
import { sqliteReadModelStore } from '@policy-credit/sqlite'
import { povertyRateProjection, type PovertyRateDocument } from '../src/index.ts'

export const streamOf = (event: DomainEvent): string => {
  const data = event.data as Readonly<Record<string, unknown>>
  if (event.type.startsWith('Household')) return Household.householdStreamId(String(data.householdId))
  if (event.type.startsWith('Commune')) return AdministrativeUnit.communeStreamId(String(data.communeId))
  if (event.type === 'PovertyReductionTargetSet' || event.type === 'JobCreationPlanSet') return Plan.planStreamId(event.data.unitId, event.data.year)
  throw new Error(`no stream for ${event.type} in these tests`)
}

let eventCounter = 0
const toNewEvent = (event: DomainEvent): NewEvent => {
  eventCounter += 1
  const codec = eventCodecs[event.type] as unknown as { readonly encode: (event: DomainEvent) => { readonly data: unknown } }
  return {
    eventId: `00000000-0000-4000-8000-${eventCounter.toString(16).padStart(12, '0')}`,
    type: event.type,
    data: codec.encode(event).data,
    metadata: { occurredOn: '2024-05-01', schemaVersion: 1 },
  }
}

/** Appends in the order given, one event per append, as commands landing one after another would. */
export const appendEvents = async (store: EventStore, events: ReadonlyArray<DomainEvent>): Promise<void> => {
  for (const event of events) {
    const appended = await store.appendToStream(streamOf(event), anyVersion, [toNewEvent(event)])()
    if (E.isLeft(appended)) throw new Error(`test setup: append failed: ${JSON.stringify(appended.left)}`)
  }
}

/** Appends each stream's events in one append (much faster for large fixtures); the global order is by stream. */
export const appendByStream = async (store: EventStore, events: ReadonlyArray<DomainEvent>): Promise<void> => {
  const streams = new Map<string, Array<NewEvent>>()
  for (const event of events) streams.set(streamOf(event), [...(streams.get(streamOf(event)) ?? []), toNewEvent(event)])
  for (const [streamId, newEvents] of streams) {
    const appended = await store.appendToStream(streamId, anyVersion, newEvents)()
    if (E.isLeft(appended)) throw new Error(`test setup: append failed: ${JSON.stringify(appended.left)}`)
  }
}

export const newEventStore = (): EventStore => inMemoryEventStore()

export const readEverything = async (store: EventStore): Promise<ReadonlyArray<RecordedEvent>> => {
  const read = await store.readAll({ maxCount: 10_000_000 })()
  if (E.isLeft(read)) throw new Error(`test setup: readAll failed: ${JSON.stringify(read.left)}`)
  return read.right.events
}

export interface ReadModelStoreKind {
  readonly name: string
  readonly open: () => Promise<ReadModelStore>
}

export const readModelStores: ReadonlyArray<ReadModelStoreKind> = [
  { name: 'in memory', open: async () => inMemoryReadModelStore() },
  {
    name: 'sqlite',
    open: async () => {
      const opened = await sqliteReadModelStore({ filename: ':memory:' })()
      if (E.isLeft(opened)) throw new Error(`could not open an in-memory SQLite read-model store: ${opened.left._tag}`)
      return opened.right
    },
  },
]

/** Catches up, stopping after `batchesBeforeStop` batches (a restart point). */
export const catchUpFor = async (eventStore: EventStore, readModelStore: ReadModelStore, batchSize: number, batchesBeforeStop = Number.POSITIVE_INFINITY, projection = povertyRateProjection) => {
  const controller = new AbortController()
  let batches = 0
  const result = await catchUpProjection(
    { eventStore, readModelStore, projection },
    { batchSize, signal: controller.signal, onProgress: () => (++batches >= batchesBeforeStop ? controller.abort() : undefined) },
  )()
  if (E.isLeft(result)) throw new Error(`runner failed: ${JSON.stringify(result.left)}`)
  return result.right
}

/** Builds the read model from the event store and makes it the one readers see. */
export const buildReadModel = async (eventStore: EventStore, readModelStore: ReadModelStore, batchSize = 500, projection = povertyRateProjection): Promise<void> => {
  const result = await rebuildProjection({ eventStore, readModelStore, projection }, { batchSize })()
  if (E.isLeft(result)) throw new Error(`rebuild failed: ${JSON.stringify(result.left)}`)
}

/** The read model as stored, in id order, each document decoded. */
export const storedModel = async (store: ReadModelStore, projection = povertyRateProjection): Promise<ReadonlyArray<readonly [string, PovertyRateDocument | string]>> => {
  const scanned = await store.scanDocuments(projectionNamespace(projection), { _tag: 'All' })()
  if (E.isLeft(scanned)) throw new Error('scan failed')
  return scanned.right.map(({ id, document }) => [id, E.getOrElseW((message: string) => `undecodable: ${message}`)(projection.documentCodec.decode(document))] as const)
}

export const rightOrThrow = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected Right, got ${JSON.stringify(result.left)}`)
  return result.right
}
