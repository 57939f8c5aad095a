/**
 * The projection runner: owns the I/O a projection does not. It reads the projection's events in
 * batches from its checkpoint (`readAll` with the projection's filter), loads the documents the batch
 * touches, applies the events, and commits the changed documents and the new checkpoint in one
 * read-model transaction, so each event's effect lands exactly once. Then it follows live by polling.
 *
 * Guarantees (docs/projections.md says why):
 * - Ordering: events are applied in the store's global order, one at a time, each on the documents as
 *   the events before it left them.
 * - Exactly-once effect: a commit names the checkpoint it starts from; the store refuses it when the
 *   stored one differs (a retried, lost-acknowledgement or concurrent commit), and the runner re-reads.
 * - Failure: an event that fails to decode, or whose projection code throws, stops the runner AT it.
 *   The events before it in the batch are committed; nothing from it on is applied. Only an operator's
 *   recorded skip (`skipEvent`) lets the runner pass it.
 * - Stopping: `stop()` or the `signal` stops it after the current batch's commit; a restart resumes
 *   from the stored checkpoint, anywhere.
 *
 * Between batches it keeps the documents it committed, decoded (`committedDocuments.ts`): the commit's
 * checkpoint comparison refuses a batch computed on documents someone else changed since, and then the
 * runner forgets them and re-reads.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Clock, EventStore, EventStoreError, Position, RecordedEvent } from '@policy-credit/event-store'
import {
  applyDecodedEvent,
  decodeForProjection,
  deleted,
  eventReference,
  projectionNamespace,
  type DecodedEvent,
  type EventReference,
  type Projection,
  type ProjectionFailed,
  type WorkingDocuments,
} from './projection.ts'
import type { DocumentChange, ReadModelNamespace, ReadModelStore, ReadModelStoreError, SkippedEvent } from './readModelStore.ts'
import { committedDocuments, type CommittedDocuments } from './committedDocuments.ts'

export interface ProjectionRunnerDependencies<Document, Event> {
  readonly eventStore: Pick<EventStore, 'readAll' | 'headPosition'>
  readonly readModelStore: ReadModelStore
  readonly projection: Projection<Document, Event>
}

export interface CatchUpOptions {
  /** Events read, applied and committed per transaction. */
  readonly batchSize?: number
  /** Stops the runner after the current batch. */
  readonly signal?: AbortSignal
  /** Called after each committed batch. */
  readonly onProgress?: (progress: ProjectionProgress) => void
  /**
   * At most this many committed documents kept decoded for the next batches, `defaultCachedDocuments` by default;
   * with 0 a batch reads from the store every document the batch just before it did not write.
   */
  readonly cachedDocuments?: number
  /** Events read from the store at a time within a batch (`READ_PAGE` by default); a batch still commits once. */
  readonly readPageSize?: number
}

export interface RunOptions extends CatchUpOptions {
  /** Milliseconds between reads once caught up. */
  readonly pollInterval?: number
  /**
   * On first catching up, make this version the one readers see, unless a newer version already is.
   * This is how a rebuild switches: run the new version beside the old and it takes over when caught up.
   */
  readonly activateWhenCaughtUp?: boolean
}

/**
 * Events per transaction. A batch loads, rewrites and commits every document its events touch, so that
 * cost is paid per batch, not per event. Rebuilding from the bench town (20,000 households, 3 December,
 * outstanding-debt version 7, runs alternating in one process): outstanding-debt on SQLite 3.35–4.41 s in
 * batches of 5,000, 2.78–3.32 s in 10,000, 2.83–3.02 s in 20,000, 2.63–3.03 s in 40,000; into PostgreSQL
 * 5.07–6.17 s against 3.68–4.31 s in 20,000 (poverty-rate 1.95–2.37 s against 1.79–2.06 s; on SQLite it
 * does not change). The price, with `defaultCachedDocuments` kept: a heap between batches of 23 MiB
 * (poverty-rate) and 28 MiB (outstanding-debt) instead of 21 and 26, and a peak RSS of 202–208 MiB for
 * outstanding-debt on SQLite (what a batch holds while it runs). Live, a batch is whatever arrived since
 * the last, so a larger one costs no latency.
 */
export const defaultBatchSize = 20_000

