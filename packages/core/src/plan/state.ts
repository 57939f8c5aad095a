/** A unit's plan for one year: the figures in force and the decision behind each. Unopened before its first event. */
import type { LocalDate } from '../values/dates.ts'
import type { DecisionNumber } from '../values/identifiers.ts'
import type { PovertyStandardId } from '../reference/types.ts'
import type { PositiveCount } from '../loan/values.ts'
import type { PlanUnitId } from './events.ts'

export interface PlannedFigure {
  readonly value: PositiveCount
  readonly decisionNumber: DecisionNumber
  readonly decisionDate: LocalDate
}

export type Plan =
  | { readonly status: 'Unopened' }
  | {
      readonly status: 'Open'
      readonly unitId: PlanUnitId
      readonly year: PositiveCount
      readonly povertyReduction?: PlannedFigure & { readonly standardId: PovertyStandardId }
      readonly jobCreation?: PlannedFigure
    }

export const unopenedPlan: Plan = { status: 'Unopened' }

export const planStreamId = (unitId: PlanUnitId, year: number): string => `plan-${unitId}-${year}`
