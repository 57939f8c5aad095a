/**
 * The hash chain through the PostgreSQL store: recorded instants set by the server's clock and data
 * kept as `json` read back through the driver must hash the same on every read, and an edit made by
 * someone who can disable the immutability trigger must be named. Needs the server at
 * POLICY_CREDIT_POSTGRES_URL; an unreachable one fails the test, never skips it.
 */
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { fc } from '@fast-check/vitest'
import { loanLifecycle } from '@policy-credit/core/testing'
import { validateWith } from '@policy-credit/event-store'
import { postgresEventStore, type PostgresEventStore } from '@policy-credit/postgres'
import { auditedEventRegistry, sealLog, verifyLog } from '../src/index.ts'
import { expectRight, loanStreamId, recordLifecycle } from './scenario.ts'

const connectionString = process.env['POLICY_CREDIT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const pool = new pg.Pool({ connectionString, max: 2 })
const schemas: Array<string> = []
afterAll(async () => {
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await pool.end()
})

const open = async (schema: string): Promise<PostgresEventStore> => {
  const opened = await postgresEventStore({ connectionString, schema, validate: validateWith(auditedEventRegistry) })()
  if (E.isLeft(opened)) throw new Error(`could not open the PostgreSQL store: ${opened.left._tag}`)
  return opened.right
}

describe('tampering with the PostgreSQL store', () => {
  it('verifies what was sealed on every read, and names a disbursement edited behind the disabled trigger', async () => {
    const schema = `pc_audit_${randomBytes(6).toString('hex')}`
    schemas.push(schema)
    const [lifecycle] = fc.sample(loanLifecycle(6), { numRuns: 1, seed: 2022 })
    if (lifecycle === undefined) throw new Error('no sample')
    const loanStream = loanStreamId(lifecycle.commands[0]?.data.loanId ?? '')

    const store = await open(schema)
    await recordLifecycle(store, lifecycle)
    expect(expectRight(await sealLog(store, { sealedOn: '2026-06-30' })())._tag).toBe('Sealed')
    await store.close()
    const reopened = await open(schema)
    expect(expectRight(await verifyLog(reopened)())).toMatchObject({ ok: true, seals: 1, unsealedEvents: 1 })

    await pool.query(`ALTER TABLE "${schema}".events DISABLE TRIGGER events_are_immutable`)
    const edited = await pool.query<{ version: string }>(
      `UPDATE "${schema}".events SET data = json_build_object('amount', '999000000') WHERE stream_id = $1 AND type = 'LoanDisbursed' RETURNING version`,
      [loanStream],
    )
    expect(edited.rowCount).toBe(1)

    const report = expectRight(await verifyLog(reopened)())
    await reopened.close()
    expect(report.ok).toBe(false)
    expect(report.problem).toMatchObject({ _tag: 'EventAltered', event: { streamId: loanStream, type: 'LoanDisbursed', version: String(edited.rows[0]?.version) } })
  })
})
