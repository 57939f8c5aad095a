/**
 * The poverty figures of a unit on a day, from its communes' counts. Who counts is decided once, by a
 * household's timeline and tally.ts (`countersOf`):
 *
 * - A household counts on day D when it was registered on or before D and not dissolved by D, in the
 *   commune it lived in on D (its registration, then each move from its `movedOn`).
 * - Its class on D is the core's, as its timeline records it (timeline.ts derives it with the rules of
 *   `recognitionInForceOn` and `classesInForceOn`): the recognition in force on D, and the newly-escaped
 *   status while it lasts. Under standard S it counts as poor,
 *   near-poor, average-living or other only when that recognition was made under S; otherwise it counts
 *   as a household not reviewed under S (so a figure never mixes standards, and the classes still add
 *   up to the households).
 * - A town counts the communes that belonged to it on D (the core's `townOfCommuneOn`), and its counts
 *   are the sums of theirs; rates are computed once, from the summed counts.
 */
import * as O from 'fp-ts/lib/Option.js'
import {
  AdministrativeUnit,
  Household,
  Plan,
  reviewRulesForYear,
  resultTakesEffectOn,
  standardForReview,
  startOfYear,
  townOfCommuneOn,
  type CommuneId,
  type LocalDate,
  type PovertyStandardId,
  type TownId,
} from '@policy-credit/core'
import { rate, rateReduction, type Rate, type RateChange } from './rate.ts'

export type ReportingUnit = { readonly kind: 'COMMUNE'; readonly communeId: CommuneId } | { readonly kind: 'TOWN'; readonly townId: TownId }

export const unitId = (unit: ReportingUnit): string => (unit.kind === 'COMMUNE' ? unit.communeId : unit.townId)

/** Households by class under one standard; the first six add up to `households`. */
export interface ClassCounts {
  readonly households: number
  readonly poor: number
  readonly nearPoor: number
  readonly averageLiving: number
  /** Recognised under the standard in none of the classes above. */
  readonly otherClass: number
  /** Whose class in force was recognised under another standard, or who have none yet. */
  readonly notReviewedUnderStandard: number
  /** Holding the newly-escaped status (hộ mới thoát nghèo); they are also counted in their recognised class. */
  readonly newlyEscapedPoverty: number
  readonly newlyEscapedNearPoverty: number
}

export const noHouseholds: ClassCounts = {
  households: 0,
  poor: 0,
  nearPoor: 0,
  averageLiving: 0,
  otherClass: 0,
  notReviewedUnderStandard: 0,
  newlyEscapedPoverty: 0,
  newlyEscapedNearPoverty: 0,
}

const countFields = Object.keys(noHouseholds) as ReadonlyArray<keyof ClassCounts>

export const addCounts = (a: ClassCounts, b: ClassCounts): ClassCounts =>
  Object.fromEntries(countFields.map((field) => [field, a[field] + b[field]])) as unknown as ClassCounts

/** Households that left a list under the standard within a period, counted where they lived on the day it took effect. */
export interface Exits {
  readonly fromPoor: number
  readonly fromNearPoor: number
}

/** The communes a unit counts on a day: the commune itself, or a town's communes that belonged to it that day. */
export const communesOfUnitOn = (unit: ReportingUnit, townCommunes: ReadonlyMap<CommuneId, AdministrativeUnit.Commune>, date: LocalDate): ReadonlyArray<CommuneId> =>
  unit.kind === 'COMMUNE'
    ? [unit.communeId]
    : [...townCommunes].filter(([, commune]) => O.exists((townId: TownId) => townId === unit.townId)(townOfCommuneOn(commune, date))).map(([communeId]) => communeId)

/** Every figure names its unit, its standard and its day. */
export interface PovertyFigures extends ClassCounts {
  readonly unit: ReportingUnit
  readonly standardId: PovertyStandardId
  readonly on: LocalDate
  /** The communes counted: for a town, those that belonged to it on the day. */
  readonly communeIds: ReadonlyArray<CommuneId>
  /** poor / households. */
  readonly povertyRate: Rate | null
  /** near-poor / households. */
  readonly nearPovertyRate: Rate | null
  /** (poor + near-poor) / households (domain.md §7.2). */
  readonly multidimensionalPovertyRate: Rate | null
}

export const figuresOf = (
  unit: ReportingUnit,
  standardId: PovertyStandardId,
  on: LocalDate,
  communeIds: ReadonlyArray<CommuneId>,
  countsByCommune: ReadonlyMap<CommuneId, ClassCounts>,
): PovertyFigures => {
  const counts = communeIds.reduce((total, communeId) => addCounts(total, countsByCommune.get(communeId) ?? noHouseholds), noHouseholds)
  return {
    unit,
    standardId,
    on,
    communeIds,
    ...counts,
    povertyRate: rate(counts.poor, counts.households),
    nearPovertyRate: rate(counts.nearPoor, counts.households),
    multidimensionalPovertyRate: rate(counts.poor + counts.nearPoor, counts.households),
  }
}

