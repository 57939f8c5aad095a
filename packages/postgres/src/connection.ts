/**
 * How a store gets its connections: from a connection string (the store owns the pool and ends it on
 * `close`) or from a pool the application shares (the application ends it). Also the one place that
 * checks and quotes a schema name, since it is spliced into SQL text.
 */
import { createHash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'

export type ConnectionOptions = { readonly connectionString: string } | { readonly pool: pg.Pool }

export interface Connection {
  readonly pool: pg.Pool
  /** Ends the pool when the store created it. */
  readonly release: () => Promise<void>
}

export const openConnection = (options: ConnectionOptions): Connection => {
  if ('pool' in options) return { pool: options.pool, release: async () => {} }
  const pool = new pg.Pool({ connectionString: options.connectionString })
  // An idle client losing its server would otherwise crash the process; the next query reports it.
  pool.on('error', () => {})
  return { pool, release: () => pool.end() }
}

/** 56 characters at most: the notification channel `<schema>.events` must fit PostgreSQL's 63. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,55}$/

/** A schema name checked against a conservative pattern and double-quoted for SQL text. */
export type QuotedSchema = string & { readonly QuotedSchema: unique symbol }

export const quoteSchema = (schema: string): QuotedSchema | undefined => (SCHEMA_NAME.test(schema) ? (`"${schema}"` as QuotedSchema) : undefined)

/** Runs `work` in one transaction on one client: commits a `Right`, rolls back a `Left` or a throw. */
export const inTransaction = async <L, A>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<E.Either<L, A>>): Promise<E.Either<L, A>> => {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query(E.isRight(result) ? 'COMMIT' : 'ROLLBACK')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

export interface NamedStatement {
  readonly name: string
  readonly text: string
}

/**
 * A prepared statement, named after a hash of its text: a connection parses and plans it once, and
 * two texts (another schema, another scan shape) never share a name. PostgreSQL keeps 63 characters of a name.
 */
export const namedStatement = (text: string): NamedStatement => ({
  name: `policy-credit-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`,
  text,
})
