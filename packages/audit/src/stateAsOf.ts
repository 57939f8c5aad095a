/**
 * A stream's state at a point of time, folded with its aggregate's own `evolve`, on either time axis:
 * - `asOf` (business time): the events that happened on or before that day at the commune, whenever
 *   they were recorded; an entry back-dated later counts from the day it is dated. "What was true then,
 *   as we know it now."
 * - `knownAt` (recorded time): the stream as it stood at that instant, the events recorded by then.
 *   "What the system knew then", which is what a decision taken at that instant could have seen.
 * Both together give the bitemporal view (true on `asOf`, as known at `knownAt`); `throughVersion`
 * stops at a stream revision. See docs/audit.md.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { LocalDate } from '@policy-credit/core'
import type { EventStore, RecordedEvent } from '@policy-credit/event-store'
import { decodeAudited } from './domainEvents.ts'
import { storeFailed, type AuditError } from './errors.ts'
import { toJsonSafe, type JsonValue } from './json.ts'
import { streamKindOf, streamKinds, type StreamKind } from './streamKinds.ts'
import type { DomainEvent } from '@policy-credit/core'

export interface StateQuery {
  /** Business date 'YYYY-MM-DD': fold the events that happened on or before it. */
  readonly asOf?: string
  /** ISO-8601 instant: fold the stream as it was recorded by then. */
  readonly knownAt?: string
  /** Fold no event past this stream revision. */
  readonly throughVersion?: bigint
}

export interface StateAsOf {
  readonly streamId: string
  readonly aggregate: string
  readonly query: { readonly asOf: string | null; readonly knownAt: string | null; readonly throughVersion: string | null }
  readonly eventsApplied: number
  readonly eventsInStream: number
  /** The last event folded in. */
  readonly lastApplied: { readonly version: string; readonly type: string; readonly occurredOn: string; readonly recordedAt: string } | null
  /** The aggregate's state as plain JSON (money as decimal strings). */
  readonly state: JsonValue
}

// Offset required: an instant without one is local time on some machine, which an audit cannot pin down.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/

const instantMillis = (instant: string): number | undefined => {
  if (!ISO_INSTANT.test(instant)) return undefined
  const millis = Date.parse(instant)
  return Number.isNaN(millis) ? undefined : millis
}

/** A checked `StateQuery`. */
export interface Selection {
  readonly asOf?: LocalDate
  readonly knownAtMillis?: number
  readonly throughVersion?: bigint
}

const checkQuery = (query: StateQuery): E.Either<AuditError, Selection> => {
  let selection: Selection = {}
  if (query.asOf !== undefined) {
    const asOf = LocalDate.decode(query.asOf)
    if (E.isLeft(asOf)) return E.left({ _tag: 'InvalidQuery', field: 'asOf', value: query.asOf, expected: "a calendar day 'YYYY-MM-DD'" })
    selection = { ...selection, asOf: asOf.right }
  }
  if (query.knownAt !== undefined) {
    const millis = instantMillis(query.knownAt)
    if (millis === undefined) return E.left({ _tag: 'InvalidQuery', field: 'knownAt', value: query.knownAt, expected: "an ISO-8601 instant with an offset, e.g. '2025-07-01T00:00:00Z'" })
    selection = { ...selection, knownAtMillis: millis }
  }
  if (query.throughVersion !== undefined) {
    if (query.throughVersion < 0n) return E.left({ _tag: 'InvalidQuery', field: 'throughVersion', value: query.throughVersion.toString(), expected: 'a stream revision, 0 or more' })
    selection = { ...selection, throughVersion: query.throughVersion }
  }
  return E.right(selection)
}

/**
 * The events a query folds, in stream order: the stream as recorded by `knownAt` and through
 * `throughVersion` (a prefix: what existed then), and of those, the ones dated on or before `asOf`.
 */
export const selectEvents = (stream: ReadonlyArray<RecordedEvent>, selection: Selection): ReadonlyArray<RecordedEvent> => {
  const { knownAtMillis, throughVersion, asOf } = selection
  const end = stream.findIndex(
    (event) =>
      (throughVersion !== undefined && event.version > throughVersion) ||
      (knownAtMillis !== undefined && Date.parse(event.metadata.recordedAt) > knownAtMillis),
  )
  const recorded = end === -1 ? stream : stream.slice(0, end)
  return asOf === undefined ? recorded : recorded.filter((event) => event.metadata.occurredOn <= asOf)
}

const fold = (kind: StreamKind, events: ReadonlyArray<RecordedEvent>): E.Either<AuditError, unknown> => {
  let state = kind.initialState
  for (const recorded of events) {
    const decoded = decodeAudited(recorded)
    if (E.isLeft(decoded)) return E.left({ _tag: 'CannotFoldMalformedEvent', event: decoded.left })
    if (!kind.eventTypes.has(decoded.right.event.type)) {
      return E.left({ _tag: 'EventOfAnotherAggregate', streamId: recorded.streamId, version: recorded.version, type: recorded.type, aggregate: kind.aggregate })
    }
    state = kind.evolve(state, decoded.right.event as DomainEvent)
  }
  return E.right(state)
}

/** The state of `streamId` as `query` asks; with an empty query, its current state. */
export const stateAsOf =
  (store: EventStore, streamId: string, query: StateQuery = {}): TE.TaskEither<AuditError, StateAsOf> =>
  async () => {
    const kind = streamKindOf(streamId)
    if (kind === undefined) return E.left({ _tag: 'UnknownStreamKind', streamId, knownPatterns: streamKinds.map((known) => known.streamPattern) })
    const selection = checkQuery(query)
    if (E.isLeft(selection)) return selection
    const read = await store.readStream(streamId)()
    if (E.isLeft(read)) return E.left(storeFailed(read.left))
    const selected = selectEvents(read.right, selection.right)
    const state = fold(kind, selected)
    if (E.isLeft(state)) return state
    const last = selected.at(-1)
    return E.right({
      streamId,
      aggregate: kind.aggregate,
      query: { asOf: query.asOf ?? null, knownAt: query.knownAt ?? null, throughVersion: query.throughVersion?.toString() ?? null },
      eventsApplied: selected.length,
      eventsInStream: read.right.length,
      lastApplied:
        last === undefined
          ? null
          : { version: last.version.toString(), type: last.type, occurredOn: last.metadata.occurredOn, recordedAt: last.metadata.recordedAt },
      state: toJsonSafe(state.right),
    })
  }