/**
 * Committed documents kept decoded for the next batches. When batches were 2,000 events, rebuilding
 * outstanding-debt at the bench's 20,000 households, a batch touched about 1,200 documents; 2,000 kept
 * served from memory every one an earlier batch touched (4 in 5) for 50–80 MiB more peak RSS, while
 * 20,000 kept served no more and took 280 MiB more. Since batches are 20,000 events (3 December), as many
 * kept as a batch holds made the heap between batches grow with the read model, not stay flat: 18 → 36 MiB
 * (poverty-rate) and 27 → 42 MiB (outstanding-debt) from 5,000 to 20,000 households, where 5,000 kept
 * hold 19 and 23 MiB at 20,000 households for the same rebuild time within the noise (3.39 and 3.39 s
 * against 3.49 and 3.04 s, alternating).
 */
export const defaultCachedDocuments = 5_000
export const defaultPollInterval = 1000

export interface ProjectionProgress {
  readonly projection: ReadModelNamespace
  /** Position of the last event whose effect is committed. */
  readonly checkpoint: Position | undefined
  /** Since this runner started. */
  readonly eventsProcessed: number
  readonly eventsSkipped: number
  readonly batchesCommitted: number
  /**
   * The event store's last position when last asked. Positions are opaque, so the runner cannot count
   * the events between; `caughtUp` says whether there were any that pass the filter.
   */
  readonly headPosition: Position | undefined
  readonly caughtUp: boolean
}

export type RunnerError =
  | ProjectionFailed
  | { readonly _tag: 'EventStoreFailed'; readonly projection: ReadModelNamespace; readonly error: EventStoreError }
  | { readonly _tag: 'ReadModelStoreFailed'; readonly projection: ReadModelNamespace; readonly error: ReadModelStoreError }
  /** A stored document the projection's codec cannot decode: written by another version's code, or edited by hand. */
  | { readonly _tag: 'InvalidStoredDocument'; readonly projection: ReadModelNamespace; readonly id: string; readonly message: string }
  /** The projection's codec threw while encoding a document: a defect, reported with the document. */
  | { readonly _tag: 'DocumentEncodeFailed'; readonly projection: ReadModelNamespace; readonly id: string; readonly error: unknown }
  | { readonly _tag: 'InvalidRunnerOptions'; readonly projection: ReadModelNamespace; readonly message: string }

interface Session {
  checkpoint: Position | undefined
  eventsProcessed: number
  eventsSkipped: number
  batchesCommitted: number
  headPosition: Position | undefined
  caughtUp: boolean
}

/** An event of a page as the runner plans it: its reference, or what it decoded to. */
type Step<Event> = { readonly _tag: 'Skipped'; readonly reference: EventReference } | { readonly _tag: 'Apply'; readonly decoded: DecodedEvent<Event> }

const positionOf = (step: Step<unknown>): Position => (step._tag === 'Skipped' ? step.reference.position : step.decoded.reference.position)

const snapshot = (namespace: ReadModelNamespace, session: Session): ProjectionProgress => ({ projection: namespace, ...session })

const readModelStoreFailed = (projection: ReadModelNamespace, error: ReadModelStoreError): RunnerError => ({
  _tag: 'ReadModelStoreFailed',
  projection,
  error,
})

/** Decodes the batch's events up to the first that fails; skipped events are not decoded. */
const planSteps = <Document, Event>(
  projection: Projection<Document, Event>,
  events: ReadonlyArray<RecordedEvent>,
  skipped: ReadonlySet<string>,
): { readonly steps: ReadonlyArray<Step<Event>>; readonly failure?: ProjectionFailed } => {
  const steps: Array<Step<Event>> = []
  for (const recorded of events) {
    if (skipped.has(recorded.position)) {
      steps.push({ _tag: 'Skipped', reference: eventReference(recorded) })
      continue
    }
    const decoded = decodeForProjection(projection, recorded)
    if (E.isLeft(decoded)) return { steps, failure: decoded.left }
    steps.push({ _tag: 'Apply', decoded: decoded.right })
  }
  return { steps }
}

/**
 * The documents these steps touch that exist in the store, except those `held` (loaded or made earlier in
 * the batch): from `known` (the batch in flight, then the kept documents) when it holds them, else read and decoded.
 */
