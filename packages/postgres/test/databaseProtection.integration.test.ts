/**
 * What the database refuses by itself, whatever the code does: changing an event, and a reporting
 * role reading anything but the read models.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { newEvent } from '@policy-credit/event-store/testing'
import { EVENT_IS_IMMUTABLE } from '../src/errors.ts'
import { createRoles, postgresEventStore, postgresReadModelStore } from '../src/index.ts'
import { appendEventsCall, connectionString, right, useDatabase } from './database.ts'

const database = useDatabase()

const failureCode = async (work: Promise<unknown>): Promise<string | undefined> =>
  work.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  )

/** A pool whose sessions act as `role` (the test's login is a superuser, so it may take any role). */
const poolAs = (role: string) => new pg.Pool({ connectionString, options: `-c role=${role}`, max: 2 })

describe('events are immutable in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of events, even from the owner, and keeps them unchanged', async () => {
    const schema = database.schema()
    const store = right(await postgresEventStore({ connectionString, schema })())
    try {
      right(await store.appendToStream('loan-1', { _tag: 'NoStream' }, [newEvent({ type: 'LoanDisbursed', data: { amount: '30000000' } })])())
      const before = right(await store.readStream('loan-1')())
      expect(await failureCode(database.pool.query(`UPDATE "${schema}".events SET data = '{"amount":"1"}'`))).toBe(EVENT_IS_IMMUTABLE)
      expect(await failureCode(database.pool.query(`DELETE FROM "${schema}".events`))).toBe(EVENT_IS_IMMUTABLE)
      expect(await failureCode(database.pool.query(`TRUNCATE "${schema}".events`))).toBe(EVENT_IS_IMMUTABLE)
      expect(right(await store.readStream('loan-1')())).toStrictEqual(before)
    } finally {
      await store.close()
    }
  })
})

describe('the writer and reporting roles', () => {
  it('lets the writer append and project, and the reporting role read only the read models', async () => {
    const eventSchema = database.schema()
    const readModelSchema = database.schema()
    const writerRole = database.role()
    const reportingRole = database.role()
    const owner = right(await postgresEventStore({ connectionString, schema: eventSchema })())
    const ownerReadModels = right(await postgresReadModelStore({ connectionString, schema: readModelSchema })())
    await owner.close()
    await ownerReadModels.close()
    expect(await createRoles(database.pool, { eventSchema, readModelSchema, writerRole, reportingRole })()).toStrictEqual(E.right(undefined))

    const writerPool = poolAs(writerRole)
    const reportingPool = poolAs(reportingRole)
    try {
      const store = right(await postgresEventStore({ pool: writerPool, schema: eventSchema })())
      const readModels = right(await postgresReadModelStore({ pool: writerPool, schema: readModelSchema })())
      const appended = right(await store.appendToStream('loan-1', { _tag: 'NoStream' }, [newEvent()])())
      const namespace = { name: 'outstanding-debt', version: 1 }
      right(await readModels.commit(namespace, { changes: [{ _tag: 'Put', id: 'commune:C01', document: { outstanding: '30000000' } }], expectedCheckpoint: undefined, checkpoint: appended.position })())
      right(await readModels.activateVersion(namespace)())
      expect(await failureCode(writerPool.query(`UPDATE "${eventSchema}".events SET type = 'Changed'`))).toBe('42501')
      expect(await failureCode(writerPool.query(`DELETE FROM "${eventSchema}".events`))).toBe('42501')

      const reported = await reportingPool.query(`SELECT projection, id, document FROM "${readModelSchema}".active_documents`)
      expect(reported.rows).toStrictEqual([{ projection: 'outstanding-debt', id: 'commune:C01', document: { outstanding: '30000000' } }])
      expect((await reportingPool.query(`SELECT count(*)::int AS n FROM "${readModelSchema}".documents`)).rows).toStrictEqual([{ n: 1 }])
      for (const refused of [
        `SELECT * FROM "${eventSchema}".events`,
        `SELECT * FROM "${readModelSchema}".checkpoints`,
        `SELECT * FROM "${readModelSchema}".skips`,
        `INSERT INTO "${readModelSchema}".documents VALUES ('x', 1, 'y', '{}')`,
        `DELETE FROM "${readModelSchema}".documents`,
      ]) {
        expect(await failureCode(reportingPool.query(refused))).toBe('42501')
      }
      const call = appendEventsCall(eventSchema, 'loan-2', newEvent())
      expect(await failureCode(reportingPool.query(call.text, call.values))).toBe('42501')
      await store.close()
      await readModels.close()
    } finally {
      await writerPool.end()
      await reportingPool.end()
    }
  })
})
