/** Why a household command was refused: tagged data for the caller to word, never prose. */
import type { LocalDate } from '../values/dates.ts'
import type { DeprivationIndicator } from '../reference/povertyStandards.ts'
import type { ReviewKind } from '../reference/reviewRules.ts'
import type { PovertyStandardId } from '../reference/types.ts'
import type { HouseholdCommand } from './commands.ts'
import type { HouseholdStatus } from './state.ts'

export type HouseholdRejection =
  | { readonly _tag: 'HouseholdStatusDisallowsCommand'; readonly command: HouseholdCommand['type']; readonly status: HouseholdStatus }
  | { readonly _tag: 'DateBeforeRegistration'; readonly registeredOn: LocalDate; readonly date: LocalDate }
  | { readonly _tag: 'PovertyStandardNotInCatalogue'; readonly standardId: PovertyStandardId }
  | { readonly _tag: 'NoReviewRulesForYear'; readonly reviewYear: number }
  /** The review must measure by the standard applied to the list it builds (see `standardForReview`). */
  | {
      readonly _tag: 'StandardDoesNotApplyToReview'
      readonly standardId: PovertyStandardId
      readonly reviewKind: ReviewKind
      readonly reviewYear: number
      readonly applicableStandardId: PovertyStandardId | null
    }
  | {
      readonly _tag: 'AssessmentOutsideReviewPeriod'
      readonly reviewKind: ReviewKind
      readonly reviewYear: number
      readonly assessedOn: LocalDate
      readonly periodFrom: LocalDate
      readonly periodTo: LocalDate
    }
  | { readonly _tag: 'IndicatorsOutsideStandard'; readonly standardId: PovertyStandardId; readonly indicators: ReadonlyArray<DeprivationIndicator> }
  | { readonly _tag: 'IndicatorsListedTwice'; readonly indicators: ReadonlyArray<DeprivationIndicator> }
  | { readonly _tag: 'NoAssessmentForReview'; readonly standardId: PovertyStandardId; readonly reviewKind: ReviewKind; readonly reviewYear: number }
  | { readonly _tag: 'DecisionBeforeAssessment'; readonly assessedOn: LocalDate; readonly decisionDate: LocalDate }
