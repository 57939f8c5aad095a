import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { newEvent } from '@policy-credit/event-store/testing'
import { postgresEventStore, postgresReadModelStore } from '../src/index.ts'
import { appendEventsCall, connectionString, right, useDatabase } from './database.ts'

const database = useDatabase()
/** Nothing listens on port 1. */
const unreachable = 'postgres://postgres@127.0.0.1:1/test'

describe('failures as values', () => {
  it('reports an unreachable server as EventStoreUnavailable with the connection error as cause', async () => {
    const opened = await postgresEventStore({ connectionString: unreachable })()
    expect(E.isLeft(opened) && opened.left).toMatchObject({ _tag: 'EventStoreUnavailable', cause: { code: 'ECONNREFUSED' } })
    const readModels = await postgresReadModelStore({ connectionString: unreachable })()
    expect(E.isLeft(readModels) && readModels.left).toMatchObject({ _tag: 'ReadModelStoreUnavailable', cause: { code: 'ECONNREFUSED' } })
  })

  it('reports a server lost after opening as EventStoreUnavailable, not a throw', async () => {
    const pool = new pg.Pool({ connectionString })
    const store = right(await postgresEventStore({ pool, schema: database.schema() })())
    await pool.end()
    const appended = await store.appendToStream('loan-1', { _tag: 'Any' }, [newEvent()])()
    expect(E.isLeft(appended) && appended.left._tag).toBe('EventStoreUnavailable')
    await store.close()
  })

  it('refuses an event id another stream is committing at the same moment, as DuplicateEventId', async () => {
    const schema = database.schema()
    const store = right(await postgresEventStore({ connectionString, schema })())
    const event = newEvent()
    const other = await database.pool.connect()
    try {
      await other.query('BEGIN')
      const call = appendEventsCall(schema, 'loan-a', event)
      await other.query(call.text, call.values)
      // Not yet visible, so the fast path inserts, waits on the unique index, then fails when the other commits.
      const racing = store.appendToStream('loan-b', { _tag: 'Any' }, [event])()
      await new Promise((resolve) => setTimeout(resolve, 100))
      await other.query('COMMIT')
      expect(await racing).toStrictEqual(E.left({ _tag: 'DuplicateEventId', streamId: 'loan-b', eventId: event.eventId }))
      expect(right(await store.readStream('loan-b')())).toStrictEqual([])
    } finally {
      other.release()
      await store.close()
    }
  })

  it('appends to many streams in one call, all or nothing', async () => {
    const store = right(await postgresEventStore({ connectionString, schema: database.schema() })())
    try {
      const results = right(
        await store.appendMany([
          { streamId: 'loan-1', expected: { _tag: 'NoStream' }, events: [newEvent(), newEvent()] },
          { streamId: 'loan-2', expected: { _tag: 'NoStream' }, events: [newEvent()] },
          { streamId: 'loan-1', expected: { _tag: 'Exactly', version: 2n }, events: [newEvent()] },
        ])(),
      )
      expect(results.map((result) => result.nextExpectedVersion)).toStrictEqual([2n, 1n, 3n])
      expect(results.every((result) => result.written)).toBe(true)
      const refused = await store.appendMany([
        { streamId: 'loan-3', expected: { _tag: 'NoStream' }, events: [newEvent()] },
        { streamId: 'loan-2', expected: { _tag: 'NoStream' }, events: [newEvent()] },
      ])()
      expect(refused).toStrictEqual(E.left({ _tag: 'WrongExpectedVersion', streamId: 'loan-2', expected: { _tag: 'NoStream' }, actual: 1n }))
      expect(right(await store.readStream('loan-3')())).toStrictEqual([])
      const all = right(await store.readAll({ maxCount: 100 })()).events
      expect(all.map((event) => `${event.streamId}@${event.version}`)).toStrictEqual(['loan-1@1', 'loan-1@2', 'loan-2@1', 'loan-1@3'])
    } finally {
      await store.close()
    }
  })
})
