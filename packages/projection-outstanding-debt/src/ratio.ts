/**
 * Ratios the bank publishes (overdue ratio 0.43 %, plan fulfilment 20.8 %), computed exactly from whole
 * numbers: the numerator and denominator are kept, and the rounded figure is derived by integer
 * arithmetic, never through a float.
 */
import { basisPointsHalfUp, percentFromBasisPoints } from '@policy-credit/core'

export interface Ratio {
  readonly numerator: bigint
  readonly denominator: bigint
  /** numerator / denominator in basis points (1/100 of a percent), rounded half up: 416 / 2 000 = 2 080. */
  readonly basisPoints: bigint
  /** The same as a percentage with two decimals, rounded half up: '20.80', '0.43'. */
  readonly percent: string
}

/** `numerator / denominator`, or undefined when the denominator is zero (no outstanding, no plan): there is no ratio to report. */
export const ratio = (numerator: bigint, denominator: bigint): Ratio | undefined => {
  if (denominator <= 0n || numerator < 0n) return undefined
  const basisPoints = basisPointsHalfUp(numerator, denominator)
  return { numerator, denominator, basisPoints, percent: percentFromBasisPoints(basisPoints) }
}
