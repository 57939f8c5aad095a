import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { Capital, CapitalSourceId, CommuneId, day, DecisionNumber, idOf, Loan, LoanId, sumVnd, TownId, vnd } from '@policy-credit/core'
import { deciderSpec } from '@policy-credit/core/testing'
import { approvedHistory, capitalSourceId, communeId, disbursedOn, instalments, loanDisbursed, transactionPointId } from '../loan/fixtures.ts'

const given = deciderSpec(Capital.capitalDecider)
const year = Loan.positiveCount(2022)
const nghiaLo = idOf(TownId, 'NGHIA-LO')
const townDecision = idOf(DecisionNumber, 'NQ-HDND-NGHIA-LO-2022')
const otherCommune = idOf(CommuneId, 'NGHIA-PHUC')
const fund = { programme: 'JOB_CREATION', capitalSourceKind: 'LOCAL_BUDGET', capitalSourceId } as const
const loanA = idOf(LoanId, 'LN-A')

// F7: the town moved 600,000,000 VND of its budget to the bank for job-creation loans in 2022.
const entrust: Capital.CapitalCommand = {
  type: 'EntrustLocalBudgetCapital',
  data: { communeId, year, programme: 'JOB_CREATION', capitalSourceId, amount: vnd(600_000_000n), entrustingUnitId: nghiaLo, decisionNumber: townDecision, entrustedOn: day('2022-03-15') },
}
const entrusted: Capital.CapitalEvent = { type: 'LocalBudgetCapitalEntrusted', data: { ...entrust.data, capitalSourceKind: 'LOCAL_BUDGET' } as never }
const reserve = (loanId: LoanId, amount: bigint, reservedOn = '2022-05-20'): Capital.CapitalCommand => ({
  type: 'ReserveCapital',
  data: { communeId, year, ...fund, loanId, amount: vnd(amount), reservedOn: day(reservedOn) },
})
const reserved = (loanId: LoanId, amount: bigint, availableBefore: bigint): Capital.CapitalEvent => ({
  type: 'CapitalReserved',
  data: { communeId, year, ...fund, loanId, amount: vnd(amount), availableBefore: vnd(availableBefore), reservedOn: day('2022-05-20') },
})

describe('capital assigned and entrusted', () => {
  it('records local budget capital entrusted with its unit and decision', () => {
    const decision = given([]).when(entrust, undefined).decision
    expect(decision).toStrictEqual(E.right([{ type: 'LocalBudgetCapitalEntrusted', data: { ...entrust.data, capitalSourceKind: 'LOCAL_BUDGET' } }]))
  })
  it('records central capital allocated to the commune', () => {
    const central = idOf(CapitalSourceId, 'CENTRAL')
    const allocate: Capital.CapitalCommand = {
      type: 'AllocateCentralCapital',
      data: { communeId, year, programme: 'POOR_HOUSEHOLD', capitalSourceId: central, amount: vnd(2_000_000_000n), decisionNumber: townDecision, allocatedOn: day('2022-01-10') },
    }
    given([]).when(allocate, undefined).thenEvents([{ type: 'CentralCapitalAllocated', data: { ...allocate.data, capitalSourceKind: 'CENTRAL' } }])
  })
  it('rejects a command for another commune-year stream', () =>
    given([entrusted])
      .when({ ...entrust, data: { ...entrust.data, year: Loan.positiveCount(2023), entrustedOn: day('2023-01-05') } } as Capital.CapitalCommand, undefined)
      .thenRejects({ _tag: 'CommandForAnotherCapitalStream', command: 'EntrustLocalBudgetCapital', streamCommuneId: communeId, streamYear: 2022, commandCommuneId: communeId, commandYear: 2023 }))
  it('rejects a date outside the stream year', () =>
    given([])
      .when({ ...entrust, data: { ...entrust.data, entrustedOn: day('2021-12-31') } } as Capital.CapitalCommand, undefined)
      .thenRejects({ _tag: 'DateOutsideCapitalYear', command: 'EntrustLocalBudgetCapital', year: 2022, date: day('2021-12-31') }))
  it('rejects an amount of zero', () =>
    given([]).when({ ...entrust, data: { ...entrust.data, amount: vnd(0n) } } as Capital.CapitalCommand, undefined).thenRejects({ _tag: 'AmountMustBePositive', command: 'EntrustLocalBudgetCapital' }))
})

