import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { day, foldHistory, Household, vnd } from '@policy-credit/core'
import {
  assessedAverage2023,
  assessedPoor2022,
  decision,
  dissolved,
  exitedPoverty2023,
  recognisedAverage2023,
  recognisedPoor2022,
  registered,
  year,
} from './fixtures.ts'

const stateOf = (history: ReadonlyArray<Household.HouseholdEvent>) => foldHistory(Household.householdDecider, history)
const classOn = (history: ReadonlyArray<Household.HouseholdEvent>, date: string) =>
  O.map((found: Household.ClassInForce) => found.householdClass)(Household.classInForceOn(stateOf(history), day(date)))

const escapedHistory = [registered, assessedPoor2022, recognisedPoor2022, assessedAverage2023, recognisedAverage2023, exitedPoverty2023]

describe('classInForceOn', () => {
  it('has no class before the first recognition takes effect', () => expect(classOn([registered, assessedPoor2022, recognisedPoor2022], '2022-12-31')).toStrictEqual(O.none))
  it('gives the class with the decision that recognised it, from its effective date', () =>
    expect(Household.classInForceOn(stateOf([registered, assessedPoor2022, recognisedPoor2022]), day('2023-01-01'))).toStrictEqual(
      O.some({
        householdClass: 'POOR',
        evidence: { standardId: 'ND-07-2021', reviewYear: 2022, reviewKind: 'PERIODIC', decisionNumber: '15/QD-UBND', decisionDate: '2022-12-10', effectiveFrom: '2023-01-01' },
      }),
    ))
  it('still answers a past day after later reviews', () => expect(classOn(escapedHistory, '2023-06-30')).toStrictEqual(O.some('POOR')))
  it('counts a household that left the poor list as newly escaped for three years, then by its review class', () => {
    expect(classOn(escapedHistory, '2024-01-01')).toStrictEqual(O.some('ESCAPED_POVERTY'))
    expect(classOn(escapedHistory, '2026-12-31')).toStrictEqual(O.some('ESCAPED_POVERTY'))
    expect(classOn(escapedHistory, '2027-01-01')).toStrictEqual(O.some('AVERAGE_LIVING'))
  })
  it('lists every status held, the escaped one first, with the day it ends', () =>
    expect(Household.classesInForceOn(stateOf(escapedHistory), day('2025-03-01')).map((found) => [found.householdClass, found.escapedStatusEndsOn])).toStrictEqual([
      ['ESCAPED_POVERTY', '2027-01-01'],
      ['AVERAGE_LIVING', undefined],
    ]))
  it('drops the escaped status when the household is back on a list', () => {
    const backOnTheList: ReadonlyArray<Household.HouseholdEvent> = [
      ...escapedHistory,
      { type: 'HouseholdAssessed', data: { ...assessedPoor2022.data, reviewYear: year(2024), assessedOn: day('2024-10-01'), incomePerPersonPerMonth: vnd(900_000n) } },
      { type: 'HouseholdClassRecognised', data: { ...recognisedPoor2022.data, reviewYear: year(2024), decisionNumber: decision('40/QD-UBND'), decisionDate: day('2024-12-09'), effectiveFrom: day('2025-01-01') } },
    ]
    expect(classOn(backOnTheList, '2024-12-31')).toStrictEqual(O.some('ESCAPED_POVERTY'))
    expect(Household.classesInForceOn(stateOf(backOnTheList), day('2025-01-01')).map((found) => found.householdClass)).toStrictEqual(['POOR'])
  })
  it('has no class from the day the household dissolved', () => {
    expect(classOn([...escapedHistory, dissolved], '2025-04-30')).toStrictEqual(O.some('ESCAPED_POVERTY'))
    expect(classOn([...escapedHistory, dissolved], '2025-05-01')).toStrictEqual(O.none)
  })
  it('has no class for an unregistered household', () => expect(classOn([], '2025-05-01')).toStrictEqual(O.none))
})
