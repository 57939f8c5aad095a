/**
 * The capital decider. The stream `capital-<communeId>-<year>` is the consistency boundary for "no
 * disbursement beyond a commune's capital": a disbursement first reserves capital here, and the command
 * handler appends the reservation with the revision it read, so two disbursements racing for the last
 * đồng cannot both succeed. Why commune × year: allocation plans and the bank's reports are per commune
 * and year (domain.md §5), disbursements of one commune happen on its transaction point's monthly day,
 * so contention is low, and a reallocation touches only the two communes involved. A stream per fund
 * would be finer but is not needed: funds never lend to each other.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { match } from 'ts-pattern'
import type { Decider } from '../shared/decider.ts'
import { yearOf, type LocalDate } from '../values/dates.ts'
import { vnd, type Vnd } from '../values/money.ts'
import type { CapitalCommand } from './commands.ts'
import type { CapitalEvent } from './events.ts'
import type { CapitalRejection } from './rejections.ts'
import { availableCapital, isSameFund, type CapitalState, type Fund, type FundKey } from './state.ts'

type Decision = E.Either<CapitalRejection, ReadonlyArray<CapitalEvent>>

const commandDate = (command: CapitalCommand): LocalDate =>
  match(command)
    .returnType<LocalDate>()
    .with({ type: 'AllocateCentralCapital' }, ({ data }) => data.allocatedOn)
    .with({ type: 'EntrustLocalBudgetCapital' }, ({ data }) => data.entrustedOn)
    .with({ type: 'ReallocateCapital' }, ({ data }) => data.reallocatedOn)
    .with({ type: 'ReceiveReallocatedCapital' }, ({ data }) => data.receivedOn)
    .with({ type: 'ReserveCapital' }, ({ data }) => data.reservedOn)
    .with({ type: 'ReleaseCapitalReservation' }, ({ data }) => data.releasedOn)
    .exhaustive()

const commandAmount = (command: CapitalCommand): Vnd | undefined => (command.type === 'ReleaseCapitalReservation' ? undefined : command.data.amount)

/** The rules every capital command shares: right stream, a day inside the year, a positive amount. */
const checkCommand = (command: CapitalCommand, state: CapitalState): E.Either<CapitalRejection, void> => {
  const { communeId, year } = command.data
  if (state.status === 'Open' && (state.communeId !== communeId || state.year !== year))
    return E.left({
      _tag: 'CommandForAnotherCapitalStream',
      command: command.type,
      streamCommuneId: state.communeId,
      streamYear: state.year,
      commandCommuneId: communeId,
      commandYear: year,
    })
  const date = commandDate(command)
  if (yearOf(date) !== year) return E.left({ _tag: 'DateOutsideCapitalYear', command: command.type, year, date })
  if (commandAmount(command) === 0n) return E.left({ _tag: 'AmountMustBePositive', command: command.type })
  return E.right(undefined)
}

const withdraw = (state: CapitalState, fund: FundKey, requested: Vnd, events: () => ReadonlyArray<CapitalEvent>): Decision => {
  const available = availableCapital(state, fund)
  return requested > available ? E.left({ _tag: 'CapitalInsufficient', fund, available, requested }) : E.right(events())
}

const fundOf = (data: FundKey): FundKey => ({ programme: data.programme, capitalSourceKind: data.capitalSourceKind, capitalSourceId: data.capitalSourceId })

