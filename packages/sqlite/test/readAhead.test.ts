import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { noStream } from '@policy-credit/event-store'
import { expectRight, newEvent } from '@policy-credit/event-store/testing'
import { readAheadOn, type PageStatement, type RawRow, type ReadAhead } from '../src/readAhead.ts'
import { openEventStore, rawConnection, temporaryDirectory } from './fixtures.ts'

const files = temporaryDirectory()
const TYPES = ['A', 'B', 'C'] as const
const SQL = 'SELECT position, stream_id, type, data FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?'

/** A file holding `count` events of random types, in streams of ten. */
const fileWith = async (types: ReadonlyArray<(typeof TYPES)[number]>) => {
  const filename = files.newFile('read-ahead')
  const store = await openEventStore({ filename, readAhead: false })
  await appendTyped(store, types, 0)
  return { filename, store }
}

const appendTyped = async (store: Awaited<ReturnType<typeof openEventStore>>, types: ReadonlyArray<string>, first: number) => {
  const appends = []
  for (let at = 0; at < types.length; at += 10)
    appends.push({ streamId: `s-${first + at}`, expected: noStream, events: types.slice(at, at + 10).map((type) => newEvent({ type, data: { at: first + at } })) })
  if (appends.length > 0) expectRight(await store.appendMany(appends)())
}

/**
 * Reads every page as the store does: what the read-ahead hands over, else its own read, telling the
 * read-ahead of each full page it read itself. `between` runs before each page.
 */
const readAllThrough = async (filename: string, readAhead: ReadAhead, statement: PageStatement, between: (page: number) => Promise<void> = async () => {}) => {
  const connection = rawConnection(filename)
  const own = connection.prepare(statement.sql).raw(true)
  const head = connection.prepare('SELECT max(position) FROM events').pluck()
  const rows: Array<RawRow> = []
  let after = 0
  try {
    for (let page = 0; ; page++) {
      await between(page)
      const ahead = await readAhead.take(statement, after)
      const read = ahead?.rows ?? (own.all(after, ...statement.filterParameters, statement.pageSize) as Array<RawRow>)
      if (ahead !== undefined) expect(ahead.head).toBeGreaterThan(read.at(-1)?.[0] as number)
      rows.push(...read)
      const last = read.at(-1)?.[0] as number | undefined
      if (read.length < statement.pageSize || last === undefined) return rows
      if (ahead === undefined && last !== head.get()) readAhead.readBy(statement, after, last)
      after = last
    }
  } finally {
    connection.close()
  }
}

const readPlainly = (filename: string, statement: PageStatement): ReadonlyArray<RawRow> => {
  const connection = rawConnection(filename)
  const rows = connection.prepare(SQL.replace(' LIMIT ?', '')).raw(true).all(0, ...statement.filterParameters) as Array<RawRow>
  connection.close()
  return rows
}

