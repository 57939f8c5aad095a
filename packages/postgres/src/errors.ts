/**
 * The only file that knows PostgreSQL error codes. Every driver call of this package goes through
 * `TE.tryCatch` with one of these classifiers, so a rejection reaches the caller as a port error with
 * its `cause` kept, never as a thrown exception.
 */
import type { EventStoreError, ExpectedVersion } from '@policy-credit/event-store'
import type { ReadModelNamespace, ReadModelStoreError } from '@policy-credit/projections'

/** PK (stream_id, version) or UNIQUE (event_id): another writer appended first. */
const UNIQUE_VIOLATION = '23505'
/** Raised by `append_events` (migration 1) when the stream is not at the expected version. */
export const WRONG_EXPECTED_VERSION = 'PC001'
/**
 * Raised by `append_events` when one of the event ids is already stored: nothing is written, and the
 * store plans the append in a transaction with `planAppend` (an idempotent repeat or a duplicate id).
 */
export const EVENT_ID_ALREADY_STORED = 'PC002'
/** Raised by the immutability trigger: events are never updated or deleted. */
export const EVENT_IS_IMMUTABLE = 'PC003'
/** Raised when a schema was migrated by a newer version of this package than the running one. */
export const SCHEMA_NEWER_THAN_CODE = 'PC004'

const EVENT_ID_CONSTRAINT = 'events_event_id_key'

interface DatabaseError {
  readonly code: string
  readonly constraint?: string
  readonly detail?: string
}

const isDatabaseError = (cause: unknown): cause is DatabaseError =>
  typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'

/** The JSON `DETAIL` that `append_events` attaches to the errors it raises. */
interface AppendFailureDetail {
  readonly streamId?: string
  readonly actual?: string | null
}

const parseDetail = (detail: string | undefined): AppendFailureDetail => {
  if (detail === undefined) return {}
  try {
    const parsed: unknown = JSON.parse(detail)
    return typeof parsed === 'object' && parsed !== null ? (parsed as AppendFailureDetail) : {}
  } catch {
    return {}
  }
}

export const unavailable = (cause: unknown): EventStoreError => ({ _tag: 'EventStoreUnavailable', cause })

/**
 * Classifies a failed append. `expectedOf` finds the expected version the caller gave for the stream
 * named in the error (an `appendMany` carries one per stream).
 */
export const toAppendError =
  (fallbackStreamId: string, expectedOf: (streamId: string) => ExpectedVersion) =>
  (cause: unknown): EventStoreError => {
    if (!isDatabaseError(cause)) return unavailable(cause)
    const detail = parseDetail(cause.detail)
    const streamId = detail.streamId ?? fallbackStreamId
    switch (cause.code) {
      case WRONG_EXPECTED_VERSION: {
        const actual = detail.actual === null || detail.actual === undefined ? {} : { actual: BigInt(detail.actual) }
        return { _tag: 'WrongExpectedVersion', streamId, expected: expectedOf(streamId), ...actual }
      }
      case UNIQUE_VIOLATION:
        // Still there after the store planned the append again and again (see `isOvertaken`): an id
        // the append itself repeats across streams, or writers that keep overtaking this one.
        return cause.constraint === EVENT_ID_CONSTRAINT
          ? { _tag: 'DuplicateEventId', streamId, eventId: eventIdFromDetail(cause.detail) }
          : { _tag: 'WrongExpectedVersion', streamId, expected: expectedOf(streamId) }
      default:
        return unavailable(cause)
    }
  }

/** PostgreSQL words a unique violation as `Key (event_id)=(…) already exists.` */
const eventIdFromDetail = (detail: string | undefined): string => /\(event_id\)=\((.*)\) already exists/.exec(detail ?? '')?.[1] ?? ''

/**
 * An append that one statement cannot settle, so the store plans it in a locked transaction: an event
 * id already stored (raised before writing, or met by the unique index: an idempotent repeat or a
 * duplicate), or a version another writer inserted first (`append_to_stream` takes no lock).
 */
export const needsPlanning = (cause: unknown): boolean =>
  isDatabaseError(cause) && (cause.code === EVENT_ID_ALREADY_STORED || cause.code === UNIQUE_VIOLATION)

/**
 * A planned write that another writer overtook between the plan's read and its write: the version it
 * planned is taken or no longer the stream's, or one of its event ids got stored. Planning again
 * reads what that writer stored.
 */
export const isOvertaken = (cause: unknown): boolean =>
  isDatabaseError(cause) && (cause.code === WRONG_EXPECTED_VERSION || cause.code === EVENT_ID_ALREADY_STORED || cause.code === UNIQUE_VIOLATION)

/** Text PostgreSQL cannot hold (a NUL character in an id or a jsonb string). */
const UNSTORABLE_TEXT = new Set(['22P05', '22021'])

export const toReadModelStoreError =
  (namespace: ReadModelNamespace) =>
  (cause: unknown): ReadModelStoreError =>
    isDatabaseError(cause) && UNSTORABLE_TEXT.has(cause.code)
      ? { _tag: 'InvalidReadModelRequest', namespace, message: `PostgreSQL cannot store this text: ${String((cause as { message?: unknown }).message)}` }
      : { _tag: 'ReadModelStoreUnavailable', cause }
