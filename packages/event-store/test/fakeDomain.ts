/**
 * A small fake domain for the command-handler tests: loans approved for households of the right
 * class, disbursed from a commune's capital. The real deciders live in @policy-credit/core; these
 * only have the shapes the handler needs.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import {
  type CommandDecider,
  type EventStore,
  eventCodec,
  eventSchemaRegistry,
  type EventSchemaFor,
  loadState,
  type StreamCommandHandler,
} from '@policy-credit/event-store'

const decodeAs =
  <Event extends { readonly type: string; readonly data: object }>(type: Event['type'], fields: ReadonlyArray<string>): EventSchemaFor<Event> =>
    ({
      type,
      currentVersion: 1,
      decode: ({ data }: { readonly data: unknown }) =>
        typeof data === 'object' && data !== null && fields.every((field) => field in data) ? E.right({ type, data }) : E.left(`expected fields ${fields.join(', ')}`),
      encode: (event: Event) => ({ type: event.type, data: event.data }),
    }) as unknown as EventSchemaFor<Event>

export type HouseholdEvent = { readonly type: 'HouseholdClassRecognised'; readonly data: { readonly householdClass: 'Poor' | 'NearPoor' | 'NotPoor' } }
export const householdCodec = eventCodec(eventSchemaRegistry<HouseholdEvent>([decodeAs<HouseholdEvent>('HouseholdClassRecognised', ['householdClass'])]))
const householdDecider = {
  initialState: undefined as HouseholdEvent['data']['householdClass'] | undefined,
  evolve: (_: HouseholdEvent['data']['householdClass'] | undefined, event: HouseholdEvent) => event.data.householdClass,
}

export type LoanEvent =
  | { readonly type: 'LoanApproved'; readonly data: { readonly loanId: string; readonly amount: number } }
  | { readonly type: 'LoanDisbursed'; readonly data: { readonly loanId: string; readonly amount: number } }
  | { readonly type: 'LoanCancelled'; readonly data: { readonly loanId: string } }
export type LoanCommand =
  | { readonly type: 'ApproveLoan'; readonly data: { readonly loanId: string; readonly householdId: string; readonly amount: number } }
  | { readonly type: 'DisburseLoan'; readonly data: { readonly loanId: string; readonly communeId: string; readonly amount: number } }
export type Loan =
  | { readonly status: 'Initial' }
  | { readonly status: 'Approved'; readonly amount: number }
  | { readonly status: 'Disbursed' }
  | { readonly status: 'Cancelled' }
export type LoanRejection =
  | { readonly _tag: 'HouseholdNotEligible'; readonly householdClass: string }
  | { readonly _tag: 'LoanStatusDisallowsCommand'; readonly status: Loan['status'] }
  | { readonly _tag: 'DisbursementExceedsApprovedAmount' }

export const loanCodec = eventCodec(
  eventSchemaRegistry<LoanEvent>([
    decodeAs('LoanApproved', ['loanId', 'amount']),
    decodeAs('LoanDisbursed', ['loanId', 'amount']),
    decodeAs('LoanCancelled', ['loanId']),
  ]),
)

export const loanDecider: CommandDecider<LoanCommand, LoanEvent, Loan, LoanRejection, HouseholdEvent['data']['householdClass'] | undefined> = {
  initialState: { status: 'Initial' },
  evolve: (loan, event) => {
    switch (event.type) {
      case 'LoanApproved':
        return { status: 'Approved', amount: event.data.amount }
      case 'LoanDisbursed':
        return { status: 'Disbursed' }
      case 'LoanCancelled':
        return { status: 'Cancelled' }
    }
  },
  decide: (command, loan, householdClass) => {
    switch (command.type) {
      case 'ApproveLoan':
        if (loan.status !== 'Initial') return E.left({ _tag: 'LoanStatusDisallowsCommand', status: loan.status })
        return householdClass === 'Poor'
          ? E.right([{ type: 'LoanApproved', data: { loanId: command.data.loanId, amount: command.data.amount } }])
          : E.left({ _tag: 'HouseholdNotEligible', householdClass: householdClass ?? 'Unknown' })
      case 'DisburseLoan':
        if (loan.status !== 'Approved') return E.left({ _tag: 'LoanStatusDisallowsCommand', status: loan.status })
        return command.data.amount > loan.amount
          ? E.left({ _tag: 'DisbursementExceedsApprovedAmount' })
          : E.right([{ type: 'LoanDisbursed', data: { loanId: command.data.loanId, amount: command.data.amount } }])
    }
  },
}

/** The loan handler: approval loads the household's class from its own stream. */
export const loanHandler = (store: EventStore): StreamCommandHandler<LoanCommand, LoanEvent, Loan, LoanRejection, HouseholdEvent['data']['householdClass'] | undefined> => ({
  decider: loanDecider,
  codec: loanCodec,
  streamId: (command) => `loan-${command.data.loanId}`,
  loadContext: (command) =>
    command.type === 'ApproveLoan'
      ? TE.map(({ state }: { readonly state: HouseholdEvent['data']['householdClass'] | undefined }) => state)(
          loadState(store, householdDecider, householdCodec)(`household-${command.data.householdId}`),
        )
      : TE.right(undefined),
})

