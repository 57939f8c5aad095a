import { CommuneId, day, DecisionNumber, HouseholdId, idOf, vnd, type Household } from '@policy-credit/core'

export const householdId = idOf(HouseholdId, 'HH-1')
export const nghiaAn = idOf(CommuneId, 'XA-NGHIA-AN')
export const tanAn = idOf(CommuneId, 'PHUONG-TAN-AN')
export const decision = (n: string) => idOf(DecisionNumber, n)
export const members = 4 as Household.MemberCount
export const year = (n: number) => n as Household.ReviewYear

export const registered: Household.HouseholdRegistered = {
  type: 'HouseholdRegistered',
  data: { householdId, communeId: nghiaAn, areaType: 'RURAL', members, registeredOn: day('2020-03-01') },
}

const dimensions = { householdId, communeId: nghiaAn, areaType: 'RURAL' as const, standardId: 'ND-07-2021' as const }

/** Periodic review of 2022 under ND-07-2021: rural, 1.2 M per person, three deprivations: poor. */
export const assessedPoor2022: Household.HouseholdAssessed = {
  type: 'HouseholdAssessed',
  data: {
    ...dimensions,
    reviewYear: year(2022),
    reviewKind: 'PERIODIC',
    assessedOn: day('2022-10-05'),
    incomePerPersonPerMonth: vnd(1_200_000n),
    deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE'],
    assessedClass: 'POOR',
    incomeLinesSource: 'Decree 07/2021/NĐ-CP',
  },
}

export const recognisedPoor2022: Household.HouseholdClassRecognised = {
  type: 'HouseholdClassRecognised',
  data: {
    ...dimensions,
    reviewYear: year(2022),
    reviewKind: 'PERIODIC',
    householdClass: 'POOR',
    previousClass: null,
    decisionNumber: decision('15/QD-UBND'),
    decisionDate: day('2022-12-10'),
    effectiveFrom: day('2023-01-01'),
  },
}

/** Periodic review of 2023: 2 M per person, no deprivation: average living, off the poor list. */
export const assessedAverage2023: Household.HouseholdAssessed = {
  type: 'HouseholdAssessed',
  data: {
    ...dimensions,
    reviewYear: year(2023),
    reviewKind: 'PERIODIC',
    assessedOn: day('2023-10-02'),
    incomePerPersonPerMonth: vnd(2_000_000n),
    deprivedIndicators: [],
    assessedClass: 'AVERAGE_LIVING',
    incomeLinesSource: 'Decree 07/2021/NĐ-CP',
  },
}

export const recognisedAverage2023: Household.HouseholdClassRecognised = {
  type: 'HouseholdClassRecognised',
  data: {
    ...dimensions,
    reviewYear: year(2023),
    reviewKind: 'PERIODIC',
    householdClass: 'AVERAGE_LIVING',
    previousClass: null,
    decisionNumber: decision('20/QD-UBND'),
    decisionDate: day('2023-12-10'),
    effectiveFrom: day('2024-01-01'),
  },
}

export const exitedPoverty2023: Household.HouseholdExitedPoverty = {
  type: 'HouseholdExitedPoverty',
  data: {
    ...dimensions,
    reviewYear: year(2023),
    reviewKind: 'PERIODIC',
    exitedFrom: 'POOR',
    escapedClass: 'ESCAPED_POVERTY',
    decisionNumber: decision('20/QD-UBND'),
    decisionDate: day('2023-12-10'),
    exitedOn: day('2024-01-01'),
    escapedStatusEndsOn: day('2027-01-01'),
  },
}

export const dissolved: Household.HouseholdDissolved = {
  type: 'HouseholdDissolved',
  data: { householdId, communeId: nghiaAn, dissolvedOn: day('2025-05-01') },
}
