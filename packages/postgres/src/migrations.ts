/**
 * Versioned schema migrations. Each component (the event store, the read-model store) has an ordered
 * list; what has run is recorded in `<schema>.migrations`. All pending migrations run in one
 * transaction under a transaction-scoped advisory lock keyed by the schema, so two processes
 * starting at once take turns: the second finds the work done and applies nothing.
 */
import * as E from 'fp-ts/lib/Either.js'
import type pg from 'pg'
import { SCHEMA_NEWER_THAN_CODE } from './errors.ts'
import { inTransaction, type QuotedSchema } from './connection.ts'

export interface Migration {
  /** 1, 2, 3…: applied in this order, each exactly once. */
  readonly version: number
  readonly description: string
  readonly sql: (schema: QuotedSchema) => string
}

/** Advisory-lock class for migrations; the second key is the schema's hash. */
const MIGRATION_LOCK_CLASS = 0x5043_0001

export class SchemaNewerThanCode extends Error {
  readonly code = SCHEMA_NEWER_THAN_CODE
}

/** Applies the pending migrations of `component`; returns the versions it applied. Throws what the driver throws. */
export const migrate = async (
  pool: pg.Pool,
  schemaName: string,
  schema: QuotedSchema,
  component: string,
  migrations: ReadonlyArray<Migration>,
): Promise<E.Either<never, ReadonlyArray<number>>> => {
  const migrated = await isMigrated(pool, schema, component, migrations)
  return migrated ? E.right([]) : migrateUnderLock(pool, schemaName, schema, component, migrations)
}

/**
 * Whether every migration is recorded, read without a lock or DDL: a role that may use the tables
 * but not create schemas (the writer role, docs/postgres.md) can then open a migrated store.
 */
const isMigrated = async (pool: pg.Pool, schema: QuotedSchema, component: string, migrations: ReadonlyArray<Migration>): Promise<boolean> => {
  const table = await pool.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${schema}.migrations`])
  if (table.rows[0]?.exists !== true) return false
  const applied = await pool.query<{ version: number }>(`SELECT version FROM ${schema}.migrations WHERE component = $1`, [component])
  const appliedVersions = new Set(applied.rows.map((row) => row.version))
  return applied.rows.length === migrations.length && migrations.every((migration) => appliedVersions.has(migration.version))
}

const migrateUnderLock = (
  pool: pg.Pool,
  schemaName: string,
  schema: QuotedSchema,
  component: string,
  migrations: ReadonlyArray<Migration>,
): Promise<E.Either<never, ReadonlyArray<number>>> =>
  inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schemaName])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.migrations (
        component text NOT NULL,
        version integer NOT NULL,
        description text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version)
      )`)
    const applied = await client.query<{ version: number }>(`SELECT version FROM ${schema}.migrations WHERE component = $1`, [component])
    const appliedVersions = new Set(applied.rows.map((row) => row.version))
    const known = new Set(migrations.map((migration) => migration.version))
    const unknown = [...appliedVersions].filter((version) => !known.has(version))
    if (unknown.length > 0) {
      throw new SchemaNewerThanCode(`${schemaName}: ${component} migrations ${unknown.join(', ')} are newer than this code`)
    }
    const pending = [...migrations].sort((left, right) => left.version - right.version).filter((migration) => !appliedVersions.has(migration.version))
    for (const migration of pending) {
      await client.query(migration.sql(schema))
      await client.query(`INSERT INTO ${schema}.migrations (component, version, description) VALUES ($1, $2, $3)`, [
        component,
        migration.version,
        migration.description,
      ])
    }
    return E.right(pending.map((migration) => migration.version))
  })
