/**
 * Disbursing a loan touches two streams: the commune's capital (`capital-<communeId>-<year>`), which
 * must not be overdrawn, and the loan. `planDisbursement` decides both, purely, from the two states the
 * handler read: it reserves capital with the capital decider, then disburses with the reservation as
 * the loan's context. The handler appends the capital events first with the capital stream's expected
 * revision (the consistency boundary: two loans racing for the last đồng cannot both reserve it), then
 * the loan events with the loan's. If the loan append then fails, it releases the reservation with
 * `ReleaseCapitalReservation` (reason DISBURSEMENT_NOT_MADE); a retry after a crash finds the
 * reservation already there (the capital decider answers an identical reservation with no events).
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { pipe } from 'fp-ts/lib/function.js'
import { yearOf } from '../values/dates.ts'
import { positiveCount } from './values.ts'
import { capitalDecider } from '../capital/decider.ts'
import type { CapitalEvent, CapitalReservation } from '../capital/events.ts'
import type { CapitalRejection } from '../capital/rejections.ts'
import type { CapitalState } from '../capital/state.ts'
import type { DisburseLoan } from './commands.ts'
import { loanDecider } from './decider.ts'
import type { LoanEvent } from './events.ts'
import type { LoanRejection } from './rejections.ts'
import type { Loan } from './state.ts'

export type DisbursementRejection =
  | { readonly _tag: 'LoanRejectedDisbursement'; readonly rejection: LoanRejection }
  | { readonly _tag: 'CapitalRejectedReservation'; readonly rejection: CapitalRejection }

export interface DisbursementPlan {
  /** Append to `capitalStreamId(communeId, year)` first, with the revision the capital state was read at. */
  readonly capitalEvents: ReadonlyArray<CapitalEvent>
  /** Then append to the loan's stream, with the revision the loan state was read at. */
  readonly loanEvents: ReadonlyArray<LoanEvent>
  readonly reservation: CapitalReservation
}

export const planDisbursement = (
  command: t.TypeOf<typeof DisburseLoan>,
  loan: Loan,
  capital: CapitalState,
): E.Either<DisbursementRejection, DisbursementPlan> => {
  if (loan.status !== 'Approved')
    return E.left({ _tag: 'LoanRejectedDisbursement', rejection: { _tag: 'LoanStatusDisallowsCommand', command: 'DisburseLoan', status: loan.status } })
  const { approval } = loan
  const reserveCommand = {
    type: 'ReserveCapital',
    data: {
      communeId: approval.communeId,
      year: positiveCount(yearOf(command.data.disbursedOn)),
      programme: approval.programme,
      capitalSourceKind: approval.capitalSourceKind,
      capitalSourceId: approval.capitalSourceId,
      loanId: approval.loanId,
      amount: command.data.amount,
      reservedOn: command.data.disbursedOn,
    },
  } as const
  return pipe(
    capitalDecider.decide(reserveCommand, capital),
    E.mapLeft((rejection): DisbursementRejection => ({ _tag: 'CapitalRejectedReservation', rejection })),
    E.flatMap((capitalEvents) => {
      const reservation: CapitalReservation = reserveCommand.data
      return pipe(
        loanDecider.decide(command, loan, { capitalReservation: reservation }),
        E.mapLeft((rejection): DisbursementRejection => ({ _tag: 'LoanRejectedDisbursement', rejection })),
        E.map((loanEvents) => ({ capitalEvents, loanEvents, reservation })),
      )
    }),
  )
}
