/**
 * The event-store port on EventStoreDB (or KurrentDB), through its gRPC client: the event store of
 * record when users outgrow one machine (docs/eventstoredb.md, docs/scaling.md).
 *
 * Appends always carry an exact expected revision, even for the port's `Any`: EventStoreDB
 * guarantees idempotence (the same event ids appended again succeed without writing) only for a
 * repeat with the same expected revision; with "any" it is a best-effort cache. Before writing, the
 * stream is read, so repeats, conflicts and reused ids are decided by the shared `planAppend` rules.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { EventStoreDBClient } from '@eventstore/db-client'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import {
  checkAppend,
  checkReadAllOptions,
  checkReadStreamOptions,
  laterPosition,
  planAppend,
  type AppendResult,
  type EventStore,
  type EventStoreError,
  type EventStoreOptions,
  type ExpectedVersion,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadAllResult,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionMessage,
} from '@policy-credit/event-store'
import type { EventStoreDbClient, EventStoreDbPosition, EventStoreDbRecordedEvent } from './client.ts'
import { isStreamNotFound, toEventStoreError } from './errors.ts'
import { planFilter } from './filters.ts'
import {
  appendIdOf,
  eventDataFromNewEvent,
  eventStoreDbPositionFromPosition,
  expectedRevisionForVersion,
  isSystemEvent,
  positionFromEventStoreDb,
  recordedEventFromEventStoreDb,
  revisionFromVersion,
  versionFromRevision,
} from './mapping.ts'
import { openOrderedSubscription } from './orderedSubscription.ts'

export interface ReconnectPolicy {
  /** Wait before the first resubscription; doubled after each failed one. */
  readonly initialDelayMilliseconds: number
  readonly maximumDelayMilliseconds: number
  /** Failed resubscriptions in a row after which the subscription reports `Failed`. */
  readonly maximumAttempts: number
}

export type EventStoreDbEventStoreOptions = EventStoreOptions & {
  /**
   * Prefixed to every stream id on the server, removed on the way back; reads of `$all` see only
   * streams under it. For several independent stores on one cluster (tenants, test runs). Default none.
   */
  readonly streamNamespace?: string
  /** Events per read while a subscription catches up. */
  readonly batchSize?: number
  readonly reconnect?: Partial<ReconnectPolicy>
  /**
   * How many times an append re-reads the stream and retries after another writer moved it between
   * the read and the write (only `Any` and `StreamExists` can succeed on a retry).
   */
  readonly maximumAppendAttempts?: number
} & (
    | {
        readonly client: EventStoreDbClient
        /** Whether `close` disposes the client; false by default, as the caller made it. */
        readonly disposeClientOnClose?: boolean
      }
    /** `esdb://host:2113?tls=false` for one node, `esdb+discover://…` or several hosts for a cluster. */
    | { readonly connectionString: string }
  )

const DEFAULT_BATCH_SIZE = 500
const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMilliseconds: 100, maximumDelayMilliseconds: 5_000, maximumAttempts: 20 }
const DEFAULT_APPEND_ATTEMPTS = 50
const SYSTEM_EVENTS_PAGE = 64

const isCommitAndPrepare = (position: string): boolean => E.isRight(eventStoreDbPositionFromPosition(position))

/** Waits, or less if `signal` aborts (the store or the subscription closing). */
const sleep = (milliseconds: number, signal: AbortSignal): Promise<void> =>
  delay(milliseconds, undefined, { signal }).catch(() => undefined)

const invalidStoredEvent = (recorded: EventStoreDbRecordedEvent, message: string): EventStoreError => ({
  _tag: 'InvalidStoredEvent',
  streamId: recorded.streamId,
  version: versionFromRevision(recorded.revision),
  position: recorded.position === undefined ? ('' as Position) : positionFromEventStoreDb(recorded.position),
  type: recorded.type,
  message,
})

class ClientFailure {
  constructor(readonly error: EventStoreError) {}
}

/**
 * Builds the store on a client, or on a client made from a connection string; a malformed
 * connection string is an `InvalidRequest`. No connection is opened until the first operation.
 */
