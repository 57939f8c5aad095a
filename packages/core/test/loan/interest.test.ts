import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { addDays, day, exactAmount, interestConventionOn, Loan, roundToWholeDong, vnd, type ExactAmount, type LocalDate } from '@policy-credit/core'
import { arbitraryDay, propertyTermsLookup } from '@policy-credit/core/testing'
import { nationalTerms } from './fixtures.ts'

const segment = (from: LocalDate, inTerm: bigint, overdue = 0n, frozen = 0n): Loan.BalanceSegment => ({ from, inTerm: vnd(inTerm), overdue: vnd(overdue), frozen: vnd(frozen) })
const basis = (balanceHistory: ReadonlyArray<Loan.BalanceSegment>): Loan.InterestBasis => ({ programme: 'POOR_HOUSEHOLD', balanceHistory })
const exact = (loan: Loan.InterestBasis, from: LocalDate, to: LocalDate): ExactAmount => {
  const accrued = Loan.accruedInterest(loan, from, to, propertyTermsLookup)
  if (E.isLeft(accrued)) throw new Error(JSON.stringify(accrued.left))
  return accrued.right
}
const due = (loan: Loan.InterestBasis, from: LocalDate, to: LocalDate, lookup: Loan.TermsLookup = propertyTermsLookup): bigint => {
  const amount = Loan.interestDue(loan, from, to, lookup)
  if (E.isLeft(amount)) throw new Error(JSON.stringify(amount.left))
  return amount.right
}
const sameAmount = (a: ExactAmount, b: ExactAmount): boolean => a.numerator * b.denominator === b.numerator * a.denominator
const sum = (a: ExactAmount, b: ExactAmount): ExactAmount => exactAmount(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)

const balance = fc.bigInt({ min: 0n, max: 2_000_000_000n })
/** A balance history of up to 8 changes between 2016 and 2027, sorted, with distinct days. */
const balanceHistory = fc
  .uniqueArray(fc.record({ from: arbitraryDay(day('2016-01-01'), day('2027-12-31')), inTerm: balance, overdue: balance, frozen: balance }), {
    minLength: 1,
    maxLength: 8,
    selector: (entry) => entry.from,
  })
  .map((entries) => [...entries].sort((a, b) => (a.from < b.from ? -1 : 1)).map((entry) => segment(entry.from, entry.inTerm, entry.overdue, entry.frozen)))
const orderedDays = (count: number) =>
  fc.uniqueArray(arbitraryDay(day('2016-01-01'), day('2028-06-30')), { minLength: count, maxLength: count }).map((days) => [...days].sort())

describe('interest accrual', () => {
  test.prop([balanceHistory, orderedDays(3)])('is additive over a split period, exactly; rounded parts differ by at most one đồng', (history, [a, b, c]) => {
    const whole = exact(basis(history), a!, c!)
    expect(sameAmount(whole, sum(exact(basis(history), a!, b!), exact(basis(history), b!, c!)))).toBe(true)
    const split = due(basis(history), a!, b!) + due(basis(history), b!, c!)
    expect(Math.abs(Number(due(basis(history), a!, c!) - split))).toBeLessThanOrEqual(1)
  })

  test.prop([balanceHistory, orderedDays(2)])('is zero on frozen debt, and frozen debt adds nothing to any balance', (history, [from, to]) => {
    const frozenOnly = history.map((entry) => segment(entry.from, 0n, 0n, entry.frozen))
    expect(due(basis(frozenOnly), from!, to!)).toBe(0n)
    const withoutFrozen = history.map((entry) => segment(entry.from, entry.inTerm, entry.overdue, 0n))
    expect(sameAmount(exact(basis(history), from!, to!), exact(basis(withoutFrozen), from!, to!))).toBe(true)
  })

  test.prop([balanceHistory, orderedDays(2)])('charges overdue principal 130 % of the rate', (history, [from, to]) => {
    const inTerm = exact(basis(history.map((entry) => segment(entry.from, entry.inTerm))), from!, to!)
    const overdue = exact(basis(history.map((entry) => segment(entry.from, 0n, entry.inTerm))), from!, to!)
    expect(overdue.numerator * inTerm.denominator * 10n).toBe(13n * inTerm.numerator * overdue.denominator)
  })

  test.prop([fc.bigInt({ min: 1n, max: 10_000_000_000n }), arbitraryDay(day('2016-01-01'), day('2017-12-31')), arbitraryDay(day('2018-01-01'), day('2018-05-31'))])(
    'divides the yearly rate by 360 days before 2018 and by 365 from 2018',
    (principal, day2017, day2018) => {
      const history = basis([segment(day('2016-01-01'), principal)])
      // The property-test terms charge 7.2 %/yr until 2018-06-01.
      expect(sameAmount(exact(history, day2017, addDays(day2017, 1)), exactAmount(principal * 72_000n, 1_000_000n * 360n))).toBe(true)
      expect(sameAmount(exact(history, day2018, addDays(day2018, 1)), exactAmount(principal * 72_000n, 1_000_000n * 365n))).toBe(true)
    },
  )

  it('splits a period at the 2018 basis change: 60 m at 7.2 % over 30 Dec 2017 – 2 Jan 2018 is 2 days /360 + 2 days /365', () =>
    expect(due(basis([segment(day('2017-01-01'), 60_000_000n)]), day('2017-12-30'), day('2018-01-03'))).toBe(
      // 60e6 × 0.072 × (2/360 + 2/365) = 24,000 + 23,671.23 = 47,671.23
      47_671n,
    ))

  it('applies a rate cut to outstanding balances from its day (job creation 7.92 % → 7.488 % on 1 Dec 2025)', () => {
    const loan: Loan.InterestBasis = { programme: 'JOB_CREATION', balanceHistory: [segment(day('2025-01-01'), 100_000_000n)] }
    // 100 m × (16 × 7.92 % + 14 × 7.488 %) / 365 = 347,178.08 + 287,210.96 = 634,389.04
    expect(due(loan, day('2025-11-15'), day('2025-12-15'), nationalTerms)).toBe(634_389n)
  })

  it('names the day when no terms were in force', () =>
    expect(Loan.interestDue({ programme: 'JOB_CREATION', balanceHistory: [segment(day('2019-01-01'), 1n)] }, day('2019-01-01'), day('2020-01-01'), nationalTerms)).toStrictEqual(
      E.left({ _tag: 'NoTermsInForce', programme: 'JOB_CREATION', date: day('2019-01-01') }),
    ))
  it('needs no terms for days without an interest-bearing balance', () =>
    expect(Loan.interestDue(basis([segment(day('2001-01-01'), 0n, 0n, 5n)]), day('2001-01-01'), day('2001-12-31'), () => E.left('none'))).toStrictEqual(E.right(0n)))
})

describe('the interest conventions', () => {
  it('has no convention before Decision 652/2001', () => expect(E.isLeft(interestConventionOn(day('2001-05-16')))).toBe(true))
  it('uses 360 days on the last day of 2017 and 365 on the first of 2018', () =>
    expect([interestConventionOn(day('2017-12-31')), interestConventionOn(day('2018-01-01'))].map(E.map((convention) => convention.daysInYear))).toStrictEqual([E.right(360), E.right(365)]))
  it('rounds half up, once', () =>
    expect([roundToWholeDong(exactAmount(5n, 10n), 'HALF_UP'), roundToWholeDong(exactAmount(4_999n, 10_000n), 'HALF_UP'), roundToWholeDong(exactAmount(3n, 2n), 'HALF_UP')]).toStrictEqual([1n, 0n, 2n]))
})
