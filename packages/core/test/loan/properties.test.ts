import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { Loan, sumVnd } from '@policy-credit/core'
import { loanLifecycle } from '@policy-credit/core/testing'

const amountsOf = (events: ReadonlyArray<Loan.LoanEvent>, type: 'LoanDisbursed' | 'PrincipalRepaid' | 'PrincipalWrittenOff') =>
  sumVnd(events.flatMap((event) => (event.type === type ? [event.data.amount] : [])))

const jsonRoundTrip = <A, O>(codec: { encode: (a: A) => O }, value: A): unknown => JSON.parse(JSON.stringify(codec.encode(value)))

describe('any loan lifecycle decide can produce', () => {
  test.prop([loanLifecycle()])('keeps principal outstanding non-negative and equal to disbursed − repaid − written off, after every event', ({ events }) => {
    events.reduce<ReadonlyArray<Loan.LoanEvent>>((sofar, event) => {
      const history = [...sofar, event]
      const state = history.reduce(Loan.loanDecider.evolve, Loan.loanDecider.initialState)
      if (state.status === 'Active') {
        const fromEvents = amountsOf(history, 'LoanDisbursed') - amountsOf(history, 'PrincipalRepaid') - amountsOf(history, 'PrincipalWrittenOff')
        expect(Loan.principalOutstanding(state), event.type).toBe(fromEvents)
        expect(state.disbursed - state.repaid - state.writtenOff).toBe(fromEvents)
        expect(fromEvents >= 0n && state.instalments.every((instalment) => instalment.remaining >= 0n) && state.overdue >= 0n && state.frozen >= 0n).toBe(true)
      }
      return history
    }, [])
  })

  test.prop([loanLifecycle()])('evolve takes every event decide makes: each one changes the state', ({ events }) => {
    events.reduce((state, event) => {
      const next = Loan.loanDecider.evolve(state, event)
      expect(next, event.type).not.toBe(state)
      return next
    }, Loan.loanDecider.initialState)
  })

  test.prop([loanLifecycle()])('a closed loan owes nothing and an open one keeps its balance history in date order', ({ events, state }) => {
    if (state.status === 'Closed') expect(state.disbursed - state.repaid - state.writtenOff).toBe(0n)
    if (state.status === 'Active') {
      const days = state.balanceHistory.map((segment) => segment.from)
      expect(days).toStrictEqual([...new Set(days)].sort())
    }
    expect(events.length).toBeGreaterThanOrEqual(5)
  })

  test.prop([loanLifecycle()])('every event and command survives its codec and JSON', ({ events, commands }) => {
    for (const event of events) expect(Loan.decodeLoanEvent(jsonRoundTrip(Loan.LoanEvent, event))).toStrictEqual(E.right(event))
    for (const command of commands) expect(Loan.decodeLoanCommand(jsonRoundTrip(Loan.LoanCommand, command))).toStrictEqual(E.right(command))
  })

  it('reaches every event type and rejects some commands (the generator covers the decider)', () => {
    const lifecycles = fc.sample(loanLifecycle(40), { numRuns: 300, seed: 20_220_630 })
    const types = new Set(lifecycles.flatMap((lifecycle) => lifecycle.events.map((event) => event.type)))
    expect([...types].sort()).toStrictEqual(Object.keys(Loan.loanEventCodecs).filter((type) => type !== 'LoanRejected').sort())
    expect(lifecycles.some((lifecycle) => lifecycle.decisions.some(E.isLeft))).toBe(true)
  })
})

describe('decoding names each bad field', () => {
  it('names the fields of the command its type names', () => {
    const decoded = Loan.decodeLoanCommand({ type: 'RepayPrincipal', data: { loanId: 'LN-1', amount: '-5', repaidOn: '2022-02-30' } })
    expect(E.isLeft(decoded) && decoded.left.errors.map((error) => error.path)).toStrictEqual(['data.amount', 'data.repaidOn'])
  })
  it('names an unknown type', () =>
    expect(E.isLeft(Loan.decodeLoanEvent({ type: 'LoanStolen', data: {} })) && Loan.decodeLoanEvent({ type: 'LoanStolen', data: {} })).toMatchObject({
      left: { _tag: 'DecodeFailure', codec: 'LoanEvent', errors: [{ path: 'type', actual: 'LoanStolen' }] },
    }))
  it('drops unknown fields', () =>
    expect(Loan.decodeLoanCommand({ type: 'CloseLoan', data: { loanId: 'LN-1', closedOn: '2022-06-25', extra: 1 } })).toStrictEqual(
      E.right({ type: 'CloseLoan', data: { loanId: 'LN-1', closedOn: '2022-06-25' } }),
    ))
})
