/**
 * A database of its own for one bench run, dropped at the end whatever happened (an interrupt too),
 * so a run leaves nothing behind on the server and never touches another's schemas.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The server the bench runs on: the one the PostgreSQL tests use. */
export const serverUrl = (): string => process.env['POLICY_CREDIT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface ThrowawayDatabase {
  readonly name: string
  readonly pool: pg.Pool
}

/** Creates `bench_<random>`, runs `work` with a pool on it, then ends the pool and drops the database. */
export const withThrowawayDatabase = async <A>(poolSize: number, work: (database: ThrowawayDatabase) => Promise<A>): Promise<A> => {
  const name = `bench_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl() })
  await admin.connect()
  let pool: pg.Pool | undefined
  const drop = async (): Promise<void> => {
    await pool?.end().catch(() => {})
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
  }
  const onInterrupt = (): void => {
    void drop().finally(() => process.exit(130))
  }
  process.once('SIGINT', onInterrupt)
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`)
    const url = new URL(serverUrl())
    url.pathname = `/${name}`
    pool = new pg.Pool({ connectionString: url.toString(), max: poolSize })
    // An idle client losing the server would otherwise crash the run; the next query reports it.
    pool.on('error', () => {})
    return await work({ name, pool })
  } finally {
    process.removeListener('SIGINT', onInterrupt)
    try {
      await drop()
    } finally {
      await admin.end()
    }
  }
}