describe('reservations never exceed what is left', () => {
  it('reserves capital for a disbursement and records what was available', () =>
    given([entrusted]).when(reserve(loanA, 100_000_000n), undefined).thenEvents([reserved(loanA, 100_000_000n, 600_000_000n)]))
  it('rejects a reservation beyond what is left', () =>
    given([entrusted, reserved(loanA, 550_000_000n, 600_000_000n)])
      .when(reserve(idOf(LoanId, 'LN-B'), 50_000_001n), undefined)
      .thenRejects({ _tag: 'CapitalInsufficient', fund, available: vnd(50_000_000n), requested: vnd(50_000_001n) }))
  it('rejects a reservation from a fund the commune never received', () =>
    given([entrusted])
      .when({ ...reserve(loanA, 1n), data: { ...reserve(loanA, 1n).data, programme: 'STUDENT' } } as Capital.CapitalCommand, undefined)
      .thenRejects({ _tag: 'CapitalInsufficient', fund: { ...fund, programme: 'STUDENT' }, available: vnd(0n), requested: vnd(1n) }))
  it('answers a repeated identical reservation with nothing', () => given([entrusted, reserved(loanA, 100_000_000n, 600_000_000n)]).when(reserve(loanA, 100_000_000n), undefined).thenNothing())
  it('rejects a second, different reservation for the same loan', () =>
    given([entrusted, reserved(loanA, 100_000_000n, 600_000_000n)])
      .when(reserve(loanA, 90_000_000n), undefined)
      .thenRejects({ _tag: 'LoanAlreadyHasReservation', loanId: loanA, reservedAmount: vnd(100_000_000n), fund }))
  it('releases a reservation, which frees its capital', () => {
    const release: Capital.CapitalCommand = { type: 'ReleaseCapitalReservation', data: { communeId, year, loanId: loanA, reason: 'DISBURSEMENT_NOT_MADE', releasedOn: day('2022-05-21') } }
    const history = [entrusted, reserved(loanA, 600_000_000n, 600_000_000n)]
    given(history).when(release, undefined).thenEvents([{ type: 'CapitalReservationReleased', data: { ...release.data, ...fund, amount: vnd(600_000_000n) } }])
    const after = [...history, { type: 'CapitalReservationReleased', data: { ...release.data, ...fund, amount: vnd(600_000_000n) } } as Capital.CapitalEvent]
    expect(Capital.availableCapital(after.reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState), fund)).toBe(600_000_000n)
  })
  it('rejects releasing a reservation that does not exist', () =>
    given([entrusted])
      .when({ type: 'ReleaseCapitalReservation', data: { communeId, year, loanId: loanA, reason: 'LOAN_CANCELLED', releasedOn: day('2022-05-21') } }, undefined)
      .thenRejects({ _tag: 'NoReservationForLoan', loanId: loanA }))
})

describe('mid-year reallocation', () => {
  const away: Capital.CapitalCommand = {
    type: 'ReallocateCapital',
    data: { communeId, year, ...fund, amount: vnd(100_000_000n), toCommuneId: otherCommune, decisionNumber: townDecision, reallocatedOn: day('2022-07-01') },
  }
  it('moves capital away, only from what is left', () => {
    given([entrusted]).when(away, undefined).thenEvents([{ type: 'CapitalReallocatedAway', data: away.data as never }])
    given([entrusted, reserved(loanA, 550_000_000n, 600_000_000n)])
      .when(away, undefined)
      .thenRejects({ _tag: 'CapitalInsufficient', fund, available: vnd(50_000_000n), requested: vnd(100_000_000n) })
  })
  it('rejects reallocating to the same commune', () =>
    given([entrusted]).when({ ...away, data: { ...away.data, toCommuneId: communeId } } as Capital.CapitalCommand, undefined).thenRejects({ _tag: 'ReallocationToSameCommune', communeId }))
  it('receives reallocated capital on the other commune', () => {
    const receive: Capital.CapitalCommand = {
      type: 'ReceiveReallocatedCapital',
      data: { communeId: otherCommune, year, ...fund, amount: vnd(100_000_000n), fromCommuneId: communeId, decisionNumber: townDecision, receivedOn: day('2022-07-01') },
    }
    given([]).when(receive, undefined).thenEvents([{ type: 'ReallocatedCapitalReceived', data: receive.data as never }])
    given([]).when({ ...receive, data: { ...receive.data, fromCommuneId: otherCommune } } as Capital.CapitalCommand, undefined).thenRejects({ _tag: 'ReallocationToSameCommune', communeId: otherCommune })
  })
})

