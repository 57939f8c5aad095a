/**
 * The conformance suite every event store passes, with no per-store options: call it from a test
 * file of the store's package.
 * @example describeEventStoreContract('sqlite', async (options) => sqliteEventStore({ filename: ':memory:', ...options }))
 */
import { inspect } from 'node:util'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  EventStore,
  EventStoreError,
  EventStoreOptions,
  ExpectedVersion,
  NewEvent,
  Position,
  ReadAllOptions,
  RecordedEvent,
  SubscriptionMessage,
} from '../port.ts'
import { anyVersion, exactly, noStream, streamExists } from '../port.ts'
import { describeHandlingContract } from './handlingContract.ts'
import { modelOperation, ReferenceModel } from './referenceModel.ts'
import { type MakeEventStore, newEvent, newEventId, steppingClock, type StoreConnections, toConnections } from './fixtures.ts'

export const expectRight = <L, A>(either: E.Either<L, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left ${inspect(either.left, { depth: 6 })}`)
  return either.right
}

export const expectLeft = <L, A>(either: E.Either<L, A>): L => {
  if (E.isRight(either)) throw new Error(`expected Left, got Right ${inspect(either.right, { depth: 6 })}`)
  return either.left
}

/** Reads the whole global order in pages of `pageSize`, checking that the checkpoints move forward. */
export const readAllPages = async (
  store: EventStore,
  options: Omit<ReadAllOptions, 'maxCount'> & { readonly pageSize: number },
): Promise<ReadonlyArray<RecordedEvent>> => {
  const events: Array<RecordedEvent> = []
  let after = options.after
  for (;;) {
    const page = expectRight(
      await store.readAll({
        maxCount: options.pageSize,
        ...(after === undefined ? {} : { after }),
        ...(options.filter === undefined ? {} : { filter: options.filter }),
      })(),
    )
    expect(page.events.length).toBeLessThanOrEqual(options.pageSize)
    events.push(...page.events)
    if (page.checkpoint !== undefined && after !== undefined) expect(page.checkpoint >= after).toBe(true)
    if (page.isEnd) return events
    expect(page.checkpoint).toBeDefined()
    expect(page.checkpoint === after).toBe(false)
    after = page.checkpoint
  }
}

interface Collected {
  readonly messages: ReadonlyArray<SubscriptionMessage>
  /** Settles when the iteration ends. */
  readonly ended: Promise<void>
}

/** Iterates a subscription in the background, keeping every message. */
export const collect = (subscription: AsyncIterable<SubscriptionMessage>): Collected => {
  const messages: Array<SubscriptionMessage> = []
  const ended = (async () => {
    for await (const message of subscription) messages.push(message)
  })()
  return { messages, ended }
}

/**
 * The head once it has caught up with `expected`. A store may show its head late — PostgreSQL keeps it
 * behind transactions still open anywhere on the server — but never past what was written.
 */
const settledHead = async (store: EventStore, expected: Position | undefined): Promise<Position | undefined> => {
  let head = expectRight(await store.headPosition()())
  for (let attempt = 0; attempt < 100 && head !== expected; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    head = expectRight(await store.headPosition()())
  }
  return head
}

/** Waits until `condition` holds, failing the test after `timeoutMilliseconds`. */
export const waitUntil = async (condition: () => boolean, timeoutMilliseconds = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMilliseconds
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMilliseconds} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const eventIdsOf = (messages: ReadonlyArray<SubscriptionMessage>): ReadonlyArray<string> =>
  messages.flatMap((message) => (message._tag === 'Event' ? [message.event.eventId] : []))

const versions = (events: ReadonlyArray<RecordedEvent>): ReadonlyArray<bigint> => events.map((event) => event.version)
const ids = (events: ReadonlyArray<{ readonly eventId: string }>): ReadonlyArray<string> => events.map((event) => event.eventId)

const isStrictlyIncreasing = (positions: ReadonlyArray<Position>): boolean =>
  positions.every((position, index) => index === 0 || (positions[index - 1] ?? '') < position)

export interface ContractCapabilities {
  /**
   * The server stamps `recordedAt` with its own clock (a real EventStoreDB node), so the store cannot
   * be handed a test clock: the suite then checks that `recordedAt` is an ISO instant, not which one.
   */
  readonly serverClock?: boolean
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

export const describeEventStoreContract = (storeName: string, makeStore: MakeEventStore, capabilities: ContractCapabilities = {}): void => {
  describe(`EventStore contract: ${storeName}`, () => {
    const opened: Array<EventStore> = []
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()))
    })

    const openConnections = async (options: EventStoreOptions = {}): Promise<StoreConnections> => {
      const connections = toConnections(await makeStore(options))
      opened.push(connections.store)
      const { connect } = connections
      return connect === undefined
        ? { store: connections.store }
        : {
            store: connections.store,
            connect: async () => {
              const another = await connect()
              opened.push(another)
              return another
            },
          }
    }
    const open = async (options: EventStoreOptions = {}): Promise<EventStore> => (await openConnections(options)).store

    /** `count` connections to one store (the same instance repeated when the store cannot open others); `connection(i)` picks one round-robin. */
    const writers = async (count: number): Promise<(index: number) => EventStore> => {
      const { store, connect } = await openConnections()
      const others = connect === undefined ? [] : await Promise.all(Array.from({ length: count - 1 }, connect))
      const all = [store, ...others]
      return (index) => all[index % all.length] ?? store
    }

    const append = async (store: EventStore, streamId: string, expected: ExpectedVersion, events: ReadonlyArray<NewEvent>) =>
      store.appendToStream(streamId, expected, events)()
    const readStream = async (store: EventStore, streamId: string, options: Parameters<EventStore['readStream']>[1] = {}) =>
      expectRight(await store.readStream(streamId, options)())
    const expectNothingWritten = async (store: EventStore) => {
      expect(expectRight(await store.headPosition()())).toBeUndefined()
      expect(expectRight(await store.readAll({ maxCount: 10 })()).events).toStrictEqual([])
    }

    describe('appending and reading one stream', () => {
      it('numbers the first event of a new stream as version 1 and the next ones in order', async () => {
        const store = await open()
        const first = expectRight(await append(store, 'loan-1', noStream, [newEvent()]))
        expect(first.nextExpectedVersion).toBe(1n)
        expect(first.written).toBe(true)
        const next = expectRight(await append(store, 'loan-1', exactly(1n), [newEvent(), newEvent()]))
        expect(next.nextExpectedVersion).toBe(3n)
        expect(versions(await readStream(store, 'loan-1'))).toStrictEqual([1n, 2n, 3n])
      })

      it('records the event as written, with the stream, version, position and the store clock', async () => {
        const clock = steppingClock('2025-06-30T03:00:00.000Z')
        const store = await open({ clock })
        const event = newEvent({
          type: 'LoanDisbursed',
          data: { loanId: 'LN-1', amount: '30000000', tags: ['hộ nghèo', null, true, 1.5], nested: { empty: {}, list: [] } },
          metadata: { occurredOn: '2025-06-28', correlationId: 'correlation-1', causationId: 'command-1', actor: 'officer-7', schemaVersion: 2 },
        })
        const result = expectRight(await append(store, 'loan-1', noStream, [event]))
        const [recorded] = await readStream(store, 'loan-1')
        expect(recorded).toStrictEqual({
          streamId: 'loan-1',
          version: 1n,
          position: result.position,
          eventId: event.eventId,
          type: 'LoanDisbursed',
          data: event.data,
          metadata: { ...event.metadata, recordedAt: expect.any(String) },
        })
        if (capabilities.serverClock === true) expect(recorded?.metadata.recordedAt).toMatch(ISO_INSTANT)
        else expect(clock.readings).toContain(recorded?.metadata.recordedAt)
      })

      it('omits absent optional metadata rather than inventing it', async () => {
        const store = await open()
        const event = newEvent({ metadata: { occurredOn: '2024-02-29', schemaVersion: 1 } })
        expectRight(await append(store, 'loan-1', noStream, [event]))
        const [recorded] = await readStream(store, 'loan-1')
        expect(Object.keys(recorded?.metadata ?? {}).sort()).toStrictEqual(['occurredOn', 'recordedAt', 'schemaVersion'])
        expect(Date.parse(recorded?.metadata.recordedAt ?? '')).not.toBeNaN()
      })

      it('reads a stream that does not exist as empty', async () => {
        const store = await open()
        expect(await readStream(store, 'loan-missing')).toStrictEqual([])
        expect(await readStream(store, 'loan-missing', { direction: 'backwards' })).toStrictEqual([])
      })

      it('reads forwards and backwards from a version, up to a count', async () => {
        const store = await open()
        expectRight(await append(store, 'loan-1', noStream, Array.from({ length: 5 }, () => newEvent())))
        expectRight(await append(store, 'loan-2', noStream, [newEvent()]))
        expect(versions(await readStream(store, 'loan-1', { fromVersion: 2n }))).toStrictEqual([2n, 3n, 4n, 5n])
        expect(versions(await readStream(store, 'loan-1', { fromVersion: 2n, maxCount: 2 }))).toStrictEqual([2n, 3n])
        expect(versions(await readStream(store, 'loan-1', { fromVersion: 6n }))).toStrictEqual([])
        expect(versions(await readStream(store, 'loan-1', { direction: 'backwards' }))).toStrictEqual([5n, 4n, 3n, 2n, 1n])
        expect(versions(await readStream(store, 'loan-1', { direction: 'backwards', maxCount: 1 }))).toStrictEqual([5n])
        expect(versions(await readStream(store, 'loan-1', { direction: 'backwards', fromVersion: 3n }))).toStrictEqual([3n, 2n, 1n])
        expect(versions(await readStream(store, 'loan-1', { direction: 'backwards', fromVersion: 9n, maxCount: 2 }))).toStrictEqual([5n, 4n])
      })

      it('refuses read options it cannot honour', async () => {
        const store = await open()
        for (const options of [{ maxCount: 0 }, { maxCount: 1.5 }, { maxCount: -1 }, { fromVersion: 0n }, { fromVersion: -3n }]) {
          expect(expectLeft(await store.readStream('loan-1', options)())._tag).toBe('InvalidRequest')
        }
      })

      it('returns any JSON value unchanged', async () => {
        const store = await open()
        await fc.assert(
          fc.asyncProperty(fc.jsonValue(), async (data) => {
            const streamId = `json-${newEventId()}`
            expectRight(await append(store, streamId, noStream, [newEvent({ data })]))
            const [recorded] = await readStream(store, streamId)
            expect(recorded?.data).toStrictEqual(JSON.parse(JSON.stringify(data)))
          }),
          // -0 is no JSON number: every store reads it back as 0 (the in-memory store once kept -0).
          { numRuns: 50, examples: [[{ '': -0 }], [-0]] },
        )
      })
    })

    describe('expected versions', () => {
      const wrongExpectedVersion = (streamId: string, expected: ExpectedVersion, actual?: bigint): EventStoreError => ({
        _tag: 'WrongExpectedVersion',
        streamId,
        expected,
        ...(actual === undefined ? {} : { actual }),
      })

      it('NoStream succeeds on a new stream and fails once it exists', async () => {
        const store = await open()
        expectRight(await append(store, 'loan-1', noStream, [newEvent()]))
        expect(await append(store, 'loan-1', noStream, [newEvent()])).toStrictEqual(E.left(wrongExpectedVersion('loan-1', noStream, 1n)))
      })

      it('StreamExists fails on a new stream and succeeds once it exists', async () => {
        const store = await open()
        expect(await append(store, 'loan-1', streamExists, [newEvent()])).toStrictEqual(E.left(wrongExpectedVersion('loan-1', streamExists)))
        expectRight(await append(store, 'loan-1', anyVersion, [newEvent()]))
        expect(expectRight(await append(store, 'loan-1', streamExists, [newEvent()])).nextExpectedVersion).toBe(2n)
      })

      it('Exactly succeeds only at the stream version, and Exactly(0) means no stream', async () => {
        const store = await open()
        expect(await append(store, 'loan-1', exactly(1n), [newEvent()])).toStrictEqual(E.left(wrongExpectedVersion('loan-1', exactly(1n))))
        expectRight(await append(store, 'loan-1', exactly(0n), [newEvent(), newEvent()]))
        expect(await append(store, 'loan-1', exactly(1n), [newEvent()])).toStrictEqual(E.left(wrongExpectedVersion('loan-1', exactly(1n), 2n)))
        expect(await append(store, 'loan-1', exactly(3n), [newEvent()])).toStrictEqual(E.left(wrongExpectedVersion('loan-1', exactly(3n), 2n)))
        expect(expectRight(await append(store, 'loan-1', exactly(2n), [newEvent()])).nextExpectedVersion).toBe(3n)
      })

      it('Any succeeds whatever the stream version', async () => {
        const store = await open()
        expect(expectRight(await append(store, 'loan-1', anyVersion, [newEvent()])).nextExpectedVersion).toBe(1n)
        expect(expectRight(await append(store, 'loan-1', anyVersion, [newEvent()])).nextExpectedVersion).toBe(2n)
      })

      it('a refused append writes nothing', async () => {
        const store = await open()
        const kept = expectRight(await append(store, 'loan-1', noStream, [newEvent()]))
        expectLeft(await append(store, 'loan-1', exactly(5n), [newEvent(), newEvent()]))
        expect(versions(await readStream(store, 'loan-1'))).toStrictEqual([1n])
        expect(await settledHead(store, kept.position)).toBe(kept.position)
      })
    })

    describe('refusing malformed events', () => {
      const cyclic: Record<string, unknown> = { name: 'cycle' }
      cyclic['self'] = cyclic
      const malformed: ReadonlyArray<readonly [string, NewEvent]> = [
        ['a bigint in data', newEvent({ data: { amount: 1000n } })],
        ['undefined in data', newEvent({ data: { amount: undefined } })],
        ['undefined data', newEvent({ data: undefined })],
        ['a function in data', newEvent({ data: { compute: () => 1 } })],
        ['NaN in data', newEvent({ data: { rate: Number.NaN } })],
        ['Infinity in data', newEvent({ data: [Number.POSITIVE_INFINITY] })],
        ['a cyclic object', newEvent({ data: cyclic })],
        ['a Date object', newEvent({ data: { on: new Date(0) } })],
        ['a non-calendar occurredOn', newEvent({ metadata: { occurredOn: '2025-02-30' } })],
        ['an occurredOn that is an instant', newEvent({ metadata: { occurredOn: '2025-02-03T00:00:00Z' } })],
        ['a non-UUID event id', newEvent({ eventId: 'event-1' })],
        ['an upper-case event id', newEvent({ eventId: newEventId().toUpperCase() })],
        ['a schema version of 0', newEvent({ metadata: { schemaVersion: 0 } })],
        ['a fractional schema version', newEvent({ metadata: { schemaVersion: 1.5 } })],
        ['an empty actor', newEvent({ metadata: { actor: '' } })],
        ['an empty type', newEvent({ type: '' })],
        ['a recordedAt set by the writer', { ...newEvent(), metadata: { occurredOn: '2025-01-01', schemaVersion: 1, recordedAt: '2025-01-01T00:00:00Z' } as NewEvent['metadata'] }],
      ]

      it.each(malformed)('refuses an append with %s, writing none of its events', async (_, bad) => {
        const store = await open()
        const result = expectLeft(await append(store, 'loan-1', anyVersion, [newEvent(), bad]))
        expect(result).toMatchObject({ _tag: 'InvalidEvent', streamId: 'loan-1', message: expect.any(String) })
        await expectNothingWritten(store)
      })

      it('refuses two events with the same id in one append', async () => {
        const store = await open()
        const event = newEvent()
        expect(expectLeft(await append(store, 'loan-1', anyVersion, [event, event]))).toMatchObject({ _tag: 'InvalidEvent', eventId: event.eventId })
        await expectNothingWritten(store)
      })

      it('refuses an empty append', async () => {
        const store = await open()
        expect(expectLeft(await append(store, 'loan-1', anyVersion, []))._tag).toBe('InvalidRequest')
      })

      it("refuses what the store's validate hook refuses, with its message", async () => {
        const store = await open({ validate: (streamId, event) => (event.type === 'Forbidden' ? `no ${event.type} in ${streamId}` : undefined) })
        const refused = newEvent({ type: 'Forbidden' })
        expect(await append(store, 'loan-1', anyVersion, [newEvent(), refused])).toStrictEqual(
          E.left({ _tag: 'InvalidEvent', streamId: 'loan-1', eventId: refused.eventId, type: 'Forbidden', message: 'no Forbidden in loan-1' }),
        )
        await expectNothingWritten(store)
        expectRight(await append(store, 'loan-1', anyVersion, [newEvent()]))
      })
    })

    describe('idempotent appends', () => {
      const twoEvents = () => [newEvent({ data: { index: 1, note: 'first' } }), newEvent({ data: { index: 2 } })] as const

      it.each([
        ['Exactly(0)', exactly(0n)],
        ['NoStream', noStream],
        ['Any', anyVersion],
        ['StreamExists', streamExists],
      ] as const)('repeating an append with %s writes nothing and returns the original versions', async (_, expected) => {
        const store = await open()
        const events = twoEvents()
        const first = expectRight(await append(store, 'loan-1', noStream, events))
        expectRight(await append(store, 'loan-1', exactly(2n), [newEvent()]))
        expect(await append(store, 'loan-1', expected, events)).toStrictEqual(
          E.right({ nextExpectedVersion: 2n, position: first.position, written: false }),
        )
        const stream = await readStream(store, 'loan-1')
        expect(versions(stream)).toStrictEqual([1n, 2n, 3n])
        // Nothing written elsewhere either: the head is the third event's.
        expect(await settledHead(store, stream.at(-1)?.position)).toBe(stream.at(-1)?.position)
      })

      it('repeating with Exactly or NoStream at a place the events do not sit is a duplicate event id', async () => {
        const store = await open()
        const events = twoEvents()
        expectRight(await append(store, 'loan-1', noStream, events))
        expect(await append(store, 'loan-1', exactly(2n), events)).toStrictEqual(
          E.left({ _tag: 'DuplicateEventId', streamId: 'loan-1', eventId: events[0].eventId }),
        )
        expect(expectLeft(await append(store, 'loan-1', exactly(1n), events))._tag).toBe('DuplicateEventId')
        const later = twoEvents()
        expectRight(await append(store, 'loan-1', exactly(2n), later))
        expect(expectLeft(await append(store, 'loan-1', noStream, later))._tag).toBe('DuplicateEventId')
        expect(expectLeft(await append(store, 'loan-1', exactly(0n), later))._tag).toBe('DuplicateEventId')
        expect(expectRight(await append(store, 'loan-1', exactly(2n), later)).written).toBe(false)
      })

      it('the same id with another payload or metadata is a duplicate event id, and writes nothing', async () => {
        const store = await open()
        const [first, second] = twoEvents()
        expectRight(await append(store, 'loan-1', noStream, [first, second]))
        const changes: ReadonlyArray<NewEvent> = [
          { ...second, data: { index: 3 } },
          { ...second, type: 'SomethingElse' },
          { ...second, metadata: { ...second.metadata, occurredOn: '2025-03-15' } },
          { ...second, metadata: { ...second.metadata, causationId: 'another-command' } },
          { ...second, metadata: { ...second.metadata, schemaVersion: 2 } },
        ]
        for (const changed of changes) {
          expect(await append(store, 'loan-1', exactly(0n), [first, changed])).toStrictEqual(
            E.left({ _tag: 'DuplicateEventId', streamId: 'loan-1', eventId: second.eventId }),
          )
        }
        expect(versions(await readStream(store, 'loan-1'))).toStrictEqual([1n, 2n])
      })

      it('a batch that is partly stored, or reordered, is a duplicate event id and writes nothing', async () => {
        const store = await open()
        const [first, second] = twoEvents()
        expectRight(await append(store, 'loan-1', noStream, [first, second]))
        expect(expectLeft(await append(store, 'loan-1', anyVersion, [second, newEvent()]))).toMatchObject({
          _tag: 'DuplicateEventId',
          eventId: second.eventId,
        })
        expect(expectLeft(await append(store, 'loan-1', anyVersion, [second, first]))._tag).toBe('DuplicateEventId')
        expect(versions(await readStream(store, 'loan-1'))).toStrictEqual([1n, 2n])
      })

      it('compares payloads as JSON values, whatever the order of object keys', async () => {
        const store = await open()
        const event = newEvent({ data: { loanId: 'LN-1', amount: '5', nested: { a: 1, b: [1, 2] } } })
        expectRight(await append(store, 'loan-1', noStream, [event]))
        const reordered = { ...event, data: { nested: { b: [1, 2], a: 1 }, amount: '5', loanId: 'LN-1' } }
        expect(expectRight(await append(store, 'loan-1', noStream, [reordered])).written).toBe(false)
      })

      it('with Any, a repeated tail part of an earlier batch is recognised too', async () => {
        const store = await open()
        const [first, second] = twoEvents()
        expectRight(await append(store, 'loan-1', noStream, [first, second]))
        expect(expectRight(await append(store, 'loan-1', anyVersion, [second]))).toMatchObject({ nextExpectedVersion: 2n, written: false })
      })
    })

    describe('reading all events in global order', () => {
      it('reads an empty store as empty, with no checkpoint', async () => {
        const store = await open()
        expect(expectRight(await store.readAll({ maxCount: 10 })())).toStrictEqual({ events: [], isEnd: true })
        expect(expectRight(await store.headPosition()())).toBeUndefined()
      })

      it('keeps the order of appends across streams, with strictly increasing positions', async () => {
        const store = await open()
        const appended: Array<NewEvent> = []
        for (const streamId of ['loan-1', 'household-1', 'loan-1', 'capital-x-2025', 'household-1']) {
          const events = [newEvent(), newEvent()]
          expectRight(await append(store, streamId, anyVersion, events))
          appended.push(...events)
        }
        const all = expectRight(await store.readAll({ maxCount: 100 })())
        expect(ids(all.events)).toStrictEqual(ids(appended))
        expect(isStrictlyIncreasing(all.events.map((event) => event.position))).toBe(true)
        expect(all.isEnd).toBe(true)
        expect(all.checkpoint).toBe(all.events.at(-1)?.position)
        expect(await settledHead(store, all.events.at(-1)?.position)).toBe(all.events.at(-1)?.position)
      })

      it('pages from a position without repeating or skipping an event, whatever the page size', async () => {
        const store = await open()
        for (let index = 0; index < 7; index++) expectRight(await append(store, `loan-${index % 3}`, anyVersion, [newEvent(), newEvent()]))
        const everything = expectRight(await store.readAll({ maxCount: 100 })()).events
        for (const pageSize of [1, 2, 3, 5, 14, 15]) {
          expect(ids(await readAllPages(store, { pageSize }))).toStrictEqual(ids(everything))
        }
        const middle = everything[5]?.position
        expect(ids(await readAllPages(store, { pageSize: 4, ...(middle === undefined ? {} : { after: middle }) }))).toStrictEqual(ids(everything.slice(6)))
      })

      it('filters by stream prefix and event type, and its checkpoint covers what the filter skipped', async () => {
        const store = await open()
        expectRight(await append(store, 'loan-1', anyVersion, [newEvent({ type: 'LoanApproved' }), newEvent({ type: 'LoanDisbursed' })]))
        expectRight(await append(store, 'household-1', anyVersion, [newEvent({ type: 'HouseholdRegistered' })]))
        expectRight(await append(store, 'capital-a-2025', anyVersion, [newEvent({ type: 'CapitalAllocated' })]))
        expectRight(await append(store, 'loan-2', anyVersion, [newEvent({ type: 'LoanApproved' })]))
        const everything = expectRight(await store.readAll({ maxCount: 100 })()).events
        const onlyLoans = expectRight(await store.readAll({ maxCount: 100, filter: { streamPrefixes: ['loan-'] } })())
        expect(onlyLoans.events.map((event) => event.streamId)).toStrictEqual(['loan-1', 'loan-1', 'loan-2'])
        const approvals = expectRight(await store.readAll({ maxCount: 100, filter: { eventTypes: ['LoanApproved', 'CapitalAllocated'] } })())
        expect(approvals.events.map((event) => event.type)).toStrictEqual(['LoanApproved', 'CapitalAllocated', 'LoanApproved'])
        const both = expectRight(
          await store.readAll({ maxCount: 100, filter: { streamPrefixes: ['household-', 'capital-'], eventTypes: ['CapitalAllocated'] } })(),
        )
        expect(both.events.map((event) => event.streamId)).toStrictEqual(['capital-a-2025'])
        expect(both.checkpoint).toBe(everything.at(-1)?.position)
        expect(both.isEnd).toBe(true)
        const none = expectRight(await store.readAll({ maxCount: 100, filter: { eventTypes: ['NeverHappened'] } })())
        expect(none).toStrictEqual({ events: [], checkpoint: everything.at(-1)?.position, isEnd: true, head: everything.at(-1)?.position })
        expect(ids(await readAllPages(store, { pageSize: 1, filter: { streamPrefixes: ['loan-'] } }))).toStrictEqual(ids(onlyLoans.events))
      })

      it('refuses a non-positive count and a position it never wrote', async () => {
        const store = await open()
        expectRight(await append(store, 'loan-1', anyVersion, [newEvent()]))
        for (const options of [{ maxCount: 0 }, { maxCount: 2.5 }, { maxCount: 10, after: 'not a position' as Position }]) {
          expect(expectLeft(await store.readAll(options)())._tag).toBe('InvalidRequest')
        }
      })
    })

    describe('subscribing to all events', () => {
      it('catches up, says so once, follows live appends, and ends when closed', async () => {
        const store = await open()
        const before = [newEvent(), newEvent(), newEvent()]
        expectRight(await append(store, 'loan-1', noStream, before))
        const subscription = store.subscribeToAll()
        const received = collect(subscription)
        await waitUntil(() => received.messages.some((message) => message._tag === 'CaughtUp'))
        const live = [newEvent(), newEvent()]
        expectRight(await append(store, 'household-1', noStream, [live[0] ?? newEvent()]))
        expectRight(await append(store, 'loan-1', exactly(3n), [live[1] ?? newEvent()]))
        await waitUntil(() => eventIdsOf(received.messages).length === 5)
        await subscription.close()
        await received.ended
        expect(received.messages.map((message) => message._tag)).toStrictEqual(['Event', 'Event', 'Event', 'CaughtUp', 'Event', 'Event'])
        expect(received.messages[3]).toStrictEqual({ _tag: 'CaughtUp', checkpoint: expectRight(await store.readAll({ maxCount: 3 })()).checkpoint })
        expect(eventIdsOf(received.messages)).toStrictEqual(ids([...before, ...live]))
        expectRight(await append(store, 'loan-1', anyVersion, [newEvent()]))
        expect(eventIdsOf(received.messages)).toHaveLength(5)
      })

      it('catches up at once on an empty store, without a checkpoint', async () => {
        const store = await open()
        const subscription = store.subscribeToAll()
        const received = collect(subscription)
        await waitUntil(() => received.messages.length > 0)
        await subscription.close()
        await received.ended
        expect(received.messages).toStrictEqual([{ _tag: 'CaughtUp' }])
      })

      it('starts after a position and delivers only what passes the filter', async () => {
        const store = await open()
        expectRight(await append(store, 'loan-1', noStream, [newEvent({ type: 'LoanApproved' }), newEvent({ type: 'LoanDisbursed' })]))
        const start = expectRight(await store.headPosition()())
        const wanted = newEvent({ type: 'LoanApproved' })
        expectRight(await append(store, 'household-1', noStream, [newEvent({ type: 'LoanApproved' })]))
        expectRight(await append(store, 'loan-2', noStream, [wanted, newEvent({ type: 'LoanDisbursed' })]))
        const subscription = store.subscribeToAll({
          ...(start === undefined ? {} : { after: start }),
          filter: { streamPrefixes: ['loan-'], eventTypes: ['LoanApproved'] },
        })
        const received = collect(subscription)
        await waitUntil(() => received.messages.some((message) => message._tag === 'CaughtUp'))
        const liveWanted = newEvent({ type: 'LoanApproved' })
        expectRight(await append(store, 'household-2', noStream, [newEvent({ type: 'LoanApproved' })]))
        expectRight(await append(store, 'loan-3', noStream, [liveWanted]))
        await waitUntil(() => eventIdsOf(received.messages).length === 2)
        await subscription.close()
        await received.ended
        expect(eventIdsOf(received.messages)).toStrictEqual([wanted.eventId, liveWanted.eventId])
      })

      it('delivers every event once, in order, while writers append during catch-up and live', async () => {
        const { store, connect } = await openConnections()
        const writerStores = connect === undefined ? [store, store] : [await connect(), await connect()]
        for (let index = 0; index < 30; index++) expectRight(await append(store, `loan-${index % 4}`, anyVersion, [newEvent()]))
        const subscription = store.subscribeToAll()
        const received = collect(subscription)
        await Promise.all(
          writerStores.map(async (writer, writerIndex) => {
            for (let index = 0; index < 40; index++) {
              expectRight(await append(writer, `household-${writerIndex}-${index % 3}`, anyVersion, [newEvent(), newEvent()]))
            }
          }),
        )
        const total = 30 + writerStores.length * 40 * 2
        await waitUntil(() => eventIdsOf(received.messages).length >= total)
        await subscription.close()
        await received.ended
        const everything = await readAllPages(store, { pageSize: 1000 })
        expect(everything).toHaveLength(total)
        expect(eventIdsOf(received.messages)).toStrictEqual(ids(everything))
        expect(received.messages.filter((message) => message._tag === 'CaughtUp')).toHaveLength(1)
      })

      it('ends when the consumer stops iterating, leaving the store usable', async () => {
        const store = await open()
        expectRight(await append(store, 'loan-1', noStream, [newEvent(), newEvent()]))
        const seen: Array<SubscriptionMessage> = []
        for await (const message of store.subscribeToAll()) {
          seen.push(message)
          if (seen.length === 1) break
        }
        expect(seen).toHaveLength(1)
        expect(expectRight(await append(store, 'loan-1', exactly(2n), [newEvent()])).nextExpectedVersion).toBe(3n)
      })
    })

    describe('compared with a reference model', () => {
      it('agrees with the model on random appends, expected versions, repeats and reads', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(modelOperation, { maxLength: 30 }), async (operations) => {
            const store = await open()
            const model = new ReferenceModel()
            const batches: Array<{ readonly streamId: string; readonly events: ReadonlyArray<NewEvent> }> = []
            const positions: Array<Position> = []
            const positionOf = (index: number): Position | undefined => positions[index]
            for (const operation of operations) {
              switch (operation._tag) {
                case 'Append': {
                  const original = operation.repeatOf === undefined || batches.length === 0 ? undefined : batches[operation.repeatOf % batches.length]
                  const streamId = original?.streamId ?? operation.streamId
                  const events = original?.events ?? operation.events
                  batches.push({ streamId, events })
                  const expected = model.append(streamId, operation.expected, events)
                  const actual = await append(store, streamId, operation.expected, events)
                  switch (expected._tag) {
                    case 'Written': {
                      const written = expectRight(actual)
                      const fresh = expectRight(await store.readAll({ maxCount: 100, ...(positions.length === 0 ? {} : { after: positions.at(-1) as Position }) })())
                      positions.push(...fresh.events.map((event) => event.position))
                      expect(written).toStrictEqual({ nextExpectedVersion: expected.nextExpectedVersion, position: positions.at(-1), written: true })
                      break
                    }
                    case 'AlreadyWritten': {
                      const lastId = events.at(-1)?.eventId
                      const lastIndex = model.log.findIndex((entry) => entry.event.eventId === lastId)
                      expect(actual).toStrictEqual(E.right({ nextExpectedVersion: expected.nextExpectedVersion, position: positionOf(lastIndex), written: false }))
                      break
                    }
                    case 'WrongExpectedVersion':
                      expect(actual).toStrictEqual(
                        E.left({ _tag: 'WrongExpectedVersion', streamId, expected: operation.expected, ...(expected.actual === undefined ? {} : { actual: expected.actual }) }),
                      )
                      break
                    case 'DuplicateEventId':
                      expect(expectLeft(actual)._tag).toBe('DuplicateEventId')
                      break
                  }
                  break
                }
                case 'ReadStream': {
                  const stream = model.stream(operation.streamId)
                  const length = BigInt(stream.length)
                  const selected =
                    operation.direction === 'forwards'
                      ? stream.filter((entry) => entry.version >= (operation.fromVersion ?? 1n))
                      : stream.filter((entry) => entry.version <= (operation.fromVersion ?? length)).reverse()
                  const expected = selected.slice(0, operation.maxCount ?? selected.length)
                  const actual = await readStream(store, operation.streamId, {
                    direction: operation.direction,
                    ...(operation.fromVersion === undefined ? {} : { fromVersion: operation.fromVersion }),
                    ...(operation.maxCount === undefined ? {} : { maxCount: operation.maxCount }),
                  })
                  expect(actual.map((event) => [event.streamId, event.version, event.eventId, event.type, event.data])).toStrictEqual(
                    expected.map((entry) => [entry.streamId, entry.version, entry.event.eventId, entry.event.type, entry.event.data]),
                  )
                  break
                }
                case 'ReadAll': {
                  const afterIndex = operation.afterIndex === undefined || positions.length === 0 ? undefined : Math.min(operation.afterIndex, positions.length - 1)
                  const after = afterIndex === undefined ? undefined : positionOf(afterIndex)
                  const filter = {
                    ...(operation.streamPrefixes === undefined ? {} : { streamPrefixes: operation.streamPrefixes }),
                    ...(operation.eventTypes === undefined ? {} : { eventTypes: operation.eventTypes }),
                  }
                  const start = afterIndex === undefined ? 0 : afterIndex + 1
                  const matched = model.log
                    .map((entry, index) => ({ entry, index }))
                    .slice(start)
                    .filter(
                      ({ entry }) =>
                        (operation.streamPrefixes === undefined || operation.streamPrefixes.some((prefix) => entry.streamId.startsWith(prefix))) &&
                        (operation.eventTypes === undefined || operation.eventTypes.includes(entry.event.type)),
                    )
                  const returned = matched.slice(0, operation.maxCount)
                  const lastReturned = returned.at(-1)
                  const full = returned.length === operation.maxCount && lastReturned !== undefined
                  const checkpoint = full ? positionOf(lastReturned.index) : (positions.at(-1) ?? after)
                  const actual = expectRight(await store.readAll({ maxCount: operation.maxCount, ...(after === undefined ? {} : { after }), filter })())
                  expect({ ids: ids(actual.events), checkpoint: actual.checkpoint, isEnd: actual.isEnd, head: actual.head }).toStrictEqual({
                    ids: returned.map(({ entry }) => entry.event.eventId),
                    checkpoint,
                    isEnd: !full || lastReturned.index === model.log.length - 1,
                    // The head of the log, whatever the filter: what headPosition gives.
                    head: positions.at(-1),
                  })
                  break
                }
              }
            }
          }),
          { numRuns: 60 },
        )
      })
    })

    describe('concurrent writers', () => {
      it('with expected versions: every success gets its own versions, every failure is WrongExpectedVersion, nothing is lost', async () => {
        const connection = await writers(4)
        const streams = ['capital-a-2025', 'loan-1', 'loan-2']
        const successes: Array<{ readonly streamId: string; readonly firstVersion: bigint; readonly events: ReadonlyArray<NewEvent> }> = []
        const failures: Array<EventStoreError> = []
        await Promise.all(
          Array.from({ length: 8 }, async (_, writerIndex) => {
            const store = connection(writerIndex)
            for (let attempt = 0; attempt < 12; attempt++) {
              const streamId = streams[(writerIndex + attempt) % streams.length] ?? 'loan-1'
              const [last] = await readStream(store, streamId, { direction: 'backwards', maxCount: 1 })
              const version = last?.version ?? 0n
              const events = Array.from({ length: 1 + (attempt % 2) }, () => newEvent({ data: { writerIndex, attempt } }))
              const result = await append(store, streamId, exactly(version), events)
              if (E.isRight(result)) {
                expect(result.right.nextExpectedVersion).toBe(version + BigInt(events.length))
                successes.push({ streamId, firstVersion: version + 1n, events })
              } else failures.push(result.left)
            }
          }),
        )
        expect(failures.every((failure) => failure._tag === 'WrongExpectedVersion')).toBe(true)
        const reader = connection(0)
        for (const streamId of streams) {
          const stored = await readStream(reader, streamId)
          const expected = successes
            .filter((success) => success.streamId === streamId)
            .sort((left, right) => (left.firstVersion < right.firstVersion ? -1 : 1))
            .flatMap((success) => success.events)
          expect(ids(stored)).toStrictEqual(ids(expected))
          expect(versions(stored)).toStrictEqual(stored.map((_, index) => BigInt(index + 1)))
        }
        const everything = await readAllPages(reader, { pageSize: 50 })
        expect(new Set(ids(everything)).size).toBe(everything.length)
        expect(everything).toHaveLength(successes.reduce((total, success) => total + success.events.length, 0))
        expect(isStrictlyIncreasing(everything.map((event) => event.position))).toBe(true)
      })

      it('with Any: every append succeeds and the stream holds every event once', async () => {
        const connection = await writers(4)
        const appended = await Promise.all(
          Array.from({ length: 40 }, async (_, index) => {
            const events = [newEvent(), newEvent()]
            expectRight(await append(connection(index), 'loan-1', anyVersion, events))
            return events
          }),
        )
        const stored = await readStream(connection(0), 'loan-1')
        expect(new Set(ids(stored))).toStrictEqual(new Set(ids(appended.flat())))
        expect(versions(stored)).toStrictEqual(stored.map((_, index) => BigInt(index + 1)))
      })

      it('only one of many NoStream appends to the same new stream wins', async () => {
        const connection = await writers(4)
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, index) => append(connection(index), 'loan-new', noStream, [newEvent()])),
        )
        expect(results.filter(E.isRight)).toHaveLength(1)
        expect(results.flatMap((result) => (E.isLeft(result) ? [result.left._tag] : []))).toStrictEqual(Array.from({ length: 11 }, () => 'WrongExpectedVersion'))
      })

      it('the same append sent concurrently many times is written once, and every attempt succeeds', async () => {
        const connection = await writers(4)
        const events = [newEvent(), newEvent()]
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, index) => append(connection(index), 'loan-1', noStream, events)),
        )
        const written = results.map((result) => expectRight(result))
        expect(written.filter((result) => result.written)).toHaveLength(1)
        expect(new Set(written.map((result) => result.nextExpectedVersion))).toStrictEqual(new Set([2n]))
        expect(ids(await readStream(connection(0), 'loan-1'))).toStrictEqual(ids(events))
      })
    })

    describeHandlingContract({ open: () => open(), writers, append })

    describe('a closed store', () => {
      it('reports every operation as unavailable, with the cause', async () => {
        const store = await open()
        await store.close()
        const unavailable = { _tag: 'EventStoreUnavailable', cause: expect.anything() }
        expect(expectLeft(await append(store, 'loan-1', anyVersion, [newEvent()]))).toMatchObject(unavailable)
        expect(expectLeft(await store.readStream('loan-1')())).toMatchObject(unavailable)
        expect(expectLeft(await store.readAll({ maxCount: 1 })())).toMatchObject(unavailable)
        expect(expectLeft(await store.headPosition()())).toMatchObject(unavailable)
      })
    })
  })
}
