/**
 * The read-model store on a SQLite file: the projections' documents, checkpoints, skipped events and
 * active versions, in the file of the events or in another one. A commit writes its documents and
 * moves the checkpoint in one `BEGIN IMMEDIATE` transaction, after checking the stored checkpoint is
 * the one the runner started from, so a batch's effect lands exactly once even with two runners.
 */
import type Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { comparePositions, jsonProblem, type Position } from '@policy-credit/event-store'
import type {
  CommitRequest,
  IdRange,
  ReadModelNamespace,
  ReadModelStore,
  ReadModelStoreError,
  ScanOptions,
  SkippedEvent,
  StoredDocument,
} from '@policy-credit/projections'
import { idProblem, prefixUpperBound, scanProblem } from '@policy-credit/projections'
import { toReadModelStoreError } from './errors.ts'
import { transactionsOn } from './transactions.ts'
import { openSqliteFile, type SqliteFileOptions, type SqliteOpenError } from './schema.ts'

type Outcome<A> = E.Either<ReadModelStoreError, A>

/** [lower bound inclusive, upper bound, whether the upper bound is inclusive]; '' is below every id. */
const bounds = (range: IdRange): readonly [string, string | undefined, boolean] => {
  switch (range._tag) {
    case 'All':
      return ['', undefined, true]
    case 'Prefix':
      return [range.prefix, prefixUpperBound(range.prefix), false]
    case 'Between':
      return [range.from ?? '', range.to, true]
  }
}


interface StoredDocumentRow {
  readonly id: string
  readonly document: string
}

interface SkipRow {
  readonly position: string
  readonly stream_id: string | null
  readonly version: number | null
  readonly type: string | null
  readonly reason: string
  readonly actor: string
  readonly skipped_at: string
}

const skipFromRow = (row: SkipRow): SkippedEvent => ({
  position: row.position as Position,
  ...(row.stream_id === null || row.version === null || row.type === null
    ? {}
    : { event: { streamId: row.stream_id, version: BigInt(row.version), type: row.type } }),
  reason: row.reason,
  actor: row.actor,
  skippedAt: row.skipped_at,
})

/** Opens the file (creating and migrating it if needed) and returns the read-model store on it. */
export const sqliteReadModelStore = (options: SqliteFileOptions): TE.TaskEither<SqliteOpenError, ReadModelStore> => async () => {
  const opened = openSqliteFile(options)
  return E.isLeft(opened) ? opened : E.right(readModelStoreOn(opened.right))
}

