/**
 * Supervision of policy loans (kiểm tra, giám sát; domain.md §6): a body plans an inspection of a
 * commune over a period, conducts it with a finding per loan checked, requires corrections (kiến nghị)
 * with deadlines, follows them up and completes it. An inspection never writes to a loan's stream: the
 * bank's recall of a misused loan is the loan's own command, which reads the finding in its context.
 */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { readonlyArray, strict } from '../shared/codecs.ts'
import { message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CommuneId, InspectionId, LoanId } from '../values/identifiers.ts'
import { Vnd } from '../values/money.ts'
import { Count, decodeByType, unionOf, nullable, PositiveCount, Text } from '../loan/values.ts'

/** The Board of Representatives of the bank's Board of Directors (Ban đại diện HĐQT), an entrusted mass organisation, or the bank's staff. */
export const InspectingBodyKind = t.keyof({ BOARD_OF_REPRESENTATIVES: null, MASS_ORGANISATION: null, BANK: null }, 'InspectingBodyKind')
export type InspectingBodyKind = t.TypeOf<typeof InspectingBodyKind>

/** Was the money used as the loan's plan said (đúng mục đích)? */
export const LoanUseStatus = t.keyof({ PROPER_USE: null, MISUSED: null, BORROWER_NOT_FOUND: null }, 'LoanUseStatus')
export type LoanUseStatus = t.TypeOf<typeof LoanUseStatus>

export const LoanCheck = strict({ loanId: LoanId, status: LoanUseStatus, amountChecked: Vnd, amountMisused: Vnd }, 'LoanCheck')
export type LoanCheck = t.TypeOf<typeof LoanCheck>

/** Who inspects which commune over which period, as the plan command and event carry it. */
export const inspectionPlan = {
  inspectionId: InspectionId,
  bodyKind: InspectingBodyKind,
  bodyName: Text,
  communeId: CommuneId,
  periodFrom: LocalDate,
  periodTo: LocalDate,
  plannedOn: LocalDate,
}

export const InspectionPlanned = message('InspectionPlanned', inspectionPlan)

export const InspectionConducted = message('InspectionConducted', {
  inspectionId: InspectionId,
  communeId: CommuneId,
  minutesId: Text,
  checks: readonlyArray(LoanCheck),
  // The totals of the minutes (biên bản), so a report needs no fold over the checks.
  loansChecked: Count,
  amountChecked: Vnd,
  amountMisused: Vnd,
  conductedOn: LocalDate,
})

export const CorrectionRequired = message('CorrectionRequired', {
  inspectionId: InspectionId,
  communeId: CommuneId,
  correctionNumber: PositiveCount,
  description: Text,
  loanId: nullable(LoanId),
  deadline: LocalDate,
  requiredOn: LocalDate,
})

export const CorrectionCompleted = message('CorrectionCompleted', {
  inspectionId: InspectionId,
  communeId: CommuneId,
  correctionNumber: PositiveCount,
  /** Completed after its deadline. */
  late: t.boolean,
  completedOn: LocalDate,
})

export const InspectionCompleted = message('InspectionCompleted', {
  inspectionId: InspectionId,
  communeId: CommuneId,
  loansChecked: Count,
  loansMisused: Count,
  correctionsRequired: Count,
  completedOn: LocalDate,
})

export const inspectionEventCodecs = { InspectionPlanned, InspectionConducted, CorrectionRequired, CorrectionCompleted, InspectionCompleted } as const

export const InspectionEvent = unionOf('InspectionEvent', inspectionEventCodecs)
export type InspectionEvent = t.TypeOf<typeof InspectionEvent>

export const decodeInspectionEvent: (input: unknown) => E.Either<DecodeFailure, InspectionEvent> = decodeByType('InspectionEvent', inspectionEventCodecs)
