/**
 * Money is whole đồng (VND) as a branded bigint, never a float: balance × rate × days passes 2^53
 * before rounding. On the wire it is a decimal string, because JSON, jsonb and EventStoreDB payloads
 * cannot carry a bigint. Yearly rates are integer parts per million (6.24 %/yr = 62_400).
 */
import * as t from 'io-ts'
import { brand } from '../shared/codecs.ts'

export interface VndBrand {
  readonly Vnd: unique symbol
}
export type Vnd = bigint & t.Brand<VndBrand>

const ZERO = 48
const NINE = 57

/** As /^(0|[1-9][0-9]*)$/, without a regular expression: it is run on every amount of every stored event. */
const isNonNegativeIntegerText = (s: string): boolean => {
  if (s.length === 0) return false
  const first = s.charCodeAt(0)
  if (first === ZERO) return s.length === 1
  if (first < ZERO || first > NINE) return false
  for (let index = 1; index < s.length; index++) {
    const code = s.charCodeAt(index)
    if (code < ZERO || code > NINE) return false
  }
  return true
}

const NOT_AN_AMOUNT = 'expected a non-negative whole number of đồng as a decimal string'

/** Non-negative whole đồng, encoded as a decimal string. Not `BigInt(s)`: it accepts ' 12 ', '0x10' and ''. */
export const Vnd = new t.Type<Vnd, string, unknown>(
  'Vnd',
  (u): u is Vnd => typeof u === 'bigint' && u >= 0n,
  // Not t.string then a check: a non-string fails as t.string fails it, with no message.
  (u, c) => (typeof u !== 'string' ? t.failure(u, c) : isNonNegativeIntegerText(u) ? t.success(BigInt(u) as Vnd) : t.failure(u, c, NOT_AN_AMOUNT)),
  (amount) => amount.toString(),
)

/** For trusted arithmetic results and test literals; untrusted input goes through `Vnd.decode`. */
export const vnd = (amount: bigint): Vnd => {
  if (amount < 0n) throw new RangeError(`negative money is a defect: ${amount}`)
  return amount as Vnd
}

export const sumVnd = (amounts: ReadonlyArray<Vnd>): Vnd => vnd(amounts.reduce<bigint>((total, amount) => total + amount, 0n))
export const minVnd = (a: Vnd, b: Vnd): Vnd => (a < b ? a : b)

export interface RatePpmBrand {
  readonly RatePpm: unique symbol
}
/** A yearly rate in parts per million: 6.6 %/yr is 66_000. */
export type RatePpm = number & t.Brand<RatePpmBrand>
export const RatePpm = brand(
  t.number,
  (n): n is t.Branded<number, RatePpmBrand> => Number.isSafeInteger(n) && n >= 0 && n <= 1_000_000,
  'RatePpm',
)
export const ratePpm = (partsPerMillion: number): RatePpm => {
  if (!Number.isSafeInteger(partsPerMillion) || partsPerMillion < 0) throw new RangeError(`not a rate in ppm: ${partsPerMillion}`)
  return partsPerMillion as RatePpm
}

/** A multiple of a rate in basis points, which may exceed a whole (overdue interest at 130 % is 13_000). */
export interface RateMultipleBrand {
  readonly RateMultiple: unique symbol
}
export type RateMultiple = number & t.Brand<RateMultipleBrand>
export const RateMultiple = brand(
  t.number,
  (n): n is t.Branded<number, RateMultipleBrand> => Number.isSafeInteger(n) && n >= 0 && n <= 100_000,
  'RateMultiple',
)
export const rateMultiple = (basisPoints: number): RateMultiple => {
  if (!RateMultiple.is(basisPoints)) throw new RangeError(`not a rate multiple in basis points: ${basisPoints}`)
  return basisPoints
}

/** A share in basis points of a whole (80 % of contract value is 8_000). */
export interface BasisPointsBrand {
  readonly BasisPoints: unique symbol
}
export type BasisPoints = number & t.Brand<BasisPointsBrand>
export const BasisPoints = brand(
  t.number,
  (n): n is t.Branded<number, BasisPointsBrand> => Number.isSafeInteger(n) && n >= 0 && n <= 10_000,
  'BasisPoints',
)
