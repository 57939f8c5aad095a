/**
 * Rates and ratios the reports publish (16.42 %, 0.43 %) are derived from whole numbers by integer
 * arithmetic, never through a float: one rounding rule and one way of writing them for every report.
 */

/** `numerator / denominator` in basis points (0.01 %), rounded half up: floor((2·n·10 000 + d) / 2d). For n ≥ 0, d > 0. */
export const basisPointsHalfUp = (numerator: bigint, denominator: bigint): bigint => (2n * numerator * 10_000n + denominator) / (2n * denominator)

/** Basis points as a percentage with two decimals and a sign when negative: 1642n → '16.42', -234n → '-2.34'. */
export const percentFromBasisPoints = (basisPoints: bigint): string => {
  const magnitude = basisPoints < 0n ? -basisPoints : basisPoints
  return `${basisPoints < 0n ? '-' : ''}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`
}
