/**
 * The read-model store port: where projections keep their documents, their checkpoint, the events an
 * operator skipped, and which version of each projection readers see. It knows no domain: a document
 * is plain JSON under a string id, in a namespace `name@version`. Every store (in memory, SQLite,
 * PostgreSQL) implements exactly this and passes `describeReadModelStoreContract` from
 * `@policy-credit/projections/testing`. Errors are values in `Left`, never thrown across the port.
 *
 * The checkpoint is a `Position` of the event store, kept here and not in the event store: with the
 * events in EventStoreDB (or another database) and the read model in PostgreSQL, the checkpoint still
 * commits in the read model's transaction, which is what makes an event's effect land exactly once.
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Position, StreamVersion } from '@policy-credit/event-store'

/** One version of one projection. Bumping `version` builds a new read model beside the old one. */
export interface ReadModelNamespace {
  readonly name: string
  readonly version: number
}

export const namespaceKey = (namespace: ReadModelNamespace): string => `${namespace.name}@${namespace.version}`

/**
 * Document ids are compared by Unicode code point, which is the byte order of their UTF-8 encoding:
 * SQLite's BINARY collation and PostgreSQL's `COLLATE "C"` order them the same way. JavaScript's `<`
 * compares UTF-16 code units instead, which puts U+10000 and above before U+E000–U+FFFF.
 */
export const compareDocumentIds = (left: string, right: string): number => {
  const leftCodePoints = left[Symbol.iterator]()
  const rightCodePoints = right[Symbol.iterator]()
  for (;;) {
    const leftNext = leftCodePoints.next()
    const rightNext = rightCodePoints.next()
    if (leftNext.done === true) return rightNext.done === true ? 0 : -1
    if (rightNext.done === true) return 1
    const difference = (leftNext.value.codePointAt(0) ?? 0) - (rightNext.value.codePointAt(0) ?? 0)
    if (difference !== 0) return difference < 0 ? -1 : 1
  }
}

/** A document as stored: `document` is plain JSON (already encoded by the projection's document codec). */
export interface StoredDocument {
  readonly id: string
  readonly document: unknown
}

export type DocumentChange =
  | { readonly _tag: 'Put'; readonly id: string; readonly document: unknown }
  | { readonly _tag: 'Delete'; readonly id: string }

/**
 * Which ids a scan visits, always in id order (`compareDocumentIds`). Ids are designed for range scans:
 * `commune:C01:2022-06-30` lets "the latest entry for C01 on or before 2022-06-30" be one backwards scan
 * of `Between { from: 'commune:C01:', to: 'commune:C01:2022-06-30' }` with `limit: 1`.
 */
export type IdRange =
  | { readonly _tag: 'All' }
  /** Ids that start with `prefix`. */
  | { readonly _tag: 'Prefix'; readonly prefix: string }
  /** `from` ≤ id ≤ `to`, both inclusive (dated queries are "on or before"); an absent bound is open. */
  | { readonly _tag: 'Between'; readonly from?: string; readonly to?: string }

/** Whether a scan of `range` visits `id`: the definition every store's scan follows, one id at a time. */
export const idInRange = (range: IdRange, id: string): boolean => {
  switch (range._tag) {
    case 'All':
      return true
    case 'Prefix':
      return id.startsWith(range.prefix)
    case 'Between':
      return (range.from === undefined || compareDocumentIds(range.from, id) <= 0) && (range.to === undefined || compareDocumentIds(id, range.to) <= 0)
  }
}

export interface ScanOptions {
  readonly direction?: 'forwards' | 'backwards'
  /** At most this many documents; all of them when absent. */
  readonly limit?: number
}

/** Writes the changed documents and moves the checkpoint, all in one transaction. */
export interface CommitRequest {
  /** Applied in order; a later change to the same id wins. */
  readonly changes: ReadonlyArray<DocumentChange>
  /**
   * The checkpoint this commit starts from (undefined: nothing committed yet). The store refuses the
   * commit with `CheckpointConflict` when the stored checkpoint differs, so a retried or concurrent
   * runner can never apply a batch twice.
   */
  readonly expectedCheckpoint: Position | undefined
  readonly checkpoint: Position
}

/** An event an operator told the runner to pass over, and why; listed for audit. */
export interface SkippedEvent {
  readonly position: Position
  /** What was known of the event when it was skipped (from the runner's failure report). */
  readonly event?: {
    readonly streamId: string
    readonly version: StreamVersion
    readonly type: string
  }
  readonly reason: string
  /** Who decided (a user name or service identity). */
  readonly actor: string
  /** When it was decided, ISO-8601 UTC; the caller's clock, not the store's. */
  readonly skippedAt: string
}