const loadDocuments = async <Document, Event>(
  dependencies: ProjectionRunnerDependencies<Document, Event>,
  steps: ReadonlyArray<Step<Event>>,
  known: Pick<CommittedDocuments<Document>, 'get'>,
  held: (id: string) => boolean,
): Promise<E.Either<RunnerError, ReadonlyMap<string, Document>>> => {
  const { projection, readModelStore } = dependencies
  const namespace = projectionNamespace(projection)
  const documents = new Map<string, Document>()
  const unknown = new Set<string>()
  for (const step of steps) {
    if (step._tag === 'Skipped') continue
    for (const id of step.decoded.documentIds) {
      // Held first: most ids of a page were touched by a page before it in the batch, and that is one lookup.
      if (held(id) || documents.has(id) || unknown.has(id)) continue
      const document = known.get(id)
      if (document === undefined) unknown.add(id)
      else if (document !== deleted) documents.set(id, document)
    }
  }
  if (unknown.size === 0) return E.right(documents)
  const stored = await readModelStore.getDocuments(namespace, [...unknown])()
  if (E.isLeft(stored)) return E.left(readModelStoreFailed(namespace, stored.left))
  for (const [id, json] of stored.right) {
    const document = projection.documentCodec.decode(json)
    if (E.isLeft(document)) return E.left({ _tag: 'InvalidStoredDocument', projection: namespace, id, message: document.left })
    documents.set(id, document.right)
  }
  return E.right(documents)
}

const documentChanges = <Document, Event>(
  projection: Projection<Document, Event>,
  working: WorkingDocuments<Document>,
  loaded: ReadonlyMap<string, Document>,
): E.Either<RunnerError, ReadonlyArray<DocumentChange>> => {
  const changes: Array<DocumentChange> = []
  for (const [id, document] of working) {
    if (document === deleted) {
      // A document created and deleted within the batch never reached the store.
      if (loaded.has(id)) changes.push({ _tag: 'Delete', id })
      continue
    }
    // `apply` gave back the document it was given (it never mutates one): the store already holds it.
    if (loaded.get(id) === document) continue
    try {
      changes.push({ _tag: 'Put', id, document: projection.documentCodec.encode(document) })
    } catch (error) {
      return E.left({ _tag: 'DocumentEncodeFailed', projection: projectionNamespace(projection), id, error })
    }
  }
  return E.right(changes)
}

/**
 * Events read from the store at a time, within a batch. A batch commits once however many pages it reads;
 * reading it all at once kept every event of the batch alive while it was applied, and the garbage
 * collector copied them: rebuilding poverty-rate in batches of 500 spent 155–190 ms collecting against
 * 420–510 ms in batches of 2,000.
 */
export const READ_PAGE = 500

interface BatchShape {
  readonly batchSize: number
  readonly pageSize: number
}


/** A batch read and applied: what it changed, and how far it got. */
interface ComputedBatch<Document> {
  /** Events applied, and passed over as skipped, before the failure if there is one. */
  readonly processed: number
  readonly skipped: number
  readonly working: WorkingDocuments<Document>
  /** The documents as the batch found them. */
  readonly loaded: ReadonlyMap<string, Document>
  /** The checkpoint once committed: where the read ended, or the last event done before a failure. */
  readonly checkpoint: Position | undefined
  readonly failure: ProjectionFailed | undefined
  readonly isEnd: boolean
  /** The store's head when the batch last read, if the store said. */
  readonly head: Position | undefined
  /** Whether any page held an event, applied or not. */
  readonly readEvents: boolean
}

/** A batch done again with the pure `apply`, up to the event whose in-place apply threw. */
interface Redo {
  readonly before: Position
  readonly failure: ProjectionFailed
}

/**
 * A batch whose commit is under way. The next batch is read and applied meanwhile, on the documents as
 * this one leaves them (`working`), and commits only once this commit has landed: a PostgreSQL commit
 * (or read) then overlaps the work of the next batch instead of idling the runner.
 */
interface InFlight<Document> {
  readonly committed: Promise<E.Either<ReadModelStoreError, void>>
  readonly working: WorkingDocuments<Document>
  readonly checkpoint: Position
  readonly processed: number
  readonly skipped: number
}

/**
 * Reads and applies one batch from `from`, on documents found in `overlay` (the batch whose commit is
 * under way), then `kept`, then the store. A read or load that fails is returned as such. A page's events
 * are let go once applied: only their count and the last position are kept, so a batch keeps no events alive.
 */
