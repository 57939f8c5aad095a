/** Why an inspection command was refused; each names the broken rule. */
import type { LocalDate } from '../values/dates.ts'
import type { LoanId } from '../values/identifiers.ts'
import type { Vnd } from '../values/money.ts'
import type { PositiveCount } from '../loan/values.ts'
import type { InspectionCommand } from './commands.ts'
import type { LoanUseStatus } from './events.ts'
import type { Inspection } from './state.ts'

export type InspectionRejection =
  | { readonly _tag: 'InspectionStatusDisallowsCommand'; readonly command: InspectionCommand['type']; readonly status: Inspection['status'] }
  | { readonly _tag: 'PeriodEndsBeforeItStarts'; readonly periodFrom: LocalDate; readonly periodTo: LocalDate }
  | { readonly _tag: 'DatedBeforeLastActivity'; readonly command: InspectionCommand['type']; readonly lastActivityOn: LocalDate; readonly date: LocalDate }
  | { readonly _tag: 'NoLoanChecked' }
  | { readonly _tag: 'LoanCheckedTwice'; readonly loanId: LoanId }
  /** Misused money must be part of what was checked, and only a MISUSED finding has any. */
  | { readonly _tag: 'MisusedAmountInconsistent'; readonly loanId: LoanId; readonly status: LoanUseStatus; readonly amountChecked: Vnd; readonly amountMisused: Vnd }
  | { readonly _tag: 'DeadlineNotAfterRequiredDate'; readonly deadline: LocalDate; readonly requiredOn: LocalDate }
  | { readonly _tag: 'NoSuchCorrection'; readonly correctionNumber: PositiveCount }
  | { readonly _tag: 'CorrectionAlreadyCompleted'; readonly correctionNumber: PositiveCount; readonly completedOn: LocalDate }
  | { readonly _tag: 'CorrectionsStillOpen'; readonly correctionNumbers: ReadonlyArray<PositiveCount> }
