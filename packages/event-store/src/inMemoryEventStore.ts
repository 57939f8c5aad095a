/**
 * The in-memory event store: the reference implementation of the port, for tests, demos and the
 * CLI's `memory:` store. Several store instances can share one storage, like connections to one
 * database: each operation runs atomically after yielding to the event loop, so concurrent callers
 * interleave between operations, as they do against a real store.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { planAppend } from './appendPlan.ts'
import type {
  AppendResult,
  EventStore,
  EventStoreError,
  EventStoreOptions,
  NewEvent,
  Position,
  ReadAllResult,
  RecordedEvent,
  RecordedEventMetadata,
  Subscription,
} from './port.ts'
import { laterPosition, positionFromSequence, sequenceFromPosition } from './position.ts'
import { checkAppend, checkReadAllOptions, checkReadStreamOptions, passesFilter } from './requests.ts'
import { catchUpSubscription } from './subscription.ts'

/** What several in-memory store instances share, as connections share a database. */
export interface InMemoryStorage {
  /** Every event in global order; the event at index i has position i + 1. */
  readonly log: Array<RecordedEvent>
  readonly streams: Map<string, Array<RecordedEvent>>
  /** Event ids are unique across the whole store here, as under a SQL unique index. */
  readonly eventsById: Map<string, RecordedEvent>
  /** Called after each append that wrote something. */
  readonly appendListeners: Set<() => void>
}

export const createInMemoryStorage = (): InMemoryStorage => ({
  log: [],
  streams: new Map(),
  eventsById: new Map(),
  appendListeners: new Set(),
})

export interface InMemoryEventStoreOptions extends EventStoreOptions {
  /** Storage shared with other instances; a fresh one when absent. */
  readonly storage?: InMemoryStorage
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const deepFreeze = <A>(value: A): A => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const field of Object.values(value)) deepFreeze(field)
  }
  return value
}

const recordedMetadata = (event: NewEvent, recordedAt: string): RecordedEventMetadata => ({
  occurredOn: event.metadata.occurredOn,
  schemaVersion: event.metadata.schemaVersion,
  ...(event.metadata.correlationId === undefined ? {} : { correlationId: event.metadata.correlationId }),
  ...(event.metadata.causationId === undefined ? {} : { causationId: event.metadata.causationId }),
  ...(event.metadata.actor === undefined ? {} : { actor: event.metadata.actor }),
  recordedAt,
})

const isSequencePosition = (position: string): boolean => E.isRight(sequenceFromPosition(position))

