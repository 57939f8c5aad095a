/**
 * Opening a policy-credit SQLite file: the connection settings, then the schema, versioned by
 * `PRAGMA user_version` and brought up to date by ordered migrations. One file holds the events and
 * the read models; both stores open it the same way, so either can create it. A file written by a
 * newer version of this package, or a SQLite file that is not ours, is refused with a typed error.
 */
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { APPEND_ONLY_MESSAGE } from './errors.ts'

export interface Migration {
  /** 1, 2, 3…: `user_version` after it ran. */
  readonly version: number
  readonly description: string
  readonly sql: string
}

/** Never edit a migration that has shipped: add the next one. */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: 'events: one row per event, position in commit order, append-only',
    sql: `
      CREATE TABLE events (
        -- The global order. AUTOINCREMENT: a position is never handed out twice, even if the last
        -- row were removed behind the triggers' back, so a projection checkpoint can never skip one.
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id TEXT NOT NULL CHECK (typeof(stream_id) = 'text' AND stream_id <> ''),
        version INTEGER NOT NULL CHECK (typeof(version) = 'integer' AND version >= 1),
        event_id TEXT NOT NULL UNIQUE CHECK (typeof(event_id) = 'text'),
        type TEXT NOT NULL CHECK (typeof(type) = 'text' AND type <> ''),
        -- JSON text as the writer's JSON.stringify produced it.
        data TEXT NOT NULL,
        occurred_on TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        correlation_id TEXT,
        causation_id TEXT,
        actor TEXT,
        UNIQUE (stream_id, version)
      );
      CREATE TRIGGER events_are_not_updated BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}: UPDATE refused'); END;
      CREATE TRIGGER events_are_not_deleted BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY_MESSAGE}: DELETE refused'); END;
    `,
  },
  {
    version: 2,
    description: 'read models: documents, checkpoints, skipped events and active versions, per projection version',
    sql: `
      CREATE TABLE read_model_documents (
        projection TEXT NOT NULL,
        projection_version INTEGER NOT NULL,
        -- BINARY collation: ids order by their UTF-8 bytes, which is code-point order.
        id TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (projection, projection_version, id)
      ) WITHOUT ROWID;
      CREATE TABLE read_model_checkpoints (
        projection TEXT NOT NULL,
        projection_version INTEGER NOT NULL,
        position TEXT NOT NULL,
        PRIMARY KEY (projection, projection_version)
      ) WITHOUT ROWID;
      CREATE TABLE read_model_skips (
        projection TEXT NOT NULL,
        projection_version INTEGER NOT NULL,
        position TEXT NOT NULL,
        stream_id TEXT,
        version INTEGER,
        type TEXT,
        reason TEXT NOT NULL,
        actor TEXT NOT NULL,
        skipped_at TEXT NOT NULL,
        PRIMARY KEY (projection, projection_version, position)
      ) WITHOUT ROWID;
      CREATE TABLE read_model_active_versions (
        projection TEXT PRIMARY KEY,
        projection_version INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    description: 'read_model_documents: a rowid table with a unique key, not WITHOUT ROWID',
    // WITHOUT ROWID keeps whole rows in the key's B-tree, which suits rows under about 200 bytes; documents
    // are kilobytes (outstanding-debt's buckets 0.8–1.9 KB), so two fit a page and every upsert split and
    // rebalanced pages. 100,800 upserts of 1.5 KB in 84 transactions: 1.48 s WITHOUT ROWID, 0.45–0.49 s
    // with a rowid and a unique index; the file is 27 MiB instead of 60.
    sql: `
      CREATE TABLE read_model_documents_by_rowid (
        projection TEXT NOT NULL,
        projection_version INTEGER NOT NULL,
        -- BINARY collation: ids order by their UTF-8 bytes, which is code-point order.
        id TEXT NOT NULL,
        document TEXT NOT NULL,
        UNIQUE (projection, projection_version, id)
      );
      INSERT INTO read_model_documents_by_rowid (projection, projection_version, id, document)
        SELECT projection, projection_version, id, document FROM read_model_documents ORDER BY projection, projection_version, id;
      DROP TABLE read_model_documents;
      ALTER TABLE read_model_documents_by_rowid RENAME TO read_model_documents;
    `,
  },
]

export const LATEST_SCHEMA_VERSION = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0)

/** 'PCrd' in ASCII: marks the file as policy-credit's, for `file(1)` and for the check on open. */
export const APPLICATION_ID = 0x5043_7264

export type SqliteOpenError =
  /** The file could not be opened or set up (missing directory, permissions, not a database, busy). */
  | { readonly _tag: 'SqliteFileUnavailable'; readonly filename: string; readonly cause: unknown }
  /** Migrated by a newer version of this package: this one would misread it. Upgrade the package. */
  | { readonly _tag: 'SqliteSchemaTooNew'; readonly filename: string; readonly fileSchemaVersion: number; readonly supportedSchemaVersion: number }
  /** A SQLite file of some other application: left untouched. */
  | { readonly _tag: 'NotAPolicyCreditFile'; readonly filename: string; readonly applicationId: number }

export interface SqliteFileOptions {
  /** A path, or ':memory:' for a private in-memory database (one connection only). */
  readonly filename: string
  /** How long a writer waits for another connection's write transaction, in milliseconds; 5 s when absent. */
  readonly busyTimeoutMilliseconds?: number
  /**
   * 'full' (the default) syncs the write-ahead log on every commit: a committed event survives a
   * power cut. 'normal' may lose the last commits on power loss (never on a process crash) and is faster.
   */
  readonly synchronous?: 'full' | 'normal'
}

const DEFAULT_BUSY_TIMEOUT_MILLISECONDS = 5_000

const pragmaNumber = (database: Database.Database, pragma: string): number => {
  const value: unknown = database.pragma(pragma, { simple: true })
  return typeof value === 'number' ? value : Number(value)
}

type SetUp = E.Either<SqliteOpenError, Database.Database>

const migrate = (database: Database.Database, filename: string): E.Either<SqliteOpenError, void> => {
  // IMMEDIATE: two processes opening a new file at once take turns; the second finds the work done.
  database.exec('BEGIN IMMEDIATE')
  try {
    const applicationId = pragmaNumber(database, 'application_id')
    const fileSchemaVersion = pragmaNumber(database, 'user_version')
    const tableCount = database.prepare<[], { count: number }>(`SELECT count(*) AS count FROM sqlite_schema WHERE type = 'table'`).get()?.count ?? 0
    const refusal: SqliteOpenError | undefined =
      applicationId !== APPLICATION_ID && (applicationId !== 0 || fileSchemaVersion !== 0 || tableCount > 0)
        ? { _tag: 'NotAPolicyCreditFile', filename, applicationId }
        : fileSchemaVersion > LATEST_SCHEMA_VERSION
          ? { _tag: 'SqliteSchemaTooNew', filename, fileSchemaVersion, supportedSchemaVersion: LATEST_SCHEMA_VERSION }
          : undefined
    if (refusal !== undefined) {
      database.exec('ROLLBACK')
      return E.left(refusal)
    }
    for (const migration of migrations) {
      if (migration.version <= fileSchemaVersion) continue
      database.exec(migration.sql)
      database.pragma(`user_version = ${migration.version}`)
    }
    database.pragma(`application_id = ${APPLICATION_ID}`)
    database.exec('COMMIT')
    return E.right(undefined)
  } catch (cause) {
    if (database.inTransaction) database.exec('ROLLBACK')
    throw cause
  }
}

/** Opens (creating if needed) and migrates a policy-credit SQLite file. */
export const openSqliteFile = (options: SqliteFileOptions): SetUp => {
  let database: Database.Database | undefined
  try {
    database = new Database(options.filename)
    database.pragma(`busy_timeout = ${options.busyTimeoutMilliseconds ?? DEFAULT_BUSY_TIMEOUT_MILLISECONDS}`)
    // WAL: readers never block the writer nor each other, and several processes share the file.
    // The mode is stored in the file, so every later connection gets it too.
    database.pragma('journal_mode = WAL')
    database.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
    const migrated = migrate(database, options.filename)
    if (E.isLeft(migrated)) {
      database.close()
      return migrated
    }
    return E.right(database)
  } catch (cause) {
    if (database?.open === true) database.close()
    return E.left({ _tag: 'SqliteFileUnavailable', filename: options.filename, cause })
  }
}
