/**
 * Command handling, generic over any decider: load the stream, decode, fold, load the decision's
 * context, decide, encode, append with the version that was read, and retry a bounded number of
 * times when another writer got there first. Event ids are derived from the command id, so a
 * repeated command appends nothing and returns what the first run appended.
 *
 * `handleWithReservation` runs a command over two streams, one of them a consistency boundary (a
 * commune's capital for a year): reserve on the boundary, then append to the command's own stream.
 * There is no multi-stream transaction; see docs/event-store.md for what happens between the two.
 */
import { createHash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { exactly, noStream } from './port.ts'
import type { EventStore, EventStoreError, NewEvent, Position, RecordedEvent, StreamVersion } from './port.ts'
import type { EventCodec } from './schema.ts'

/** The decider shape (`@policy-credit/core`'s `Decider`, restated: this package knows no domain). */
export interface CommandDecider<Command, Event, State, Rejection, Context> {
  readonly initialState: State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (command: Command, state: State, context: Context) => E.Either<Rejection, ReadonlyArray<Event>>
}

/** How one kind of command reaches its stream. */
export interface StreamCommandHandler<Command, Event, State, Rejection, Context> {
  readonly decider: CommandDecider<Command, Event, State, Rejection, Context>
  readonly codec: EventCodec<Event>
  readonly streamId: (command: Command) => string
  /**
   * Loads what the decision needs from outside the stream (the household's class in force, the
   * programme terms), e.g. with `loadState` on another stream. Missing context is the decider's
   * to reject: give it an `Option` or a status.
   */
  readonly loadContext: (command: Command, state: State) => TE.TaskEither<EventStoreError, Context>
}

export interface CommandEnvelope<Command> {
  /** Unique per command: event ids, and so idempotence, derive from it. */
  readonly commandId: string
  readonly command: Command
  /** Business date of the command ('YYYY-MM-DD'), recorded as each event's `occurredOn`. */
  readonly occurredOn: string
  readonly actor?: string
  /** The conversation this command belongs to; the command id when it starts one. */
  readonly correlationId?: string
}

export type WrongExpectedVersion = Extract<EventStoreError, { readonly _tag: 'WrongExpectedVersion' }>

export type HandlerError<Rejection> =
  /** The decider refused the command: nothing was appended. */
  | { readonly _tag: 'Rejected'; readonly rejection: Rejection }
  /** Other writers kept winning the race for the stream, `attempts` times in a row. */
  | { readonly _tag: 'ConcurrencyRetriesExhausted'; readonly attempts: number; readonly conflict: WrongExpectedVersion }
  /** The store failed or refused (unavailable, an invalid or undecodable event, a duplicate id). */
  | { readonly _tag: 'StoreFailed'; readonly error: EventStoreError }

export interface Handled<Event> {
  readonly events: ReadonlyArray<Event>
  /** The stream's version after this command's events (the stream's current version when it decided nothing). */
  readonly nextExpectedVersion: StreamVersion
  /** Position of the last of this command's events; of the stream's last event when it decided nothing; absent for an empty stream. */
  readonly position?: Position
  /** True when an earlier run of the same command appended these events, so this run appended nothing. */
  readonly alreadyHandled: boolean
}

export interface HandlerOptions {
  /** How many times to decide and append before giving up on a contended stream. */
  readonly maxAttempts?: number
}

const DEFAULT_MAX_ATTEMPTS = 5

/** RFC 4122 name-based UUIDs (version 5, SHA-1) need a namespace: this one is ours, fixed forever. */
const EVENT_ID_NAMESPACE = Buffer.from('6f1d2a57c8e34b0f9a7e3c51d2b84e60', 'hex')

/** The UUID of the `index`-th event a command appends to a stream: the same inputs give the same id. */
export const deterministicEventId = (commandId: string, streamId: string, index: number): string => {
  const bytes = createHash('sha1').update(EVENT_ID_NAMESPACE).update(JSON.stringify([commandId, streamId, index])).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export interface LoadedStream<Event, State> {
  readonly state: State
  readonly version: StreamVersion
  readonly recorded: ReadonlyArray<RecordedEvent>
  readonly events: ReadonlyArray<Event>
}

/** Reads a stream, decodes it and folds it: for a handler's own stream and for loading context from others. */
export const loadState =
  <Event, State>(store: EventStore, decider: Pick<CommandDecider<unknown, Event, State, unknown, never>, 'initialState' | 'evolve'>, codec: EventCodec<Event>) =>
  (streamId: string): TE.TaskEither<EventStoreError, LoadedStream<Event, State>> =>
  async () => {
    const read = await store.readStream(streamId)()
    if (E.isLeft(read)) return read
    const events: Array<Event> = []
    for (const recorded of read.right) {
      const decoded = codec.decode(recorded)
      if (E.isLeft(decoded)) return decoded
      events.push(decoded.right)
    }
    return E.right({
      state: events.reduce(decider.evolve, decider.initialState),
      version: read.right.at(-1)?.version ?? 0n,
      recorded: read.right,
      events,
    })
  }

/** This command's events already in the stream, found by their derived ids. */
const earlierRun = <Event>(loaded: LoadedStream<Event, unknown>, commandId: string, streamId: string): Handled<Event> | undefined => {
  const firstId = deterministicEventId(commandId, streamId, 0)
  const start = loaded.recorded.findIndex((recorded) => recorded.eventId === firstId)
  if (start === -1) return undefined
  let end = start
  while (loaded.recorded[end + 1]?.eventId === deterministicEventId(commandId, streamId, end + 1 - start)) end++
  const last = loaded.recorded[end]
  return last === undefined
    ? undefined
    : { events: loaded.events.slice(start, end + 1), nextExpectedVersion: last.version, position: last.position, alreadyHandled: true }
}

const toNewEvents = <Command, Event>(envelope: CommandEnvelope<Command>, streamId: string, codec: EventCodec<Event>, events: ReadonlyArray<Event>): ReadonlyArray<NewEvent> =>
  events.map((event, index) => {
    const { type, data, schemaVersion } = codec.encode(event)
    return {
      eventId: deterministicEventId(envelope.commandId, streamId, index),
      type,
      data,
      metadata: {
        occurredOn: envelope.occurredOn,
        schemaVersion,
        correlationId: envelope.correlationId ?? envelope.commandId,
        causationId: envelope.commandId,
        ...(envelope.actor === undefined ? {} : { actor: envelope.actor }),
      },
    }
  })

type Attempt<Failure, Result> =
  | { readonly _tag: 'Done'; readonly outcome: E.Either<Failure, Result> }
  | { readonly _tag: 'Conflict'; readonly conflict: WrongExpectedVersion }

const storeFailed = <Rejection>(error: EventStoreError): HandlerError<Rejection> => ({ _tag: 'StoreFailed', error })

/** Runs `attempt` until it is done or has met a conflict `maxAttempts` times. */
type RetriesExhausted = Extract<HandlerError<never>, { readonly _tag: 'ConcurrencyRetriesExhausted' }>

const withRetries = async <Failure, Result>(
  maxAttempts: number,
  attempt: () => Promise<Attempt<Failure, Result>>,
): Promise<E.Either<Failure | RetriesExhausted, Result>> => {
  let conflict: WrongExpectedVersion | undefined
  for (let attempts = 1; attempts <= maxAttempts; attempts++) {
    const result = await attempt()
    if (result._tag === 'Done') return result.outcome
    conflict = result.conflict
  }
  if (conflict === undefined) throw new Error(`maxAttempts must be at least 1, got ${maxAttempts}`)
  return E.left({ _tag: 'ConcurrencyRetriesExhausted', attempts: maxAttempts, conflict })
}

type Decision<Event, Rejection> =
  | { readonly _tag: 'AlreadyHandled'; readonly handled: Handled<Event> }
  | { readonly _tag: 'Decided'; readonly loaded: LoadedStream<Event, unknown>; readonly streamId: string; readonly events: ReadonlyArray<Event> }
  | { readonly _tag: 'Failed'; readonly error: HandlerError<Rejection> }

/** Loads the stream, recognises an earlier run, loads the context and decides. */
const decideOnStream = async <Command, Event, State, Rejection, Context>(
  store: EventStore,
  handler: StreamCommandHandler<Command, Event, State, Rejection, Context>,
  envelope: CommandEnvelope<Command>,
): Promise<Decision<Event, Rejection>> => {
  const streamId = handler.streamId(envelope.command)
  const loaded = await loadState(store, handler.decider, handler.codec)(streamId)()
  if (E.isLeft(loaded)) return { _tag: 'Failed', error: storeFailed(loaded.left) }
  const earlier = earlierRun(loaded.right, envelope.commandId, streamId)
  if (earlier !== undefined) return { _tag: 'AlreadyHandled', handled: earlier }
  const context = await handler.loadContext(envelope.command, loaded.right.state)()
  if (E.isLeft(context)) return { _tag: 'Failed', error: storeFailed(context.left) }
  const decided = handler.decider.decide(envelope.command, loaded.right.state, context.right)
  return E.isLeft(decided)
    ? { _tag: 'Failed', error: { _tag: 'Rejected', rejection: decided.left } }
    : { _tag: 'Decided', loaded: loaded.right, streamId, events: decided.right }
}

/** Appends what was decided with the version that was read; nothing when nothing was decided. */
const appendDecision = async <Command, Event, Rejection>(
  store: EventStore,
  codec: EventCodec<Event>,
  envelope: CommandEnvelope<Command>,
  decision: Extract<Decision<Event, Rejection>, { readonly _tag: 'Decided' }>,
): Promise<Attempt<HandlerError<Rejection>, Handled<Event>>> => {
  const { loaded, streamId, events } = decision
  if (events.length === 0) {
    const last = loaded.recorded.at(-1)
    return { _tag: 'Done', outcome: E.right({ events, nextExpectedVersion: loaded.version, ...(last === undefined ? {} : { position: last.position }), alreadyHandled: false }) }
  }
  const appended = await store.appendToStream(streamId, loaded.version === 0n ? noStream : exactly(loaded.version), toNewEvents(envelope, streamId, codec, events))()
  if (E.isLeft(appended)) {
    return appended.left._tag === 'WrongExpectedVersion'
      ? { _tag: 'Conflict', conflict: appended.left }
      : { _tag: 'Done', outcome: E.left(storeFailed(appended.left)) }
  }
  const { nextExpectedVersion, position, written } = appended.right
  return { _tag: 'Done', outcome: E.right({ events, nextExpectedVersion, position, alreadyHandled: !written }) }
}

const attemptOnStream = async <Command, Event, State, Rejection, Context>(
  store: EventStore,
  handler: StreamCommandHandler<Command, Event, State, Rejection, Context>,
  envelope: CommandEnvelope<Command>,
): Promise<Attempt<HandlerError<Rejection>, Handled<Event>>> => {
  const decision = await decideOnStream(store, handler, envelope)
  switch (decision._tag) {
    case 'AlreadyHandled':
      return { _tag: 'Done', outcome: E.right(decision.handled) }
    case 'Failed':
      return { _tag: 'Done', outcome: E.left(decision.error) }
    case 'Decided':
      return appendDecision(store, handler.codec, envelope, decision)
  }
}

/** Handles a command on one stream. */
export const handleCommand =
  <Command, Event, State, Rejection, Context>(
    store: EventStore,
    handler: StreamCommandHandler<Command, Event, State, Rejection, Context>,
    options: HandlerOptions = {},
  ) =>
  (envelope: CommandEnvelope<Command>): TE.TaskEither<HandlerError<Rejection>, Handled<Event>> =>
  () =>
    withRetries(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, () => attemptOnStream(store, handler, envelope))

/**
 * A command on its own stream that first reserves on a consistency boundary. `reserve` and
 * `release` depend on the command alone, so a retried or repeated command reserves the same thing.
 * The boundary's decider must make `release` decide nothing when this command holds no reservation.
 */
export interface ReservationHandler<Command, Event, State, Rejection, Context, BoundaryCommand, BoundaryEvent, BoundaryState, BoundaryRejection, BoundaryContext> {
  readonly primary: StreamCommandHandler<Command, Event, State, Rejection, Context>
  readonly boundary: StreamCommandHandler<BoundaryCommand, BoundaryEvent, BoundaryState, BoundaryRejection, BoundaryContext>
  readonly reserve: (command: Command) => BoundaryCommand
  readonly release: (command: Command) => BoundaryCommand
}

export interface HandledWithReservation<Event, BoundaryEvent> {
  readonly reservation: Handled<BoundaryEvent>
  readonly outcome: Handled<Event>
}

/** The release's own command id, derived from the command's, so that releasing is idempotent too. */
export const releaseCommandId = (commandId: string): string => deterministicEventId(commandId, 'release', 0)

export type ReservationHandlerError<Rejection> =
  | HandlerError<Rejection>
  /** This command was refused after it had reserved, and its reservation was released: send a new command. */
  | { readonly _tag: 'ReservationReleased'; readonly commandId: string }

/**
 * Decides on the primary stream (a dry run), reserves on the boundary (with its own retries: a lost
 * race re-decides on fresh state, so the boundary's decider rejects an overdraft), then appends to
 * the primary stream with the version the dry run read. If the primary stream moved meanwhile, it
 * decides again; if the command is now refused or needs nothing, it releases the reservation. A
 * crash between the two appends leaves a reservation carrying the command id (causation) in its
 * derived event ids: running the same command again finds it and completes the primary append.
 */
export const handleWithReservation =
  <Command, Event, State, Rejection, Context, BoundaryCommand, BoundaryEvent, BoundaryState, BoundaryRejection, BoundaryContext>(
    store: EventStore,
    handler: ReservationHandler<Command, Event, State, Rejection, Context, BoundaryCommand, BoundaryEvent, BoundaryState, BoundaryRejection, BoundaryContext>,
    options: HandlerOptions = {},
  ) =>
  (
    envelope: CommandEnvelope<Command>,
  ): TE.TaskEither<ReservationHandlerError<Rejection | BoundaryRejection>, HandledWithReservation<Event, BoundaryEvent>> =>
  () => {
    type Failure = ReservationHandlerError<Rejection | BoundaryRejection>
    type Result = HandledWithReservation<Event, BoundaryEvent>
    const done = (outcome: E.Either<Failure, Result>): Attempt<Failure, Result> => ({ _tag: 'Done', outcome })
    const boundaryStreamId = handler.boundary.streamId(handler.reserve(envelope.command))
    const onBoundary = (command: BoundaryCommand, commandId: string) =>
      handleCommand(store, handler.boundary, options)({ ...envelope, commandId, correlationId: envelope.correlationId ?? envelope.commandId, command })()
    const loadBoundary = loadState(store, handler.boundary.decider, handler.boundary.codec)(boundaryStreamId)
    const release = () => onBoundary(handler.release(envelope.command), releaseCommandId(envelope.commandId))

    return withRetries<Failure, Result>(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, async () => {
      const decision = await decideOnStream(store, handler.primary, envelope)
      switch (decision._tag) {
        case 'AlreadyHandled': {
          const boundary = await loadBoundary()
          if (E.isLeft(boundary)) return done(E.left(storeFailed(boundary.left)))
          const reservation = earlierRun(boundary.right, envelope.commandId, boundaryStreamId)
          const last = boundary.right.recorded.at(-1)
          return done(
            E.right({
              reservation: reservation ?? { events: [], nextExpectedVersion: boundary.right.version, ...(last === undefined ? {} : { position: last.position }), alreadyHandled: true },
              outcome: decision.handled,
            }),
          )
        }
        case 'Failed': {
          if (decision.error._tag !== 'Rejected') return done(E.left(decision.error))
          const released = await release()
          return done(E.isLeft(released) ? released : E.left(decision.error))
        }
        case 'Decided': {
          if (decision.events.length === 0) {
            const released = await release()
            if (E.isLeft(released)) return done(released)
            const nothing = await appendDecision<Command, Event, Rejection>(store, handler.primary.codec, envelope, decision)
            return nothing._tag === 'Done' ? done(E.map((outcome: Handled<Event>) => ({ reservation: released.right, outcome }))(nothing.outcome)) : nothing
          }
          const reservation = await onBoundary(handler.reserve(envelope.command), envelope.commandId)
          if (E.isLeft(reservation)) return done(reservation)
          if (reservation.right.alreadyHandled) {
            const boundary = await loadBoundary()
            if (E.isLeft(boundary)) return done(E.left(storeFailed(boundary.left)))
            const releaseId = deterministicEventId(releaseCommandId(envelope.commandId), boundaryStreamId, 0)
            if (boundary.right.recorded.some((recorded) => recorded.eventId === releaseId)) {
              return done(E.left({ _tag: 'ReservationReleased', commandId: envelope.commandId }))
            }
          }
          const appended = await appendDecision<Command, Event, Rejection>(store, handler.primary.codec, envelope, decision)
          return appended._tag === 'Conflict' ? appended : done(E.map((outcome: Handled<Event>) => ({ reservation: reservation.right, outcome }))(appended.outcome))
        }
      }
    })
  }