export type CapitalEvent =
  | { readonly type: 'CapitalAllocated'; readonly data: { readonly amount: number } }
  | { readonly type: 'CapitalReserved'; readonly data: { readonly loanId: string; readonly amount: number } }
  | { readonly type: 'ReservationReleased'; readonly data: { readonly loanId: string; readonly amount: number } }
export type CapitalCommand =
  | { readonly type: 'ReserveCapital'; readonly data: { readonly communeId: string; readonly loanId: string; readonly amount: number } }
  | { readonly type: 'ReleaseReservation'; readonly data: { readonly communeId: string; readonly loanId: string } }
export interface Capital {
  readonly available: number
  readonly reservations: Readonly<Record<string, number>>
}
export type CapitalRejection = { readonly _tag: 'InsufficientCapital'; readonly available: number; readonly requested: number }

export const capitalCodec = eventCodec(
  eventSchemaRegistry<CapitalEvent>([
    decodeAs('CapitalAllocated', ['amount']),
    decodeAs('CapitalReserved', ['loanId', 'amount']),
    decodeAs('ReservationReleased', ['loanId', 'amount']),
  ]),
)

export const capitalDecider: CommandDecider<CapitalCommand, CapitalEvent, Capital, CapitalRejection, void> = {
  initialState: { available: 0, reservations: {} },
  evolve: (capital, event) => {
    switch (event.type) {
      case 'CapitalAllocated':
        return { ...capital, available: capital.available + event.data.amount }
      case 'CapitalReserved':
        return { available: capital.available - event.data.amount, reservations: { ...capital.reservations, [event.data.loanId]: event.data.amount } }
      case 'ReservationReleased': {
        const { [event.data.loanId]: _released, ...kept } = capital.reservations
        return { available: capital.available + event.data.amount, reservations: kept }
      }
    }
  },
  decide: (command, capital) => {
    switch (command.type) {
      case 'ReserveCapital':
        return command.data.amount > capital.available
          ? E.left({ _tag: 'InsufficientCapital', available: capital.available, requested: command.data.amount })
          : E.right([{ type: 'CapitalReserved', data: { loanId: command.data.loanId, amount: command.data.amount } }])
      case 'ReleaseReservation': {
        const reserved = capital.reservations[command.data.loanId]
        return E.right(reserved === undefined ? [] : [{ type: 'ReservationReleased', data: { loanId: command.data.loanId, amount: reserved } }])
      }
    }
  },
}

export const capitalHandler: StreamCommandHandler<CapitalCommand, CapitalEvent, Capital, CapitalRejection, void> = {
  decider: capitalDecider,
  codec: capitalCodec,
  streamId: (command) => `capital-${command.data.communeId}-2025`,
  loadContext: () => TE.right(undefined),
}

type DisburseLoan = Extract<LoanCommand, { readonly type: 'DisburseLoan' }>

/** Disbursement reserves the loan's amount on the commune's capital first. */
export const disbursementHandler = (store: EventStore) => ({
  primary: loanHandler(store) as StreamCommandHandler<DisburseLoan, LoanEvent, Loan, LoanRejection, HouseholdEvent['data']['householdClass'] | undefined>,
  boundary: capitalHandler,
  reserve: (command: DisburseLoan): CapitalCommand => ({ type: 'ReserveCapital', data: { communeId: command.data.communeId, loanId: command.data.loanId, amount: command.data.amount } }),
  release: (command: DisburseLoan): CapitalCommand => ({ type: 'ReleaseReservation', data: { communeId: command.data.communeId, loanId: command.data.loanId } }),
})