const decideChecked = (command: CapitalCommand, state: CapitalState): Decision =>
  match(command)
    .returnType<Decision>()
    .with({ type: 'AllocateCentralCapital' }, ({ data }) => E.right([{ type: 'CentralCapitalAllocated', data: { ...data, capitalSourceKind: 'CENTRAL' } }]))
    .with({ type: 'EntrustLocalBudgetCapital' }, ({ data }) =>
      E.right([{ type: 'LocalBudgetCapitalEntrusted', data: { ...data, capitalSourceKind: 'LOCAL_BUDGET' } }]),
    )
    .with({ type: 'ReallocateCapital' }, ({ data }) =>
      data.toCommuneId === data.communeId
        ? E.left({ _tag: 'ReallocationToSameCommune', communeId: data.communeId })
        : withdraw(state, fundOf(data), data.amount, () => [{ type: 'CapitalReallocatedAway', data }]),
    )
    .with({ type: 'ReceiveReallocatedCapital' }, ({ data }) =>
      data.fromCommuneId === data.communeId
        ? E.left({ _tag: 'ReallocationToSameCommune', communeId: data.communeId })
        : E.right([{ type: 'ReallocatedCapitalReceived', data }]),
    )
    .with({ type: 'ReserveCapital' }, ({ data }) => {
      const existing = state.status === 'Open' ? state.reservations.find((reservation) => reservation.loanId === data.loanId) : undefined
      if (existing !== undefined)
        return isSameFund(existing, data) && existing.amount === data.amount
          ? E.right([])
          : E.left({ _tag: 'LoanAlreadyHasReservation', loanId: data.loanId, reservedAmount: existing.amount, fund: fundOf(existing) })
      return withdraw(state, fundOf(data), data.amount, () => [
        { type: 'CapitalReserved', data: { ...data, availableBefore: availableCapital(state, fundOf(data)) } },
      ])
    })
    .with({ type: 'ReleaseCapitalReservation' }, ({ data }) => {
      const reservation = state.status === 'Open' ? state.reservations.find((candidate) => candidate.loanId === data.loanId) : undefined
      return reservation === undefined
        ? E.left({ _tag: 'NoReservationForLoan', loanId: data.loanId })
        : E.right([{ type: 'CapitalReservationReleased', data: { ...data, ...fundOf(reservation), amount: reservation.amount } }])
    })
    .exhaustive()

const decide = (command: CapitalCommand, state: CapitalState): Decision =>
  pipe(
    checkCommand(command, state),
    E.flatMap(() => decideChecked(command, state)),
  )

type FundEventData = CapitalEvent['data']

const open = (state: CapitalState, data: FundEventData): Extract<CapitalState, { readonly status: 'Open' }> =>
  state.status === 'Open' ? state : { status: 'Open', communeId: data.communeId, year: data.year, funds: [], reservations: [] }

/** Adds signed amounts to one fund, creating it on its first event. */
const changeFund = (
  state: CapitalState,
  data: FundEventData,
  change: { readonly received?: bigint; readonly reallocatedAway?: bigint; readonly reserved?: bigint },
): Extract<CapitalState, { readonly status: 'Open' }> => {
  const opened = open(state, data)
  const key = fundOf(data)
  const current: Fund = opened.funds.find((fund) => isSameFund(fund, key)) ?? { ...key, received: vnd(0n), reallocatedAway: vnd(0n), reserved: vnd(0n) }
  const changed: Fund = {
    ...current,
    received: vnd(current.received + (change.received ?? 0n)),
    reallocatedAway: vnd(current.reallocatedAway + (change.reallocatedAway ?? 0n)),
    reserved: vnd(current.reserved + (change.reserved ?? 0n)),
  }
  return { ...opened, funds: [...opened.funds.filter((fund) => !isSameFund(fund, key)), changed] }
}

// decide emits only what the rules allow; evolve records the facts and does not re-validate them.
const evolve = (state: CapitalState, event: CapitalEvent): CapitalState =>
  match(event)
    .returnType<CapitalState>()
    .with({ type: 'CentralCapitalAllocated' }, { type: 'LocalBudgetCapitalEntrusted' }, { type: 'ReallocatedCapitalReceived' }, ({ data }) =>
      changeFund(state, data, { received: data.amount }),
    )
    .with({ type: 'CapitalReallocatedAway' }, ({ data }) => changeFund(state, data, { reallocatedAway: data.amount }))
    .with({ type: 'CapitalReserved' }, ({ data }) => {
      const changed = changeFund(state, data, { reserved: data.amount })
      return { ...changed, reservations: [...changed.reservations, { ...fundOf(data), loanId: data.loanId, amount: data.amount }] }
    })
    .with({ type: 'CapitalReservationReleased' }, ({ data }) => {
      const changed = changeFund(state, data, { reserved: -data.amount })
      return { ...changed, reservations: changed.reservations.filter((reservation) => reservation.loanId !== data.loanId) }
    })
    .exhaustive()

export const capitalDecider: Decider<CapitalCommand, CapitalEvent, CapitalState, CapitalRejection> = {
  initialState: { status: 'Unopened' },
  evolve,
  decide,
}
