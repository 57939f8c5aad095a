import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { Capital, day, eventCatalogue, foldHistory, Household, Loan } from '@policy-credit/core'
import { arbitraryDay, loanLifecycle, type LoanLifecycle } from '@policy-credit/core/testing'
import { inMemoryEventStore } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import { aggregatesWithoutFold, history, stateAsOf, streamKindOf, toJsonSafe } from '../src/index.ts'
import { expectLeft, expectRight, loanStreamId, recordLifecycle, validatingStore } from './scenario.ts'

const recordedLoan = async (lifecycle: LoanLifecycle) => {
  const store = validatingStore()
  await recordLifecycle(store, lifecycle)
  const streamId = loanStreamId(lifecycle.commands[0]?.data.loanId ?? '')
  const rows = expectRight(await history(store, streamId)())
  return { store, streamId, rows }
}

const foldedPrefix = (lifecycle: LoanLifecycle, count: number) => toJsonSafe(foldHistory(Loan.loanDecider, lifecycle.events.slice(0, count)))

describe('state as of a business date', () => {
  test.prop([loanLifecycle(12)], { numRuns: 25 })('as of the last business date is the fold of the whole stream', async (lifecycle) => {
    const { store, streamId, rows } = await recordedLoan(lifecycle)
    const lastDay = rows.map((row) => row.occurredOn).reduce((latest, date) => (date > latest ? date : latest))

    const asOf = expectRight(await stateAsOf(store, streamId, { asOf: lastDay })())

    expect(asOf.aggregate).toBe('Loan')
    expect(asOf.eventsApplied).toBe(lifecycle.events.length)
    expect(asOf.state).toStrictEqual(toJsonSafe(lifecycle.state))
    expect(expectRight(await stateAsOf(store, streamId)()).state).toStrictEqual(asOf.state)
  })

  test.prop([loanLifecycle(12), arbitraryDay(day('2015-12-01'), day('2030-12-31')), arbitraryDay(day('2015-12-01'), day('2030-12-31'))], {
    numRuns: 25,
  })('is the fold of the events dated on or before the day, and grows with the day', async (lifecycle, oneDay, otherDay) => {
    const { store, streamId, rows } = await recordedLoan(lifecycle)
    const [earlier, later] = oneDay <= otherDay ? [oneDay, otherDay] : [otherDay, oneDay]

    const atEarlier = expectRight(await stateAsOf(store, streamId, { asOf: earlier })())
    const atLater = expectRight(await stateAsOf(store, streamId, { asOf: later })())

    const datedByEarlier = rows.filter((row) => row.occurredOn <= earlier).length
    expect(atEarlier.eventsApplied).toBe(datedByEarlier)
    // A loan's business dates never go back, so the events of a day form a prefix of the stream.
    expect(atEarlier.state).toStrictEqual(foldedPrefix(lifecycle, datedByEarlier))
    expect(atLater.state).toStrictEqual(foldedPrefix(lifecycle, atLater.eventsApplied))
    expect(atEarlier.eventsApplied).toBeLessThanOrEqual(atLater.eventsApplied)
    expect(atEarlier.lastApplied?.version ?? '0').toBe(String(datedByEarlier))
  })
})

describe('state as known at a recorded instant', () => {
  test.prop([loanLifecycle(12), fc.nat()], { numRuns: 25 })('is the stream as it was recorded by then', async (lifecycle, pick) => {
    const { store, streamId, rows } = await recordedLoan(lifecycle)
    const count = pick % (rows.length + 1)
    // Just before the next event was recorded: a millisecond after the last one known.
    const knownAt = count === 0 ? '2025-12-31T23:59:59.999Z' : new Date(Date.parse(rows[count - 1]?.recordedAt ?? '') + 1).toISOString()

    const known = expectRight(await stateAsOf(store, streamId, { knownAt })())

    expect(known.eventsApplied).toBe(count)
    expect(known.state).toStrictEqual(foldedPrefix(lifecycle, count))
  })

  it('combines with a business date: what was true on a day, as known at an instant', async () => {
    const lifecycle = fc.sample(loanLifecycle(0), { numRuns: 1, seed: 7 })[0]
    if (lifecycle === undefined) throw new Error('no sample')
    const { store, streamId, rows } = await recordedLoan(lifecycle)
    const approval = rows.find((row) => row.type === 'LoanApproved')
    const disbursement = rows.find((row) => row.type === 'LoanDisbursed')
    if (approval === undefined || disbursement === undefined) throw new Error('the opening commands should approve and disburse')

    const both = expectRight(await stateAsOf(store, streamId, { asOf: disbursement.occurredOn, knownAt: approval.recordedAt })())

    expect(both.eventsApplied).toBe(Number(approval.version))
    expect(both.state).toMatchObject({ status: 'Approved' })
    expect(expectRight(await stateAsOf(store, streamId, { throughVersion: 2n })()).state).toMatchObject({ status: 'GroupVetted' })
  })
})

