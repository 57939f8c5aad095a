/** An inspection's state, keyed by status: a plan, then checks and corrections, then completion. */
import type { LocalDate } from '../values/dates.ts'
import type { CommuneId, InspectionId, LoanId } from '../values/identifiers.ts'
import type { PositiveCount } from '../loan/values.ts'
import type { LoanCheck, LoanUseStatus } from './events.ts'

export interface InspectionPlan {
  readonly inspectionId: InspectionId
  readonly communeId: CommuneId
  readonly periodFrom: LocalDate
  readonly periodTo: LocalDate
  readonly plannedOn: LocalDate
}

export interface Correction {
  readonly correctionNumber: PositiveCount
  readonly deadline: LocalDate
  readonly completedOn: LocalDate | null
}

export type Inspection =
  | { readonly status: 'Unplanned' }
  | { readonly status: 'Planned'; readonly plan: InspectionPlan }
  | {
      readonly status: 'Conducted'
      readonly plan: InspectionPlan
      readonly checks: ReadonlyArray<LoanCheck>
      readonly conductedOn: LocalDate
      readonly corrections: ReadonlyArray<Correction>
      readonly lastActivityOn: LocalDate
    }
  | {
      readonly status: 'Completed'
      readonly plan: InspectionPlan
      readonly checks: ReadonlyArray<LoanCheck>
      readonly conductedOn: LocalDate
      readonly corrections: ReadonlyArray<Correction>
      readonly completedOn: LocalDate
    }

/** What an inspection found about one loan: the evidence a loan's early recall needs in its context. */
export interface LoanUseFinding {
  readonly inspectionId: InspectionId
  readonly loanId: LoanId
  readonly status: LoanUseStatus
  readonly conductedOn: LocalDate
}

/** The finding for a loan, once the inspection has been conducted; undefined if the loan was not checked. */
export const findingForLoan = (inspection: Inspection, loanId: LoanId): LoanUseFinding | undefined => {
  if (inspection.status !== 'Conducted' && inspection.status !== 'Completed') return undefined
  const check = inspection.checks.find((candidate) => candidate.loanId === loanId)
  return check === undefined ? undefined : { inspectionId: inspection.plan.inspectionId, loanId, status: check.status, conductedOn: inspection.conductedOn }
}
