/**
 * Typed queries on a projection's read model, always through the active-version pointer, so readers see
 * the version that has caught up and never one still being rebuilt. Projection packages build their
 * queries ("outstanding debt of commune C01 on 2022-06-30") on `get`, `getMany` and `scan`.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Projection } from './projection.ts'
import type { IdRange, ReadModelNamespace, ReadModelStore, ReadModelStoreError, ScanOptions } from './readModelStore.ts'

export type ReadModelQueryError =
  | { readonly _tag: 'ReadModelStoreFailed'; readonly error: ReadModelStoreError }
  /** No version of this projection has caught up yet. */
  | { readonly _tag: 'ReadModelNotBuilt'; readonly name: string }
  /** The active version is one this code does not know how to read (it was built by other code). */
  | { readonly _tag: 'ActiveVersionUnknown'; readonly name: string; readonly version: number }
  | { readonly _tag: 'InvalidStoredDocument'; readonly projection: ReadModelNamespace; readonly id: string; readonly message: string }

export interface ReadModelQueries<Document> {
  readonly get: (id: string) => TE.TaskEither<ReadModelQueryError, Document | undefined>
  readonly getMany: (ids: ReadonlyArray<string>) => TE.TaskEither<ReadModelQueryError, ReadonlyMap<string, Document>>
  /** In id order (`compareDocumentIds`), or reversed when `direction` is 'backwards'. */
  readonly scan: (
    range: IdRange,
    options?: ScanOptions,
  ) => TE.TaskEither<ReadModelQueryError, ReadonlyArray<{ readonly id: string; readonly document: Document }>>
}

type ReadableVersion<Document> = Pick<Projection<Document, unknown>, 'name' | 'version' | 'documentCodec'>

/**
 * Queries for the projection `name`, decoding with the codec of whichever of `versions` is active: pass
 * every version the deployment may have active (during a rebuild, the old and the new).
 */
export const readModel = <Document>(
  store: ReadModelStore,
  name: string,
  versions: ReadonlyArray<ReadableVersion<Document>>,
): ReadModelQueries<Document> => {
  const active = async (): Promise<E.Either<ReadModelQueryError, ReadableVersion<Document>>> => {
    const version = await store.activeVersion(name)()
    if (E.isLeft(version)) return E.left({ _tag: 'ReadModelStoreFailed', error: version.left })
    if (version.right === undefined) return E.left({ _tag: 'ReadModelNotBuilt', name })
    const known = versions.find((candidate) => candidate.name === name && candidate.version === version.right)
    return known === undefined ? E.left({ _tag: 'ActiveVersionUnknown', name, version: version.right }) : E.right(known)
  }

  const decodeAll = (
    projection: ReadableVersion<Document>,
    stored: ReadonlyArray<{ readonly id: string; readonly document: unknown }>,
  ): E.Either<ReadModelQueryError, ReadonlyArray<{ readonly id: string; readonly document: Document }>> => {
    const decoded: Array<{ readonly id: string; readonly document: Document }> = []
    for (const { id, document } of stored) {
      const result = projection.documentCodec.decode(document)
      if (E.isLeft(result))
        return E.left({ _tag: 'InvalidStoredDocument', projection: { name: projection.name, version: projection.version }, id, message: result.left })
      decoded.push({ id, document: result.right })
    }
    return E.right(decoded)
  }

  const getMany = (ids: ReadonlyArray<string>): TE.TaskEither<ReadModelQueryError, ReadonlyMap<string, Document>> => async () => {
    const projection = await active()
    if (E.isLeft(projection)) return projection
    const stored = await store.getDocuments({ name, version: projection.right.version }, ids)()
    if (E.isLeft(stored)) return E.left({ _tag: 'ReadModelStoreFailed', error: stored.left })
    const decoded = decodeAll(projection.right, [...stored.right].map(([id, document]) => ({ id, document })))
    return E.map((documents: ReadonlyArray<{ readonly id: string; readonly document: Document }>) => new Map(documents.map(({ id, document }) => [id, document] as const)))(decoded)
  }

  return {
    get: (id) => async () => E.map((documents: ReadonlyMap<string, Document>) => documents.get(id))(await getMany([id])()),
    getMany,
    scan: (range, options) => async () => {
      const projection = await active()
      if (E.isLeft(projection)) return projection
      const stored = await store.scanDocuments({ name, version: projection.right.version }, range, options)()
      if (E.isLeft(stored)) return E.left({ _tag: 'ReadModelStoreFailed', error: stored.left })
      return decodeAll(projection.right, stored.right)
    },
  }
}
