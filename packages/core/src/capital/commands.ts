/**
 * What the bank and the People's Committees ask of a commune's capital for a year. Every command names
 * its commune and year, which is the stream it goes to: `capitalStreamId(communeId, year)`.
 */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CapitalSourceId, CommuneId, DecisionNumber, LoanId, TownId } from '../values/identifiers.ts'
import { Vnd } from '../values/money.ts'
import { ProgrammeId } from '../reference/types.ts'
import { decodeByType, unionOf, PositiveCount } from '../loan/values.ts'
import { fundDimensions, ReleaseReason } from './events.ts'

export const AllocateCentralCapital = message('AllocateCentralCapital', {
  communeId: CommuneId,
  year: PositiveCount,
  programme: ProgrammeId,
  capitalSourceId: CapitalSourceId,
  amount: Vnd,
  decisionNumber: DecisionNumber,
  allocatedOn: LocalDate,
})

export const EntrustLocalBudgetCapital = message('EntrustLocalBudgetCapital', {
  communeId: CommuneId,
  year: PositiveCount,
  programme: ProgrammeId,
  capitalSourceId: CapitalSourceId,
  amount: Vnd,
  entrustingUnitId: TownId,
  decisionNumber: DecisionNumber,
  entrustedOn: LocalDate,
})

/** The giving side of a mid-year reallocation; the receiving commune's stream gets `ReceiveReallocatedCapital`. */
export const ReallocateCapital = message('ReallocateCapital', {
  ...fundDimensions,
  amount: Vnd,
  toCommuneId: CommuneId,
  decisionNumber: DecisionNumber,
  reallocatedOn: LocalDate,
})

export const ReceiveReallocatedCapital = message('ReceiveReallocatedCapital', {
  ...fundDimensions,
  amount: Vnd,
  fromCommuneId: CommuneId,
  decisionNumber: DecisionNumber,
  receivedOn: LocalDate,
})

/** Sets capital aside for one loan's disbursement; appended with an expected revision, it is the guard against overdrawing. */
export const ReserveCapital = message('ReserveCapital', { ...fundDimensions, loanId: LoanId, amount: Vnd, reservedOn: LocalDate })

export const ReleaseCapitalReservation = message('ReleaseCapitalReservation', {
  communeId: CommuneId,
  year: PositiveCount,
  loanId: LoanId,
  reason: ReleaseReason,
  releasedOn: LocalDate,
})

export const capitalCommandCodecs = {
  AllocateCentralCapital,
  EntrustLocalBudgetCapital,
  ReallocateCapital,
  ReceiveReallocatedCapital,
  ReserveCapital,
  ReleaseCapitalReservation,
} as const

export const CapitalCommand = unionOf('CapitalCommand', capitalCommandCodecs)
export type CapitalCommand = t.TypeOf<typeof CapitalCommand>

export const decodeCapitalCommand: (input: unknown) => E.Either<DecodeFailure, CapitalCommand> = decodeByType('CapitalCommand', capitalCommandCodecs)
