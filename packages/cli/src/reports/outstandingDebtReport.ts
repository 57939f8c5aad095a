/**
 * The outstanding-debt report as a `Report`, from the outstanding-debt read model's queries: principal
 * outstanding, overdue and frozen at the end of a business day grouped by the chosen dimensions (domain.md
 * §7.5–7.6); the jobs created by loans disbursed from 1 January to that day, by capital source, against the
 * unit's job plan; and the capital received in the year and in all, by capital source.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  capitalReceivedOver,
  jobsCreatedOver,
  outstandingAsOf,
  type CapitalReport,
  type Dimension,
  type Group,
  type JobsReport,
  type OutstandingDebtQueryError,
  type OutstandingDebtReadModel,
  type OutstandingReport,
  type Ratio as DebtRatio,
} from '@policy-credit/projection-outstanding-debt'
import type { CellValue, Chart, Column, Ratio, Report } from './report.ts'

const ratioOf = (ratio: DebtRatio | undefined): Ratio | undefined => (ratio === undefined ? undefined : { numerator: ratio.numerator, denominator: ratio.denominator })

const groupColumns = (by: ReadonlyArray<string>): ReadonlyArray<Column> => by.map((dimension) => ({ key: dimension, heading: dimension, kind: 'text' }))
const TOTAL = 'total'
const groupCells = (by: ReadonlyArray<string>, group: Group | undefined): ReadonlyArray<CellValue> =>
  by.map((dimension, index) => (group === undefined ? (index === 0 ? TOTAL : '') : (group[dimension as Dimension] ?? '')))

export interface OutstandingDebtRequest {
  readonly asOf: string
  readonly by: ReadonlyArray<string>
  /** Capital received in this year (the whole year) and cumulatively through its end. */
  readonly year: number
  /** The unit whose job plan for the year of `asOf` the jobs are measured against. */
  readonly planUnitId?: string
}

const outstandingTable = (request: OutstandingDebtRequest, found: OutstandingReport) => {
  const row = (group: Group | undefined, values: OutstandingReport['total']): ReadonlyArray<CellValue> => [
    ...groupCells(request.by, group),
    BigInt(values.borrowers),
    values.outstanding,
    values.overdue,
    ratioOf(values.overdueRatio),
    values.frozen,
    ratioOf(values.overdueAndFrozenRatio),
  ]
  return {
    title: `Principal outstanding at the end of ${found.asOf}${request.by.length === 0 ? '' : ` by ${request.by.join(', ')}`}`,
    columns: [
      ...groupColumns(request.by),
      { key: 'borrowers', heading: 'Borrowers', kind: 'count' },
      { key: 'outstanding', heading: 'Outstanding (VND)', kind: 'money' },
      { key: 'overdue', heading: 'Overdue (VND)', kind: 'money' },
      { key: 'overdueRatio', heading: 'Overdue ratio', kind: 'percent' },
      { key: 'frozen', heading: 'Frozen (VND)', kind: 'money' },
      { key: 'overdueAndFrozenRatio', heading: 'Overdue+frozen ratio', kind: 'percent' },
    ],
    rows: [...found.rows.map((value) => row(value.group, value)), row(undefined, found.total)],
  } as const
}

const jobsTable = (found: JobsReport) => {
  const by = ['capitalSourceKind']
  const row = (group: Group | undefined, values: JobsReport['total'], plan?: JobsReport['plan']): ReadonlyArray<CellValue> => [
    ...groupCells(by, group),
    BigInt(values.loansDisbursed),
    BigInt(values.jobsCreated),
    plan === undefined ? undefined : BigInt(plan.resolution.jobsPlanned),
    plan === undefined ? undefined : ratioOf(plan.fulfilment),
  ]
  return {
    title: `Jobs created by loans disbursed ${found.from} to ${found.to}, by capital source`,
    columns: [
      ...groupColumns(by),
      { key: 'loansDisbursed', heading: 'Loans disbursed', kind: 'count' },
      { key: 'jobsCreated', heading: 'Jobs created', kind: 'count' },
      { key: 'jobsPlanned', heading: 'Jobs planned', kind: 'count' },
      { key: 'planFulfilment', heading: 'Of plan', kind: 'percent' },
    ],
    rows: [...found.rows.map((value) => row(value.group, value)), row(undefined, found.total, found.plan)],
  } as const
}