const computeBatch = async <Document, Event>(
  dependencies: ProjectionRunnerDependencies<Document, Event>,
  shape: BatchShape,
  from: Position | undefined,
  overlay: WorkingDocuments<Document> | undefined,
  kept: CommittedDocuments<Document>,
  skipsBesideFirstPage: boolean,
  redo?: Redo,
): Promise<E.Either<RunnerError, ComputedBatch<Document>>> => {
  const { batchSize, pageSize } = shape
  const { eventStore, readModelStore, projection } = dependencies
  const namespace = projectionNamespace(projection)
  let processed = 0
  let skippedCount = 0
  let lastDone: Position | undefined
  const loaded = new Map<string, Document>()
  const loadedDocument = (id: string): Document | undefined => loaded.get(id)
  const working: WorkingDocuments<Document> = new Map()
  const drafts = projection.inPlace === undefined || redo !== undefined ? undefined : new Set<Document>()
  const known: Pick<CommittedDocuments<Document>, 'get'> =
    overlay === undefined ? kept : { get: (id) => (overlay.has(id) ? overlay.get(id) : kept.get(id)) }
  let skipped: ReadonlySet<string> | undefined
  let readEvents = false
  let failure: ProjectionFailed | undefined
  let threw = false
  /** Where the next page starts; once the batch has read everything, its checkpoint. */
  let cursor = from
  let isEnd = false
  const readPage = (after: Position | undefined, maxCount: number) =>
    eventStore.readAll({ ...(after === undefined ? {} : { after }), maxCount, filter: projection.filter })()
  let head: Position | undefined
  let asked = Math.min(pageSize, batchSize)
  let reading = readPage(cursor, asked)
  // Read each batch that has events: an operator may record a skip at any time, the runner stopped at a
  // failure or not. Beside the first page while events keep coming (on a busy server, a round trip of its
  // own cost 7–11 ms); after it when the batch before found none, so that polling an idle store is one
  // read, not two.
  let skipsReading = skipsBesideFirstPage ? readModelStore.listSkips(namespace)() : undefined
  for (;;) {
    const read = await reading
    if (E.isLeft(read)) return E.left({ _tag: 'EventStoreFailed', projection: namespace, error: read.left })
    const { events } = read.right
    isEnd = read.right.isEnd
    head = read.right.head
    // A filtered read may have looked past its last event: the checkpoint moves there only when the whole batch succeeded.
    const next = read.right.checkpoint ?? events.at(-1)?.position ?? cursor
    // A short page ends the batch: the store had no more, or (PostgreSQL) it waited for an older transaction
    // still to commit and gave what was safe; reading on would wait again before this batch commits.
    const done = processed + skippedCount
    const more = !isEnd && events.length === asked && done + events.length < batchSize
    if (more) {
      // The next page is read while this one is applied; dropped unread if this one fails.
      asked = Math.min(pageSize, batchSize - done - events.length)
      reading = readPage(next, asked)
    }
    if (events.length > 0) readEvents = true
    if (events.length > 0 && skipped === undefined) {
      skipsReading ??= readModelStore.listSkips(namespace)()
      const skips = await skipsReading
      if (E.isLeft(skips)) return E.left(readModelStoreFailed(namespace, skips.left))
      skipped = new Set(skips.right.map((skip) => skip.position))
    }
    const planned = planSteps(projection, events, skipped ?? new Set())
    const page = await loadDocuments(dependencies, planned.steps, known, (id) => working.has(id) || loaded.has(id))
    if (E.isLeft(page)) return page
    for (const [id, document] of page.right) loaded.set(id, document)
    for (const step of planned.steps) {
      const position = positionOf(step)
      if (position === redo?.before) {
        failure = redo.failure
        break
      }
      if (step._tag === 'Apply') {
        const applied = applyDecodedEvent(projection, working, step.decoded, loadedDocument, drafts)
        if (E.isLeft(applied)) {
          failure = applied.left
          threw = true
          break
        }
        processed += 1
      } else skippedCount += 1
      lastDone = position
    }
    failure ??= planned.failure
    if (failure !== undefined) break
    cursor = next
    if (!more) break
  }
  // The failing event may have changed drafts in place before it threw: the batch is done again, read
  // again, with the pure `apply`, up to that event. Where `apply` fails before it, the two disagree: a
  // defect, reported at that event.
  if (threw && drafts !== undefined && failure !== undefined)
    return computeBatch(dependencies, shape, from, overlay, kept, true, { before: failure.event.position, failure })
  const checkpoint = failure === undefined ? cursor : (lastDone ?? from)
  return E.right({ processed, skipped: skippedCount, working, loaded, checkpoint, failure, isEnd, head, readEvents })
}

