/**
 * The Nghĩa Lộ figures (domain.md §9, seed article F7–F9, F12) answered by the read model: 416 workers
 * given jobs by loans in H1 2022, 137 of them from town-budget capital, 20.8 % of the 2,000-job plan;
 * 600,000,000 VND entrusted by the town in 2022, 2,036,000,000 VND in all. The loans are illustrative
 * (the article gives totals, not loans); the totals are the article's.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { day, type DomainEvent, type LocalDate } from '@policy-credit/core'
import { inMemoryReadModelStore } from '@policy-credit/projections'
import { capitalReceivedOver, flowsOver, jobsCreatedOver, outstandingAsOf, outstandingDebtReadModel } from '../src/index.ts'
import { appendAll, catchUp, newEventStore, type LogEntry } from './debtHistory.ts'

const TOWN = 'NGHIA-LO'
const townBudget = { capitalSourceKind: 'LOCAL_BUDGET', capitalSourceId: 'NGHIA-LO-BUDGET' } as const
const central = { capitalSourceKind: 'CENTRAL', capitalSourceId: 'VBSP-CENTRAL' } as const
type Source = typeof townBudget | typeof central

let loanNumber = 0

const disbursement = (on: string, source: Source, workers: number, amount: bigint, programme = 'JOB_CREATION', communeId = 'PHUONG-PAN-THANH'): LogEntry => {
  loanNumber += 1
  const loanId = `NL-${loanNumber}`
  const data = {
    loanId,
    householdId: `HH-NL-${loanNumber}`,
    communeId,
    programme,
    ...source,
    massOrganisationKind: 'WOMENS_UNION',
    massOrganisationId: 'WU-PAN-THANH',
    savingsGroupId: 'SG-PAN-THANH-1',
    jobsCreated: programme === 'JOB_CREATION' ? workers : 0,
    amount,
    transactionPointId: 'TP-PAN-THANH',
    capitalYear: Number(on.slice(0, 4)),
    instalments: [{ number: 1, dueOn: `${Number(on.slice(0, 4)) + 3}${on.slice(4)}`, principal: amount }],
    disbursedOn: on,
  }
  return { streamId: `loan-${loanId}`, event: { type: 'LoanDisbursed', data } as unknown as DomainEvent, on: day(on) }
}

/** A later event of a loan made by `disbursement`, with the same dimensions. */
const following = (loan: LogEntry, type: string, fields: Readonly<Record<string, unknown>>, on: string): LogEntry => {
  const { amount: _, transactionPointId: _point, capitalYear: _year, instalments: _instalments, disbursedOn: _on, ...dimensions } = loan.event.data as Readonly<Record<string, unknown>>
  return { streamId: loan.streamId, event: { type, data: { ...dimensions, ...fields } } as unknown as DomainEvent, on: day(on) }
}

const entrusted = (on: string, amount: bigint): LogEntry => {
  const year = Number(on.slice(0, 4))
  const data = { communeId: 'PHUONG-PAN-THANH', year, programme: 'JOB_CREATION', ...townBudget, amount, entrustingUnitId: TOWN, decisionNumber: `${year}/QD-UBND`, entrustedOn: on }
  return { streamId: `capital-PHUONG-PAN-THANH-${year}`, event: { type: 'LocalBudgetCapitalEntrusted', data } as unknown as DomainEvent, on: day(on) }
}

const jobPlan = (on: string, jobsPlanned: number, previous: number | null): LogEntry => ({
  streamId: `plan-${TOWN}-2022`,
  event: { type: 'JobCreationPlanSet', data: { unitId: TOWN, year: 2022, jobsPlanned, decisionNumber: '123/NQ-HDND', decisionDate: on, previousJobsPlanned: previous } } as unknown as DomainEvent,
  on: day(on),
})

const right = <Value>(result: E.Either<unknown, Value>): Value => {
  if (E.isLeft(result)) throw new Error(`expected a result, got ${JSON.stringify(result.left)}`)
  return result.right
}

const modelOf = async (log: ReadonlyArray<LogEntry>) => {
  const eventStore = newEventStore()
  const readModelStore = inMemoryReadModelStore()
  await appendAll(eventStore, log)
  await catchUp(eventStore, readModelStore)
  return outstandingDebtReadModel(readModelStore)
}