describe('reading ahead on a worker thread', () => {
  it('hands over the pages a reader would read itself, in order, from the second full page on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...TYPES), { minLength: 300, maxLength: 1_500 }),
        fc.subarray([...TYPES], { minLength: 1 }),
        fc.integer({ min: 100, max: 250 }),
        async (types, followed, pageSize) => {
          const { filename, store } = await fileWith(types)
          const readAhead = readAheadOn(filename)
          const statement = { sql: SQL, filterParameters: [JSON.stringify(followed)], pageSize }
          const rows = await readAllThrough(filename, readAhead, statement)
          expect(rows).toStrictEqual(readPlainly(filename, statement))
          // The reader reads the first two full pages, and any that ends at the head; the worker every other full page.
          const head = types.length
          const fullPageEnds = Array.from({ length: Math.floor(rows.length / pageSize) }, (_, page) => rows[(page + 1) * pageSize - 1]?.[0] as number)
          expect(readAhead.served()).toBe(fullPageEnds.slice(2).filter((end) => end < head).length)
          await readAhead.close()
          await store.close()
        },
      ),
      { numRuns: 10 },
    )
  })

  it('misses no event appended while it reads: the page at the end of the log is the reader’s own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 400 }), async (appendBeforePage, appended) => {
        const { filename, store } = await fileWith(Array.from({ length: 1_200 }, (_, at) => TYPES[at % 3] as string as (typeof TYPES)[number]))
        const readAhead = readAheadOn(filename)
        const statement = { sql: SQL, filterParameters: [JSON.stringify(TYPES)], pageSize: 100 }
        const rows = await readAllThrough(filename, readAhead, statement, async (page) => {
          if (page === appendBeforePage) await appendTyped(store, Array.from({ length: appended }, () => 'A'), 10_000)
        })
        expect(rows).toStrictEqual(readPlainly(filename, statement))
        expect(rows).toHaveLength(1_200 + appended)
        await readAhead.close()
        await store.close()
      }),
      { numRuns: 8 },
    )
  })

  it('lets the reader read a page holding a blob (a hand-edited file) itself, which a thread would hand over as another kind of array', async () => {
    const { filename, store } = await fileWith(Array.from({ length: 1_000 }, () => 'A' as const))
    const connection = rawConnection(filename)
    connection
      .prepare(`INSERT INTO events (stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version) VALUES ('edited', 1, 'edited', 'A', X'7B2261223A317D', '2025-01-01', '2025-01-01T00:00:00.000Z', 1)`)
      .run()
    connection.close()
    await appendTyped(store, Array.from({ length: 500 }, () => 'A'), 20_000)
    const readAhead = readAheadOn(filename)
    const statement = { sql: SQL, filterParameters: [JSON.stringify(['A'])], pageSize: 100 }
    const rows = await readAllThrough(filename, readAhead, statement)
    expect(rows).toStrictEqual(readPlainly(filename, statement))
    expect(Buffer.isBuffer(rows[1_000]?.[3])).toBe(true)
    // Pages 3 to 10 and 13 to 15 from the worker; the eleventh, with the blob, and the twelfth (a second in a row again) read by the reader.
    expect(readAhead.served()).toBe(11)
    await readAhead.close()
    await store.close()
  })

  it('follows each of two readers of one statement, lets a reader that jumps read for itself, and never leaves one waiting', async () => {
    const { filename, store } = await fileWith(Array.from({ length: 1_000 }, () => 'A' as const))
    const statement = { sql: SQL, filterParameters: [JSON.stringify(['A'])], pageSize: 100 }
    const positions = (page: Awaited<ReturnType<ReadAhead['take']>>) => page?.rows.map((row) => row[0])
    const from = (first: number) => Array.from({ length: 100 }, (_, at) => first + at)
    const readAhead = readAheadOn(filename)
    // Two readers, each past its second full page: one at 200, one at 600.
    readAhead.readBy(statement, 0, 100)
    readAhead.readBy(statement, 100, 200)
    readAhead.readBy(statement, 400, 500)
    readAhead.readBy(statement, 500, 600)
    // Nothing is read ahead where no reader left off.
    expect(await readAhead.take(statement, 300)).toBeUndefined()
    expect(positions(await readAhead.take(statement, 600))).toStrictEqual(from(601))
    expect(positions(await readAhead.take(statement, 200))).toStrictEqual(from(201))
    expect(positions(await readAhead.take(statement, 700))).toStrictEqual(from(701))
    expect(positions(await readAhead.take(statement, 300))).toStrictEqual(from(301))
    expect(readAhead.served()).toBe(4)
    // Nine readers more: beyond eight streams the least recently used go (the two readers above, at 800 and 400).
    for (let reader = 0; reader < 9; reader++) {
      readAhead.readBy({ ...statement, pageSize: 101 + reader }, 0, 100)
      readAhead.readBy({ ...statement, pageSize: 101 + reader }, 100, 200)
    }
    expect(await readAhead.take(statement, 400)).toBeUndefined()
    expect(await readAhead.take(statement, 800)).toBeUndefined()
    expect(positions(await readAhead.take({ ...statement, pageSize: 109 }, 200))).toStrictEqual(Array.from({ length: 109 }, (_, at) => 201 + at))
    await readAhead.close()
    expect(await readAhead.take(statement, 800)).toBeUndefined()

    const none = readAheadOn(filename, { pages: 0 })
    none.readBy(statement, 0, 100)
    none.readBy(statement, 100, 200)
    expect(await none.take(statement, 200)).toBeUndefined()
    await none.close()

    const nowhere = readAheadOn(`${filename}.missing`)
    nowhere.readBy(statement, 0, 100)
    nowhere.readBy(statement, 100, 200)
    expect(await nowhere.take(statement, 200)).toBeUndefined()
    expect(nowhere.served()).toBe(0)
    await nowhere.close()
    await store.close()
  })
})