/**
 * One runner's batches: each read and applied while the commit of the one before is under way (`next`),
 * and committed once that has landed (`settle`). `session` is what has landed; `report` is called each
 * time it changes, and when a batch finds nothing new.
 */
const batchesOf = <Document, Event>(
  dependencies: ProjectionRunnerDependencies<Document, Event>,
  shape: BatchShape,
  session: Session,
  kept: CommittedDocuments<Document>,
  report: () => void,
  stopped: () => boolean,
) => {
  const { eventStore, readModelStore, projection } = dependencies
  const namespace = projectionNamespace(projection)
  let inFlight: InFlight<Document> | undefined
  /** Whether the last batch read any event: if not, the runner is likely polling an idle store. */
  let foundEvents = true

  /** Waits for the commit under way, if any. `Right(false)`: it was refused, as computed on documents someone else changed. */
  const settle = async (): Promise<E.Either<RunnerError, boolean>> => {
    if (inFlight === undefined) return E.right(true)
    const landing = inFlight
    inFlight = undefined
    const committed = await landing.committed
    if (E.isLeft(committed)) {
      if (committed.left._tag !== 'CheckpointConflict') return E.left(readModelStoreFailed(namespace, committed.left))
      // Someone else committed from here (an earlier commit whose acknowledgement was lost, or a second
      // runner): what this batch computed is stale, and so may be any document kept from earlier batches.
      // Resume from what is stored; nothing is applied twice.
      kept.forget()
      session.checkpoint = committed.left.actual
      session.caughtUp = false
      report()
      return E.right(false)
    }
    kept.remember(landing.working)
    session.checkpoint = landing.checkpoint
    session.batchesCommitted += 1
    session.eventsProcessed += landing.processed
    session.eventsSkipped += landing.skipped
    report()
    return E.right(true)
  }

  /**
   * Reads and applies the next batch, settles the commit under way, and starts this batch's commit. A
   * batch that stopped at a failing event commits the events before it, waits for that, and returns the failure.
   */
  const next = async (): Promise<E.Either<RunnerError, void>> => {
    const computed = await computeBatch(dependencies, shape, inFlight?.checkpoint ?? session.checkpoint, inFlight?.working, kept, foundEvents)
    foundEvents = E.isLeft(computed) || computed.right.readEvents
    const hadInFlight = inFlight !== undefined
    const landed = await settle()
    if (E.isLeft(landed)) return landed
    // Computed on documents that were not what the store holds: dropped, and read again from the stored checkpoint.
    // Or stopped while the batch before was landing: the runner stops after that batch, as it would have unpipelined.
    if (!landed.right || (hadInFlight && stopped())) return E.right(undefined)
    if (E.isLeft(computed)) return computed
    const { processed, skipped, working, loaded, checkpoint, failure, isEnd, head } = computed.right
    if (checkpoint !== undefined && checkpoint !== session.checkpoint) {
      const changes = documentChanges(projection, working, loaded)
      if (E.isLeft(changes)) return changes
      inFlight = {
        committed: readModelStore.commit(namespace, { changes: changes.right, expectedCheckpoint: session.checkpoint, checkpoint })(),
        working,
        checkpoint,
        processed,
        skipped,
      }
      if (failure !== undefined) {
        const failed = await settle()
        if (E.isLeft(failed)) return failed
        if (!failed.right) return E.right(undefined)
      }
    }
    if (failure !== undefined) return E.left(failure)
    // The head as the batch's last read found it; asked for only from a store that does not say.
    const currentHead = head !== undefined ? E.right(head) : await eventStore.headPosition()()
    if (E.isLeft(currentHead)) {
      await settle()
      return E.left({ _tag: 'EventStoreFailed', projection: namespace, error: currentHead.left })
    }
    session.headPosition = currentHead.right
    session.caughtUp = isEnd
    // A batch that found nothing new reports that (caught up, say), also after the batch before it landed
    // and reported with what it knew then; one that commits reports when it lands.
    if (inFlight === undefined) report()
    return E.right(undefined)
  }

  return { next, settle }
}

const isPositiveInteger = (value: number): boolean => Number.isSafeInteger(value) && value > 0

