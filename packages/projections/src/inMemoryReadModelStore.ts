/**
 * The read-model store in memory: for tests, the CLI's `memory:` store and examples. It keeps documents
 * as JSON text, like the SQL stores do, so a document that is not plain JSON (a bigint the codec forgot
 * to encode) is refused here too, and a caller can never mutate what is stored.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { comparePositions, type Position } from '@policy-credit/event-store'
import {
  compareDocumentIds,
  idProblem,
  scanProblem,
  namespaceKey,
  type CommitRequest,
  type IdRange,
  type ReadModelNamespace,
  type ReadModelStore,
  type ReadModelStoreError,
  type ScanOptions,
  type SkippedEvent,
  type StoredDocument,
} from './readModelStore.ts'

interface NamespaceState {
  readonly documents: Map<string, string>
  /** The ids of `documents` in id order, for range scans by binary search; undefined after a commit added or removed an id, and sorted again by the next scan. */
  sortedIds: Array<string> | undefined
  checkpoint: Position | undefined
  readonly skips: Array<SkippedEvent>
}

type Outcome<Value> = E.Either<ReadModelStoreError, Value>

const toJsonText = (document: unknown): string | undefined => {
  try {
    return JSON.stringify(document)
  } catch {
    return undefined
  }
}

/** The first index of `ids` (in id order) whose id is not before `bound`, or after it when `inclusive` is false. */
const firstIndexAfter = (ids: ReadonlyArray<string>, bound: string, inclusive: boolean): number => {
  let low = 0
  let high = ids.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const order = compareDocumentIds(ids[middle] ?? '', bound)
    if (order < 0 || (!inclusive && order === 0)) low = middle + 1
    else high = middle
  }
  return low
}

/** The ids of a sorted array in `range`: a binary search for each end, then a slice. Ids with a code-point prefix are contiguous in id order. */
const idsInRange = (ids: ReadonlyArray<string>, range: IdRange): Array<string> => {
  switch (range._tag) {
    case 'All':
      return [...ids]
    case 'Prefix': {
      // A prefix that ends inside a surrogate pair is not a code-point prefix: its ids need not be contiguous.
      const last = range.prefix.charCodeAt(range.prefix.length - 1)
      if (last >= 0xd800 && last <= 0xdbff) return ids.filter((id) => id.startsWith(range.prefix))
      const start = firstIndexAfter(ids, range.prefix, true)
      let end = start
      while (end < ids.length && (ids[end] ?? '').startsWith(range.prefix)) end += 1
      return ids.slice(start, end)
    }
    case 'Between': {
      const start = range.from === undefined ? 0 : firstIndexAfter(ids, range.from, true)
      const end = range.to === undefined ? ids.length : firstIndexAfter(ids, range.to, false)
      return start < end ? ids.slice(start, end) : []
    }
  }
}