describe('Nghĩa Lộ town budget capital (seed article F7–F9)', () => {
  // F8: 2,036,000,000 VND entrusted from the town budget in all; 600,000,000 of it in 2022 (F7), so 1,436,000,000 before [D].
  const entrustedIn = (entrustedOn: string, amount: bigint): Capital.CapitalEvent =>
    ({ type: 'LocalBudgetCapitalEntrusted', data: { ...entrust.data, year: Loan.positiveCount(Number(entrustedOn.slice(0, 4))), amount: vnd(amount), entrustedOn: day(entrustedOn), capitalSourceKind: 'LOCAL_BUDGET' } }) as never
  it('adds up to the cumulative 2,036,000,000 across the yearly streams', () => {
    const streams = [[entrustedIn('2021-03-01', 1_436_000_000n)], [entrustedIn('2022-03-15', 600_000_000n)]]
    const entrustedTotal = sumVnd(streams.flatMap((events) => events.flatMap((event) => (event.type === 'LocalBudgetCapitalEntrusted' ? [event.data.amount] : []))))
    expect([entrustedTotal, Capital.availableCapital(streams[1]!.reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState), fund)]).toStrictEqual([
      2_036_000_000n,
      600_000_000n,
    ])
  })
  it('funds a job-creation loan through planDisbursement: reservation first, then the disbursement', () => {
    const capital = [entrusted].reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState)
    const loan = approvedHistory.reduce(Loan.loanDecider.evolve, Loan.loanDecider.initialState)
    const command = { type: 'DisburseLoan', data: { loanId: (loanDisbursed.data as { loanId: LoanId }).loanId, amount: vnd(60_000_000n), transactionPointId, instalments, disbursedOn } } as const
    const plan = Loan.planDisbursement(command, loan, capital)
    expect(E.map((found: Loan.DisbursementPlan) => [found.capitalEvents.map((event) => event.type), found.loanEvents])(plan)).toStrictEqual(E.right([['CapitalReserved'], [loanDisbursed]]))
  })
  it('refuses a loan that is not approved before reserving anything', () => {
    const capital = [entrusted].reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState)
    const requested = approvedHistory.slice(0, 3).reduce(Loan.loanDecider.evolve, Loan.loanDecider.initialState)
    const command = { type: 'DisburseLoan', data: { loanId: (loanDisbursed.data as { loanId: LoanId }).loanId, amount: vnd(60_000_000n), transactionPointId, instalments, disbursedOn } } as const
    expect(Loan.planDisbursement(command, requested, capital)).toStrictEqual(
      E.left({ _tag: 'LoanRejectedDisbursement', rejection: { _tag: 'LoanStatusDisallowsCommand', command: 'DisburseLoan', status: 'CommuneCertified' } }),
    )
  })
  it('refuses the disbursement when the loan refuses it after the capital would reserve (more than approved)', () => {
    const capital = [entrusted].reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState)
    const loan = approvedHistory.reduce(Loan.loanDecider.evolve, Loan.loanDecider.initialState)
    const tooMuch = [...instalments.slice(0, 2), { dueOn: instalments[2]!.dueOn, principal: vnd(30_000_000n) }]
    const command = { type: 'DisburseLoan', data: { loanId: (loanDisbursed.data as { loanId: LoanId }).loanId, amount: vnd(70_000_000n), transactionPointId, instalments: tooMuch, disbursedOn } } as const
    expect(Loan.planDisbursement(command, loan, capital)).toStrictEqual(
      E.left({ _tag: 'LoanRejectedDisbursement', rejection: { _tag: 'DisbursementExceedsApprovedAmount', approvedAmount: vnd(60_000_000n), requested: vnd(70_000_000n) } }),
    )
  })
  it('refuses the disbursement when the commune has no capital left', () => {
    const capital = [entrusted, reserved(loanA, 590_000_000n, 600_000_000n)].reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState)
    const loan = approvedHistory.reduce(Loan.loanDecider.evolve, Loan.loanDecider.initialState)
    const command = { type: 'DisburseLoan', data: { loanId: (loanDisbursed.data as { loanId: LoanId }).loanId, amount: vnd(60_000_000n), transactionPointId, instalments, disbursedOn } } as const
    expect(Loan.planDisbursement(command, loan, capital)).toStrictEqual(
      E.left({ _tag: 'CapitalRejectedReservation', rejection: { _tag: 'CapitalInsufficient', fund, available: vnd(10_000_000n), requested: vnd(60_000_000n) } }),
    )
  })
})

