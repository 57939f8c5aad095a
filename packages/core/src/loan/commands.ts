/**
 * What a household, its savings-and-loan group, the commune or the bank asks of a loan. Each command
 * carries its business date (the core reads no clock). What the loan's own stream cannot know (the
 * household's class, the programme terms, the capital reserved, an inspection's finding) comes in the
 * decider's context, loaded by the command handler: see `LoanContext` in `decider.ts`.
 */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { readonlyArray, strict } from '../shared/codecs.ts'
import { message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import {
  CapitalSourceId,
  DecisionNumber,
  InspectionId,
  LoanId,
  TransactionPointId,
} from '../values/identifiers.ts'
import { BasisPoints, Vnd } from '../values/money.ts'
import { CapitalSourceKind } from '../reference/types.ts'
import { Collateral, ExtensionKind, InterestCollector, loanApplication, RejectingBody, RiskCause } from './events.ts'
import { decodeByType, unionOf, nullable, PositiveCount, Text } from './values.ts'

/** A planned instalment: the schedule is fixed at disbursement, when the amount lent is known. */
export const PlannedInstalment = strict({ dueOn: LocalDate, principal: Vnd }, 'PlannedInstalment')
export type PlannedInstalment = t.TypeOf<typeof PlannedInstalment>

export const RequestLoan = message('RequestLoan', loanApplication)

export const VetLoanByGroup = message('VetLoanByGroup', { loanId: LoanId, meetingMinutesId: Text, vettedOn: LocalDate })

export const CertifyLoanByCommune = message('CertifyLoanByCommune', { loanId: LoanId, certificationNumber: DecisionNumber, certifiedOn: LocalDate })

export const RejectLoan = message('RejectLoan', { loanId: LoanId, rejectedBy: RejectingBody, reason: Text, rejectedOn: LocalDate })

export const ApproveLoan = message('ApproveLoan', {
  loanId: LoanId,
  approvedAmount: Vnd,
  termMonths: PositiveCount,
  capitalSourceKind: CapitalSourceKind,
  capitalSourceId: CapitalSourceId,
  collateral: nullable(Collateral),
  approvedOn: LocalDate,
})

export const DisburseLoan = message('DisburseLoan', {
  loanId: LoanId,
  amount: Vnd,
  transactionPointId: TransactionPointId,
  instalments: readonlyArray(PlannedInstalment),
  disbursedOn: LocalDate,
})

export const CollectInterest = message('CollectInterest', { loanId: LoanId, amount: Vnd, collector: InterestCollector, collectedOn: LocalDate })

export const RepayPrincipal = message('RepayPrincipal', { loanId: LoanId, amount: Vnd, repaidOn: LocalDate })

/** Điều chỉnh kỳ hạn nợ: an instalment's due date moves; the final maturity does not. */
export const AdjustInstalmentTerm = message('AdjustInstalmentTerm', {
  loanId: LoanId,
  instalmentNumber: PositiveCount,
  newDueOn: LocalDate,
  reason: Text,
  adjustedOn: LocalDate,
})

/** Gia hạn nợ: an instalment's due date moves past what the schedule allowed, within the extension limit. */
export const ExtendLoan = message('ExtendLoan', {
  loanId: LoanId,
  instalmentNumber: PositiveCount,
  kind: ExtensionKind,
  extendedTo: LocalDate,
  lossShare: nullable(BasisPoints),
  extendedOn: LocalDate,
})

/** Chuyển nợ quá hạn: every instalment due before this day and still unpaid becomes overdue; nothing else does. */
export const TransferToOverdue = message('TransferToOverdue', { loanId: LoanId, transferredOn: LocalDate })

/** Thu hồi nợ trước hạn: the bank recalls the loan because an inspection found the money misused. */
export const RecallLoanEarly = message('RecallLoanEarly', { loanId: LoanId, inspectionId: InspectionId, recalledOn: LocalDate })

/** Khoanh nợ: frozen principal earns no interest until it is unfrozen or written off. */
export const FreezeDebt = message('FreezeDebt', {
  loanId: LoanId,
  amount: Vnd,
  cause: RiskCause,
  decisionNumber: DecisionNumber,
  frozenUntil: LocalDate,
  frozenOn: LocalDate,
})

export const UnfreezeDebt = message('UnfreezeDebt', { loanId: LoanId, dueOn: LocalDate, unfrozenOn: LocalDate })

/** Xóa nợ gốc: the principal leaves outstanding and is kept off balance. */
export const WriteOffPrincipal = message('WriteOffPrincipal', {
  loanId: LoanId,
  amount: Vnd,
  cause: RiskCause,
  decisionNumber: DecisionNumber,
  writtenOffOn: LocalDate,
})

export const WriteOffInterest = message('WriteOffInterest', {
  loanId: LoanId,
  amount: Vnd,
  cause: RiskCause,
  decisionNumber: DecisionNumber,
  writtenOffOn: LocalDate,
})

/** Tất toán: only when no principal and no interest is owed. */
export const CloseLoan = message('CloseLoan', { loanId: LoanId, closedOn: LocalDate })

export const loanCommandCodecs = {
  RequestLoan,
  VetLoanByGroup,
  CertifyLoanByCommune,
  RejectLoan,
  ApproveLoan,
  DisburseLoan,
  CollectInterest,
  RepayPrincipal,
  AdjustInstalmentTerm,
  ExtendLoan,
  TransferToOverdue,
  RecallLoanEarly,
  FreezeDebt,
  UnfreezeDebt,
  WriteOffPrincipal,
  WriteOffInterest,
  CloseLoan,
} as const

export const LoanCommand = unionOf('LoanCommand', loanCommandCodecs)
export type LoanCommand = t.TypeOf<typeof LoanCommand>

export const decodeLoanCommand: (input: unknown) => E.Either<DecodeFailure, LoanCommand> = decodeByType('LoanCommand', loanCommandCodecs)