export const inMemoryReadModelStore = (): ReadModelStore => {
  const namespaces = new Map<string, NamespaceState>()
  const activeVersions = new Map<string, number>()
  let closed = false

  const stateOf = (namespace: ReadModelNamespace): NamespaceState => {
    const key = namespaceKey(namespace)
    const existing = namespaces.get(key)
    if (existing !== undefined) return existing
    const created: NamespaceState = { documents: new Map(), sortedIds: undefined, checkpoint: undefined, skips: [] }
    namespaces.set(key, created)
    return created
  }

  // Each operation runs synchronously inside one task, so it is atomic, like a transaction.
  const operation =
    <Value>(body: () => Outcome<Value>): TE.TaskEither<ReadModelStoreError, Value> =>
    async () => {
      if (closed) return E.left({ _tag: 'ReadModelStoreUnavailable', cause: new Error('the read-model store is closed') })
      return body()
    }
  const succeed = <Value>(value: Value): Outcome<Value> => E.right(value)
  const fail = (error: ReadModelStoreError): Outcome<never> => E.left(error)
  const invalid = (namespace: ReadModelNamespace, message: string): Outcome<never> =>
    fail({ _tag: 'InvalidReadModelRequest', namespace, message })

  const commit = (namespace: ReadModelNamespace, request: CommitRequest): Outcome<void> => {
    const state = stateOf(namespace)
    if (state.checkpoint !== request.expectedCheckpoint)
      return fail({ _tag: 'CheckpointConflict', namespace, expected: request.expectedCheckpoint, actual: state.checkpoint })
    if (state.checkpoint !== undefined && request.checkpoint <= state.checkpoint)
      return invalid(namespace, `checkpoint ${request.checkpoint} does not move forward from ${state.checkpoint}`)
    const writes: Array<readonly [string, string | undefined]> = []
    for (const change of request.changes) {
      const problem = idProblem(change.id)
      if (problem !== undefined) return invalid(namespace, problem)
      if (change._tag === 'Delete') {
        writes.push([change.id, undefined])
        continue
      }
      const text = toJsonText(change.document)
      if (text === undefined) return invalid(namespace, `document ${change.id} is not plain JSON`)
      writes.push([change.id, text])
    }
    for (const [id, text] of writes) {
      const known = state.documents.has(id)
      if (text === undefined) state.documents.delete(id)
      else state.documents.set(id, text)
      // Only a new or removed id changes the order; rewriting a document keeps it.
      if (known !== (text !== undefined)) state.sortedIds = undefined
    }
    state.checkpoint = request.checkpoint
    return succeed(undefined)
  }

  const scan = (namespace: ReadModelNamespace, range: IdRange, options: ScanOptions): Outcome<ReadonlyArray<StoredDocument>> => {
    const problem = scanProblem(range, options)
    if (problem !== undefined) return invalid(namespace, problem)
    const state = namespaces.get(namespaceKey(namespace))
    if (state === undefined) return succeed([])
    // Sorted once after the commits that changed the ids, not on every scan: a reader's scans cost a binary search and a slice.
    state.sortedIds ??= [...state.documents.keys()].sort(compareDocumentIds)
    const documents = state.documents
    const ids = idsInRange(state.sortedIds, range)
    if (options.direction === 'backwards') ids.reverse()
    const chosen = options.limit === undefined ? ids : ids.slice(0, options.limit)
    return succeed(chosen.map((id) => ({ id, document: JSON.parse(documents.get(id) ?? 'null') as unknown })))
  }

  return {
    getDocuments: (namespace, ids) =>
      operation(() => {
        const documents = namespaces.get(namespaceKey(namespace))?.documents
        const found = new Map<string, unknown>()
        for (const id of ids) {
          const problem = idProblem(id)
          if (problem !== undefined) return invalid(namespace, problem)
          const text = documents?.get(id)
          if (text !== undefined) found.set(id, JSON.parse(text))
        }
        return succeed(found)
      }),
    scanDocuments: (namespace, range, options = {}) => operation(() => scan(namespace, range, options)),
    readCheckpoint: (namespace) => operation(() => succeed(namespaces.get(namespaceKey(namespace))?.checkpoint)),
    commit: (namespace, request) => operation(() => commit(namespace, request)),
    recordSkip: (namespace, skip) =>
      operation(() => {
        const state = stateOf(namespace)
        if (state.skips.some((recorded) => recorded.position === skip.position))
          return fail({ _tag: 'SkipAlreadyRecorded', namespace, position: skip.position })
        state.skips.push(structuredClone(skip))
        state.skips.sort((left, right) => comparePositions(left.position, right.position))
        return succeed(undefined)
      }),
    listSkips: (namespace) => operation(() => succeed(structuredClone(namespaces.get(namespaceKey(namespace))?.skips ?? []))),
    activeVersion: (name) => operation(() => succeed(activeVersions.get(name))),
    activateVersion: (namespace) =>
      operation(() => {
        activeVersions.set(namespace.name, namespace.version)
        return succeed(undefined)
      }),
    dropVersion: (namespace) =>
      operation(() => {
        if (activeVersions.get(namespace.name) === namespace.version)
          return fail({ _tag: 'ActiveVersionCannotBeDropped', namespace })
        namespaces.delete(namespaceKey(namespace))
        return succeed(undefined)
      }),
    close: async () => {
      closed = true
    },
  }
}
