/** Why a loan command was refused: a tagged union, each member naming the broken rule, never prose. */
import type { LocalDate } from '../values/dates.ts'
import type { HouseholdId, InspectionId, LoanId } from '../values/identifiers.ts'
import type { BasisPoints, Vnd } from '../values/money.ts'
import type { HouseholdClass, ProgrammeId } from '../reference/types.ts'
import type { LoanUseStatus } from '../inspection/events.ts'
import type { CapBasis } from './events.ts'
import type { LoanCommand } from './commands.ts'
import type { InterestRejection } from './interest.ts'
import type { NoLendingRulesInForce } from './rules.ts'
import type { LoanStatus } from './state.ts'
import type { PositiveCount } from './values.ts'

/** The part of the decider's context a command needs and the handler did not load. */
export type LoanContextPart = 'approval' | 'capitalReservation' | 'termsLookup' | 'inspectionFinding'

export type LoanRejection =
  | { readonly _tag: 'LoanStatusDisallowsCommand'; readonly command: LoanCommand['type']; readonly status: LoanStatus }
  | { readonly _tag: 'DatedBeforeLastActivity'; readonly command: LoanCommand['type']; readonly lastActivityOn: LocalDate; readonly date: LocalDate }
  | { readonly _tag: 'AmountMustBePositive'; readonly command: LoanCommand['type'] }
  | { readonly _tag: 'ContextMissing'; readonly command: LoanCommand['type']; readonly missing: LoanContextPart }
  // Approval
  | { readonly _tag: 'EvidenceForAnotherHousehold'; readonly householdId: HouseholdId; readonly evidenceHouseholdId: HouseholdId }
  | { readonly _tag: 'TermsForAnotherProgramme'; readonly programme: ProgrammeId; readonly termsProgramme: ProgrammeId }
  | { readonly _tag: 'TermsNotInForceOnApprovalDate'; readonly termsVersionId: string; readonly validFrom: LocalDate; readonly validTo: LocalDate | null; readonly approvedOn: LocalDate }
  | { readonly _tag: 'HouseholdHasNoClassOnApprovalDate'; readonly householdId: HouseholdId; readonly approvedOn: LocalDate }
  | { readonly _tag: 'ClassNotInForceOnApprovalDate'; readonly effectiveFrom: LocalDate; readonly approvedOn: LocalDate }
  | { readonly _tag: 'HouseholdClassNotEligible'; readonly householdClass: HouseholdClass; readonly eligibleClasses: ReadonlyArray<HouseholdClass> }
  | { readonly _tag: 'NewlyEscapedWindowExpired'; readonly escapedStatusEndsOn: LocalDate | null; readonly approvedOn: LocalDate }
  | { readonly _tag: 'CapQuantityMissing'; readonly capBasis: CapBasis }
  | { readonly _tag: 'AmountExceedsCap'; readonly cap: Vnd; readonly capBasis: CapBasis; readonly capUnits: number; readonly requested: Vnd }
  | { readonly _tag: 'ApprovedAmountExceedsRequested'; readonly requested: Vnd; readonly approved: Vnd }
  | { readonly _tag: 'TermExceedsProgrammeMaximum'; readonly maxTermMonths: number; readonly termMonths: number }
  | { readonly _tag: 'CollateralRequired'; readonly termsVersionId: string }
  // Disbursement
  | { readonly _tag: 'DisbursementExceedsApprovedAmount'; readonly approvedAmount: Vnd; readonly requested: Vnd }
  | { readonly _tag: 'ScheduleDoesNotMatchAmount'; readonly scheduled: Vnd; readonly amount: Vnd }
  | { readonly _tag: 'ScheduleDatesInvalid'; readonly disbursedOn: LocalDate; readonly latestDueOn: LocalDate }
  | {
      readonly _tag: 'CapitalReservationMismatch'
      readonly field: 'loanId' | 'amount' | 'communeId' | 'year' | 'programme' | 'capitalSource'
      readonly expected: string
      readonly reserved: string
    }
  // Servicing
  | InterestRejection
  | NoLendingRulesInForce
  | { readonly _tag: 'InterestCollectionExceedsOwed'; readonly owed: Vnd; readonly requested: Vnd }
  | { readonly _tag: 'RepaymentExceedsOutstanding'; readonly outstanding: Vnd; readonly requested: Vnd }
  | { readonly _tag: 'NoSuchInstalment'; readonly instalmentNumber: PositiveCount }
  | { readonly _tag: 'InstalmentAlreadySettled'; readonly instalmentNumber: PositiveCount }
  | { readonly _tag: 'InstalmentAlreadyFallenDue'; readonly instalmentNumber: PositiveCount; readonly dueOn: LocalDate; readonly date: LocalDate }
  | { readonly _tag: 'NewDueDateNotLater'; readonly dueOn: LocalDate; readonly newDueOn: LocalDate }
  | { readonly _tag: 'AdjustmentWouldMoveMaturity'; readonly maturity: LocalDate; readonly newDueOn: LocalDate }
  | { readonly _tag: 'ExtensionBeyondLimit'; readonly limit: LocalDate; readonly extendedTo: LocalDate }
  | { readonly _tag: 'RiskExtensionNeedsLoss'; readonly minimumLoss: BasisPoints; readonly lossShare: BasisPoints | null }
  | { readonly _tag: 'NothingDueToTransfer'; readonly transferredOn: LocalDate }
  // Misuse and risk handling
  | { readonly _tag: 'FindingDoesNotConcernLoan'; readonly loanId: LoanId; readonly inspectionId: InspectionId; readonly findingLoanId: LoanId; readonly findingInspectionId: InspectionId }
  | { readonly _tag: 'MisuseNotFound'; readonly inspectionId: InspectionId; readonly status: LoanUseStatus }
  | { readonly _tag: 'RecallBeforeInspection'; readonly conductedOn: LocalDate; readonly recalledOn: LocalDate }
  | { readonly _tag: 'LoanAlreadyRecalled'; readonly inspectionId: InspectionId; readonly recalledOn: LocalDate }
  | { readonly _tag: 'RiskHandlingExcludesMisusedLoan'; readonly inspectionId: InspectionId }
  | { readonly _tag: 'FreezeExceedsDebt'; readonly freezable: Vnd; readonly requested: Vnd }
  | { readonly _tag: 'FreezeEndsBeforeItStarts'; readonly frozenOn: LocalDate; readonly frozenUntil: LocalDate }
  | { readonly _tag: 'NothingFrozen' }
  | { readonly _tag: 'UnfrozenDebtMustFallDueLater'; readonly unfrozenOn: LocalDate; readonly dueOn: LocalDate }
  | { readonly _tag: 'WriteOffExceedsOutstanding'; readonly outstanding: Vnd; readonly requested: Vnd }
  | { readonly _tag: 'InterestWriteOffExceedsOwed'; readonly owed: Vnd; readonly requested: Vnd }
  // Closure
  | { readonly _tag: 'PrincipalStillOutstanding'; readonly outstanding: Vnd }
  | { readonly _tag: 'InterestStillOwed'; readonly owed: Vnd }
