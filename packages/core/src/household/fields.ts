/**
 * The field groups household events and commands share, declared once: the codecs spread them, so an
 * event and the command that caused it cannot drift apart.
 */
import * as t from 'io-ts'
import { brand, readonlyArray } from '../shared/codecs.ts'
import { LocalDate } from '../values/dates.ts'
import { CommuneId, DecisionNumber, HouseholdId } from '../values/identifiers.ts'
import { Vnd } from '../values/money.ts'
import { DeprivationIndicator } from '../reference/povertyStandards.ts'
import { ReviewKind } from '../reference/reviewRules.ts'
import { AreaType, PovertyStandardId } from '../reference/types.ts'

export interface MemberCountBrand {
  readonly MemberCount: unique symbol
}
/** People living in the household: at least one. */
export const MemberCount = brand(t.Int, (n): n is t.Branded<t.Int, MemberCountBrand> => n >= 1 && n <= 1_000, 'MemberCount')
export type MemberCount = t.TypeOf<typeof MemberCount>

export interface ReviewYearBrand {
  readonly ReviewYear: unique symbol
}
/** The year a review is held in (the periodic review of 2022 builds the list for 2023). */
export const ReviewYear = brand(t.Int, (n): n is t.Branded<t.Int, ReviewYearBrand> => n >= 2000 && n <= 2998, 'ReviewYear')
export type ReviewYear = t.TypeOf<typeof ReviewYear>

/** The list a household left: the poor list gives the escaped-poverty status, the near-poor list the escaped-near-poverty one. */
export const ExitedList = t.keyof({ POOR: null, NEAR_POOR: null }, 'ExitedList')
export type ExitedList = t.TypeOf<typeof ExitedList>
export const EscapedClass = t.keyof({ ESCAPED_POVERTY: null, ESCAPED_NEAR_POVERTY: null }, 'EscapedClass')
export type EscapedClass = t.TypeOf<typeof EscapedClass>

/** Where the household lives and how many people it has. */
export const registrationFields = { householdId: HouseholdId, communeId: CommuneId, areaType: AreaType, members: MemberCount, registeredOn: LocalDate }

/** Which review: the standard it measures by, its year and kind. */
export const reviewFields = { householdId: HouseholdId, standardId: PovertyStandardId, reviewYear: ReviewYear, reviewKind: ReviewKind }

/** What the reviewers found (thu nhập bình quân đầu người/tháng, chỉ số thiếu hụt). */
export const findingFields = { assessedOn: LocalDate, incomePerPersonPerMonth: Vnd, deprivedIndicators: readonlyArray(DeprivationIndicator) }

/** The commune People's Committee chairman's recognition decision. */
export const decisionFields = { decisionNumber: DecisionNumber, decisionDate: LocalDate }

/** The report dimensions every review event carries, copied from state. */
export const placeFields = { communeId: CommuneId, areaType: AreaType }
