/**
 * Money is whole đồng (VND) as a branded bigint, never a float: balance × rate × days passes 2^53
 * before rounding. On the wire it is a decimal string, because JSON, jsonb and EventStoreDB payloads
 * cannot carry a bigint. Yearly rates are integer parts per million (6.24 %/yr = 62_400).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'

export interface VndBrand {
  readonly Vnd: unique symbol
}
export type Vnd = bigint & t.Brand<VndBrand>

const NON_NEGATIVE_INTEGER = /^(0|[1-9][0-9]*)$/

/** Non-negative whole đồng, encoded as a decimal string. Not `BigInt(s)`: it accepts ' 12 ', '0x10' and ''. */
export const Vnd = new t.Type<Vnd, string, unknown>(
  'Vnd',
  (u): u is Vnd => typeof u === 'bigint' && u >= 0n,
  (u, c) =>
    pipe(
      t.string.validate(u, c),
      E.flatMap((s) => (NON_NEGATIVE_INTEGER.test(s) ? t.success(BigInt(s) as Vnd) : t.failure(u, c, 'expected a non-negative whole number of đồng as a decimal string'))),
    ),
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
export const RatePpm = t.brand(
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
export const RateMultiple = t.brand(
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
export const BasisPoints = t.brand(
  t.number,
  (n): n is t.Branded<number, BasisPointsBrand> => Number.isSafeInteger(n) && n >= 0 && n <= 10_000,
  'BasisPoints',
)
