/**
 * The documents a runner has committed, kept decoded between its batches so that the next batch need
 * not read and decode them again. Sound because the runner is its namespace's only writer while its
 * commits succeed: each commit names the checkpoint it starts from, so a batch computed on documents
 * another writer has changed since is refused with `CheckpointConflict`, and the runner then forgets
 * them all. Bounded: past `capacity` the least recently used are evicted (and read again when needed).
 */
import { deleted, type Deleted, type WorkingDocuments } from './projection.ts'

export interface CommittedDocuments<Document> {
  /** The document as this runner last committed it, `deleted` when it is known not to exist, undefined when it must be read. */
  readonly get: (id: string) => Document | Deleted | undefined
  /** After a commit that succeeded: the documents it wrote and deleted. */
  readonly remember: (committed: WorkingDocuments<Document>) => void
  /** After a conflict: another writer may have changed any document. */
  readonly forget: () => void
}

/**
 * With `startsEmpty` (the namespace had no checkpoint when the runner started, so it held no documents:
 * only a commit writes documents, and it always sets the checkpoint), an id this runner never committed
 * does not exist and is not read at all: a rebuild from scratch reads no documents. The ids of existing
 * documents evicted since are kept to know which ones to read, up to `evictedIdsPerDocument` times
 * `capacity` of them (an id is far smaller than a document); past that every id not kept is read.
 */
const evictedIdsPerDocument = 50

export const committedDocuments = <Document>(capacity: number, startsEmpty: boolean): CommittedDocuments<Document> => {
  // In insertion order, which `get` and `remember` renew, so the first entry is the least recently used.
  const documents = new Map<string, Document | Deleted>()
  // While every id outside `documents` and `evicted` is known not to exist in the store.
  let evicted: Set<string> | undefined = startsEmpty && capacity > 0 ? new Set() : undefined
  const renew = (id: string, document: Document | Deleted): void => {
    documents.delete(id)
    documents.set(id, document)
  }
  return {
    get: (id) => {
      const document = documents.get(id)
      if (document !== undefined) {
        renew(id, document)
        return document
      }
      return evicted === undefined || evicted.has(id) ? undefined : deleted
    },
    remember: (committed) => {
      for (const [id, document] of committed) {
        renew(id, document)
        evicted?.delete(id)
      }
      for (const [id, document] of documents) {
        if (documents.size <= capacity) break
        documents.delete(id)
        // An evicted deletion needs no record: absent from both, the id reads as not existing, which it does not.
        if (document !== deleted) evicted?.add(id)
      }
      if (evicted !== undefined && evicted.size > capacity * evictedIdsPerDocument) evicted = undefined
    },
    forget: () => {
      documents.clear()
      evicted = undefined
    },
  }
}
