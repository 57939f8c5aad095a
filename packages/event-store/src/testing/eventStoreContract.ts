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
} from '../port.ts'
import { anyVersion, exactly, noStream, streamExists } from '../port.ts'
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

const versions = (events: ReadonlyArray<RecordedEvent>): ReadonlyArray<bigint> => events.map((event) => event.version)
const ids = (events: ReadonlyArray<{ readonly eventId: string }>): ReadonlyArray<string> => events.map((event) => event.eventId)

const isStrictlyIncreasing = (positions: ReadonlyArray<Position>): boolean =>
  positions.every((position, index) => index === 0 || (positions[index - 1] ?? '') < position)

export const describeEventStoreContract = (storeName: string, makeStore: MakeEventStore): void => {
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
        expect(clock.readings).toContain(recorded?.metadata.recordedAt)
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
          { numRuns: 50 },
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
        expect(expectRight(await store.headPosition()())).toBe(kept.position)
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
        expect(expectRight(await store.headPosition()())).toBe(all.events.at(-1)?.position)
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
        expect(none).toStrictEqual({ events: [], checkpoint: everything.at(-1)?.position, isEnd: true })
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

    describe('a closed store', () => {
      it('reports every operation as unavailable', async () => {
        const store = await open()
        await store.close()
        expect(expectLeft(await append(store, 'loan-1', anyVersion, [newEvent()]))._tag).toBe('EventStoreUnavailable')
        expect(expectLeft(await store.readStream('loan-1')())._tag).toBe('EventStoreUnavailable')
        expect(expectLeft(await store.readAll({ maxCount: 1 })())._tag).toBe('EventStoreUnavailable')
      })
    })
  })
}
