/**
 * The history of one stream as an auditor reads it: every event in stream order with its place in
 * the global log, its business date (the day it happened at the commune) beside its recorded instant
 * (when the system learnt it), who did it and in which conversation, and its data as decoded. An
 * event that no longer decodes is shown as malformed, with its data as stored and the reason.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { EventStore, RecordedEvent } from '@policy-credit/event-store'
import { decodeAudited } from './domainEvents.ts'
import { storeFailed, type AuditError } from './errors.ts'
import { toJsonSafe, type JsonValue } from './json.ts'

export type Decoding = { readonly _tag: 'Decoded' } | { readonly _tag: 'Malformed'; readonly message: string }

/** One event, as plain JSON: bigints as decimal strings, absent metadata as null. */
export interface HistoryRow {
  readonly streamId: string
  /** Stream revision: the first event of a stream is version 1. */
  readonly version: string
  /** Global position in this store (opaque, ordered as text). */
  readonly position: string
  readonly eventId: string
  readonly type: string
  /** Business date: the day it happened at the commune. */
  readonly occurredOn: string
  /** Recorded instant: when the store appended it. */
  readonly recordedAt: string
  readonly actor: string | null
  readonly correlationId: string | null
  readonly causationId: string | null
  /** The schema version it was written with (older versions are upcast before decoding). */
  readonly schemaVersion: number
  /** The decoded data re-encoded as plain JSON; the stored data when it is malformed. */
  readonly data: JsonValue
  readonly decoding: Decoding
}

/** A stored event as a history row, decoding it with the core's codecs (or the audit's, for a seal). */
export const historyRow = (recorded: RecordedEvent): HistoryRow => {
  const decoded = decodeAudited(recorded)
  const { metadata } = recorded
  return {
    streamId: recorded.streamId,
    version: recorded.version.toString(),
    position: recorded.position,
    eventId: recorded.eventId,
    type: recorded.type,
    occurredOn: metadata.occurredOn,
    recordedAt: metadata.recordedAt,
    actor: metadata.actor ?? null,
    correlationId: metadata.correlationId ?? null,
    causationId: metadata.causationId ?? null,
    schemaVersion: metadata.schemaVersion,
    data: E.isRight(decoded) ? toJsonSafe(decoded.right.event.data) : toJsonSafe(recorded.data),
    decoding: E.isRight(decoded) ? { _tag: 'Decoded' } : { _tag: 'Malformed', message: decoded.left.message },
  }
}

/** Every event of `streamId` in order; an empty array for a stream that does not exist. */
export const history =
  (store: EventStore, streamId: string): TE.TaskEither<AuditError, ReadonlyArray<HistoryRow>> =>
  async () => {
    const read = await store.readStream(streamId)()
    return E.isLeft(read) ? E.left(storeFailed(read.left)) : E.right(read.right.map(historyRow))
  }