/** A session's state, and the documents it keeps between batches (none kept from an earlier session: anyone may have written since). */
const startSession = async <Document>(
  readModelStore: ReadModelStore,
  namespace: ReadModelNamespace,
  options: CatchUpOptions,
): Promise<E.Either<RunnerError, { readonly session: Session; readonly kept: CommittedDocuments<Document>; readonly shape: BatchShape }>> => {
  const batchSize = options.batchSize ?? defaultBatchSize
  if (!isPositiveInteger(batchSize))
    return E.left({ _tag: 'InvalidRunnerOptions', projection: namespace, message: `batch size ${batchSize} is not a positive integer` })
  const pageSize = options.readPageSize ?? READ_PAGE
  if (!isPositiveInteger(pageSize))
    return E.left({ _tag: 'InvalidRunnerOptions', projection: namespace, message: `read page size ${pageSize} is not a positive integer` })
  const cached = options.cachedDocuments ?? defaultCachedDocuments
  if (!(Number.isSafeInteger(cached) && cached >= 0))
    return E.left({ _tag: 'InvalidRunnerOptions', projection: namespace, message: `cached documents ${cached} is not a non-negative integer` })
  const checkpoint = await readModelStore.readCheckpoint(namespace)()
  if (E.isLeft(checkpoint)) return E.left(readModelStoreFailed(namespace, checkpoint.left))
  return E.right({
    session: { checkpoint: checkpoint.right, eventsProcessed: 0, eventsSkipped: 0, batchesCommitted: 0, headPosition: undefined, caughtUp: false },
    kept: committedDocuments(cached, checkpoint.right === undefined),
    shape: { batchSize, pageSize },
  })
}

/** Runs batches until the projection has caught up with the events stored when it started its last read, or is stopped. */
export const catchUpProjection =
  <Document, Event>(dependencies: ProjectionRunnerDependencies<Document, Event>, options: CatchUpOptions = {}): TE.TaskEither<RunnerError, ProjectionProgress> =>
  async () => {
    const namespace = projectionNamespace(dependencies.projection)
    const started = await startSession<Document>(dependencies.readModelStore, namespace, options)
    if (E.isLeft(started)) return started
    const { session, kept, shape } = started.right
    const batches = batchesOf(dependencies, shape, session, kept, () => options.onProgress?.(snapshot(namespace, session)), () => options.signal?.aborted === true)
    while (options.signal?.aborted !== true) {
      const batch = await batches.next()
      if (E.isLeft(batch)) return batch
      if (!session.caughtUp) continue
      // Caught up once the last batch has landed; a refused commit reads again from what is stored.
      const landed = await batches.settle()
      if (E.isLeft(landed)) return landed
      if (session.caughtUp) break
    }
    const landed = await batches.settle()
    return E.isLeft(landed) ? landed : E.right(snapshot(namespace, session))
  }

/** Makes `namespace` the version readers see, unless the same or a newer version already is. */
const activateUnlessNewerActive = async (readModelStore: ReadModelStore, namespace: ReadModelNamespace): Promise<E.Either<RunnerError, void>> => {
  const active = await readModelStore.activeVersion(namespace.name)()
  if (E.isLeft(active)) return E.left(readModelStoreFailed(namespace, active.left))
  if (active.right !== undefined && active.right >= namespace.version) return E.right(undefined)
  const activated = await readModelStore.activateVersion(namespace)()
  return E.isLeft(activated) ? E.left(readModelStoreFailed(namespace, activated.left)) : E.right(undefined)
}

/**
 * Builds `projection` (usually a new version) beside the version readers see, and switches readers to it
 * once it has caught up. Until then readers keep the old version: they never see a half-built model.
 */
export const rebuildProjection =
  <Document, Event>(dependencies: ProjectionRunnerDependencies<Document, Event>, options: CatchUpOptions = {}): TE.TaskEither<RunnerError, ProjectionProgress> =>
  async () => {
    const caughtUp = await catchUpProjection(dependencies, options)()
    if (E.isLeft(caughtUp) || !caughtUp.right.caughtUp) return caughtUp
    const namespace = projectionNamespace(dependencies.projection)
    const activated = await dependencies.readModelStore.activateVersion(namespace)()
    return E.isLeft(activated) ? E.left(readModelStoreFailed(namespace, activated.left)) : caughtUp
  }

export interface RunningProjection {
  /** Settles when the runner stops: `Right` after `stop()` or the signal, `Left` with the report when it failed. */
  readonly done: Promise<E.Either<RunnerError, ProjectionProgress>>
  /** Stops after the current batch's commit. */
  readonly stop: () => void
  readonly progress: () => ProjectionProgress
}

