/**
 * Transactions for bodies that return `Either`: a `Left` rolls back, a `Right` commits, a throw rolls
 * back and propagates (to the store's `catch`, which classifies it). Statements are prepared once per
 * connection.
 */
import type Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'

export interface Transactions {
  /** `BEGIN IMMEDIATE`: takes the write lock first, so what the body reads cannot change before it commits. */
  readonly writing: <L, A>(body: () => E.Either<L, A>) => E.Either<L, A>
  /** `BEGIN` (deferred): the body's queries see one snapshot of the file. */
  readonly reading: <L, A>(body: () => E.Either<L, A>) => E.Either<L, A>
}

export const transactionsOn = (database: Database.Database): Transactions => {
  const beginWrite = database.prepare('BEGIN IMMEDIATE')
  const beginRead = database.prepare('BEGIN')
  const commit = database.prepare('COMMIT')
  const rollback = database.prepare('ROLLBACK')
  return {
    writing: (body) => {
      beginWrite.run()
      try {
        const outcome = body()
        if (E.isRight(outcome)) commit.run()
        else rollback.run()
        return outcome
      } catch (cause) {
        if (database.inTransaction) rollback.run()
        throw cause
      }
    },
    reading: (body) => {
      beginRead.run()
      try {
        return body()
      } finally {
        if (database.inTransaction) commit.run()
      }
    },
  }
}