describe('capital invariants', () => {
  const loanIds = fc.constantFrom(...['LN-1', 'LN-2', 'LN-3', 'LN-4'].map((id) => idOf(LoanId, id)))
  const command = fc.oneof(
    fc.record({ kind: fc.constant('reserve' as const), loanId: loanIds, amount: fc.bigInt({ min: 0n, max: 400_000_000n }) }),
    fc.record({ kind: fc.constant('release' as const), loanId: loanIds }),
    fc.record({ kind: fc.constant('reallocate' as const), amount: fc.bigInt({ min: 0n, max: 400_000_000n }) }),
  )
  const toCommand = (generated: typeof command extends fc.Arbitrary<infer Generated> ? Generated : never): Capital.CapitalCommand =>
    generated.kind === 'reserve'
      ? reserve(generated.loanId, generated.amount)
      : generated.kind === 'release'
        ? { type: 'ReleaseCapitalReservation', data: { communeId, year, loanId: generated.loanId, reason: 'LOAN_CANCELLED', releasedOn: day('2022-06-01') } }
        : { type: 'ReallocateCapital', data: { communeId, year, ...fund, amount: vnd(generated.amount), toCommuneId: otherCommune, decisionNumber: townDecision, reallocatedOn: day('2022-07-01') } }
  test.prop([fc.array(command, { maxLength: 40 })])('reserved plus reallocated never exceeds what was received, evolve accepts every event decided, and every event survives its codec', (generated) => {
    const events = generated.map(toCommand).reduce<ReadonlyArray<Capital.CapitalEvent>>((history, next) => {
      const decision = Capital.capitalDecider.decide(next, history.reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState))
      expect(Capital.decodeCapitalCommand(JSON.parse(JSON.stringify(Capital.CapitalCommand.encode(next))))).toStrictEqual(E.right(next))
      if (E.isLeft(decision)) return history
      // evolve accepts every event decide made: each one changes the state.
      decision.right.reduce((state, event) => {
        const after = Capital.capitalDecider.evolve(state, event)
        expect(after, event.type).not.toStrictEqual(state)
        return after
      }, history.reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState))
      return [...history, ...decision.right]
    }, [entrusted])
    const state = events.reduce(Capital.capitalDecider.evolve, Capital.capitalDecider.initialState)
    const received = state.status === 'Open' ? state.funds.find((candidate) => Capital.isSameFund(candidate, fund)) : undefined
    expect(received !== undefined && received.reserved + received.reallocatedAway <= received.received).toBe(true)
    for (const event of events) expect(Capital.decodeCapitalEvent(JSON.parse(JSON.stringify(Capital.CapitalEvent.encode(event))))).toStrictEqual(E.right(event))
  })
})