export const eventStoreDbEventStore = (options: EventStoreDbEventStoreOptions): E.Either<EventStoreError, EventStore> => {
  if (options.streamNamespace?.startsWith('$') === true) {
    return E.left({ _tag: 'InvalidRequest', message: `a stream namespace cannot start with '$', EventStoreDB's mark of its own streams: ${options.streamNamespace}` })
  }
  if ('connectionString' in options) {
    const created = E.tryCatch(
      (): EventStoreDbClient => EventStoreDBClient.connectionString(options.connectionString),
      (cause): EventStoreError => ({ _tag: 'InvalidRequest', message: `not an EventStoreDB connection string: ${String(cause)}` }),
    )
    return E.map((client: EventStoreDbClient) => storeOnClient(client, true, options))(created)
  }
  return E.right(storeOnClient(options.client, options.disposeClientOnClose ?? false, options))
}

const storeOnClient = (client: EventStoreDbClient, disposeClientOnClose: boolean, options: EventStoreDbEventStoreOptions): EventStore => {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  const reconnect: ReconnectPolicy = { ...DEFAULT_RECONNECT, ...options.reconnect }
  const maximumAppendAttempts = options.maximumAppendAttempts ?? DEFAULT_APPEND_ATTEMPTS
  const closing = new AbortController()
  const subscriptions = new Set<Subscription>()
  const namespace = options.streamNamespace ?? ''
  const onServer = (streamId: string): string => `${namespace}${streamId}`
  const isOurs = (recorded: Pick<EventStoreDbRecordedEvent, 'streamId' | 'type'>): boolean =>
    !isSystemEvent(recorded) && recorded.streamId.startsWith(namespace)

  const toRecordedEvent = (recorded: EventStoreDbRecordedEvent): E.Either<EventStoreError, RecordedEvent> => {
    const inPortTerms = { ...recorded, streamId: recorded.streamId.slice(namespace.length) }
    return E.mapLeft((message: string) => invalidStoredEvent(inPortTerms, message))(recordedEventFromEventStoreDb(inPortTerms))
  }

  /** Runs a client call, turning any client failure into the port's error. */
  const attempt =
    <A>(context: Parameters<typeof toEventStoreError>[0], run: () => Promise<A>): TE.TaskEither<EventStoreError, A> =>
    async () => {
      if (closing.signal.aborted) return E.left({ _tag: 'EventStoreUnavailable', cause: new Error('the EventStoreDB event store is closed') })
      try {
        return E.right(await run())
      } catch (cause) {
        return E.left(cause instanceof ClientFailure ? cause.error : toEventStoreError(context)(cause))
      }
    }

  /**
   * Every recorded event of a read. Always read to the end: a read left early keeps its gRPC call
   * open (the call reports its end only once its messages are read), and the client's `dispose` waits for it.
   */
  const readToTheEnd = async (
    events: AsyncIterable<{ readonly event?: EventStoreDbRecordedEvent }>,
  ): Promise<Array<EventStoreDbRecordedEvent & { readonly position: EventStoreDbPosition }>> => {
    const recorded: Array<EventStoreDbRecordedEvent & { readonly position: EventStoreDbPosition }> = []
    for await (const resolved of events) {
      const event = resolved.event
      if (event?.position !== undefined) recorded.push({ ...event, position: event.position })
    }
    return recorded
  }

  const collect = async (
    events: AsyncIterable<{ readonly event?: EventStoreDbRecordedEvent }>,
    keep: (recorded: EventStoreDbRecordedEvent) => boolean = () => true,
  ): Promise<Array<RecordedEvent>> => {
    const collected: Array<RecordedEvent> = []
    let invalid: EventStoreError | undefined
    for await (const resolved of events) {
      if (resolved.event === undefined || invalid !== undefined || !keep(resolved.event)) continue
      const recorded = toRecordedEvent(resolved.event)
      if (E.isLeft(recorded)) invalid = recorded.left
      else collected.push(recorded.right)
    }
    if (invalid !== undefined) throw new ClientFailure(invalid)
    return collected
  }

  const readWholeStream = async (streamId: string): Promise<Array<RecordedEvent>> => {
    try {
      return await collect(client.readStream(onServer(streamId), { fromRevision: 'start', direction: 'forwards', maxCount: Number.MAX_SAFE_INTEGER }))
    } catch (cause) {
      if (isStreamNotFound(cause)) return []
      throw cause
    }
  }

  /** Position of the last record of `$all`, EventStoreDB's own events included. */
  const lastPositionOfAll = async (): Promise<EventStoreDbPosition | undefined> =>
    (await readToTheEnd(client.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1 })))[0]?.position

  const appendOnce = async (streamId: string, expected: ExpectedVersion, events: ReadonlyArray<NewEvent>): Promise<AppendResult | 'Retry'> => {
    const stored = await readWholeStream(streamId)
    const requestedIds = new Set(events.map((event) => event.eventId))
    const currentVersion = stored.at(-1)?.version ?? 0n
    const plan = planAppend(streamId, expected, events, currentVersion, stored.filter((event) => requestedIds.has(event.eventId)))
    if (E.isLeft(plan)) throw new ClientFailure(plan.left)
    if (plan.right._tag === 'AlreadyWritten') return plan.right.result
    const appendId = crypto.randomUUID()
    try {
      const expectedRevision = expectedRevisionForVersion(currentVersion)
      const result = await client.appendToStream(onServer(streamId), events.map((event) => eventDataFromNewEvent(event, appendId)), { expectedRevision, streamState: expectedRevision })
      // EventStoreDB also answers success when an identical append (same ids, same expected revision)
      // raced ours and won: the last event read back says whose write it was.
      const [last] = await readToTheEnd(client.readStream(onServer(streamId), { fromRevision: result.nextExpectedRevision, direction: 'forwards', maxCount: 1 }))
      if (last === undefined || appendIdOf(last) !== appendId) return 'Retry'
      return { nextExpectedVersion: versionFromRevision(last.revision), position: positionFromEventStoreDb(last.position), written: true }
    } catch (cause) {
      const error = toEventStoreError({ streamId, expected })(cause)
      // Another writer moved the stream between the read and the write: decide again on what is there now.
      if (error._tag === 'WrongExpectedVersion') return 'Retry'
      throw new ClientFailure(error)
    }
  }

  const readAllOnce = async (readOptions: ReadAllOptions): Promise<ReadAllResult> => {
    const head = await lastPositionOfAll()
    const filter = planFilter(readOptions.filter, namespace)
    const headPosition = head === undefined ? undefined : positionFromEventStoreDb(head)
    const upToHead = laterPosition(readOptions.after, headPosition)
    const atHead = headPosition === undefined ? {} : { head: headPosition }
    const nothingToRead = (): ReadAllResult => ({ events: [], ...(upToHead === undefined ? {} : { checkpoint: upToHead }), isEnd: true, ...atHead })
    if (head === undefined || !filter.keepsAnything || (readOptions.after !== undefined && headPosition !== undefined && readOptions.after >= headPosition)) {
      return nothingToRead()
    }
    const from = readOptions.after === undefined ? undefined : eventStoreDbPositionFromPosition(readOptions.after)
    const subscription = openOrderedSubscription(client, {
      fromPosition: from === undefined || E.isLeft(from) ? 'start' : from.right,
      filter: filter.server,
    })
    const events: Array<RecordedEvent> = []
    try {
      for (;;) {
        const message = await subscription.next()
        switch (message._tag) {
          case 'Event': {
            const recorded = message.resolved.event
            if (recorded?.position === undefined) break
            const position = positionFromEventStoreDb(recorded.position)
            // Appended after this read began: the next read gets it.
            if (headPosition !== undefined && position > headPosition) return nothingToReadAfter(events, headPosition)
            if (!filter.keeps(recorded)) break
            const converted = toRecordedEvent(recorded)
            if (E.isLeft(converted)) throw new ClientFailure(converted.left)
            events.push(converted.right)
            if (events.length === readOptions.maxCount) return { events, checkpoint: position, isEnd: position === headPosition, ...atHead }
            break
          }
          case 'Checkpoint':
            if (headPosition !== undefined && positionFromEventStoreDb(message.position) >= headPosition) return nothingToReadAfter(events, headPosition)
            break
          case 'CaughtUp':
            return nothingToReadAfter(events, headPosition)
          case 'Dropped':
            throw message.cause
          case 'Closed':
            throw new ClientFailure({ _tag: 'EventStoreUnavailable', cause: new Error('the EventStoreDB event store is closed') })
        }
      }
    } finally {
      await subscription.close()
    }
  }

  /** Every event up to the head has been looked at: the checkpoint is the head. */
  const nothingToReadAfter = (events: Array<RecordedEvent>, headPosition: Position | undefined): ReadAllResult => {
    const checkpoint = laterPosition(events.at(-1)?.position, headPosition)
    return { events, ...(checkpoint === undefined ? {} : { checkpoint }), isEnd: true, ...(headPosition === undefined ? {} : { head: headPosition }) }
  }

  const readAll: EventStore['readAll'] = (readOptions) => {
    const checked = checkReadAllOptions(readOptions, isCommitAndPrepare)
    return E.isLeft(checked)
      ? async () => checked
      : attempt({}, async () => {
          const result = await readAllOnce(readOptions)
          // EventStoreDB's own events are no events of the port: a store holding only them reads as empty, with no checkpoint.
          const empty = result.events.length === 0 && readOptions.after === undefined && (await headPositionOnce()) === undefined
          return empty ? { events: [], isEnd: true } : result
        })
  }

  /**
   * Catches up with `readAll` (so `CaughtUp` comes after every event committed before it), then
   * follows a live server-side-filtered subscription from the last position. A dropped live
   * subscription is reopened from the last position it delivered, after a growing delay.
   */
  const subscribeToAll = (subscribeOptions: SubscribeOptions = {}): Subscription => {
    const stop = new AbortController()
    const stopOnClose = (): void => stop.abort()
    closing.signal.addEventListener('abort', stopOnClose, { once: true })
    let closeLive: (() => Promise<void>) | undefined
    const filter = planFilter(subscribeOptions.filter, namespace)

    async function* messages(): AsyncGenerator<SubscriptionMessage, void, undefined> {
      let last = subscribeOptions.after
      let failures = 0
      const backOff = async (error: EventStoreError): Promise<'Retry' | 'GiveUp'> => {
        failures += 1
        if (failures > reconnect.maximumAttempts) return 'GiveUp'
        const delay = Math.min(reconnect.maximumDelayMilliseconds, reconnect.initialDelayMilliseconds * 2 ** (failures - 1))
        await sleep(delay, stop.signal)
        return error._tag === 'EventStoreUnavailable' ? 'Retry' : 'GiveUp'
      }
      try {
        for (;;) {
          if (stop.signal.aborted) return
          const read = await readAll({ maxCount: batchSize, ...(last === undefined ? {} : { after: last }), ...(subscribeOptions.filter === undefined ? {} : { filter: subscribeOptions.filter }) })()
          if (stop.signal.aborted) return
          if (E.isLeft(read)) {
            if ((await backOff(read.left)) === 'GiveUp') return yield { _tag: 'Failed', error: read.left }
            continue
          }
          failures = 0
          for (const event of read.right.events) yield { _tag: 'Event', event }
          last = laterPosition(last, read.right.checkpoint)
          if (read.right.isEnd) break
        }
        if (stop.signal.aborted) return
        yield { _tag: 'CaughtUp', ...(last === undefined ? {} : { checkpoint: last }) }
        while (!stop.signal.aborted) {
          const from = last === undefined ? undefined : eventStoreDbPositionFromPosition(last)
          const live = openOrderedSubscription(client, { fromPosition: from === undefined || E.isLeft(from) ? 'start' : from.right, filter: filter.server })
          closeLive = live.close
          let dropped: EventStoreError | undefined
          while (dropped === undefined && !stop.signal.aborted) {
            const message = await live.next()
            if (message._tag === 'Closed') break
            if (message._tag === 'Dropped') {
              dropped = toEventStoreError({})(message.cause)
              break
            }
            if (message._tag === 'Checkpoint') {
              last = laterPosition(last, positionFromEventStoreDb(message.position))
              continue
            }
            if (message._tag === 'CaughtUp') continue
            const recorded = message.resolved.event
            if (recorded?.position === undefined) continue
            const position = positionFromEventStoreDb(recorded.position)
            if (last !== undefined && position <= last) continue
            last = position
            if (!filter.keeps(recorded)) continue
            const converted = toRecordedEvent(recorded)
            if (E.isLeft(converted)) return yield { _tag: 'Failed', error: converted.left }
            failures = 0
            yield { _tag: 'Event', event: converted.right }
          }
          await live.close()
          closeLive = undefined
          if (dropped !== undefined && (await backOff(dropped)) === 'GiveUp') return yield { _tag: 'Failed', error: dropped }
        }
      } finally {
        stop.abort()
        closing.signal.removeEventListener('abort', stopOnClose)
      }
    }

    const iterator = messages()
    const subscription: Subscription = {
      close: async () => {
        stop.abort()
        subscriptions.delete(subscription)
        await closeLive?.()
      },
      [Symbol.asyncIterator]: () => iterator,
    }
    subscriptions.add(subscription)
    return subscription
  }

  /** The last event of ours in `$all`: EventStoreDB's own events, and other namespaces', are stepped over, backwards. */
  const headPositionOnce = async (): Promise<Position | undefined> => {
    let from: 'end' | EventStoreDbPosition = 'end'
    for (;;) {
      const page = await readToTheEnd(client.readAll({ fromPosition: from, direction: 'backwards', maxCount: SYSTEM_EVENTS_PAGE }))
      const before: 'end' | EventStoreDbPosition = from
      // Whether a backwards read from a position includes the event at it, skip it: it was looked at.
      const unseen: typeof page = page.filter(
        (recorded) => before === 'end' || positionFromEventStoreDb(recorded.position) < positionFromEventStoreDb(before),
      )
      const ours = unseen.find(isOurs)
      if (ours !== undefined) return positionFromEventStoreDb(ours.position)
      const lastSeen: EventStoreDbPosition | undefined = unseen.at(-1)?.position
      if (page.length < SYSTEM_EVENTS_PAGE || lastSeen === undefined) return undefined
      // A backwards read from a position starts before it: the next page continues below the last seen.
      from = lastSeen
    }
  }

  return {
    appendToStream: (streamId, expected, events) => {
      const checked = checkAppend(streamId, expected, events, options.validate)
      if (E.isLeft(checked)) return async () => checked
      return attempt({ streamId, expected }, async () => {
        for (let attemptNumber = 1; attemptNumber <= maximumAppendAttempts; attemptNumber++) {
          const result = await appendOnce(streamId, expected, events)
          if (result !== 'Retry') return result
          // Writers that lost the same race would otherwise collide again at once.
          await sleep(Math.random() * Math.min(50, attemptNumber * 2), closing.signal)
        }
        // Other writers kept moving the stream: report the conflict with what is there now.
        const actual = (await readWholeStream(streamId)).at(-1)?.version
        throw new ClientFailure({ _tag: 'WrongExpectedVersion', streamId, expected, ...(actual === undefined ? {} : { actual }) })
      })
    },

    readStream: (streamId, readOptions = {}) => {
      const checked = checkReadStreamOptions(streamId, readOptions)
      if (E.isLeft(checked)) return async () => checked
      const direction = readOptions.direction ?? 'forwards'
      const fromRevision = readOptions.fromVersion === undefined ? (direction === 'forwards' ? 'start' : 'end') : revisionFromVersion(readOptions.fromVersion)
      return attempt({ streamId }, async () => {
        try {
          return await collect(client.readStream(onServer(streamId), { fromRevision, direction, maxCount: readOptions.maxCount ?? Number.MAX_SAFE_INTEGER }))
        } catch (cause) {
          if (isStreamNotFound(cause)) return []
          throw cause
        }
      })
    },

    readAll,
    subscribeToAll,
    headPosition: () => attempt({}, headPositionOnce),

    close: async () => {
      closing.abort()
      await Promise.all([...subscriptions].map((subscription) => subscription.close()))
      if (disposeClientOnClose) await client.dispose()
    },
  }
}
