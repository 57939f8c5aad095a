/**
 * The projection contract: a read model as a pure fold of events into documents. A projection does no
 * I/O; the runner (`runner.ts`) reads events, loads and stores documents and checkpoints. One event may
 * touch several documents (a disbursement moves the commune's total and the commune's dated history),
 * so `documentIds` returns a list. Document ids are ordered strings: design them for range scans
 * (`commune:C01:2022-06-30`) and "as of a past business date" becomes a query, not a replay.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { passesFilter, type EventFilter, type Position, type RecordedEvent, type StreamVersion } from '@policy-credit/event-store'
import { compareDocumentIds, type ReadModelNamespace } from './readModelStore.ts'

/** Returned by `apply` to remove the document; a later event may create it again from `init`. */
export const deleted: unique symbol = Symbol('deleted')
export type Deleted = typeof deleted

/** Documents hold bigint money, which JSON cannot carry: the codec turns them into plain JSON and back. */
export interface DocumentCodec<Document> {
  /** To plain JSON: no bigint, no undefined, no functions. */
  readonly encode: (document: Document) => unknown
  /** From what `encode` produced; `Left` with a message when the stored JSON is not a document. */
  readonly decode: (json: unknown) => E.Either<string, Document>
}

export interface Projection<Document, Event> {
  /** With `version`, names the read model's namespace `name@version`; bump `version` to rebuild beside the old one. */
  readonly name: string
  readonly version: number
  /** Passed to `readAll`: the store returns only these events. */
  readonly filter: EventFilter
  /**
   * Decoding and upcasting happen once, here. Every event that passes `filter` must decode: a `Left`
   * stops the runner at that event (an operator may skip it), never a silent pass.
   */
  readonly decode: (event: RecordedEvent) => E.Either<string, Event>
  /** The documents this event changes; empty when it changes none. */
  readonly documentIds: (event: Event) => ReadonlyArray<string>
  /** The document before any event touched it. */
  readonly init: (id: string) => Document
  /**
   * The document after the event. `earlier` gives, for the ids listed before `id` in `documentIds(event)`,
   * those documents as they were before this event and as it left them: a summary document (counts kept
   * per day, say) changes by the difference an event made to another document, which the event alone
   * does not carry. For any other id it gives undefined. It never changes the document it is given (the
   * runner keeps documents between batches, and may apply an event twice); giving that same document
   * back says the event left it unchanged, and the runner does not write it again.
   */
  readonly apply: (document: Document, event: Event, id: string, earlier: EarlierDocuments<Document>) => Document | Deleted
  readonly documentCodec: DocumentCodec<Document>
  /**
   * Optional, for speed: `apply` made in place on a private copy. A pure `apply` copies what it changes on
   * every event; a summary document touched by most events of a batch is then copied hundreds of times per
   * batch. With `inPlace`, the runner drafts a document once per batch and changes the draft event after
   * event. Must give the same read model as `apply` (the runner's properties compare it with the fold,
   * which uses `apply` alone).
   */
  readonly inPlace?: InPlaceApply<Document, Event>
}

export interface InPlaceApply<Document, Event> {
  /**
   * A copy of the document that `apply` may change, sharing nothing it will change with the original;
   * undefined to leave this document to the pure `apply`. A drafted document must never be read through
   * `earlier`: its `before` changes with it.
   */
  readonly draft: (document: Document, id: string) => Document | undefined
  /** Changes the draft as the pure `apply` would change the document; `deleted` removes it. */
  readonly apply: (draft: Document, event: Event, id: string, earlier: EarlierDocuments<Document>) => void | Deleted
}

/** A document listed earlier for the same event: as it was before the event (`init` when it did not exist) and after it. */
export interface EarlierDocument<Document> {
  readonly before: Document
  readonly after: Document | Deleted
}

export type EarlierDocuments<Document> = (id: string) => EarlierDocument<Document> | undefined

export const projectionNamespace = (projection: Pick<Projection<unknown, unknown>, 'name' | 'version'>): ReadModelNamespace => ({
  name: projection.name,
  version: projection.version,
})

/** Identifies an event in failure reports and skip records. */
export interface EventReference {
  readonly streamId: string
  readonly version: StreamVersion
  readonly position: Position
  readonly type: string
}

export const eventReference = (event: RecordedEvent): EventReference => ({
  streamId: event.streamId,
  version: event.version,
  position: event.position,
  type: event.type,
})

export type ProjectionFailureReason =
  | { readonly _tag: 'EventDecodeFailed'; readonly message: string }
  /** `documentIds`, `init` or `apply` threw: a defect in the projection, reported with the event that triggered it. */
  | { readonly _tag: 'ProjectionThrew'; readonly error: unknown }

/** The projection could not process this event: the runner stops at it. */
export interface ProjectionFailed {
  readonly _tag: 'ProjectionFailed'
  readonly projection: ReadModelNamespace
  readonly event: EventReference
  readonly reason: ProjectionFailureReason
}

/** Documents being built, keyed by id; `deleted` marks a document removed by an event. */
export type WorkingDocuments<Document> = Map<string, Document | Deleted>

