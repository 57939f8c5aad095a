/**
 * The PostgreSQL server the integration tests use, and throwaway schemas on it. The tests connect
 * in their hooks, so an unreachable server fails them: it never skips them.
 */
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { afterAll } from 'vitest'
import type { NewEvent } from '@policy-credit/event-store'

export const connectionString = process.env['POLICY_CREDIT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export const randomName = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`

export const right = <L, A>(either: E.Either<L, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left ${JSON.stringify(either.left, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`)
  return either.right
}

/**
 * A pool for the test file's own statements, and schema names that are dropped when the file ends.
 * Call at the top level of a test file.
 */
export const useDatabase = () => {
  const pool = new pg.Pool({ connectionString, max: 4 })
  const schemas: Array<string> = []
  const roles: Array<string> = []
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    for (const role of roles) {
      await pool.query(`DROP OWNED BY "${role}"`)
      await pool.query(`DROP ROLE IF EXISTS "${role}"`)
    }
    await pool.end()
  })
  return {
    pool,
    /** A fresh schema name, dropped (with everything in it) after the file. */
    schema: (): string => {
      const name = randomName('pc_test')
      schemas.push(name)
      return name
    },
    /** A fresh role name, dropped after the file. */
    role: (): string => {
      const name = randomName('pc_role')
      roles.push(name)
      return name
    },
  }
}

/** A raw call of the store's `append_events` for one event, for tests that hold its transaction open or run it as another role. */
export const appendEventsCall = (schema: string, streamId: string, event: NewEvent) => ({
  text: `SELECT o_transaction_id, o_last_sequence FROM "${schema}".append_events(
           ARRAY[$1], ARRAY['Any'], ARRAY[NULL]::bigint[], ARRAY[1],
           ARRAY[$2], ARRAY[$3], $4::json, $5::json, now())`,
  values: [streamId, event.eventId, event.type, `[${JSON.stringify(event.data)}]`, `[${JSON.stringify(event.metadata)}]`],
})
