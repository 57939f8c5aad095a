import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  anyVersion,
  decodeRecorded,
  eventSchemaRegistry,
  exactly,
  noStream,
  positionFromSequence,
  validateWith,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@policy-credit/event-store'
import { collect, expectLeft, expectRight, newEvent, readAllPages, waitUntil } from '@policy-credit/event-store/testing'
import { classifySqliteError } from '../src/errors.ts'
import { WAL_AUTOCHECKPOINT_PAGES } from '../src/sqliteEventStore.ts'
import { openEventStore, rawConnection, temporaryDirectory } from './fixtures.ts'

const files = temporaryDirectory()
const ids = (events: ReadonlyArray<{ readonly eventId: string }>) => events.map((event) => event.eventId)

describe('the SQLite event store', () => {
  it('keeps its events when the file is closed and reopened, and carries on the versions and the global order', async () => {
    const filename = files.newFile()
    const first = await openEventStore({ filename })
    const written = [newEvent(), newEvent()]
    expectRight(await first.appendToStream('loan-1', noStream, written)())
    const before = await readAllPages(first, { pageSize: 10 })
    await first.close()
    const reopened = await openEventStore({ filename })
    expect(await readAllPages(reopened, { pageSize: 10 })).toStrictEqual(before)
    const next = expectRight(await reopened.appendToStream('loan-1', exactly(2n), [newEvent()])())
    expect(next.nextExpectedVersion).toBe(3n)
    expect(next.position > (before.at(-1)?.position ?? '')).toBe(true)
    await reopened.close()
  })

  it('stores the metadata in columns an auditor can query with plain SQL', async () => {
    const filename = files.newFile()
    const store = await openEventStore({ filename, clock: () => new Date('2025-07-01T02:03:04.000Z') })
    const event = newEvent({ type: 'LoanDisbursed', data: { amount: '30000000' }, metadata: { occurredOn: '2025-06-30', actor: 'officer-7', correlationId: 'import-2025-07', schemaVersion: 2 } })
    expectRight(await store.appendToStream('loan-LN-1', noStream, [event])())
    await store.close()
    const database = rawConnection(filename)
    expect(
      database
        .prepare(`SELECT stream_id, version, event_id, type, json_extract(data, '$.amount') AS amount, occurred_on, recorded_at, schema_version, correlation_id, causation_id, actor FROM events`)
        .all(),
    ).toStrictEqual([
      {
        stream_id: 'loan-LN-1',
        version: 1,
        event_id: event.eventId,
        type: 'LoanDisbursed',
        amount: '30000000',
        occurred_on: '2025-06-30',
        recorded_at: '2025-07-01T02:03:04.000Z',
        schema_version: 2,
        correlation_id: 'import-2025-07',
        causation_id: null,
        actor: 'officer-7',
      },
    ])
    database.close()
  })

  it('refuses to UPDATE or DELETE a stored event, even through another connection', async () => {
    const filename = files.newFile()
    const store = await openEventStore({ filename })
    expectRight(await store.appendToStream('loan-1', noStream, [newEvent({ data: { amount: '5' } })])())
    const database = rawConnection(filename)
    for (const statement of [`UPDATE events SET data = '{"amount":"6"}'`, 'DELETE FROM events']) {
      const attempt = (): unknown => database.prepare(statement).run()
      expect(attempt).toThrow(/append-only/)
      try {
        attempt()
      } catch (cause) {
        expect(classifySqliteError(cause)._tag).toBe('EventsAreAppendOnly')
      }
    }
    database.close()
    expect(expectRight(await store.readStream('loan-1')()).map((event) => event.data)).toStrictEqual([{ amount: '5' }])
    await store.close()
  })

  it('reports a stored row whose data is not JSON as InvalidStoredEvent, on every read path, and reads on past it', async () => {
    const filename = files.newFile()
    const store = await openEventStore({ filename })
    expectRight(await store.appendToStream('loan-1', noStream, [newEvent()])())
    // What a hand edit of the file could leave behind: the triggers refuse UPDATE, not a forged INSERT.
    const database = rawConnection(filename)
    const forged = database
      .prepare(`INSERT INTO events (stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version) VALUES ('loan-1', 2, 'forged', 'LoanDisbursed', '{"amount": 5', '2025-01-01', '2025-01-01T00:00:00.000Z', 1)`)
      .run()
    database.close()
    const corrupt = { _tag: 'InvalidStoredEvent', streamId: 'loan-1', version: 2n, position: `${forged.lastInsertRowid}`.padStart(20, '0'), type: 'LoanDisbursed' }
    expect(expectLeft(await store.readStream('loan-1')())).toMatchObject(corrupt)
    expect(expectLeft(await store.readAll({ maxCount: 10 })())).toMatchObject(corrupt)
    const received = collect(store.subscribeToAll())
    await received.ended
    expect(received.messages.at(-1)).toMatchObject({ _tag: 'Failed', error: corrupt })
    const later = newEvent()
    expectRight(await store.appendToStream('loan-1', exactly(2n), [later])())
    expect(ids(expectRight(await store.readAll({ maxCount: 10, after: corrupt.position as Position })()).events)).toStrictEqual([later.eventId])
    await store.close()
  })

  it('lets the schema layer report a stored event edited into the wrong shape as InvalidStoredEvent', async () => {
    interface LoanDisbursed {
      readonly type: 'LoanDisbursed'
      readonly data: { readonly amount: string }
    }
    const registry = eventSchemaRegistry<LoanDisbursed>([
      {
        type: 'LoanDisbursed',
        currentVersion: 1,
        decode: ({ data }) =>
          typeof data === 'object' && data !== null && 'amount' in data && typeof data.amount === 'string'
            ? E.right({ type: 'LoanDisbursed', data: { amount: data.amount } })
            : E.left('amount is not a decimal string'),
        encode: (event) => event,
      },
    ])
    const filename = files.newFile()
    const store = await openEventStore({ filename, validate: validateWith(registry) })
    expect(expectLeft(await store.appendToStream('loan-1', noStream, [newEvent({ type: 'LoanDisbursed', data: { amount: 5 } })])())._tag).toBe('InvalidEvent')
    expectRight(await store.appendToStream('loan-1', noStream, [newEvent({ type: 'LoanDisbursed', data: { amount: '5' } })])())
    const database = rawConnection(filename)
    database
      .prepare(`INSERT INTO events (stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version) VALUES ('loan-1', 2, 'edited', 'LoanDisbursed', '{"amount": 500000000}', '2025-01-01', '2025-01-01T00:00:00.000Z', 1)`)
      .run()
    database.close()
    const decoded = expectRight(await store.readStream('loan-1')()).map(decodeRecorded(registry))
    expect(decoded.map((outcome) => (E.isRight(outcome) ? outcome.right.event.data : outcome.left))).toStrictEqual([
      { amount: '5' },
      { _tag: 'InvalidStoredEvent', streamId: 'loan-1', version: 2n, position: positionFromSequence(2n), type: 'LoanDisbursed', message: 'amount is not a decimal string' },
    ])
    await store.close()
  })

  it('loses and duplicates nothing when writers on two connections race for one stream with optimistic retries', async () => {
    const filename = files.newFile()
    const connections = [await openEventStore({ filename }), await openEventStore({ filename })]
    const conflicts: Array<string> = []
    const writer = async (store: EventStore, writerIndex: number): Promise<ReadonlyArray<string>> => {
      const mine: Array<string> = []
      for (let count = 0; count < 15; count++) {
        const event = newEvent({ data: { writerIndex, count } })
        for (;;) {
          const version = BigInt(expectRight(await store.readStream('capital-C01-2025', { direction: 'backwards', maxCount: 1 })())[0]?.version ?? 0n)
          await new Promise((resolve) => setImmediate(resolve))
          const appended = await store.appendToStream('capital-C01-2025', exactly(version), [event])()
          if (E.isRight(appended)) break
          conflicts.push(appended.left._tag)
        }
        mine.push(event.eventId)
      }
      return mine
    }
    const written = await Promise.all([0, 1, 2, 3].map((writerIndex) => writer(connections[writerIndex % 2] as EventStore, writerIndex)))
    const stream = expectRight(await (connections[0] as EventStore).readStream('capital-C01-2025')())
    expect(stream.map((event) => event.version)).toStrictEqual(Array.from({ length: 60 }, (_, index) => BigInt(index + 1)))
    expect(new Set(ids(stream))).toStrictEqual(new Set(written.flat()))
    expect(conflicts.length).toBeGreaterThan(0)
    expect(new Set(conflicts)).toStrictEqual(new Set(['WrongExpectedVersion']))
    await Promise.all(connections.map((store) => store.close()))
  })

  it("waits for another process's write lock, and reports a lock held past busy_timeout as unavailable", async () => {
    const filename = files.newFile()
    const patient = await openEventStore({ filename, busyTimeoutMilliseconds: 10_000 })
    const impatient = await openEventStore({ filename, busyTimeoutMilliseconds: 50 })
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const script = `
      const Database = require(process.argv[1])
      const database = new Database(process.argv[2])
      database.exec('BEGIN IMMEDIATE')
      console.log('locked')
      setTimeout(() => { database.exec('COMMIT'); database.close() }, 1500)`
    const child = spawn(process.execPath, ['-e', script, driver, filename], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    const refused = expectLeft(await impatient.appendToStream('loan-1', anyVersion, [newEvent()])())
    expect(refused).toMatchObject({ _tag: 'EventStoreUnavailable', cause: { code: 'SQLITE_BUSY' } })
    const started = Date.now()
    expect(expectRight(await patient.appendToStream('loan-1', anyVersion, [newEvent()])()).nextExpectedVersion).toBe(1n)
    expect(Date.now() - started).toBeGreaterThan(100)
    await new Promise((resolve) => child.once('exit', resolve))
    await Promise.all([patient.close(), impatient.close()])
  })

  it('delivers live events appended behind its back, by another program, through polling', async () => {
    const filename = files.newFile()
    const store = await openEventStore({ filename, pollIntervalMilliseconds: 20 })
    const received = collect(store.subscribeToAll())
    await waitUntil(() => received.messages.some((message) => message._tag === 'CaughtUp'))
    const database = rawConnection(filename)
    database
      .prepare(`INSERT INTO events (stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version) VALUES ('loan-9', 1, 'from-elsewhere', 'LoanApproved', '{}', '2025-01-01', '2025-01-01T00:00:00.000Z', 1)`)
      .run()
    database.close()
    await waitUntil(() => received.messages.some((message) => message._tag === 'Event'))
    await store.close()
    await received.ended
    expect(received.messages.map((message) => (message._tag === 'Event' ? message.event.eventId : message._tag))).toStrictEqual(['CaughtUp', 'from-elsewhere'])
  })
})

describe('appendMany, the bulk path', () => {
  const streamAppends = fc.array(fc.record({ stream: fc.nat({ max: 5 }), count: fc.integer({ min: 1, max: 130 }) }), { minLength: 1, maxLength: 8 })

  it('writes like the same appends one by one: versions, positions of each last event, global order', async () => {
    await fc.assert(
      fc.asyncProperty(streamAppends, async (shape) => {
        const store = await openEventStore({ filename: files.newFile('bulk') })
        try {
          const appends = shape.map(({ stream, count }) => ({ streamId: `household-${stream}`, expected: anyVersion, events: Array.from({ length: count }, () => newEvent()) }))
          const results = expectRight(await store.appendMany(appends)())
          const everything: ReadonlyArray<RecordedEvent> = await readAllPages(store, { pageSize: 500 })
          expect(ids(everything)).toStrictEqual(appends.flatMap((append) => ids(append.events)))
          const byId = new Map(everything.map((event) => [event.eventId, event]))
          results.forEach((result, index) => {
            const last = byId.get(appends[index]?.events.at(-1)?.eventId ?? '')
            expect(result).toStrictEqual({ nextExpectedVersion: last?.version, position: last?.position, written: true })
          })
        } finally {
          await store.close()
        }
      }),
      { numRuns: 15 },
    )
  })

  it('writes nothing when one of its appends is refused, and says which', async () => {
    const store = await openEventStore({ filename: files.newFile('bulk') })
    expectRight(await store.appendToStream('loan-2', noStream, [newEvent()])())
    const head = expectRight(await store.headPosition()())
    const refused = await store.appendMany([
      { streamId: 'loan-1', expected: noStream, events: [newEvent()] },
      { streamId: 'loan-2', expected: noStream, events: [newEvent()] },
    ])()
    expect(refused).toStrictEqual(E.left({ _tag: 'WrongExpectedVersion', streamId: 'loan-2', expected: noStream, actual: 1n }))
    expect(expectRight(await store.headPosition()())).toBe(head)
    await store.close()
  })

  it('sees within one call what its earlier appends wrote: versions follow on, a repeat writes nothing', async () => {
    const store = await openEventStore({ filename: files.newFile('bulk') })
    const first = newEvent()
    const results = expectRight(
      await store.appendMany([
        { streamId: 'loan-1', expected: noStream, events: [first] },
        { streamId: 'loan-1', expected: exactly(1n), events: [newEvent()] },
        { streamId: 'loan-1', expected: noStream, events: [first] },
      ])(),
    )
    expect(results.map((result) => [result.nextExpectedVersion, result.written])).toStrictEqual([[1n, true], [2n, true], [1n, false]])
    expect(results[2]?.position).toBe(results[0]?.position)
    await store.close()
  })

  it('leaves a few thousand events in the write-ahead log after their commit: a checkpoint waits for WAL_AUTOCHECKPOINT_PAGES', async () => {
    const filename = files.newFile('bulk')
    const store = await openEventStore({ filename })
    // About 1,500 pages of 4 KiB: past SQLite's default of 1,000, which would copy them into the file at the commit.
    const events = Array.from({ length: 1_500 }, () => newEvent({ data: { note: 'x'.repeat(4_000) } }))
    expectRight(await store.appendMany([{ streamId: 'import-1', expected: noStream, events }])())
    const pageSize = 4_096
    expect(statSync(`${filename}-wal`).size).toBeGreaterThan(1_000 * pageSize)
    expect(statSync(filename).size).toBeLessThan(100 * pageSize)
    expect(WAL_AUTOCHECKPOINT_PAGES).toBeGreaterThan(1_500)
    await store.close()
  })

  it('refuses an empty list', async () => {
    const store = await openEventStore({ filename: files.newFile('bulk') })
    expect(expectLeft(await store.appendMany([])())._tag).toBe('InvalidRequest')
    await store.close()
  })
})

describe('reading ahead (readAhead.ts), through the store', () => {
  const logs = fc.record({
    types: fc.array(fc.constantFrom('A', 'B', 'C'), { minLength: 250, maxLength: 1_200 }),
    filter: fc.oneof(
      fc.constant(undefined),
      fc.record({ eventTypes: fc.subarray(['A', 'B', 'C'], { minLength: 1 }) }),
      fc.record({ streamPrefixes: fc.constant(['odd-']) }),
    ),
    pageSize: fc.integer({ min: 100, max: 200 }),
    appendAtPage: fc.integer({ min: 0, max: 8 }),
    appended: fc.integer({ min: 1, max: 300 }),
  })

  it('reads page by page exactly what a store reading on its own thread reads, appends made meanwhile included', async () => {
    await fc.assert(
      fc.asyncProperty(logs, async ({ types, filter, pageSize, appendAtPage, appended }) => {
        const filename = files.newFile('ahead')
        const store = await openEventStore({ filename })
        const alone = await openEventStore({ filename, readAhead: false })
        try {
          const appends = []
          for (let at = 0; at < types.length; at += 10)
            appends.push({ streamId: `${at % 20 === 0 ? 'even' : 'odd'}-${at}`, expected: noStream, events: types.slice(at, at + 10).map((type) => newEvent({ type })) })
          expectRight(await alone.appendMany(appends)())
          const read: Array<RecordedEvent> = []
          let after: Position | undefined
          let fullPagesBeforeTheHead = 0
          for (let page = 0; ; page++) {
            if (page === appendAtPage)
              expectRight(await alone.appendToStream('odd-late', noStream, Array.from({ length: appended }, (_, at) => newEvent({ type: ['A', 'B', 'C'][at % 3] as string })))())
            const result = expectRight(await store.readAll({ maxCount: pageSize, ...(after === undefined ? {} : { after }), ...(filter === undefined ? {} : { filter }) })())
            const same = expectRight(await alone.readAll({ maxCount: pageSize, ...(after === undefined ? {} : { after }), ...(filter === undefined ? {} : { filter }) })())
            expect(result).toStrictEqual(same)
            if (result.events.length === pageSize && result.events.at(-1)?.position !== result.head) fullPagesBeforeTheHead += 1
            read.push(...result.events)
            if (result.isEnd) break
            after = result.checkpoint
          }
          expect(read).toStrictEqual(await readAllPages(alone, { pageSize: 10_000, ...(filter === undefined ? {} : { filter }) }))
          // From the third full page on, the worker read them. An append can cost the reader two pages more: the
          // page read ahead as the end of the log, full once the append landed, and the next (a second in a row).
          expect(store.pagesReadAhead()).toBeGreaterThanOrEqual(fullPagesBeforeTheHead - 4)
          if (fullPagesBeforeTheHead >= 5) expect(store.pagesReadAhead()).toBeGreaterThan(0)
          expect(alone.pagesReadAhead()).toBe(0)
        } finally {
          await store.close()
          await alone.close()
        }
      }),
      { numRuns: 12 },
    )
  })

  it('reports a row whose data is not JSON in a page read ahead as it would in its own read', async () => {
    const filename = files.newFile('ahead')
    const store = await openEventStore({ filename })
    expectRight(await store.appendToStream('loan-1', noStream, Array.from({ length: 700 }, () => newEvent()))())
    const database = rawConnection(filename)
    const forged = database
      .prepare(`INSERT INTO events (stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version) VALUES ('loan-1', 701, 'forged', 'LoanDisbursed', '{"amount": 5', '2025-01-01', '2025-01-01T00:00:00.000Z', 1)`)
      .run()
    database.close()
    expectRight(await store.appendToStream('loan-1', exactly(701n), Array.from({ length: 300 }, () => newEvent()))())
    let after: Position | undefined
    let failure: unknown
    for (let page = 0; page < 20 && failure === undefined; page++) {
      const result = await store.readAll({ maxCount: 100, ...(after === undefined ? {} : { after }) })()
      if (E.isLeft(result)) failure = result.left
      else after = result.right.checkpoint
    }
    expect(failure).toMatchObject({ _tag: 'InvalidStoredEvent', position: `${forged.lastInsertRowid}`.padStart(20, '0'), type: 'LoanDisbursed' })
    expect(after).toBe(positionFromSequence(700n))
    // Pages 3 to 8 came from the worker, the failing one included.
    expect(store.pagesReadAhead()).toBe(6)
    await store.close()
  })
})