describe('Nghĩa Lộ 2022: jobs created and the plan', () => {
  // 137 workers from town-budget capital and 279 from central capital in H1 2022; a loan just before and
  // one just after the half-year must not count.
  const log: ReadonlyArray<LogEntry> = [
    jobPlan('2022-01-20', 2_000, null),
    disbursement('2021-12-31', townBudget, 5, 400_000_000n),
    disbursement('2022-01-10', townBudget, 37, 1_500_000_000n),
    disbursement('2022-03-15', central, 100, 2_000_000_000n),
    disbursement('2022-04-02', townBudget, 50, 2_000_000_000n),
    disbursement('2022-05-20', central, 100, 2_000_000_000n),
    disbursement('2022-06-30', townBudget, 50, 2_000_000_000n),
    disbursement('2022-07-01', central, 30, 1_000_000_000n),
    // A loan of another programme declares no jobs.
    disbursement('2022-02-01', central, 0, 50_000_000n, 'POOR_HOUSEHOLD'),
    // Recorded after the July loan, dated in June: it belongs to H1.
    disbursement('2022-06-10', central, 79, 1_500_000_000n),
    // The plan revised in September does not change what H1 is measured against on 30 June.
    jobPlan('2022-09-05', 2_500, 2_000),
  ]

  it('416 workers in H1 2022, 137 of them from town-budget capital, 20.80 % of the 2,000-job plan', async () => {
    const model = await modelOf(log)
    const report = right(await jobsCreatedOver(model, { from: '2022-01-01', to: '2022-06-30', by: ['capitalSourceKind'], plan: { unitId: TOWN, year: 2022 } })())
    expect(report.total.jobsCreated).toBe(416)
    expect(report.rows.map((row) => [row.group.capitalSourceKind, row.jobsCreated])).toStrictEqual([
      ['CENTRAL', 279],
      ['LOCAL_BUDGET', 137],
    ])
    expect(report.plan?.resolution.jobsPlanned).toBe(2_000)
    expect(report.plan?.fulfilment.percent).toBe('20.80')
    expect(report.plan?.fulfilment.basisPoints).toBe(2_080n)
  })

  it('over the whole year the revised plan is the one in force', async () => {
    const model = await modelOf(log)
    const report = right(await jobsCreatedOver(model, { from: '2022-01-01', to: '2022-12-31', plan: { unitId: TOWN, year: 2022 } })())
    expect(report.total.jobsCreated).toBe(446)
    expect(report.plan?.resolution.jobsPlanned).toBe(2_500)
    expect(report.plan?.fulfilment.percent).toBe('17.84')
  })

  it('jobs by capital source name the town budget fund', async () => {
    const model = await modelOf(log)
    const report = right(await jobsCreatedOver(model, { from: '2022-01-01', to: '2022-06-30', by: ['capitalSource'], where: { capitalSourceKind: ['LOCAL_BUDGET'] } })())
    expect(report.rows.map((row) => [row.group.capitalSource, row.jobsCreated, row.loansDisbursed])).toStrictEqual([['NGHIA-LO-BUDGET', 137, 3]])
  })
})

describe('Nghĩa Lộ: local budget capital entrusted', () => {
  it('600,000,000 VND in 2022 and 2,036,000,000 VND cumulative', async () => {
    const model = await modelOf([
      entrusted('2019-03-01', 436_000_000n),
      entrusted('2020-02-14', 500_000_000n),
      entrusted('2021-04-01', 500_000_000n),
      entrusted('2022-05-10', 600_000_000n),
      // Entrusted in 2023: neither in 2022 nor in the cumulative figure at the end of 2022.
      entrusted('2023-01-05', 700_000_000n),
    ])
    const report = right(await capitalReceivedOver(model, { from: '2022-01-01', to: '2022-12-31', by: ['capitalSourceKind'] })())
    expect(report.rows.map((row) => [row.group.capitalSourceKind, row.inPeriod.localEntrusted, row.cumulative.localEntrusted])).toStrictEqual([
      ['LOCAL_BUDGET', 600_000_000n, 2_036_000_000n],
    ])
  })
})

describe('outstanding debt on 2022-06-30', () => {
  const first = disbursement('2022-01-05', central, 0, 600_000_000n, 'POOR_HOUSEHOLD', 'XA-NGHIA-LO')
  const second = disbursement('2022-02-05', townBudget, 0, 400_000_000n, 'POOR_HOUSEHOLD', 'XA-NGHIA-LO')
  const log: ReadonlyArray<LogEntry> = [
    first,
    second,
    following(first, 'AmountTransferredToOverdue', { amount: 4_300_000n, fromInstalments: [{ number: 1, amount: 4_300_000n }], transferredOn: '2022-05-01' }, '2022-05-01'),
    following(second, 'PrincipalRepaid', { amount: 100_000_000n, fromOverdue: 0n, fromInstalments: [{ number: 1, amount: 100_000_000n }], fromFrozen: 0n, repaidOn: '2022-07-15' }, '2022-07-15'),
    // Recorded after the July repayment, dated in June: the 30 June balance includes it.
    following(
      second,
      'DebtFrozen',
      { amount: 10_000_000n, fromOverdue: 0n, fromInstalments: [{ number: 1, amount: 10_000_000n }], cause: 'NATURAL_DISASTER', decisionNumber: '7/QD-NHCSXH', frozenUntil: '2024-06-20', frozenOn: '2022-06-20' },
      '2022-06-20',
    ),
  ]

  it('outstanding 1,000,000,000 VND, overdue 0.43 %, overdue and frozen 1.43 %, on the business date whatever the recording order', async () => {
    const model = await modelOf(log)
    const report = right(await outstandingAsOf(model, { asOf: '2022-06-30', by: ['capitalSourceKind'] })())
    expect([report.total.outstanding, report.total.overdue, report.total.frozen, report.total.borrowers]).toStrictEqual([1_000_000_000n, 4_300_000n, 10_000_000n, 2])
    expect(report.total.overdueRatio?.percent).toBe('0.43')
    expect(report.total.overdueAndFrozenRatio?.percent).toBe('1.43')
    expect(report.rows.map((row) => [row.group.capitalSourceKind, row.outstanding])).toStrictEqual([
      ['CENTRAL', 600_000_000n],
      ['LOCAL_BUDGET', 400_000_000n],
    ])
  })

  it('the third quarter: opening 1,000,000,000, collected 100,000,000, closing 900,000,000', async () => {
    const model = await modelOf(log)
    const report = right(await flowsOver(model, { from: '2022-07-01', to: '2022-09-30' })())
    expect([report.total.opening, report.total.disbursed, report.total.collected, report.total.writtenOff, report.total.closing]).toStrictEqual([
      1_000_000_000n,
      0n,
      100_000_000n,
      0n,
      900_000_000n,
    ])
  })

  it('before the first disbursement there is nothing outstanding', async () => {
    const model = await modelOf(log)
    const report = right(await outstandingAsOf(model, { asOf: '2022-01-04' as LocalDate })())
    expect(report.rows).toStrictEqual([])
    expect(report.total.outstanding).toBe(0n)
    expect(report.total.overdueRatio).toBeUndefined()
  })
})
