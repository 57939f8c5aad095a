/**
 * A PostgreSQL position is the pair (writing transaction's id, sequence): the events of a transaction
 * sort together, in the order they were written, and transactions sort by id. It is encoded as the
 * port's fixed-width pair of 64-bit numbers (the format EventStoreDB's (commit, prepare) pair uses),
 * so comparing two positions as strings compares the pairs.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pairFromPosition, positionFromPair, type Position } from '@policy-credit/event-store'

export interface PositionParts {
  /** `xid8`, as the driver returns it: decimal text. */
  readonly transactionId: string
  /** The identity column, as decimal text. */
  readonly sequence: string
}

export const encodePosition = ({ transactionId, sequence }: PositionParts): Position =>
  positionFromPair(BigInt(transactionId), BigInt(sequence))

export const decodePosition = (position: string): E.Either<string, PositionParts> =>
  E.map(({ major, minor }: { readonly major: bigint; readonly minor: bigint }) => ({
    transactionId: major.toString(),
    sequence: minor.toString(),
  }))(pairFromPosition(position))

export const isPostgresPosition = (position: string): boolean => E.isRight(decodePosition(position))

/** Before every event: readers start here when given no position. */
export const ORIGIN: PositionParts = { transactionId: '0', sequence: '0' }
