/**
 * Encoding of store positions as fixed-width decimal text, so that comparing two positions as
 * strings compares them as numbers. Each store encodes its own kind of position; positions of
 * different stores are never compared with each other.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Position } from './port.ts'

/** 2^64 − 1 has 20 digits: wide enough for any SQL sequence and for EventStoreDB's 64-bit positions. */
const DIGITS = 20
const MAXIMUM = 2n ** 64n - 1n
const SEQUENCE = /^[0-9]{20}$/
const PAIR = /^([0-9]{20})\/([0-9]{20})$/

const encodeNumber = (value: bigint): string => {
  if (value < 0n || value > MAXIMUM) throw new RangeError(`position component out of range: ${value}`)
  return value.toString().padStart(DIGITS, '0')
}

/** A position from a single counter (a SQL sequence, the in-memory store's index). Throws outside 0…2^64−1: a defect. */
export const positionFromSequence = (sequence: bigint): Position => encodeNumber(sequence) as Position

export const sequenceFromPosition = (position: string): E.Either<string, bigint> =>
  SEQUENCE.test(position) ? E.right(BigInt(position)) : E.left(`not a sequence position: ${JSON.stringify(position)}`)

/**
 * A position from a pair ordered by its major part, then its minor part: EventStoreDB's
 * (commit, prepare) in `$all`, PostgreSQL's (transaction id, sequence). Throws outside 0…2^64−1: a defect.
 */
export const positionFromPair = (major: bigint, minor: bigint): Position => `${encodeNumber(major)}/${encodeNumber(minor)}` as Position

export const pairFromPosition = (position: string): E.Either<string, { readonly major: bigint; readonly minor: bigint }> => {
  const match = PAIR.exec(position)
  return match === null || match[1] === undefined || match[2] === undefined
    ? E.left(`not a pair position: ${JSON.stringify(position)}`)
    : E.right({ major: BigInt(match[1]), minor: BigInt(match[2]) })
}

export const comparePositions = (left: Position, right: Position): -1 | 0 | 1 => (left < right ? -1 : left > right ? 1 : 0)

/** The later of two positions, either of which may be absent. */
export const laterPosition = (left: Position | undefined, right: Position | undefined): Position | undefined =>
  left === undefined ? right : right === undefined ? left : comparePositions(left, right) >= 0 ? left : right