const pause = (milliseconds: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const wake = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', wake)
      resolve()
    }
    const timer = setTimeout(wake, milliseconds)
    signal.addEventListener('abort', wake, { once: true })
  })

/**
 * Catches up, then follows live until stopped or failed. Live following polls `readAll` every
 * `pollInterval` once caught up, rather than consuming `subscribeToAll`: one code path for catch-up and
 * live, the same batching and one transaction per batch on every store, and the checkpoint as the only state.
 */
export const runProjection = <Document, Event>(
  dependencies: ProjectionRunnerDependencies<Document, Event>,
  options: RunOptions = {},
): RunningProjection => {
  const namespace = projectionNamespace(dependencies.projection)
  const pollInterval = options.pollInterval ?? defaultPollInterval
  const controller = new AbortController()
  if (options.signal?.aborted === true) controller.abort()
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true })
  let session: Session = { checkpoint: undefined, eventsProcessed: 0, eventsSkipped: 0, batchesCommitted: 0, headPosition: undefined, caughtUp: false }

  const run = async (): Promise<E.Either<RunnerError, ProjectionProgress>> => {
    if (!Number.isFinite(pollInterval) || pollInterval < 0)
      return E.left({ _tag: 'InvalidRunnerOptions', projection: namespace, message: `poll interval ${pollInterval} is not a non-negative number` })
    const started = await startSession<Document>(dependencies.readModelStore, namespace, options)
    if (E.isLeft(started)) return started
    session = started.right.session
    const { kept, shape } = started.right
    let activated = options.activateWhenCaughtUp === false
    const batches = batchesOf(dependencies, shape, session, kept, () => options.onProgress?.(snapshot(namespace, session)), () => controller.signal.aborted)
    while (!controller.signal.aborted) {
      const batch = await batches.next()
      if (E.isLeft(batch)) return batch
      if (!session.caughtUp) continue
      const landed = await batches.settle()
      if (E.isLeft(landed)) return landed
      if (!session.caughtUp) continue
      if (!activated) {
        const activation = await activateUnlessNewerActive(dependencies.readModelStore, namespace)
        if (E.isLeft(activation)) return activation
        activated = true
      }
      await pause(pollInterval, controller.signal)
    }
    const landed = await batches.settle()
    return E.isLeft(landed) ? landed : E.right(snapshot(namespace, session))
  }

  return { done: run(), stop: () => controller.abort(), progress: () => snapshot(namespace, session) }
}

export interface SkipRequest {
  readonly projection: ReadModelNamespace
  readonly position: Position
  /** From the failure report, when skipping the event the runner stopped at. */
  readonly event?: Omit<EventReference, 'position'>
  readonly reason: string
  readonly actor: string
  readonly clock?: Clock
}

/**
 * Records an operator's decision to pass over one event (say, the one a `ProjectionFailed` report
 * names), so the runner continues past it on its next batch. Refused for an event whose effect is
 * already committed, since skipping it would change nothing and the record would mislead an audit.
 * Skips belong to one version: a new version, often written to handle that event, starts without them.
 */
export const skipEvent =
  (readModelStore: ReadModelStore, request: SkipRequest): TE.TaskEither<ReadModelStoreError, SkippedEvent> =>
  async () => {
    if (request.reason.trim() === '' || request.actor.trim() === '')
      return E.left({ _tag: 'InvalidReadModelRequest', namespace: request.projection, message: 'a skip needs a reason and an actor' })
    const checkpoint = await readModelStore.readCheckpoint(request.projection)()
    if (E.isLeft(checkpoint)) return checkpoint
    if (checkpoint.right !== undefined && request.position <= checkpoint.right)
      return E.left({
        _tag: 'InvalidReadModelRequest',
        namespace: request.projection,
        message: `event at ${request.position} is already applied (checkpoint ${checkpoint.right})`,
      })
    const skip: SkippedEvent = {
      position: request.position,
      ...(request.event === undefined ? {} : { event: { streamId: request.event.streamId, version: request.event.version, type: request.event.type } }),
      reason: request.reason,
      actor: request.actor,
      skippedAt: (request.clock ?? (() => new Date()))().toISOString(),
    }
    const recorded = await readModelStore.recordSkip(request.projection, skip)()
    return E.isLeft(recorded) ? recorded : E.right(skip)
  }
