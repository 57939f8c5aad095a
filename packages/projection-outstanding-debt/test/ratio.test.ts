import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ratio } from '../src/index.ts'

describe('ratio', () => {
  it('basis points are the exact quotient rounded half up, and the percent string says the same', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 18n }), (numerator, denominator) => {
        const result = ratio(numerator, denominator)
        const basisPoints = result?.basisPoints ?? -1n
        // b − ½ ≤ n·10 000 / d < b + ½, in integers.
        expect(2n * numerator * 10_000n >= (2n * basisPoints - 1n) * denominator).toBe(true)
        expect(2n * numerator * 10_000n < (2n * basisPoints + 1n) * denominator).toBe(true)
        const [whole, hundredths] = (result?.percent ?? '').split('.')
        expect(BigInt(whole ?? 'x') * 100n + BigInt(hundredths ?? 'x')).toBe(basisPoints)
        expect(hundredths).toHaveLength(2)
      }),
    )
  })

  it('the published figures: 416 / 2 000 = 20.80 %, and a half rounds up', () => {
    expect(ratio(416n, 2_000n)?.percent).toBe('20.80')
    expect(ratio(43n, 10_000n)?.percent).toBe('0.43')
    expect(ratio(1n, 20_000n)?.basisPoints).toBe(1n)
    expect(ratio(1n, 20_001n)?.basisPoints).toBe(0n)
  })

  it('there is no ratio of nothing', () => {
    expect(ratio(0n, 0n)).toBeUndefined()
    expect(ratio(5n, 0n)).toBeUndefined()
  })
})