export type ReadModelStoreError =
  | { readonly _tag: 'ReadModelStoreUnavailable'; readonly cause: unknown }
  | {
      readonly _tag: 'CheckpointConflict'
      readonly namespace: ReadModelNamespace
      readonly expected: Position | undefined
      readonly actual: Position | undefined
    }
  /** A commit or skip whose arguments are wrong (a checkpoint that does not move forward, a bad limit). */
  | { readonly _tag: 'InvalidReadModelRequest'; readonly namespace: ReadModelNamespace; readonly message: string }
  | { readonly _tag: 'SkipAlreadyRecorded'; readonly namespace: ReadModelNamespace; readonly position: Position }
  /** Readers would lose their model: the active version cannot be dropped. */
  | { readonly _tag: 'ActiveVersionCannotBeDropped'; readonly namespace: ReadModelNamespace }

export interface ReadModelStore {
  /** The documents that exist among `ids`, keyed by id; a missing id is simply absent. */
  readonly getDocuments: (
    namespace: ReadModelNamespace,
    ids: ReadonlyArray<string>,
  ) => TE.TaskEither<ReadModelStoreError, ReadonlyMap<string, unknown>>
  readonly scanDocuments: (
    namespace: ReadModelNamespace,
    range: IdRange,
    options?: ScanOptions,
  ) => TE.TaskEither<ReadModelStoreError, ReadonlyArray<StoredDocument>>
  /** Position of the last event whose effect is committed; undefined before the first commit. */
  readonly readCheckpoint: (namespace: ReadModelNamespace) => TE.TaskEither<ReadModelStoreError, Position | undefined>
  readonly commit: (namespace: ReadModelNamespace, request: CommitRequest) => TE.TaskEither<ReadModelStoreError, void>
  readonly recordSkip: (namespace: ReadModelNamespace, skip: SkippedEvent) => TE.TaskEither<ReadModelStoreError, void>
  /** In position order. */
  readonly listSkips: (namespace: ReadModelNamespace) => TE.TaskEither<ReadModelStoreError, ReadonlyArray<SkippedEvent>>
  /** The version readers see, or undefined before any version was activated. */
  readonly activeVersion: (name: string) => TE.TaskEither<ReadModelStoreError, number | undefined>
  /** Switches readers to `namespace` in one transaction. */
  readonly activateVersion: (namespace: ReadModelNamespace) => TE.TaskEither<ReadModelStoreError, void>
  /** Deletes a retired version's documents, checkpoint and skips. */
  readonly dropVersion: (namespace: ReadModelNamespace) => TE.TaskEither<ReadModelStoreError, void>
  readonly close: () => Promise<void>
}

const LAST_CODE_POINT = 0x10_ffff
const FIRST_SURROGATE = 0xd800
const AFTER_SURROGATES = 0xe000

/**
 * The least id above every id that starts with `prefix`, in code-point order: the prefix with its
 * last code point raised by one (dropping trailing U+10FFFF). Undefined when no id is above them all.
 * With it a store scans a `Prefix` range as an index range, forwards or backwards.
 */
export const prefixUpperBound = (prefix: string): string | undefined => {
  const codePoints = [...prefix].map((character) => character.codePointAt(0) ?? 0)
  while (codePoints.length > 0) {
    const last = codePoints.pop() ?? 0
    if (last < LAST_CODE_POINT) {
      // No string holds a surrogate code point, so the successor of U+D7FF is U+E000.
      codePoints.push(last + 1 === FIRST_SURROGATE ? AFTER_SURROGATES : last + 1)
      return String.fromCodePoint(...codePoints)
    }
  }
  return undefined
}

// With the `u` flag a surrogate pair is one code point, so this matches only a lone surrogate.
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Why an id (or a prefix or bound of a scan) cannot be stored or looked up, or undefined when it can:
 * a lone surrogate is not text in UTF-8, and PostgreSQL's driver would quietly store U+FFFD instead; a
 * NUL character PostgreSQL's text refuses with an error of its own. Every store refuses both with
 * `InvalidReadModelRequest`, so they all behave the same.
 */
export const idProblem = (id: string): string | undefined =>
  LONE_SURROGATE.test(id)
    ? `id ${JSON.stringify(id)} holds a lone surrogate, which is not text a store can hold`
    : id.includes('\u0000')
      ? `id ${JSON.stringify(id)} holds a NUL character, which PostgreSQL's text cannot hold`
      : undefined

/** Why a scan cannot be served (a bad limit, an id in the range that is not text), or undefined. */
export const scanProblem = (range: IdRange, options: ScanOptions): string | undefined => {
  if (options.limit !== undefined && !(Number.isSafeInteger(options.limit) && options.limit >= 0))
    return `scan limit ${String(options.limit)} is not a non-negative integer`
  const bounds = range._tag === 'Prefix' ? [range.prefix] : range._tag === 'Between' ? [range.from, range.to] : []
  for (const bound of bounds) {
    const problem = bound === undefined ? undefined : idProblem(bound)
    if (problem !== undefined) return problem
  }
  return undefined
}