describe('choosing the aggregate', () => {
  it('has a decider for every aggregate of the core catalogue', () => {
    expect(aggregatesWithoutFold).toStrictEqual([])
    for (const entry of eventCatalogue) {
      const example = entry.stream.replace(/<[^>]+>/g, 'X1')
      expect(streamKindOf(example)?.aggregate).toBe(entry.aggregate)
    }
  })

  it('folds a household and a capital stream with their own deciders', async () => {
    const store = inMemoryEventStore()
    const registered = {
      type: 'HouseholdRegistered',
      data: { householdId: 'HH-1', communeId: 'XA-NGHIA-AN', areaType: 'RURAL', members: 4, registeredOn: '2020-03-01' },
    }
    expectRight(await store.appendToStream(Household.householdStreamId('HH-1'), { _tag: 'NoStream' }, [newEvent({ ...registered, metadata: { occurredOn: '2020-03-01' } })])())
    const allocated = {
      type: 'CentralCapitalAllocated',
      data: { communeId: 'XA-NGHIA-AN', year: 2022, programme: 'POOR_HOUSEHOLD', capitalSourceKind: 'CENTRAL', capitalSourceId: 'CENTRAL', amount: '600000000', decisionNumber: '12/QD-HDQT', allocatedOn: '2022-01-10' },
    }
    const capitalStream = Capital.capitalStreamId('XA-NGHIA-AN' as never, 2022)
    expectRight(await store.appendToStream(capitalStream, { _tag: 'NoStream' }, [newEvent({ ...allocated, metadata: { occurredOn: '2022-01-10' } })])())

    const household = expectRight(await stateAsOf(store, 'household-HH-1', { asOf: '2021-01-01' })())
    const capital = expectRight(await stateAsOf(store, capitalStream, { asOf: '2022-12-31' })())

    expect(household).toMatchObject({ aggregate: 'Household', eventsApplied: 1, state: { status: 'Registered', householdId: 'HH-1', members: 4 } })
    expect(capital).toMatchObject({ aggregate: 'Capital', state: { status: 'Open', funds: [{ received: '600000000', reserved: '0' }] } })
    expect(expectRight(await stateAsOf(store, capitalStream, { asOf: '2022-01-09' })()).state).toStrictEqual({ status: 'Unopened' })
  })
})

describe('refusals', () => {
  it('refuses a stream no aggregate owns, a date that is no calendar day and an instant without an offset', async () => {
    const store = validatingStore()
    expect(expectLeft(await stateAsOf(store, 'ledger-1')())).toMatchObject({ _tag: 'UnknownStreamKind', streamId: 'ledger-1' })
    expect(expectLeft(await stateAsOf(store, 'loan-LN-1', { asOf: '2025-02-30' })())).toMatchObject({ _tag: 'InvalidQuery', field: 'asOf' })
    expect(expectLeft(await stateAsOf(store, 'loan-LN-1', { knownAt: '2025-02-01T10:00:00' })())).toMatchObject({ _tag: 'InvalidQuery', field: 'knownAt' })
    expect(expectLeft(await stateAsOf(store, 'loan-LN-1', { throughVersion: -1n })())).toMatchObject({ _tag: 'InvalidQuery', field: 'throughVersion' })
  })

  it('cannot fold past a malformed event, but folds up to a day before it', async () => {
    const store = inMemoryEventStore()
    const vetted = newEvent({ type: 'LoanVettedByGroup', data: { loanId: 'LN-1', savingsGroupId: 'SG-1', meetingMinutesId: 'm', vettedOn: '2025-03-14' }, metadata: { occurredOn: '2025-03-14' } })
    const broken = newEvent({ type: 'LoanApproved', data: { loanId: 'LN-1' }, metadata: { occurredOn: '2025-04-01' } })
    expectRight(await store.appendToStream('loan-LN-1', { _tag: 'NoStream' }, [vetted, broken])())

    expect(expectLeft(await stateAsOf(store, 'loan-LN-1')())).toMatchObject({ _tag: 'CannotFoldMalformedEvent', event: { version: 2n, type: 'LoanApproved' } })
    expect(expectRight(await stateAsOf(store, 'loan-LN-1', { asOf: '2025-03-31' })()).eventsApplied).toBe(1)
  })

  it('refuses to fold an event of another aggregate found in a stream', async () => {
    const store = inMemoryEventStore()
    const registered = newEvent({ type: 'HouseholdRegistered', data: { householdId: 'HH-1', communeId: 'XA-1', areaType: 'RURAL', members: 2, registeredOn: '2020-03-01' } })
    expectRight(await store.appendToStream('loan-LN-1', { _tag: 'NoStream' }, [registered])())
    expect(expectLeft(await stateAsOf(store, 'loan-LN-1')())).toMatchObject({ _tag: 'EventOfAnotherAggregate', aggregate: 'Loan', type: 'HouseholdRegistered' })
  })
})
