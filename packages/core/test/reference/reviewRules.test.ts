import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { day, resultTakesEffectOn, reviewPeriod, reviewRulesForYear, standardForReview, type PovertyStandard, type ReviewRules } from '@policy-credit/core'

const rulesFor = (year: number): ReviewRules =>
  O.getOrElseW(() => {
    throw new Error(`no review rules for ${year}`)
  })(reviewRulesForYear(year))

describe('review rules', () => {
  it('a periodic result takes effect on 1 January of the next year', () =>
    expect(resultTakesEffectOn(rulesFor(2022), 'PERIODIC', 2022, day('2022-12-10'))).toBe('2023-01-01'))
  it('a regular result takes effect on its decision date', () =>
    expect(resultTakesEffectOn(rulesFor(2023), 'REGULAR', 2023, day('2023-04-28'))).toBe('2023-04-28'))
  it('holds the periodic review from 1 Sep to 14 Dec under Decision 24/2021', () =>
    expect(reviewPeriod(rulesFor(2022), 'PERIODIC', 2022)).toStrictEqual({ from: '2022-09-01', to: '2022-12-14' }))
  it('enforces no window where the procedure of the time is unknown', () =>
    expect(reviewPeriod(rulesFor(2015), 'PERIODIC', 2015)).toStrictEqual({ from: '2015-01-01', to: '2015-12-31' }))
  it('holds a regular review on any day of its year', () =>
    expect(reviewPeriod(rulesFor(2023), 'REGULAR', 2023)).toStrictEqual({ from: '2023-01-01', to: '2023-12-31' }))

  const standardId = (found: O.Option<PovertyStandard>) => O.map((standard: PovertyStandard) => standard.id)(found)
  it('measures the periodic review of 2015 by the standard of 2016 (the re-measured baseline)', () =>
    expect(standardId(standardForReview('PERIODIC', 2015, day('2015-10-01')))).toStrictEqual(O.some('QD-59-2015')))
  it('measures the periodic review of 2021 by ND-07-2021, which builds the 2022 list', () =>
    expect(standardId(standardForReview('PERIODIC', 2021, day('2021-10-01')))).toStrictEqual(O.some('ND-07-2021')))
  it('measures a regular review of 2021 by the standard applied that year', () =>
    expect(standardId(standardForReview('REGULAR', 2021, day('2021-06-15')))).toStrictEqual(O.some('QD-59-2015')))
})
