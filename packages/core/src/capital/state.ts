/**
 * A commune's capital for one year, per fund (programme × capital source). Before its first event the
 * stream is unopened; every event names the commune and year, so the first one opens it.
 */
import type { CapitalSourceKind, ProgrammeId } from '../reference/types.ts'
import type { CapitalSourceId, CommuneId, LoanId } from '../values/identifiers.ts'
import { vnd, type Vnd } from '../values/money.ts'
import type { PositiveCount } from '../loan/values.ts'

export interface FundKey {
  readonly programme: ProgrammeId
  readonly capitalSourceKind: CapitalSourceKind
  readonly capitalSourceId: CapitalSourceId
}

export interface Fund extends FundKey {
  /** Allocated, entrusted and received by reallocation. */
  readonly received: Vnd
  readonly reallocatedAway: Vnd
  /** Held by reservations not released. */
  readonly reserved: Vnd
}

export interface Reservation extends FundKey {
  readonly loanId: LoanId
  readonly amount: Vnd
}

export type CapitalState =
  | { readonly status: 'Unopened' }
  | {
      readonly status: 'Open'
      readonly communeId: CommuneId
      readonly year: PositiveCount
      readonly funds: ReadonlyArray<Fund>
      readonly reservations: ReadonlyArray<Reservation>
    }

export const isSameFund = (a: FundKey, b: FundKey): boolean =>
  a.programme === b.programme && a.capitalSourceKind === b.capitalSourceKind && a.capitalSourceId === b.capitalSourceId

export const availableIn = (fund: Fund): Vnd => vnd(fund.received - fund.reallocatedAway - fund.reserved)

/** What is left to reserve in a fund; zero for a fund the stream has never seen. */
export const availableCapital = (state: CapitalState, key: FundKey): Vnd => {
  if (state.status === 'Unopened') return vnd(0n)
  const fund = state.funds.find((candidate) => isSameFund(candidate, key))
  return fund === undefined ? vnd(0n) : availableIn(fund)
}

export const capitalStreamId = (communeId: CommuneId, year: number): string => `capital-${communeId}-${year}`
