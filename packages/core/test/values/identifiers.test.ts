import { describe, expect, it } from 'vitest'
import { DecisionNumber, HouseholdId } from '../../src/values/identifiers.ts'
import { RateMultiple, BasisPoints } from '../../src/values/money.ts'

describe('DecisionNumber', () => {
  it.each(['15/2022/QĐ-UBND', '09/2011/QĐ-TTg', 'Quyết định số 59/2015/QĐ-TTg', 'QD-123-UBND-2021'])('accepts the number as written: %s', (number) =>
    expect(DecisionNumber.is(number)).toBe(true))

  it.each(['', ' 15/QĐ', '15/QĐ ', '15  /QĐ', '15/QĐ\n', 'x'.repeat(129)])('refuses %j', (number) => expect(DecisionNumber.is(number)).toBe(false))

  it('keeps stream-naming identifiers free of spaces and non-ASCII letters', () => {
    expect(HouseholdId.is('ho 1')).toBe(false)
    expect(HouseholdId.is('hộ-1')).toBe(false)
  })
})

describe('RateMultiple', () => {
  it('holds multiples above a whole, which a share cannot', () => {
    expect(RateMultiple.is(13_000)).toBe(true)
    expect(BasisPoints.is(13_000)).toBe(false)
    expect(RateMultiple.is(-1)).toBe(false)
    expect(RateMultiple.is(1.5)).toBe(false)
  })
})
