import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { DecisionNumber, HouseholdId, LoanId } from '../../src/values/identifiers.ts'
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

describe('stream-naming identifiers', () => {
  const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/
  const identifierLike = fc.oneof(
    fc.stringMatching(IDENTIFIER),
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '.', '_', ':', '/', '-', ' ', '\n', '@', '`', '[', '{', 'ộ'), maxLength: 130 }),
    fc.string({ unit: fc.constantFrom('a', '-'), minLength: 126, maxLength: 130 }),
    fc.string(),
  )
  test.prop([identifierLike])('accept exactly what /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/ matches', (s) => {
    expect(HouseholdId.is(s)).toBe(IDENTIFIER.test(s))
    expect(LoanId.decode(s)._tag).toBe(IDENTIFIER.test(s) ? 'Right' : 'Left')
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
