/**
 * The event-store port. It knows no domain: an event is a `type`, JSON `data` and metadata. Every
 * store (in-memory, SQLite, PostgreSQL, EventStoreDB) implements exactly this and passes the same
 * conformance suite (`@policy-credit/event-store/testing`). Errors are values in `Left`, never thrown
 * across the port. See docs/event-store.md for how each store maps onto it.
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'

/** Count of events in a stream: the first event of a stream is version 1 in every store. */
export type StreamVersion = bigint

export type ExpectedVersion =
  | { readonly _tag: 'Any' }
  | { readonly _tag: 'NoStream' }
  | { readonly _tag: 'StreamExists' }
  | { readonly _tag: 'Exactly'; readonly version: StreamVersion }

export const anyVersion: ExpectedVersion = { _tag: 'Any' }
export const noStream: ExpectedVersion = { _tag: 'NoStream' }
export const streamExists: ExpectedVersion = { _tag: 'StreamExists' }
export const exactly = (version: StreamVersion): ExpectedVersion => ({ _tag: 'Exactly', version })

/**
 * A place in the global order of all events. Opaque to callers, and totally ordered by plain string
 * comparison: each store encodes its own position (a SQL sequence, EventStoreDB's commit/prepare pair)
 * as fixed-width text, so a checkpoint written by one component can be compared and stored anywhere.
 */
export type Position = string & { readonly Position: unique symbol }

/** What the writer says about an event. `recordedAt` is not here: the store sets it. */
export interface NewEventMetadata {
  /** Business date: the calendar day it happened at the commune ('YYYY-MM-DD'). */
  readonly occurredOn: string
  readonly correlationId?: string
  readonly causationId?: string
  readonly actor?: string
  /** Version of the event type's schema the data was written with; older versions are upcast on read. */
  readonly schemaVersion: number
}

export interface NewEvent {
  /** A UUID, deterministic from the command that produced it: re-appending the same id is idempotent. */
  readonly eventId: string
  readonly type: string
  /** Plain JSON (already encoded: money as decimal strings, no bigint, no undefined). */
  readonly data: unknown
  readonly metadata: NewEventMetadata
}

export interface RecordedEventMetadata extends NewEventMetadata {
  /** Recorded instant, ISO-8601 UTC, set by the store when the event was appended. */
  readonly recordedAt: string
}

export interface RecordedEvent {
  readonly streamId: string
  readonly version: StreamVersion
  readonly position: Position
  readonly eventId: string
  readonly type: string
  readonly data: unknown
  readonly metadata: RecordedEventMetadata
}

export interface AppendResult {
  /** Version of the stream's last event after the append (the events' own versions when it was an idempotent repeat). */
  readonly nextExpectedVersion: StreamVersion
  /** Position of the last event of this append. */
  readonly position: Position
  /** False when every event was already there with the same id and payload, so nothing was written. */
  readonly written: boolean
}

export type ReadDirection = 'forwards' | 'backwards'

export interface ReadStreamOptions {
  readonly direction?: ReadDirection
  /**
   * First version to return (inclusive, at least 1); default the start (forwards) or the end
   * (backwards). Backwards from past the end reads from the end; forwards from past the end reads nothing.
   */
  readonly fromVersion?: StreamVersion
  /** A positive integer; all the rest of the stream when absent. */
  readonly maxCount?: number
}

/** Filters applied by the store (server-side where the store has them). */
export interface EventFilter {
  /** Keep events whose stream id starts with one of these. */
  readonly streamPrefixes?: ReadonlyArray<string>
  /** Keep events of one of these types. */
  readonly eventTypes?: ReadonlyArray<string>
}

export interface ReadAllOptions {
  /** Return events strictly after this position; from the beginning when absent. */
  readonly after?: Position
  readonly maxCount: number
  readonly filter?: EventFilter
}