const capitalTable = (found: CapitalReport) => {
  const by = ['capitalSourceKind', 'capitalSource']
  const row = (group: Group | undefined, values: CapitalReport['total']): ReadonlyArray<CellValue> => [
    ...groupCells(by, group),
    values.inPeriod.centralAllocated,
    values.inPeriod.localEntrusted,
    values.cumulative.centralAllocated,
    values.cumulative.localEntrusted,
  ]
  return {
    title: `Capital received ${found.from} to ${found.to}, and in all through ${found.to}, by capital source`,
    columns: [
      ...groupColumns(by),
      { key: 'centralAllocatedInPeriod', heading: 'Central allocated', kind: 'money' },
      { key: 'localEntrustedInPeriod', heading: 'Local budget entrusted', kind: 'money' },
      { key: 'centralAllocatedInAll', heading: 'Central, in all', kind: 'money' },
      { key: 'localEntrustedInAll', heading: 'Local budget, in all', kind: 'money' },
    ],
    rows: [...found.rows.map((value) => row(value.group, value)), row(undefined, found.total)],
  } as const
}

/** Outstanding and overdue per group of the first `--by` dimension, or per programme. */
const debtChart = (found: OutstandingReport, by: ReadonlyArray<string>): Chart => {
  const dimension = (by[0] ?? 'programme') as Dimension
  return {
    _tag: 'Bars',
    title: `Outstanding and overdue principal by ${dimension}, end of ${found.asOf}`,
    categories: found.rows.map((row) => by.map((name) => row.group[name as Dimension] ?? '').join(' / ') || TOTAL),
    series: [
      { name: 'outstanding', values: found.rows.map((row) => row.outstanding) },
      { name: 'overdue', values: found.rows.map((row) => row.overdue) },
    ],
  }
}

export const outstandingDebtReport = async (model: OutstandingDebtReadModel, request: OutstandingDebtRequest): Promise<E.Either<OutstandingDebtQueryError, Report>> => {
  const outstanding = await outstandingAsOf(model, { asOf: request.asOf, by: request.by })()
  if (E.isLeft(outstanding)) return outstanding
  const yearStart = `${request.asOf.slice(0, 4)}-01-01`
  const jobs = await jobsCreatedOver(model, {
    from: yearStart,
    to: request.asOf,
    by: ['capitalSourceKind'],
    ...(request.planUnitId === undefined ? {} : { plan: { unitId: request.planUnitId, year: Number(request.asOf.slice(0, 4)) } }),
  })()
  if (E.isLeft(jobs)) return jobs
  const capital = await capitalReceivedOver(model, { from: `${request.year}-01-01`, to: `${request.year}-12-31`, by: ['capitalSourceKind', 'capitalSource'] })()
  if (E.isLeft(capital)) return capital
  return E.right({
    name: 'outstanding-debt',
    title: 'Outstanding debt, jobs created and capital received',
    parameters: [
      { name: 'as of', value: request.asOf },
      { name: 'by', value: request.by.length === 0 ? '(total)' : request.by.join(',') },
      { name: 'capital year', value: String(request.year) },
      ...(request.planUnitId === undefined ? [] : [{ name: 'job plan of', value: request.planUnitId }]),
    ],
    tables: [outstandingTable(request, outstanding.right), jobsTable(jobs.right), capitalTable(capital.right)],
    charts: [debtChart(outstanding.right, request.by)],
  })
}
