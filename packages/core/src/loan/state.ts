/**
 * A loan's state, keyed by status so an illegal state cannot be built: only an approved loan has terms,
 * only an active one has a balance. "In arrears" is not a status: overdue and frozen principal are
 * amounts beside the instalments still in term (domain.md §8: VBSP's partial overdue rule).
 */
import type { LocalDate } from '../values/dates.ts'
import type { InspectionId, LoanId } from '../values/identifiers.ts'
import { sumVnd, vnd, type Vnd } from '../values/money.ts'
import type { ProgrammeId } from '../reference/types.ts'
import type * as t from 'io-ts'
import type { LoanApproved, LoanRequested, RejectingBody, ReportDimensions } from './events.ts'
import type { BalanceSegment } from './interest.ts'
import type { PositiveCount } from './values.ts'

export type LoanApplication = t.TypeOf<typeof LoanRequested>['data']
export type LoanApproval = t.TypeOf<typeof LoanApproved>['data']

/** An instalment's principal still in term; `originalDueOn` bounds how far it may be extended. */
export interface InstalmentBalance {
  readonly number: PositiveCount
  readonly dueOn: LocalDate
  readonly originalDueOn: LocalDate
  readonly remaining: Vnd
}

export interface ActiveLoan {
  readonly status: 'Active'
  readonly dimensions: ReportDimensions
  readonly programme: ProgrammeId
  readonly approval: LoanApproval
  readonly disbursedOn: LocalDate
  /** The last due date of the schedule at disbursement: extensions are measured from it. */
  readonly originalMaturity: LocalDate
  readonly disbursed: Vnd
  readonly repaid: Vnd
  readonly writtenOff: Vnd
  readonly instalments: ReadonlyArray<InstalmentBalance>
  readonly overdue: Vnd
  readonly frozen: Vnd
  readonly frozenUntil: LocalDate | null
  readonly interestCollected: Vnd
  readonly interestWrittenOff: Vnd
  /** End-of-day balances from disbursement on, for interest. */
  readonly balanceHistory: ReadonlyArray<BalanceSegment>
  /** Set once an inspection's finding of misuse made the bank recall the loan; it also bars risk handling. */
  readonly recall: { readonly inspectionId: InspectionId; readonly recalledOn: LocalDate } | null
  readonly lastActivityOn: LocalDate
}

export type Loan =
  | { readonly status: 'Initial' }
  | { readonly status: 'Requested'; readonly application: LoanApplication; readonly lastActivityOn: LocalDate }
  | { readonly status: 'GroupVetted'; readonly application: LoanApplication; readonly lastActivityOn: LocalDate }
  | { readonly status: 'CommuneCertified'; readonly application: LoanApplication; readonly lastActivityOn: LocalDate }
  | { readonly status: 'Approved'; readonly application: LoanApplication; readonly approval: LoanApproval; readonly lastActivityOn: LocalDate }
  | { readonly status: 'Rejected'; readonly loanId: LoanId; readonly rejectedBy: RejectingBody; readonly rejectedOn: LocalDate }
  | ActiveLoan
  | {
      readonly status: 'Closed'
      readonly dimensions: ReportDimensions
      readonly disbursed: Vnd
      readonly repaid: Vnd
      readonly writtenOff: Vnd
      readonly closedOn: LocalDate
    }

export type LoanStatus = Loan['status']

/** Principal still in term (not yet transferred to overdue, not frozen). */
export const principalInTerm = (loan: ActiveLoan): Vnd => sumVnd(loan.instalments.map((instalment) => instalment.remaining))

/** Principal outstanding (dư nợ): in term + overdue + frozen = disbursed − repaid − written off. */
export const principalOutstanding = (loan: ActiveLoan): Vnd => vnd(principalInTerm(loan) + loan.overdue + loan.frozen)

/** The last due date of the schedule as it stands. */
export const currentMaturity = (loan: ActiveLoan): LocalDate =>
  loan.instalments.reduce<LocalDate>((latest, instalment) => (instalment.dueOn > latest ? instalment.dueOn : latest), loan.originalMaturity)
