/** Why a capital command was refused; each names the broken rule. */
import type { LocalDate } from '../values/dates.ts'
import type { CommuneId, LoanId } from '../values/identifiers.ts'
import type { Vnd } from '../values/money.ts'
import type { CapitalCommand } from './commands.ts'
import type { FundKey } from './state.ts'

export type CapitalRejection =
  | {
      readonly _tag: 'CommandForAnotherCapitalStream'
      readonly command: CapitalCommand['type']
      readonly streamCommuneId: CommuneId
      readonly streamYear: number
      readonly commandCommuneId: CommuneId
      readonly commandYear: number
    }
  | { readonly _tag: 'DateOutsideCapitalYear'; readonly command: CapitalCommand['type']; readonly year: number; readonly date: LocalDate }
  | { readonly _tag: 'AmountMustBePositive'; readonly command: CapitalCommand['type'] }
  | { readonly _tag: 'CapitalInsufficient'; readonly fund: FundKey; readonly available: Vnd; readonly requested: Vnd }
  | { readonly _tag: 'ReallocationToSameCommune'; readonly communeId: CommuneId }
  | { readonly _tag: 'LoanAlreadyHasReservation'; readonly loanId: LoanId; readonly reservedAmount: Vnd; readonly fund: FundKey }
  | { readonly _tag: 'NoReservationForLoan'; readonly loanId: LoanId }
