/**
 * What happens to a policy loan (món vay), from the household's request to closure (tất toán), as
 * io-ts codecs with the types derived. Every event from approval on carries the report dimensions of
 * domain.md §4 (commune, programme, capital source, mass organisation, savings group, jobs created),
 * copied from state by `decide`, so projections never join. Events that move principal record how it
 * was split between instalments, overdue and frozen debt, so `evolve` replays facts and never re-decides.
 */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { readonlyArray, strict } from '../shared/codecs.ts'
import { message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import {
  CapitalSourceId,
  CommuneId,
  DecisionNumber,
  HouseholdId,
  InspectionId,
  LoanId,
  MassOrganisationId,
  SavingsGroupId,
  TransactionPointId,
} from '../values/identifiers.ts'
import { BasisPoints, RatePpm, Vnd } from '../values/money.ts'
import { CapitalSourceKind, HouseholdClass, MassOrganisationKind, PovertyStandardId, ProgrammeId } from '../reference/types.ts'
import { Count, decodeByType, unionOf, nullable, PositiveCount, Text } from './values.ts'

/** Who turned a loan down: the savings-and-loan group's vetting, the commune's certification, or the bank. */
export const RejectingBody = t.keyof({ SAVINGS_GROUP: null, COMMUNE: null, BANK: null }, 'RejectingBody')
export type RejectingBody = t.TypeOf<typeof RejectingBody>

/** Who collected the interest: the group leader under delegation (ủy nhiệm thu), or the transaction point. */
export const InterestCollector = t.keyof({ GROUP_LEADER: null, TRANSACTION_POINT: null }, 'InterestCollector')
export type InterestCollector = t.TypeOf<typeof InterestCollector>

/** Ordinary extension (gia hạn nợ) or risk extension under Decision 50/2010/QĐ-TTg. */
export const ExtensionKind = t.keyof({ ORDINARY: null, RISK: null }, 'ExtensionKind')
export type ExtensionKind = t.TypeOf<typeof ExtensionKind>

/** Objective causes of loss that open risk handling (Decision 50/2010/QĐ-TTg, as amended in 2021 [V:S23, S23c]). */
export const RiskCause = t.keyof(
  { NATURAL_DISASTER: null, EPIDEMIC: null, FIRE: null, DEATH: null, MISSING: null, LOSS_OF_WORKING_CAPACITY: null, POLICY_CHANGE: null, FATAL_ILLNESS: null },
  'RiskCause',
)
export type RiskCause = t.TypeOf<typeof RiskCause>

export const CapBasis = t.keyof({ PER_LOAN: null, PER_MONTH_OF_STUDY: null, PER_FACILITY_TYPE: null, PER_WORKER: null }, 'CapBasis')
export type CapBasis = t.TypeOf<typeof CapBasis>

export const Collateral = strict({ description: Text, value: Vnd }, 'Collateral')
export type Collateral = t.TypeOf<typeof Collateral>

/** One instalment (kỳ hạn trả nợ) of the repayment schedule. */
export const Instalment = strict({ number: PositiveCount, dueOn: LocalDate, principal: Vnd }, 'Instalment')
export type Instalment = t.TypeOf<typeof Instalment>

/** Part of a movement of principal taken from one instalment. */
export const InstalmentPart = strict({ number: PositiveCount, amount: Vnd }, 'InstalmentPart')
export type InstalmentPart = t.TypeOf<typeof InstalmentPart>

/** The dimensions every monetary event carries for the bank's reports (domain.md §4, §7). */
export const reportDimensions = {
  loanId: LoanId,
  householdId: HouseholdId,
  communeId: CommuneId,
  programme: ProgrammeId,
  capitalSourceKind: CapitalSourceKind,
  capitalSourceId: CapitalSourceId,
  massOrganisationKind: MassOrganisationKind,
  massOrganisationId: MassOrganisationId,
  savingsGroupId: SavingsGroupId,
  /** Workers given jobs: declared for job-creation loans (1 per worker loan, N per establishment), 0 otherwise. */
  jobsCreated: Count,
}
export const ReportDimensions = strict(reportDimensions, 'ReportDimensions')
export type ReportDimensions = t.TypeOf<typeof ReportDimensions>

/** What a household asks for (giấy đề nghị vay vốn kiêm phương án sử dụng vốn), as the request command and event carry it. */
export const loanApplication = {
  loanId: LoanId,
  householdId: HouseholdId,
  communeId: CommuneId,
  programme: ProgrammeId,
  savingsGroupId: SavingsGroupId,
  massOrganisationKind: MassOrganisationKind,
  massOrganisationId: MassOrganisationId,
  requestedAmount: Vnd,
  termMonths: PositiveCount,
  purpose: Text,
  /** Workers the loan gives jobs to: required by a per-worker cap (job creation). */
  workers: nullable(PositiveCount),
  /** Months of study financed: required by a per-month cap (students). */
  monthsOfStudy: nullable(PositiveCount),
  /** Facility types built (water, latrine): required by a per-facility cap (clean water). */
  facilityTypes: nullable(PositiveCount),
  requestedOn: LocalDate,
}

export const LoanRequested = message('LoanRequested', loanApplication)

export const LoanVettedByGroup = message('LoanVettedByGroup', {
  loanId: LoanId,
  savingsGroupId: SavingsGroupId,
  meetingMinutesId: Text,
  vettedOn: LocalDate,
})

export const LoanCertifiedByCommune = message('LoanCertifiedByCommune', {
  loanId: LoanId,
  communeId: CommuneId,
  certificationNumber: DecisionNumber,
  certifiedOn: LocalDate,
})

export const LoanRejected = message('LoanRejected', {
  loanId: LoanId,
  rejectedBy: RejectingBody,
  reason: Text,
  rejectedOn: LocalDate,
})

export const LoanApproved = message('LoanApproved', {
  ...reportDimensions,
  approvedAmount: Vnd,
  termMonths: PositiveCount,
  approvedOn: LocalDate,
  // The evidence the decision saw: the household's class in force that day and what recognised it.
  householdClass: HouseholdClass,
  classDecisionNumber: DecisionNumber,
  classDecidedOn: LocalDate,
  povertyStandardId: PovertyStandardId,
  classEffectiveFrom: LocalDate,
  /** For a newly-escaped household: the first day it no longer counts as newly escaped. */
  escapedStatusEndsOn: nullable(LocalDate),
  // The programme terms in force that day.
  termsVersionId: Text,
  yearlyRate: RatePpm,
  overdueYearlyRate: RatePpm,
  capBasis: CapBasis,
  capPerUnit: Vnd,
  capUnits: PositiveCount,
  cap: Vnd,
  collateral: nullable(Collateral),
})

export const LoanDisbursed = message('LoanDisbursed', {
  ...reportDimensions,
  amount: Vnd,
  transactionPointId: TransactionPointId,
  /** The capital stream (`capital-<communeId>-<year>`) whose reservation funds this disbursement. */
  capitalYear: PositiveCount,
  instalments: readonlyArray(Instalment),
  disbursedOn: LocalDate,
})

export const InterestCollected = message('InterestCollected', {
  ...reportDimensions,
  amount: Vnd,
  collector: InterestCollector,
  /** Interest accrued and not yet collected or written off, before this collection. */
  interestOwedBefore: Vnd,
  collectedOn: LocalDate,
})

export const PrincipalRepaid = message('PrincipalRepaid', {
  ...reportDimensions,
  amount: Vnd,
  fromOverdue: Vnd,
  fromInstalments: readonlyArray(InstalmentPart),
  fromFrozen: Vnd,
  repaidOn: LocalDate,
})

export const InstalmentTermAdjusted = message('InstalmentTermAdjusted', {
  ...reportDimensions,
  instalmentNumber: PositiveCount,
  amount: Vnd,
  previousDueOn: LocalDate,
  newDueOn: LocalDate,
  reason: Text,
  adjustedOn: LocalDate,
})

export const LoanExtended = message('LoanExtended', {
  ...reportDimensions,
  instalmentNumber: PositiveCount,
  amount: Vnd,
  kind: ExtensionKind,
  previousDueOn: LocalDate,
  extendedTo: LocalDate,
  /** The borrower's loss of capital, for a risk extension (≥ 40 % [V:S23b]); null for an ordinary one. */
  lossShare: nullable(BasisPoints),
  extendedOn: LocalDate,
})

export const AmountTransferredToOverdue = message('AmountTransferredToOverdue', {
  ...reportDimensions,
  amount: Vnd,
  fromInstalments: readonlyArray(InstalmentPart),
  transferredOn: LocalDate,
})

export const LoanRecalledEarly = message('LoanRecalledEarly', {
  ...reportDimensions,
  inspectionId: InspectionId,
  /** Principal in term that falls due on the recall day. */
  amountDue: Vnd,
  recalledOn: LocalDate,
})

export const DebtFrozen = message('DebtFrozen', {
  ...reportDimensions,
  amount: Vnd,
  fromOverdue: Vnd,
  fromInstalments: readonlyArray(InstalmentPart),
  cause: RiskCause,
  decisionNumber: DecisionNumber,
  frozenUntil: LocalDate,
  frozenOn: LocalDate,
})

export const DebtUnfrozen = message('DebtUnfrozen', {
  ...reportDimensions,
  amount: Vnd,
  /** The frozen principal comes back as this new instalment. */
  instalmentNumber: PositiveCount,
  dueOn: LocalDate,
  unfrozenOn: LocalDate,
})

export const PrincipalWrittenOff = message('PrincipalWrittenOff', {
  ...reportDimensions,
  amount: Vnd,
  fromFrozen: Vnd,
  fromOverdue: Vnd,
  fromInstalments: readonlyArray(InstalmentPart),
  cause: RiskCause,
  decisionNumber: DecisionNumber,
  writtenOffOn: LocalDate,
})

export const InterestWrittenOff = message('InterestWrittenOff', {
  ...reportDimensions,
  amount: Vnd,
  interestOwedBefore: Vnd,
  cause: RiskCause,
  decisionNumber: DecisionNumber,
  writtenOffOn: LocalDate,
})

export const LoanClosed = message('LoanClosed', {
  ...reportDimensions,
  disbursed: Vnd,
  repaid: Vnd,
  writtenOff: Vnd,
  closedOn: LocalDate,
})

export const loanEventCodecs = {
  LoanRequested,
  LoanVettedByGroup,
  LoanCertifiedByCommune,
  LoanRejected,
  LoanApproved,
  LoanDisbursed,
  InterestCollected,
  PrincipalRepaid,
  InstalmentTermAdjusted,
  LoanExtended,
  AmountTransferredToOverdue,
  LoanRecalledEarly,
  DebtFrozen,
  DebtUnfrozen,
  PrincipalWrittenOff,
  InterestWrittenOff,
  LoanClosed,
} as const

export const LoanEvent = unionOf('LoanEvent', loanEventCodecs)
export type LoanEvent = t.TypeOf<typeof LoanEvent>

export const decodeLoanEvent: (input: unknown) => E.Either<DecodeFailure, LoanEvent> = decodeByType('LoanEvent', loanEventCodecs)
