/**
 * Both report projections with the events in one PostgreSQL database and the read models in another
 * (a database created for the test, `pc_rm_<random>`, dropped after): the checkpoint is the event
 * store's position kept as text in the read models' database, committed with the documents. The
 * result equals the pure in-memory fold of the whole log.
 */
import { afterEach, describe, expect, it } from 'vitest'
import pg from 'pg'
import { postgresEventStore, postgresReadModelStore } from '@policy-credit/postgres'
import { catchUpProjection, projectionNamespace } from '@policy-credit/projections'
import { connectionString, right, useDatabase } from './support/database.ts'
import { appendDomainStreams, domainStreams } from './support/domainSeed.ts'
import { foldedDocuments, readEverything, storedDocuments } from './support/readModels.ts'
import { reportingProjections } from './support/reportingProjections.ts'

const database = useDatabase()
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const schemaExists = async (pool: pg.Pool, schema: string): Promise<boolean> =>
  (await pool.query<{ readonly found: boolean }>('SELECT to_regnamespace($1) IS NOT NULL AS found', [schema])).rows[0]?.found === true

describe('report projections with events and read models in two PostgreSQL databases', () => {
  it('build, in two catch-ups with different batch sizes, the documents of the in-memory fold', async () => {
    const eventSchema = database.schema()
    const events = right(await postgresEventStore({ connectionString, schema: eventSchema })())
    closers.push(() => events.close())
    const readModelDatabase = await database.database()
    const readModelSchema = database.schema()
    const readModels = right(await postgresReadModelStore({ connectionString: readModelDatabase, schema: readModelSchema })())
    closers.push(() => readModels.close())
    const readModelPool = new pg.Pool({ connectionString: readModelDatabase, max: 1 })
    closers.push(() => readModelPool.end())

    const streams = domainStreams(150, 100, 7_001)
    const firstHalf = Math.floor(streams.length / 2)
    await appendDomainStreams(events, streams.slice(0, firstHalf))
    for (const projection of reportingProjections) right(await catchUpProjection({ eventStore: events, readModelStore: readModels, projection }, { batchSize: 13 })())
    await appendDomainStreams(events, streams.slice(firstHalf))
    for (const projection of reportingProjections) right(await catchUpProjection({ eventStore: events, readModelStore: readModels, projection }, { batchSize: 250 })())

    const log = await readEverything(events)
    expect(log.length).toBe(streams.reduce((count, stream) => count + stream.events.length, 0))
    for (const projection of reportingProjections) {
      const documents = await storedDocuments(readModels, projection)
      expect(documents.length).toBeGreaterThan(0)
      expect(documents).toStrictEqual(foldedDocuments(projection, log))
      // The checkpoint, an event-store position, is in the read models' database.
      const checkpoint = right(await readModels.readCheckpoint(projectionNamespace(projection))())
      expect(checkpoint !== undefined && checkpoint >= (log.at(-1)?.position ?? '')).toBe(true)
    }
    // Each database holds only its own part.
    expect(await schemaExists(readModelPool, readModelSchema)).toBe(true)
    expect(await schemaExists(readModelPool, eventSchema)).toBe(false)
    expect(await schemaExists(database.pool, readModelSchema)).toBe(false)
    expect(await schemaExists(database.pool, eventSchema)).toBe(true)
  })
})