export const inMemoryEventStore = (options: InMemoryEventStoreOptions = {}): EventStore => {
  const storage = options.storage ?? createInMemoryStorage()
  const clock = options.clock ?? (() => new Date())
  const subscriptions = new Set<Subscription>()
  let closed = false

  /** Runs `operation` atomically on the next turn of the event loop, unless the store is closed. */
  const atomically =
    <A>(operation: () => E.Either<EventStoreError, A>): TE.TaskEither<EventStoreError, A> =>
    async () => {
      await yieldToEventLoop()
      return closed ? E.left({ _tag: 'EventStoreUnavailable', cause: new Error('the in-memory event store is closed') }) : operation()
    }

  const write = (streamId: string, firstVersion: bigint, events: ReadonlyArray<NewEvent>): AppendResult => {
    const recordedAt = clock().toISOString()
    const stream = storage.streams.get(streamId) ?? []
    storage.streams.set(streamId, stream)
    const recorded = events.map((event, index): RecordedEvent =>
      deepFreeze({
        streamId,
        version: firstVersion + BigInt(index),
        position: positionFromSequence(BigInt(storage.log.length + index + 1)),
        eventId: event.eventId,
        type: event.type,
        // Through JSON, as the durable stores keep it: a copy the caller cannot change, and -0 read back as 0.
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata: recordedMetadata(event, recordedAt),
      }),
    )
    for (const event of recorded) {
      storage.log.push(event)
      stream.push(event)
      storage.eventsById.set(event.eventId, event)
    }
    const listeners = [...storage.appendListeners]
    storage.appendListeners.clear()
    for (const listener of listeners) listener()
    const last = recorded.at(-1)
    if (last === undefined) throw new Error('write called with no events') // checkAppend refuses empty appends
    return { nextExpectedVersion: last.version, position: last.position, written: true }
  }

  const head = (): Position | undefined => storage.log.at(-1)?.position

  const waitForEvents = (checkpoint: Position | undefined, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const current = head()
      if (signal.aborted || (current !== undefined && (checkpoint === undefined || current > checkpoint))) return resolve()
      const wake = (): void => {
        storage.appendListeners.delete(wake)
        signal.removeEventListener('abort', wake)
        resolve()
      }
      storage.appendListeners.add(wake)
      signal.addEventListener('abort', wake, { once: true })
    })

  const store: EventStore = {
    appendToStream: (streamId, expected, events) =>
      atomically(() => {
        const checked = checkAppend(streamId, expected, events, options.validate)
        if (E.isLeft(checked)) return checked
        const currentVersion = storage.streams.get(streamId)?.at(-1)?.version ?? 0n
        const alreadyStored = events.flatMap((event) => storage.eventsById.get(event.eventId) ?? [])
        const plan = planAppend(streamId, expected, events, currentVersion, alreadyStored)
        if (E.isLeft(plan)) return plan
        return E.right(plan.right._tag === 'AlreadyWritten' ? plan.right.result : write(streamId, plan.right.firstVersion, events))
      }),

    readStream: (streamId, readOptions = {}) =>
      atomically(() => {
        const checked = checkReadStreamOptions(streamId, readOptions)
        if (E.isLeft(checked)) return checked
        const stream = storage.streams.get(streamId) ?? []
        const length = BigInt(stream.length)
        const maxCount = readOptions.maxCount ?? stream.length
        if (readOptions.direction === 'backwards') {
          const from = readOptions.fromVersion === undefined || readOptions.fromVersion > length ? length : readOptions.fromVersion
          return E.right(stream.slice(Math.max(0, Number(from) - maxCount), Number(from)).reverse())
        }
        const from = Number(readOptions.fromVersion ?? 1n)
        return E.right(stream.slice(from - 1, from - 1 + maxCount))
      }),

    readAll: (readOptions) =>
      atomically((): E.Either<EventStoreError, ReadAllResult> => {
        const checked = checkReadAllOptions(readOptions, isSequencePosition)
        if (E.isLeft(checked)) return checked
        const start = readOptions.after === undefined ? 0 : Number(readOptions.after)
        const events: Array<RecordedEvent> = []
        for (let index = start; index < storage.log.length && events.length < readOptions.maxCount; index++) {
          const event = storage.log[index]
          if (event !== undefined && passesFilter(readOptions.filter, event)) events.push(event)
        }
        const last = events.at(-1)
        const full = events.length === readOptions.maxCount && last !== undefined
        const currentHead = head()
        const checkpoint = full ? last.position : laterPosition(readOptions.after, currentHead)
        return E.right({
          events,
          ...(checkpoint === undefined ? {} : { checkpoint }),
          isEnd: !full || last.position === currentHead,
          ...(currentHead === undefined ? {} : { head: currentHead }),
        })
      }),

    subscribeToAll: (subscribeOptions = {}) => {
      const subscription = catchUpSubscription({ readAll: store.readAll, waitForEvents }, subscribeOptions)
      if (closed) void subscription.close()
      subscriptions.add(subscription)
      return subscription
    },

    headPosition: () => atomically(() => E.right(head())),

    close: async () => {
      closed = true
      await Promise.all([...subscriptions].map((subscription) => subscription.close()))
      subscriptions.clear()
    },
  }
  return store
}
