/**
 * Loan capital (nguồn vốn) available to one commune in one year, per programme and capital source:
 * central capital allocated from the bank's plan, local budget capital entrusted (vốn ngân sách địa
 * phương ủy thác) by a People's Committee under a decision, capital moved between communes in the
 * mid-year reallocation, and reservations that fund disbursements (domain.md §5).
 */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CapitalSourceId, CommuneId, DecisionNumber, LoanId, TownId } from '../values/identifiers.ts'
import { Vnd } from '../values/money.ts'
import { CapitalSourceKind, ProgrammeId } from '../reference/types.ts'
import { decodeByType, unionOf, PositiveCount } from '../loan/values.ts'

/** Why a reservation was given back: its disbursement was never made, or the loan was cancelled. */
export const ReleaseReason = t.keyof({ DISBURSEMENT_NOT_MADE: null, LOAN_CANCELLED: null }, 'ReleaseReason')
export type ReleaseReason = t.TypeOf<typeof ReleaseReason>

/** The fund a movement concerns: the commune-year stream, the programme and the capital source. */
export const fundDimensions = {
  communeId: CommuneId,
  year: PositiveCount,
  programme: ProgrammeId,
  capitalSourceKind: CapitalSourceKind,
  capitalSourceId: CapitalSourceId,
}

export const CentralCapitalAllocated = message('CentralCapitalAllocated', {
  ...fundDimensions,
  amount: Vnd,
  /** The Board of Representatives' decision approving the plan split per commune. */
  decisionNumber: DecisionNumber,
  allocatedOn: LocalDate,
})

export const LocalBudgetCapitalEntrusted = message('LocalBudgetCapitalEntrusted', {
  ...fundDimensions,
  amount: Vnd,
  /** The town, district or province whose People's Committee entrusts its budget money. */
  entrustingUnitId: TownId,
  decisionNumber: DecisionNumber,
  entrustedOn: LocalDate,
})

export const CapitalReallocatedAway = message('CapitalReallocatedAway', {
  ...fundDimensions,
  amount: Vnd,
  toCommuneId: CommuneId,
  decisionNumber: DecisionNumber,
  reallocatedOn: LocalDate,
})

export const ReallocatedCapitalReceived = message('ReallocatedCapitalReceived', {
  ...fundDimensions,
  amount: Vnd,
  fromCommuneId: CommuneId,
  decisionNumber: DecisionNumber,
  receivedOn: LocalDate,
})

export const CapitalReserved = message('CapitalReserved', {
  ...fundDimensions,
  loanId: LoanId,
  amount: Vnd,
  /** What the fund had left before this reservation: the evidence that it did not overdraw. */
  availableBefore: Vnd,
  reservedOn: LocalDate,
})

export const CapitalReservationReleased = message('CapitalReservationReleased', {
  ...fundDimensions,
  loanId: LoanId,
  amount: Vnd,
  reason: ReleaseReason,
  releasedOn: LocalDate,
})

export const capitalEventCodecs = {
  CentralCapitalAllocated,
  LocalBudgetCapitalEntrusted,
  CapitalReallocatedAway,
  ReallocatedCapitalReceived,
  CapitalReserved,
  CapitalReservationReleased,
} as const

export const CapitalEvent = unionOf('CapitalEvent', capitalEventCodecs)
export type CapitalEvent = t.TypeOf<typeof CapitalEvent>

/** A reservation as the loan's disbursement sees it in its context. */
export type CapitalReservation = Omit<t.TypeOf<typeof CapitalReserved>['data'], 'availableBefore'>

export const decodeCapitalEvent: (input: unknown) => E.Either<DecodeFailure, CapitalEvent> = decodeByType('CapitalEvent', capitalEventCodecs)
