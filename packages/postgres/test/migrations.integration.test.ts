import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { postgresEventStore, postgresReadModelStore } from '../src/index.ts'
import { eventStoreMigrations } from '../src/eventStoreSchema.ts'
import { readModelMigrations } from '../src/readModelSchema.ts'
import { connectionString, right, useDatabase } from './database.ts'

const database = useDatabase()

const recorded = async (schema: string) =>
  (await database.pool.query<{ component: string; version: number }>(`SELECT component, version FROM "${schema}".migrations ORDER BY component, version`)).rows

describe('versioned migrations', () => {
  it('lets processes that start at once migrate one schema without racing: each migration runs once', async () => {
    const schema = database.schema()
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString, max: 1 }))
    try {
      const opened = await Promise.all(
        pools.flatMap((pool) => [
          postgresEventStore({ pool, schema })().then(E.map((store) => store.close)),
          postgresReadModelStore({ pool, schema })().then(E.map((store) => store.close)),
        ]),
      )
      for (const close of opened) await right<unknown, () => Promise<void>>(close)()
      expect(await recorded(schema)).toStrictEqual([
        ...eventStoreMigrations.map(({ version }) => ({ component: 'event-store', version })),
        ...readModelMigrations.map(({ version }) => ({ component: 'read-model-store', version })),
      ])
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it('applies nothing when reopened, and keeps what was stored', async () => {
    const schema = database.schema()
    await right(await postgresEventStore({ connectionString, schema })()).close()
    const before = await recorded(schema)
    await right(await postgresEventStore({ connectionString, schema })()).close()
    expect(await recorded(schema)).toStrictEqual(before)
  })

  it('refuses to open a schema migrated by a newer version of the package', async () => {
    const schema = database.schema()
    await right(await postgresEventStore({ connectionString, schema })()).close()
    await database.pool.query(`INSERT INTO "${schema}".migrations (component, version, description) VALUES ('event-store', 999, 'from the future')`)
    const opened = await postgresEventStore({ connectionString, schema })()
    expect(E.isLeft(opened) && opened.left).toMatchObject({ _tag: 'EventStoreUnavailable', cause: { code: 'PC004' } })
  })

  it('refuses a schema name that is not a plain identifier, touching nothing', async () => {
    const opened = await postgresEventStore({ connectionString, schema: 'events"; DROP TABLE x; --' })()
    expect(E.isLeft(opened) && opened.left._tag).toBe('EventStoreUnavailable')
  })
})