/** A recorded event decoded for a projection, with the documents it touches; not the recorded event itself, which may be let go once decoded. */
export interface DecodedEvent<Event> {
  readonly reference: EventReference
  readonly event: Event
  readonly documentIds: ReadonlyArray<string>
}

const failure = (projection: Pick<Projection<unknown, unknown>, 'name' | 'version'>, event: EventReference, reason: ProjectionFailureReason): ProjectionFailed => ({
  _tag: 'ProjectionFailed',
  projection: projectionNamespace(projection),
  event,
  reason,
})

export const decodeForProjection = <Document, Event>(
  projection: Projection<Document, Event>,
  recorded: RecordedEvent,
): E.Either<ProjectionFailed, DecodedEvent<Event>> => {
  const decoded = projection.decode(recorded)
  const reference = eventReference(recorded)
  if (E.isLeft(decoded)) return E.left(failure(projection, reference, { _tag: 'EventDecodeFailed', message: decoded.left }))
  try {
    return E.right({ reference, event: decoded.right, documentIds: projection.documentIds(decoded.right) })
  } catch (error) {
    return E.left(failure(projection, reference, { _tag: 'ProjectionThrew', error }))
  }
}

/**
 * Applies one decoded event to `documents`, or reports why it cannot. All-or-nothing: when the event
 * fails on its second document, its first is left unchanged too, except for drafts (below). `load` gives
 * the document before this event when `documents` has no entry for the id (the runner reads the store;
 * the fold starts empty).
 *
 * With `drafts` and a projection with `inPlace`, a document is drafted the first time it is touched and
 * then changed in place: `drafts` holds the drafts made so far, private to the caller's batch. An event
 * that throws may leave a draft half changed, so the caller redoes the batch without drafts to report it.
 */
export const applyDecodedEvent = <Document, Event>(
  projection: Projection<Document, Event>,
  documents: WorkingDocuments<Document>,
  decoded: DecodedEvent<Event>,
  load: (id: string) => Document | undefined,
  drafts?: Set<Document>,
): E.Either<ProjectionFailed, void> => {
  const ids = decoded.documentIds
  // The ids listed so far for this event, with their documents before it and after it: an event lists a
  // few, so arrays searched beat a Map built per event (this runs for every event of a rebuild).
  const listed: Array<string> = []
  const befores: Array<Document> = []
  const afters: Array<Document | Deleted> = []
  const earlier: EarlierDocuments<Document> = (id) => {
    const at = listed.indexOf(id)
    return at === -1 ? undefined : { before: befores[at] as Document, after: afters[at] as Document | Deleted }
  }
  const inPlace = drafts === undefined ? undefined : projection.inPlace
  try {
    for (const id of ids) {
      const at = listed.indexOf(id)
      // One lookup for a document the batch holds; `has` only on a miss.
      const held = at !== -1 ? afters[at] : documents.get(id)
      const current = held !== undefined || at !== -1 || documents.has(id) ? held : load(id)
      const before = current === undefined || current === deleted ? projection.init(id) : current
      const draft = inPlace === undefined ? undefined : drafts?.has(before) === true ? before : inPlace.draft(before, id)
      let after: Document | Deleted
      if (draft === undefined || inPlace === undefined) after = projection.apply(before, decoded.event, id, earlier)
      else {
        drafts?.add(draft)
        after = inPlace.apply(draft, decoded.event, id, earlier) === deleted ? deleted : draft
      }
      // An id listed twice: its `before` stays what it was before the event.
      if (at === -1) {
        listed.push(id)
        befores.push(before)
        afters.push(after)
      } else afters[at] = after
    }
  } catch (error) {
    return E.left(failure(projection, decoded.reference, { _tag: 'ProjectionThrew', error }))
  }
  for (let index = 0; index < listed.length; index++) documents.set(listed[index] as string, afters[index] as Document | Deleted)
  return E.right(undefined)
}

/**
 * The reference read model: one pure fold over all events, in order, into documents sorted by id. Every
 * property test of the runner compares against it. Events at `skipped` positions are passed over, as the
 * runner passes over events an operator skipped.
 */
export const foldProjection = <Document, Event>(
  projection: Projection<Document, Event>,
  events: ReadonlyArray<RecordedEvent>,
  skipped: ReadonlySet<Position> = new Set(),
): E.Either<ProjectionFailed, ReadonlyMap<string, Document>> => {
  const documents: WorkingDocuments<Document> = new Map()
  for (const event of events) {
    if (!passesFilter(projection.filter, event) || skipped.has(event.position)) continue
    const applied = pipe(
      decodeForProjection(projection, event),
      E.flatMap((decoded) => applyDecodedEvent(projection, documents, decoded, () => undefined)),
    )
    if (E.isLeft(applied)) return applied
  }
  const sorted = new Map<string, Document>()
  for (const id of [...documents.keys()].sort(compareDocumentIds)) {
    const document = documents.get(id)
    if (document !== undefined && document !== deleted) sorted.set(id, document)
  }
  return E.right(sorted)
}
