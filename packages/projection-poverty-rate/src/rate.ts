/**
 * Rates computed exactly from whole counts of households: the numerator and denominator are kept, and
 * the published figure (16.42 %) is derived by integer arithmetic, rounded half up to a basis point
 * (0.01 %), never through a float. Roll-ups add counts and divide once.
 */
import { basisPointsHalfUp, percentFromBasisPoints } from '@policy-credit/core'

export interface Rate {
  readonly numerator: number
  readonly denominator: number
  /** numerator / denominator in basis points, rounded half up: 1 176 / 7 162 = 1 642. */
  readonly basisPoints: number
  /** The same as a percentage with two decimals: '16.42'. */
  readonly percent: string
}

/** A signed difference of two rates, in basis points of a percentage point (0.01 pp), rounded half away from zero. */
export interface RateChange {
  readonly basisPoints: number
  /** Percentage points with two decimals and a sign when negative: '-2.34', '1.05'. */
  readonly percentagePoints: string
}

/** `numerator / denominator`, or null when there are no households to divide by. */
export const rate = (numerator: number, denominator: number): Rate | null => {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0) throw new RangeError(`a rate needs whole counts: ${numerator} / ${denominator}`)
  if (denominator <= 0) return null
  const basisPoints = basisPointsHalfUp(BigInt(numerator), BigInt(denominator))
  return { numerator, denominator, basisPoints: Number(basisPoints), percent: percentFromBasisPoints(basisPoints) }
}

/** `from − to` exactly (a fall is positive, as domain.md §7.3 writes the reduction), rounded once. */
export const rateReduction = (from: Rate, to: Rate): RateChange => {
  const numerator = BigInt(from.numerator) * BigInt(to.denominator) - BigInt(to.numerator) * BigInt(from.denominator)
  const denominator = BigInt(from.denominator) * BigInt(to.denominator)
  const magnitude = basisPointsHalfUp(numerator < 0n ? -numerator : numerator, denominator)
  const basisPoints = numerator < 0n ? -magnitude : magnitude
  return { basisPoints: Number(basisPoints), percentagePoints: percentFromBasisPoints(basisPoints) }
}
