/**
 * The only file that knows better-sqlite3's error codes. Every driver call of this package runs
 * inside a `try` whose `catch` passes the error to `classifySqliteError`, so a refusal reaches the
 * caller as a port error with its `cause` kept, never as a thrown exception.
 */
import type { ReadModelNamespace, ReadModelStoreError } from '@policy-credit/projections'

/** What a failed driver call means to this package. */
export type SqliteFailure =
  /** UNIQUE (event_id): the append reuses an id already stored; the store then plans it as a repeat or a duplicate. */
  | { readonly _tag: 'EventIdTaken'; readonly cause: unknown }
  /** UNIQUE (stream_id, version): the version is taken (not under `BEGIN IMMEDIATE`, which reads and writes under one lock; kept as a safety net). */
  | { readonly _tag: 'StreamVersionTaken'; readonly cause: unknown }
  /** Any other key of the read-model tables. */
  | { readonly _tag: 'KeyTaken'; readonly cause: unknown }
  /** The append-only triggers refused an UPDATE or DELETE of an event. */
  | { readonly _tag: 'EventsAreAppendOnly'; readonly cause: unknown }
  /** Busy past `busy_timeout`, I/O, a full disk, a corrupt or read-only file, a closed connection. */
  | { readonly _tag: 'Unavailable'; readonly cause: unknown }

/** The message the append-only triggers raise (migration 1); matched here to classify it. */
export const APPEND_ONLY_MESSAGE = 'events are append-only'

interface SqliteError {
  readonly code: string
  readonly message: string
}

const isSqliteError = (cause: unknown): cause is SqliteError =>
  cause instanceof Error && 'code' in cause && typeof cause.code === 'string' && cause.code.startsWith('SQLITE_')

/**
 * Classifies any error thrown by better-sqlite3 (extended result codes are on: `SQLITE_CONSTRAINT_UNIQUE`,
 * `SQLITE_BUSY_SNAPSHOT`, `SQLITE_IOERR_WRITE`…). Everything that is not a known constraint is
 * `Unavailable`: the caller may retry later, and the cause says why.
 */
export const classifySqliteError = (cause: unknown): SqliteFailure => {
  if (!isSqliteError(cause)) return { _tag: 'Unavailable', cause }
  switch (cause.code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      // SQLite words it "UNIQUE constraint failed: events.event_id" (or "events.stream_id, events.version").
      return cause.message.includes('events.event_id')
        ? { _tag: 'EventIdTaken', cause }
        : cause.message.includes('events.stream_id')
          ? { _tag: 'StreamVersionTaken', cause }
          : { _tag: 'KeyTaken', cause }
    case 'SQLITE_CONSTRAINT_TRIGGER':
      return cause.message.includes(APPEND_ONLY_MESSAGE) ? { _tag: 'EventsAreAppendOnly', cause } : { _tag: 'Unavailable', cause }
    default:
      return { _tag: 'Unavailable', cause }
  }
}

export const toReadModelStoreError =
  (namespace: ReadModelNamespace, what: string) =>
  (cause: unknown): ReadModelStoreError => {
    const failure = classifySqliteError(cause)
    return failure._tag === 'KeyTaken'
      ? { _tag: 'InvalidReadModelRequest', namespace, message: `${what}: ${failure.cause instanceof Error ? failure.cause.message : String(failure.cause)}` }
      : { _tag: 'ReadModelStoreUnavailable', cause: failure.cause }
  }
