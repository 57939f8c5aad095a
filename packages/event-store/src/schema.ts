/**
 * The schema layer, store-agnostic: a registry of event types, each with its current schema version,
 * a decoder, an encoder and upcasters from older versions. It validates appends (`validateWith`, the
 * store's `validate` hook) and decodes stored events (`decodeRecorded`), upcasting old versions; a
 * stored event that does not decode is reported as `InvalidStoredEvent`, never thrown.
 * The decoder is io-ts-shaped (`decode(unknown) → Either`) without depending on io-ts: adapt a codec
 * with its error reporter.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { AppendValidator, EventStoreError, RecordedEvent } from './port.ts'

/** A message as the store keeps it: a type and plain JSON data. */
export interface EncodedEvent {
  readonly type: string
  readonly data: unknown
}

/** Turns data written with one schema version into the next version's shape. */
export type Upcaster = (data: unknown) => E.Either<string, unknown>

export interface EventSchema<Event extends { readonly type: string }> {
  readonly type: Event['type']
  /** The version appends are written with; stored events with a lower version are upcast. */
  readonly currentVersion: number
  readonly decode: (encoded: EncodedEvent) => E.Either<string, Event>
  readonly encode: (event: Event) => EncodedEvent
  /** `upcasters[v]` turns version v data into version v + 1, for every v below `currentVersion`. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>
}

/** One schema per member of the `Event` union (distributes, so each schema is typed by its own member). */
export type EventSchemaFor<Event extends { readonly type: string }> = Event extends unknown ? EventSchema<Event> : never

export interface EventSchemaRegistry<Event extends { readonly type: string }> {
  readonly schemas: ReadonlyMap<string, EventSchema<Event>>
}

export type InvalidStoredEvent = Extract<EventStoreError, { readonly _tag: 'InvalidStoredEvent' }>

export interface DecodedEvent<Event> {
  readonly event: Event
  /** As stored: `metadata.schemaVersion` is the version it was written with, before upcasting. */
  readonly recorded: RecordedEvent
}

/** An event ready to append: its type, JSON data and the schema version they follow. */
export interface EncodedEventWithVersion extends EncodedEvent {
  readonly schemaVersion: number
}

/** Throws on two schemas for one type or a version below 1: both are defects in the caller's code. */
export const eventSchemaRegistry = <Event extends { readonly type: string }>(
  schemas: ReadonlyArray<EventSchemaFor<Event>>,
): EventSchemaRegistry<Event> => {
  const byType = new Map<string, EventSchema<Event>>()
  for (const schema of schemas as ReadonlyArray<EventSchema<Event>>) {
    if (byType.has(schema.type)) throw new Error(`two schemas for event type ${schema.type}`)
    if (!Number.isSafeInteger(schema.currentVersion) || schema.currentVersion < 1) {
      throw new Error(`schema version of ${schema.type} is not a positive integer: ${schema.currentVersion}`)
    }
    byType.set(schema.type, schema)
  }
  return { schemas: byType }
}

export const isKnownEventType = <Event extends { readonly type: string }>(registry: EventSchemaRegistry<Event>, type: string): boolean =>
  registry.schemas.has(type)

/** Hand-written upcasters and decoders may throw on data they never expected: report it, do not crash. */
const guarded = <A>(step: () => E.Either<string, A>): E.Either<string, A> => {
  try {
    return step()
  } catch (error) {
    return E.left(`threw: ${error instanceof Error ? error.message : String(error)}`)
  }
}

const upcast = <Event extends { readonly type: string }>(schema: EventSchema<Event>, version: number, data: unknown): E.Either<string, unknown> => {
  if (version > schema.currentVersion) return E.left(`schema version ${version} is newer than the current version ${schema.currentVersion}`)
  let upcast: E.Either<string, unknown> = E.right(data)
  for (let from = version; from < schema.currentVersion && E.isRight(upcast); from++) {
    const upcaster = schema.upcasters?.[from]
    const current: unknown = upcast.right
    upcast =
      upcaster === undefined
        ? E.left(`no upcaster from schema version ${from}`)
        : pipe(
            guarded(() => upcaster(current)),
            E.mapLeft((message) => `upcasting from schema version ${from}: ${message}`),
          )
  }
  return upcast
}

/** Decodes a stored event, upcasting it from the version it was written with. */
export const decodeRecorded =
  <Event extends { readonly type: string }>(registry: EventSchemaRegistry<Event>) =>
  (recorded: RecordedEvent): E.Either<InvalidStoredEvent, DecodedEvent<Event>> => {
    const schema = registry.schemas.get(recorded.type)
    const decoded: E.Either<string, Event> =
      schema === undefined
        ? E.left(`unknown event type ${recorded.type}`)
        : pipe(
            upcast(schema, recorded.metadata.schemaVersion, recorded.data),
            E.flatMap((data) => guarded(() => schema.decode({ type: recorded.type, data }))),
          )
    return pipe(
      decoded,
      E.bimap(
        (message): InvalidStoredEvent => ({
          _tag: 'InvalidStoredEvent',
          streamId: recorded.streamId,
          version: recorded.version,
          position: recorded.position,
          type: recorded.type,
          message,
        }),
        (event) => ({ event, recorded }),
      ),
    )
  }

/** The store's `validate` hook: known type, current schema version, and data that decodes. */
export const validateWith =
  <Event extends { readonly type: string }>(registry: EventSchemaRegistry<Event>): AppendValidator =>
  (_streamId, event) => {
    const schema = registry.schemas.get(event.type)
    if (schema === undefined) return `unknown event type ${event.type}`
    if (event.metadata.schemaVersion !== schema.currentVersion) {
      return `schema version ${event.metadata.schemaVersion} is not the current version ${schema.currentVersion} of ${event.type}`
    }
    // No pipe and match: this runs for every appended event.
    const decoded = guarded(() => schema.decode({ type: event.type, data: event.data }))
    return E.isLeft(decoded) ? `data does not decode as ${event.type}: ${decoded.left}` : undefined
  }

/** Encodes an event with its schema's current version. Throws for a type with no schema: a defect. */
export const encodeWith =
  <Event extends { readonly type: string }>(registry: EventSchemaRegistry<Event>) =>
  (event: Event): EncodedEventWithVersion => {
    const schema = registry.schemas.get(event.type)
    if (schema === undefined) throw new Error(`no schema registered for event type ${event.type}`)
    return { ...schema.encode(event), schemaVersion: schema.currentVersion }
  }

/** How the command handler turns its events into stored ones and back. */
export interface EventCodec<Event> {
  readonly encode: (event: Event) => EncodedEventWithVersion
  readonly decode: (recorded: RecordedEvent) => E.Either<InvalidStoredEvent, Event>
}

export const eventCodec = <Event extends { readonly type: string }>(registry: EventSchemaRegistry<Event>): EventCodec<Event> => ({
  encode: encodeWith(registry),
  decode: (recorded) =>
    pipe(
      decodeRecorded(registry)(recorded),
      E.map(({ event }) => event),
    ),
})
