/**
 * Ratios the bank publishes (overdue ratio 0.43 %, plan fulfilment 20.8 %), computed exactly from whole
 * numbers: the numerator and denominator are kept, and the rounded figure is derived by integer
 * arithmetic, never through a float.
 */

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
  // Half up: floor((2·n·10 000 + d) / 2d).
  const basisPoints = (2n * numerator * 10_000n + denominator) / (2n * denominator)
  const whole = basisPoints / 100n
  const hundredths = basisPoints % 100n
  return { numerator, denominator, basisPoints, percent: `${whole}.${hundredths.toString().padStart(2, '0')}` }
}
