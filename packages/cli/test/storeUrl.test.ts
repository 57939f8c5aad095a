import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { parseStoreUrl, readModelLocation, type StoreLocation } from '../src/storeUrl.ts'

const sqlitePath = fc.string({ minLength: 1 }).filter((path) => !path.startsWith('//') && path !== ':memory:')

describe('store URLs', () => {
  it('parses the default, memory, PostgreSQL and EventStoreDB URLs', () => {
    expect(parseStoreUrl('sqlite:./policy-credit.db')).toStrictEqual(E.right({ _tag: 'Sqlite', filename: './policy-credit.db' }))
    expect(parseStoreUrl('memory:')).toStrictEqual(E.right({ _tag: 'Memory' }))
    expect(parseStoreUrl('postgres://u:p@db:5432/credit')).toStrictEqual(E.right({ _tag: 'Postgres', connectionString: 'postgres://u:p@db:5432/credit' }))
    expect(parseStoreUrl('esdb://node1:2113?tls=false')).toStrictEqual(E.right({ _tag: 'EventStoreDb', connectionString: 'esdb://node1:2113?tls=false' }))
    expect(parseStoreUrl('esdb+discover://cluster:2113')).toStrictEqual(E.right({ _tag: 'EventStoreDb', connectionString: 'esdb+discover://cluster:2113' }))
  })

  test.prop([sqlitePath])('any sqlite: path names that file, unchanged', (path) => {
    expect(parseStoreUrl(`sqlite:${path}`)).toStrictEqual(E.right({ _tag: 'Sqlite', filename: path }))
  })

  test.prop([fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/)])('the schema parameter is taken out of the PostgreSQL connection string', (schema) => {
    const parsed = parseStoreUrl(`postgresql://postgres@127.0.0.1:5432/test?schema=${schema}&application_name=cli`)
    expect(parsed).toStrictEqual(
      E.right({ _tag: 'Postgres', connectionString: 'postgresql://postgres@127.0.0.1:5432/test?application_name=cli', schema }),
    )
  })

  it.each(['sqlite:', 'sqlite://host/file.db', 'sqlite::memory:', 'mysql://db/x', 'policy-credit.db', 'postgres://?schema=a', 'postgres://h/db?schema=Drop;'])(
    'refuses %s with a message',
    (url) => {
      const parsed = parseStoreUrl(url)
      expect(E.isLeft(parsed) && parsed.left.length > 10).toBe(true)
    },
  )
})

describe('where read models go', () => {
  const sqlite: StoreLocation = { _tag: 'Sqlite', filename: 'a.db' }
  const esdb: StoreLocation = { _tag: 'EventStoreDb', connectionString: 'esdb://x:2113' }
  const postgres: StoreLocation = { _tag: 'Postgres', connectionString: 'postgres://h/db' }

  it('beside the events by default: the same SQLite file, the same memory, the same PostgreSQL database', () => {
    expect(readModelLocation(sqlite, undefined)).toStrictEqual(E.right(sqlite))
    expect(readModelLocation({ _tag: 'Memory' }, undefined)).toStrictEqual(E.right({ _tag: 'Memory' }))
    expect(readModelLocation(postgres, undefined)).toStrictEqual(E.right(postgres))
  })

  it('in their own schema beside an events schema named in the URL', () => {
    expect(readModelLocation({ ...postgres, schema: 'town' }, undefined)).toStrictEqual(E.right({ ...postgres, schema: 'town_read_models' }))
  })

  it('must be named, and durable, when the events are in EventStoreDB', () => {
    expect(E.isLeft(readModelLocation(esdb, undefined))).toBe(true)
    expect(E.isLeft(readModelLocation(esdb, { _tag: 'Memory' }))).toBe(true)
    expect(readModelLocation(esdb, sqlite)).toStrictEqual(E.right(sqlite))
    expect(readModelLocation(esdb, postgres)).toStrictEqual(E.right(postgres))
  })

  it('never in EventStoreDB', () => {
    expect(E.isLeft(readModelLocation(sqlite, esdb))).toBe(true)
  })
})

describe('business day', () => {
  it('is the calendar day in Vietnam, seven hours ahead of UTC', async () => {
    const { todayInVietnam } = await import('../src/businessDay.ts')
    expect(todayInVietnam(new Date('2022-06-30T16:59:59Z'))).toBe('2022-06-30')
    expect(todayInVietnam(new Date('2022-06-30T17:00:00Z'))).toBe('2022-07-01')
  })
})