/** The list a periodic review puts in force: the day it takes effect and the standard it measures by. */
export interface PeriodicList {
  readonly reviewYear: number
  readonly takesEffectOn: LocalDate
  readonly standardId: PovertyStandardId
}

/** The review rules and standards that say which list a year opens and closes with. */
export type ReportContext = Household.HouseholdContext

export const nationalReportContext: ReportContext = Household.nationalHouseholdContext

export const periodicListOf = (reviewYear: number, context: ReportContext): PeriodicList | undefined => {
  const rules = O.toUndefined(reviewRulesForYear(reviewYear, context.reviewRules))
  if (rules === undefined) return undefined
  // A periodic result takes effect on a day of its own (1 January of the next year), whatever the decision date.
  const takesEffectOn = resultTakesEffectOn(rules, 'PERIODIC', reviewYear, startOfYear(reviewYear))
  const standard = O.toUndefined(standardForReview('PERIODIC', reviewYear, takesEffectOn, context.standards))
  return standard === undefined ? undefined : { reviewYear, takesEffectOn, standardId: standard.id }
}

/**
 * Year Y under standard S: the list it opens with (put in force by the periodic review of Y − 1) and the
 * list it closes with (put in force by the periodic review of Y), each when measured under S.
 */
export interface YearLists {
  readonly opening: PeriodicList | undefined
  readonly closing: PeriodicList | undefined
}

export const yearListsOf = (year: number, standardId: PovertyStandardId, context: ReportContext): YearLists => {
  const underStandard = (list: PeriodicList | undefined) => (list?.standardId === standardId ? list : undefined)
  return { opening: underStandard(periodicListOf(year - 1, context)), closing: underStandard(periodicListOf(year, context)) }
}

/** The standards some list of the year is measured by: one, or two in a year a new standard re-measured (2015, 2021). */
export const standardsOfYear = (year: number, context: ReportContext): ReadonlyArray<PovertyStandardId> =>
  [...new Set([periodicListOf(year - 1, context)?.standardId, periodicListOf(year, context)?.standardId].filter((id): id is PovertyStandardId => id !== undefined))]

/** A unit's poverty reduction target for the year, applied to the list the year opens with. */
export interface PovertyTarget {
  readonly standardId: PovertyStandardId
  readonly reductionHouseholds: number
  /** Poor households at the opening, less the reduction (not below zero). */
  readonly poorHouseholds: number
  /** Target poor households / households at the opening. */
  readonly povertyRate: Rate | null
  readonly decisionNumber: string
  readonly decisionDate: LocalDate
}

export interface PovertyYear {
  readonly unit: ReportingUnit
  readonly year: number
  readonly standardId: PovertyStandardId
  /** On 1 January of the year, the list of the review of the year before; null when that list is under another standard. */
  readonly opening: PovertyFigures | null
  /** On 1 January of the next year, the list of this year's review; null when that list is under another standard. */
  readonly closing: PovertyFigures | null
  /** Exits under the standard that took effect after the opening day and on or before the closing day; null unless both are under it. */
  readonly exited: Exits | null
  readonly target: PovertyTarget | null
}

export const targetOf = (plan: Plan.Plan | undefined, opening: PovertyFigures | null): PovertyTarget | null => {
  const target = plan?.status === 'Open' ? plan.povertyReduction : undefined
  if (target === undefined || opening === null || target.standardId !== opening.standardId) return null
  const poorHouseholds = Math.max(0, opening.poor - target.value)
  return {
    standardId: target.standardId,
    reductionHouseholds: target.value,
    poorHouseholds,
    povertyRate: rate(poorHouseholds, opening.households),
    decisionNumber: target.decisionNumber,
    decisionDate: target.decisionDate,
  }
}

/** The year's change under one standard: from the list it opened with to the list it closed with (domain.md §7.3). */
export interface PovertyChange {
  readonly unit: ReportingUnit
  readonly year: number
  readonly standardId: PovertyStandardId
  readonly from: PovertyFigures
  readonly to: PovertyFigures
  /** povRate(from) − povRate(to), in percentage points: positive when the rate fell. */
  readonly povertyRateReduction: RateChange | null
  /** to.poor − from.poor. */
  readonly poorHouseholdsChange: number
  readonly exited: Exits
}

export const changeOf = (year: PovertyYear): PovertyChange | undefined =>
  year.opening === null || year.closing === null || year.exited === null
    ? undefined
    : {
        unit: year.unit,
        year: year.year,
        standardId: year.standardId,
        from: year.opening,
        to: year.closing,
        povertyRateReduction: year.opening.povertyRate === null || year.closing.povertyRate === null ? null : rateReduction(year.opening.povertyRate, year.closing.povertyRate),
        poorHouseholdsChange: year.closing.poor - year.opening.poor,
        exited: year.exited,
      }
