/**
 * When a poor-household review (rà soát) may be held and when its result takes effect, as dated
 * reference data (domain.md §1.4). The periodic review (rà soát định kỳ) runs once a year; the regular
 * review (rà soát thường xuyên) runs monthly on a household's application.
 */
import * as O from 'fp-ts/lib/Option.js'
import * as t from 'io-ts'
import { match } from 'ts-pattern'
import { day, startOfYear, type LocalDate } from '../values/dates.ts'
import { versionInForceOn } from './datedVersions.ts'
import { nationalPovertyStandards, standardInForceOn, type PovertyStandard, type PovertyStandardCatalogue } from './povertyStandards.ts'

export const ReviewKind = t.keyof({ PERIODIC: null, REGULAR: null }, 'ReviewKind')
export type ReviewKind = t.TypeOf<typeof ReviewKind>

/** A window of days within the review year, as 'MM-DD' bounds, both inclusive. */
export interface ReviewWindow {
  readonly opens: string
  readonly closes: string
}

export interface ReviewRules {
  readonly id: string
  readonly legalSource: string
  /** Review years [validFrom, validTo) as the days their reviews are held. */
  readonly validFrom: LocalDate
  readonly validTo?: LocalDate
  /** Undefined where the procedure of the time is not known: the whole year is then accepted. */
  readonly periodicWindow?: ReviewWindow
  readonly periodicResultTakesEffect: 'START_OF_NEXT_YEAR'
  readonly regularResultTakesEffect: 'ON_DECISION_DATE'
  /** How long a household that left the poor or near-poor list counts as newly escaped (hộ mới thoát nghèo). */
  readonly escapedStatusYears: number
  readonly evidence: string
}

export const nationalReviewRules: ReadonlyArray<ReviewRules> = [
  {
    id: 'REVIEW-BEFORE-2021',
    legalSource: 'procedures before Decision 24/2021/QĐ-TTg (not checked)',
    validFrom: day('2010-01-01'),
    validTo: day('2021-01-01'),
    periodicResultTakesEffect: 'START_OF_NEXT_YEAR',
    regularResultTakesEffect: 'ON_DECISION_DATE',
    escapedStatusYears: 3,
    evidence: 'the window of these years is unknown, so none is enforced; the effect dates are assumed as for 2021 on [GK]; newly escaped for 3 years after leaving the list, Decision 28/2015/QĐ-TTg [V:S12]',
  },
  {
    id: 'QD-24-2021',
    legalSource: 'Decision 24/2021/QĐ-TTg; Circular 07/2021/TT-BLĐTBXH as amended by Circular 02/2022/TT-BLĐTBXH',
    validFrom: day('2021-01-01'),
    periodicWindow: { opens: '09-01', closes: '12-14' },
    periodicResultTakesEffect: 'START_OF_NEXT_YEAR',
    regularResultTakesEffect: 'ON_DECISION_DATE',
    escapedStatusYears: 3,
    evidence: 'periodic window 1 Sep–14 Dec and monthly regular review [V:S7]; periodic list applies from 1 Jan of the next year, regular result from the decision date [GK] (domain.md §10 question 8); newly escaped for 3 years after leaving the list, Decision 28/2015/QĐ-TTg as amended by Decision 02/2021/QĐ-TTg [V:S12]',
  },
]

export const reviewRulesForYear = (reviewYear: number, rules: ReadonlyArray<ReviewRules> = nationalReviewRules): O.Option<ReviewRules> =>
  versionInForceOn(rules, startOfYear(reviewYear))

/** The first and last day a review of this kind and year may be held on. */
export const reviewPeriod = (rules: ReviewRules, kind: ReviewKind, reviewYear: number): { readonly from: LocalDate; readonly to: LocalDate } => {
  const year = String(reviewYear).padStart(4, '0')
  const window = kind === 'PERIODIC' ? (rules.periodicWindow ?? { opens: '01-01', closes: '12-31' }) : { opens: '01-01', closes: '12-31' }
  return { from: day(`${year}-${window.opens}`), to: day(`${year}-${window.closes}`) }
}

/** The day a recognised class starts to count for policies and loans. */
export const resultTakesEffectOn = (rules: ReviewRules, kind: ReviewKind, reviewYear: number, decisionDate: LocalDate): LocalDate =>
  kind === 'PERIODIC'
    ? match(rules.periodicResultTakesEffect).with('START_OF_NEXT_YEAR', () => startOfYear(reviewYear + 1)).exhaustive()
    : match(rules.regularResultTakesEffect).with('ON_DECISION_DATE', () => decisionDate).exhaustive()

/**
 * The standard a review must measure by: a periodic review of year Y builds the list for Y + 1, so it
 * uses the standard applied to Y + 1 (the 2015 review re-measured under QD-59-2015, the 2021 review
 * under ND-07-2021); a regular review uses the standard applied on the day it is held.
 */
export const standardForReview = (
  kind: ReviewKind,
  reviewYear: number,
  assessedOn: LocalDate,
  catalogue: PovertyStandardCatalogue = nationalPovertyStandards,
): O.Option<PovertyStandard> =>
  match(kind)
    .returnType<O.Option<PovertyStandard>>()
    .with('PERIODIC', () => standardInForceOn(startOfYear(reviewYear + 1), catalogue))
    .with('REGULAR', () => standardInForceOn(assessedOn, catalogue))
    .exhaustive()
