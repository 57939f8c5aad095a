/**
 * The part of an EventStoreDB gRPC client this adapter uses, declared structurally so that the
 * adapter depends on behaviour, not on one package: `EventStoreDBClient` from `@eventstore/db-client`
 * 6.x and `KurrentDBClient` from `@kurrent/kurrentdb-client` 1.x both satisfy it (pinned by
 * test/clientInterface.test.ts). Only what the adapter calls is here.
 */

/** A place in `$all`: the transaction log's commit and prepare offsets. */
export interface EventStoreDbPosition {
  readonly commit: bigint
  readonly prepare: bigint
}

/** `NO_STREAM`, `STREAM_EXISTS` and `ANY` are the clients' own constants; a bigint is an exact revision. */
export type EventStoreDbExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint

/** What the adapter appends: always JSON, with JSON metadata. */
export interface EventStoreDbEventData {
  readonly id: string
  readonly contentType: 'application/json'
  readonly type: string
  /** The clients type JSON data as an object, an array or a string; they send any value through `JSON.stringify`. */
  readonly data: Record<string, unknown> | Array<unknown> | string
  readonly metadata: Record<string, unknown>
}

export interface EventStoreDbAppendOptions {
  /**
   * Given under both names: `@eventstore/db-client` reads `expectedRevision`, `@kurrent/kurrentdb-client`
   * reads `streamState`. Each ignores the other's, so neither falls back to "any".
   */
  readonly expectedRevision: EventStoreDbExpectedRevision
  readonly streamState: EventStoreDbExpectedRevision
}

export interface EventStoreDbAppendResult {
  readonly nextExpectedRevision: bigint
}

export interface EventStoreDbRecordedEvent {
  readonly streamId: string
  readonly id: string
  readonly revision: bigint
  readonly type: string
  /** The server's `created` timestamp. */
  readonly created: Date
  readonly isJson: boolean
  readonly data: unknown
  readonly metadata?: unknown
  readonly position?: EventStoreDbPosition
}

export interface EventStoreDbResolvedEvent {
  readonly event?: EventStoreDbRecordedEvent
}

export interface EventStoreDbReadStreamOptions {
  readonly fromRevision: 'start' | 'end' | bigint
  readonly direction: 'forwards' | 'backwards'
  readonly maxCount: number
}

export interface EventStoreDbReadAllOptions {
  readonly fromPosition: 'start' | 'end' | EventStoreDbPosition
  readonly direction: 'forwards' | 'backwards'
  readonly maxCount: number
}

/** A server-side filter of `$all`: on the stream name or the event type, by prefixes or a regular expression. */
export type EventStoreDbServerFilter = (
  | { readonly filterOn: 'streamName' | 'eventType'; readonly prefixes: Array<string> }
  | { readonly filterOn: 'streamName' | 'eventType'; readonly regex: string }
) & {
  /** Multiplied by the search window: how many events the server looks at between two checkpoints. */
  readonly checkpointInterval: number
}

export type EventStoreDbFilter = EventStoreDbServerFilter & {
  readonly checkpointReached: (subscription: unknown, position: EventStoreDbPosition) => void
}

export interface EventStoreDbSubscribeToAllOptions {
  readonly fromPosition: 'start' | 'end' | EventStoreDbPosition
  readonly filter: EventStoreDbFilter
}

/**
 * A catch-up subscription as the clients return it: a Node.js object-mode Readable of resolved
 * events, plus a `caughtUp` event. The adapter pulls with `read()` to keep the order of events,
 * checkpoints and `caughtUp` (see orderedSubscription.ts).
 */
export interface EventStoreDbSubscription {
  read(): unknown
  /** Lets buffered and arriving events flow away unread, once nobody listens for them. */
  resume(): unknown
  readonly readableLength: number
  unsubscribe(): Promise<void>
  on(event: 'readable' | 'end' | 'close' | 'caughtUp', listener: () => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  removeListener(event: 'readable' | 'end' | 'close' | 'caughtUp', listener: () => void): unknown
  removeListener(event: 'error', listener: (error: Error) => void): unknown
}

export interface EventStoreDbClient {
  appendToStream(streamName: string, events: Array<EventStoreDbEventData>, options: EventStoreDbAppendOptions): Promise<EventStoreDbAppendResult>
  readStream(streamName: string, options: EventStoreDbReadStreamOptions): AsyncIterable<EventStoreDbResolvedEvent>
  readAll(options: EventStoreDbReadAllOptions): AsyncIterable<EventStoreDbResolvedEvent>
  subscribeToAll(options: EventStoreDbSubscribeToAllOptions): EventStoreDbSubscription
  dispose(): Promise<void>
}
