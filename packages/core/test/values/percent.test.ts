import { fc, test } from '@fast-check/vitest'
import { expect, it } from 'vitest'
import { basisPointsHalfUp, percentFromBasisPoints } from '../../src/index.ts'

const whole = fc.bigInt({ min: 0n, max: 10n ** 15n })
const positive = fc.bigInt({ min: 1n, max: 10n ** 15n })

test.prop([whole, positive])('is the nearest basis point, halves rounded up', (numerator, denominator) => {
  const basisPoints = basisPointsHalfUp(numerator, denominator)
  // Exactly: basisPoints − ½ ≤ n·10 000 / d < basisPoints + ½.
  const twice = 2n * numerator * 10_000n
  expect((2n * basisPoints - 1n) * denominator <= twice).toBe(true)
  expect(twice < (2n * basisPoints + 1n) * denominator).toBe(true)
})

test.prop([fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n })])('writes basis points as a percentage that reads back to them', (basisPoints) => {
  const written = percentFromBasisPoints(basisPoints)
  expect(written).toMatch(/^-?\d+\.\d\d$/)
  expect(BigInt(written.replace('.', ''))).toBe(basisPoints)
})

it('gives the article’s figures', () => {
  expect(percentFromBasisPoints(basisPointsHalfUp(1_176n, 7_162n))).toBe('16.42')
  expect(percentFromBasisPoints(basisPointsHalfUp(416n, 2_000n))).toBe('20.80')
  expect(basisPointsHalfUp(1n, 20_000n)).toBe(1n) // exactly half a basis point rounds up
})