export interface ReadAllResult {
  readonly events: ReadonlyArray<RecordedEvent>
  /**
   * How far the read looked: every event up to here that passes the filter has been returned. It is
   * the last returned event when `maxCount` events came back, otherwise the head at the time of the
   * read (past the last returned event when a filter skipped some); it never goes below `after`.
   * Resume reading after it. Absent only when nothing has ever been read: an empty store and no `after`.
   */
  readonly checkpoint?: Position
  /** True when no event (passing the filter or not) existed after `checkpoint` at the time of the read. */
  readonly isEnd: boolean
  /**
   * The head at the time of the read, as `headPosition` gives it: the last event a reader may pass,
   * whether or not it passes the filter. Absent when the store holds no event. A runner reporting how far
   * behind it is reads it here instead of asking again (on a busy PostgreSQL server that round trip
   * cost about 12 ms per batch).
   */
  readonly head?: Position
}

export type SubscriptionMessage =
  | { readonly _tag: 'Event'; readonly event: RecordedEvent }
  /** Every event committed when the subscription caught up has been delivered; live events follow. */
  | { readonly _tag: 'CaughtUp'; readonly checkpoint?: Position }
  /** The subscription ends after an error it could not recover from. */
  | { readonly _tag: 'Failed'; readonly error: EventStoreError }

export interface SubscribeOptions {
  readonly after?: Position
  readonly filter?: EventFilter
}

/** Catch up from a position, then follow live, until `close`. Iterating ends after `close` or `Failed`. */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Ends open subscriptions and releases the store; later operations fail with EventStoreUnavailable. Closing twice is harmless. */
  readonly close: () => Promise<void>
}

export type EventStoreError =
  | {
      readonly _tag: 'WrongExpectedVersion'
      readonly streamId: string
      readonly expected: ExpectedVersion
      /** The stream's actual version; absent when the stream does not exist. */
      readonly actual?: StreamVersion
    }
  /** An event id already stored, with a different type, data or metadata, or at another place. */
  | { readonly _tag: 'DuplicateEventId'; readonly streamId: string; readonly eventId: string }
  /** Refused at append: nothing of the append was written. */
  | { readonly _tag: 'InvalidEvent'; readonly streamId: string; readonly eventId: string; readonly type: string; readonly message: string }
  /** A stored event that fails to decode (at read, in the schema layer). */
  | {
      readonly _tag: 'InvalidStoredEvent'
      readonly streamId: string
      readonly version: StreamVersion
      readonly position: Position
      readonly type: string
      readonly message: string
    }
  /** A request the store cannot serve as asked (an empty append, a non-positive `maxCount`, a position this store never wrote). */
  | { readonly _tag: 'InvalidRequest'; readonly message: string }
  | { readonly _tag: 'EventStoreUnavailable'; readonly cause: unknown }

/**
 * Validates an event before it is appended: the store refuses the whole append if any event fails.
 * Return `undefined` when valid, or a message saying what is wrong.
 */
export type AppendValidator = (streamId: string, event: NewEvent) => string | undefined

export interface EventStore {
  /**
   * Appends atomically: all events or none. Refuses malformed events (`InvalidEvent`) and a
   * mismatched expected version (`WrongExpectedVersion`); recognises an idempotent repeat (see
   * `planAppend` in appendPlan.ts and docs/event-store.md).
   */
  readonly appendToStream: (
    streamId: string,
    expected: ExpectedVersion,
    events: ReadonlyArray<NewEvent>,
  ) => TE.TaskEither<EventStoreError, AppendResult>
  /** A stream that does not exist reads as empty (EventStoreDB's StreamNotFound maps to `[]`). */
  readonly readStream: (streamId: string, options?: ReadStreamOptions) => TE.TaskEither<EventStoreError, ReadonlyArray<RecordedEvent>>
  readonly readAll: (options: ReadAllOptions) => TE.TaskEither<EventStoreError, ReadAllResult>
  readonly subscribeToAll: (options?: SubscribeOptions) => Subscription
  /** Position of the last event in the global order, or undefined for an empty store. */
  readonly headPosition: () => TE.TaskEither<EventStoreError, Position | undefined>
  /** Ends open subscriptions and releases the store; later operations fail with EventStoreUnavailable. Closing twice is harmless. */
  readonly close: () => Promise<void>
}

/** What every store factory accepts, so the conformance suite runs with no per-store options. */
export interface EventStoreOptions {
  readonly validate?: AppendValidator
  /** Source of `recordedAt`; the system clock when absent. Tests pass a fixed or stepping clock. */
  readonly clock?: Clock
}

/** The instant now. An input, so that tests control `recordedAt`. */
export type Clock = () => Date
