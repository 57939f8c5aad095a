/**
 * The PostgreSQL server of the integration tests (POLICY_CREDIT_POSTGRES_URL, as in @policy-credit/postgres),
 * throwaway schemas and databases dropped when the file ends. The tests connect in their hooks, so an
 * unreachable server fails them rather than skipping them.
 */
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { afterAll } from 'vitest'

export const connectionString = process.env['POLICY_CREDIT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export const randomName = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`

/** The same server, another database. */
export const connectionStringFor = (database: string): string => {
  const url = new URL(connectionString)
  url.pathname = `/${database}`
  return url.toString()
}

export const right = <L, A>(either: E.Either<L, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left ${JSON.stringify(either.left, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`)
  return either.right
}

/** Call at the top level of a test file: schemas and databases it names are dropped after the file. */
export const useDatabase = () => {
  const pool = new pg.Pool({ connectionString, max: 2 })
  const schemas: Array<string> = []
  const databases: Array<string> = []
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    for (const database of databases) await pool.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    await pool.end()
  })
  return {
    pool,
    schema: (): string => {
      const name = randomName('pc_job')
      schemas.push(name)
      return name
    },
    /** Creates a database on the same server; returns its connection string. */
    database: async (): Promise<string> => {
      const name = randomName('pc_rm')
      databases.push(name)
      await pool.query(`CREATE DATABASE "${name}"`)
      return connectionStringFor(name)
    },
  }
}
