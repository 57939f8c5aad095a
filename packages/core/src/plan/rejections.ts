/** Why a plan command was refused; each names the broken rule. */
import type { LocalDate } from '../values/dates.ts'
import type { PovertyStandardId } from '../reference/types.ts'
import type { PlanCommand } from './commands.ts'
import type { PlanUnitId } from './events.ts'

export type PlanRejection =
  | {
      readonly _tag: 'CommandForAnotherPlanStream'
      readonly command: PlanCommand['type']
      readonly streamUnitId: PlanUnitId
      readonly streamYear: number
      readonly commandUnitId: PlanUnitId
      readonly commandYear: number
    }
  /** A plan for year Y is resolved in Y − 1 or during Y, never after it. */
  | { readonly _tag: 'DecisionDateOutsidePlanWindow'; readonly command: PlanCommand['type']; readonly year: number; readonly decisionDate: LocalDate }
  /** Revisions come in the order they were decided. */
  | { readonly _tag: 'DecisionBeforeLatestRevision'; readonly command: PlanCommand['type']; readonly latestDecisionDate: LocalDate; readonly decisionDate: LocalDate }
  /** The target counts households under the standard applied to the plan year, or it is not comparable with the year's count. */
  | { readonly _tag: 'StandardDoesNotApplyToPlanYear'; readonly standardId: PovertyStandardId; readonly year: number; readonly applicableStandardId: PovertyStandardId | null }