const readModelStoreOn = (database: Database.Database): ReadModelStore => {
  let closed = false
  const { writing: inWriteTransaction, reading: inReadTransaction } = transactionsOn(database)
  const KEY = 'projection = ? AND projection_version = ?'
  const getDocument = database.prepare<unknown[], string>(`SELECT document FROM read_model_documents WHERE ${KEY} AND id = ?`).pluck(true)
  const putDocument = database.prepare(
    `INSERT INTO read_model_documents (projection, projection_version, id, document) VALUES (?, ?, ?, ?)
       ON CONFLICT (projection, projection_version, id) DO UPDATE SET document = excluded.document`,
  )
  const deleteDocument = database.prepare(`DELETE FROM read_model_documents WHERE ${KEY} AND id = ?`)
  const getCheckpoint = database.prepare<unknown[], string>(`SELECT position FROM read_model_checkpoints WHERE ${KEY}`).pluck(true)
  const putCheckpoint = database.prepare(
    `INSERT INTO read_model_checkpoints (projection, projection_version, position) VALUES (?, ?, ?)
       ON CONFLICT (projection, projection_version) DO UPDATE SET position = excluded.position`,
  )
  const hasSkip = database.prepare<unknown[], number>(`SELECT 1 FROM read_model_skips WHERE ${KEY} AND position = ?`).pluck(true)
  const insertSkip = database.prepare(
    `INSERT INTO read_model_skips (projection, projection_version, position, stream_id, version, type, reason, actor, skipped_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const listSkips = database.prepare<unknown[], SkipRow>(
    `SELECT position, stream_id, version, type, reason, actor, skipped_at FROM read_model_skips WHERE ${KEY} ORDER BY position`,
  )
  const getActiveVersion = database.prepare<unknown[], number>('SELECT projection_version FROM read_model_active_versions WHERE projection = ?').pluck(true)
  const putActiveVersion = database.prepare(
    `INSERT INTO read_model_active_versions (projection, projection_version) VALUES (?, ?)
       ON CONFLICT (projection) DO UPDATE SET projection_version = excluded.projection_version`,
  )
  const dropStatements = ['read_model_documents', 'read_model_checkpoints', 'read_model_skips'].map((table) =>
    database.prepare(`DELETE FROM ${table} WHERE ${KEY}`),
  )

  // One scan statement per (upper bound, direction): a bound left out rather than made optional keeps the index range tight.
  const scanStatements = new Map<string, Database.Statement<unknown[], StoredDocumentRow>>()
  const scanStatement = (upper: 'none' | 'inclusive' | 'exclusive', direction: 'ASC' | 'DESC') => {
    const key = `${upper}:${direction}`
    const cached = scanStatements.get(key)
    if (cached !== undefined) return cached
    const upperCondition = upper === 'none' ? '' : upper === 'inclusive' ? ' AND id <= ?' : ' AND id < ?'
    const prepared = database.prepare<unknown[], StoredDocumentRow>(
      `SELECT id, document FROM read_model_documents WHERE ${KEY} AND id >= ?${upperCondition} ORDER BY id ${direction} LIMIT ?`,
    )
    scanStatements.set(key, prepared)
    return prepared
  }

  const operation =
    <A>(namespace: ReadModelNamespace, what: string, body: () => Outcome<A>): TE.TaskEither<ReadModelStoreError, A> =>
    async () => {
      if (closed) return E.left({ _tag: 'ReadModelStoreUnavailable', cause: new Error('the SQLite read-model store is closed') })
      try {
        return body()
      } catch (cause) {
        return E.left(toReadModelStoreError(namespace, what)(cause))
      }
    }

  const invalid = (namespace: ReadModelNamespace, message: string): Outcome<never> => E.left({ _tag: 'InvalidReadModelRequest', namespace, message })

  const commit = (namespace: ReadModelNamespace, request: CommitRequest): Outcome<void> => {
    const key = [namespace.name, namespace.version] as const
    // Encode before the transaction: a document that is not plain JSON refuses the commit, writing nothing.
    const writes: Array<readonly [string, string | undefined]> = []
    for (const change of request.changes) {
      const idRefused = idProblem(change.id)
      if (idRefused !== undefined) return invalid(namespace, idRefused)
      if (change._tag === 'Delete') {
        writes.push([change.id, undefined])
        continue
      }
      const problem = jsonProblem(change.document)
      if (problem !== undefined) return invalid(namespace, `document ${change.id} is not plain JSON: ${problem}`)
      writes.push([change.id, JSON.stringify(change.document)])
    }
    return inWriteTransaction(() => {
      const stored = (getCheckpoint.get(...key) ?? undefined) as Position | undefined
      if (stored !== request.expectedCheckpoint) {
        return E.left({ _tag: 'CheckpointConflict', namespace, expected: request.expectedCheckpoint, actual: stored })
      }
      if (stored !== undefined && comparePositions(request.checkpoint, stored) <= 0) {
        return invalid(namespace, `checkpoint ${request.checkpoint} does not move forward from ${stored}`)
      }
      for (const [id, document] of writes) {
        if (document === undefined) deleteDocument.run(...key, id)
        else putDocument.run(...key, id, document)
      }
      putCheckpoint.run(...key, request.checkpoint)
      return E.right(undefined)
    })
  }

  const scan = (namespace: ReadModelNamespace, range: IdRange, options: ScanOptions): Outcome<ReadonlyArray<StoredDocument>> => {
    const problem = scanProblem(range, options)
    if (problem !== undefined) return invalid(namespace, problem)
    const [lower, upper, inclusive] = bounds(range)
    const direction = options.direction === 'backwards' ? 'DESC' : 'ASC'
    const limit = options.limit ?? -1
    const rows =
      upper === undefined
        ? scanStatement('none', direction).all(namespace.name, namespace.version, lower, limit)
        : scanStatement(inclusive ? 'inclusive' : 'exclusive', direction).all(namespace.name, namespace.version, lower, upper, limit)
    return E.right(rows.map((row) => ({ id: row.id, document: JSON.parse(row.document) as unknown })))
  }

  return {
    getDocuments: (namespace, ids) =>
      operation(namespace, 'getDocuments', () =>
        inReadTransaction(() => {
          const found = new Map<string, unknown>()
          for (const id of ids) {
            const problem = idProblem(id)
            if (problem !== undefined) return invalid(namespace, problem)
            const document = getDocument.get(namespace.name, namespace.version, id)
            if (document !== undefined) found.set(id, JSON.parse(document))
          }
          return E.right(found)
        }),
      ),
    scanDocuments: (namespace, range, options = {}) => operation(namespace, 'scanDocuments', () => scan(namespace, range, options)),
    readCheckpoint: (namespace) =>
      operation(namespace, 'readCheckpoint', () => E.right(getCheckpoint.get(namespace.name, namespace.version) as Position | undefined)),
    commit: (namespace, request) => operation(namespace, 'commit', () => commit(namespace, request)),
    recordSkip: (namespace, skip) =>
      operation(namespace, 'recordSkip', () =>
        inWriteTransaction(() => {
          if (hasSkip.get(namespace.name, namespace.version, skip.position) !== undefined) {
            return E.left({ _tag: 'SkipAlreadyRecorded', namespace, position: skip.position })
          }
          insertSkip.run(
            namespace.name,
            namespace.version,
            skip.position,
            skip.event?.streamId ?? null,
            skip.event?.version ?? null,
            skip.event?.type ?? null,
            skip.reason,
            skip.actor,
            skip.skippedAt,
          )
          return E.right(undefined)
        }),
      ),
    listSkips: (namespace) => operation(namespace, 'listSkips', () => E.right(listSkips.all(namespace.name, namespace.version).map(skipFromRow))),
    activeVersion: (name) => operation({ name, version: 0 }, 'activeVersion', () => E.right(getActiveVersion.get(name))),
    activateVersion: (namespace) =>
      operation(namespace, 'activateVersion', () => {
        putActiveVersion.run(namespace.name, namespace.version)
        return E.right(undefined)
      }),
    dropVersion: (namespace) =>
      operation(namespace, 'dropVersion', () =>
        inWriteTransaction(() => {
          if (getActiveVersion.get(namespace.name) === namespace.version) return E.left({ _tag: 'ActiveVersionCannotBeDropped', namespace })
          for (const drop of dropStatements) drop.run(namespace.name, namespace.version)
          return E.right(undefined)
        }),
      ),
    close: async () => {
      if (closed) return
      closed = true
      database.close()
    },
  }
}
