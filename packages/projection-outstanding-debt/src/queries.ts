/**
 * Queries on the outstanding-debt read model, for reports (`report outstanding-debt --as-of --by`).
 * A figure as of a business date D is the sum of the buckets up to D: the eight-year blocks before D's
 * block, the running sum of D's block to the year before D's, the running sum of D's year to the month
 * before D's, and the day buckets of D's month up to D. That is (blocks of history) + 1 + 1 + 31
 * documents per commune at most, whatever the number of events. A period's flows are the difference of
 * two such sums.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { addDays, LocalDate, vnd, type Vnd } from '@policy-credit/core'
import {
  compareDocumentIds,
  readModel,
  type IdRange,
  type Projection,
  type ReadModelQueries,
  type ReadModelQueryError,
  type ReadModelStore,
} from '@policy-credit/projections'
import {
  addMeasures,
  capitalDimensions,
  cellOfKey,
  dimensions,
  dimensionValue,
  fundOfKey,
  measure,
  subtractMeasures,
  type BucketKind,
  type CapitalDimension,
  type CapitalField,
  type CellDimensions,
  type CellField,
  type Dimension,
  type FundDimensions,
  type Measures,
} from './measures.ts'
import { BLOCK_YEARS, blockStartOf, bucketId, halfBlockStartOf, jobPlanId, padNumber, quarterOf, quarterStartOf, WEEK_DAYS, WEEKS_IN_MONTH, type BucketLevel, outstandingDebtProjection, outstandingDebtProjectionName, type DebtMovement, type JobPlanResolution, type OutstandingDebtDocument } from './projection.ts'
import { ratio, type Ratio } from './ratio.ts'
import { forEachBorrowingOn } from './borrowers.ts'

export type OutstandingDebtReadModel = ReadModelQueries<OutstandingDebtDocument>

/**
 * The read model through the active-version pointer. During a rebuild to a new version, pass every
 * version that may be active.
 */
export const outstandingDebtReadModel = (
  store: ReadModelStore,
  versions: ReadonlyArray<Projection<OutstandingDebtDocument, DebtMovement>> = [outstandingDebtProjection],
): OutstandingDebtReadModel => readModel(store, outstandingDebtProjectionName, versions)

// ---- errors and parameters ---------------------------------------------------------------------------

export type OutstandingDebtQueryError =
  | ReadModelQueryError
  /** The question cannot be asked: a date that is not a calendar day, `from` after `to`, an unknown dimension. */
  | { readonly _tag: 'InvalidQuery'; readonly message: string }
  /**
   * The stored figures give a negative balance. Events from the deciders cannot; an operator's skip of
   * a disbursement whose repayments were applied can. The report is refused rather than shown wrong.
   */
  | { readonly _tag: 'InconsistentReadModel'; readonly message: string }

const invalid = (message: string): OutstandingDebtQueryError => ({ _tag: 'InvalidQuery', message })

/** Keep only cells whose value of each named dimension is one of those listed (for a town's plan: its communes). */
export type Where = { readonly [D in Dimension]?: ReadonlyArray<string> }

/** The values of the grouped dimensions for one row; the total row has none. */
export type Group = { readonly [D in Dimension]?: string }

/** Parses `programme,commune` (the CLI's `--by`) into dimensions; the empty string is the total alone. */
export const parseDimensions = (text: string): E.Either<OutstandingDebtQueryError, ReadonlyArray<Dimension>> => {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
  return validDimensions(names)
}

const validDimensions = (names: ReadonlyArray<string>, allowed: ReadonlyArray<Dimension> = dimensions): E.Either<OutstandingDebtQueryError, ReadonlyArray<Dimension>> => {
  const unknown = names.filter((name) => !(allowed as ReadonlyArray<string>).includes(name))
  if (unknown.length > 0) return E.left(invalid(`unknown dimension ${unknown.join(', ')}; one of ${allowed.join(', ')}`))
  if (new Set(names).size !== names.length) return E.left(invalid(`a dimension is named twice: ${names.join(', ')}`))
  return E.right(names as ReadonlyArray<Dimension>)
}

const validDate = (name: string, value: string): E.Either<OutstandingDebtQueryError, LocalDate> =>
  LocalDate.is(value) ? E.right(value) : E.left(invalid(`${name} is not a calendar day 'YYYY-MM-DD': ${JSON.stringify(value)}`))

const validPeriod = (from: string, to: string): E.Either<OutstandingDebtQueryError, { readonly from: LocalDate; readonly to: LocalDate }> => {
  const validFrom = validDate('from', from)
  if (E.isLeft(validFrom)) return validFrom
  const validTo = validDate('to', to)
  if (E.isLeft(validTo)) return validTo
  return validFrom.right > validTo.right ? E.left(invalid(`the period starts after it ends: ${from} > ${to}`)) : E.right({ from: validFrom.right, to: validTo.right })
}

// ---- sums of buckets ---------------------------------------------------------------------------------

// Above every character an id may contain, so `<prefix>${HIGHEST}` bounds every id that starts with prefix.
const HIGHEST = '\u{10FFFF}'

/** Every bucket of one level and period, of every commune. */
const periodRange = (kind: BucketKind, level: BucketLevel, period: string): IdRange => ({ _tag: 'Prefix', prefix: bucketId(kind, level, period, '') })

/**
 * The id ranges whose buckets sum to the figures as of the end of `through` (see `BucketLevel`): the
 * blocks before its block, the first half of its block when it is in the second, the running sum of its
 * half up to the year before, of its year up to the quarter before, of its quarter up to the month
 * before, the whole weeks of its month up to it, and the days after them up to it. One document of each
 * of the levels H, Y, Q and M per commune, at most three weeks and six days.
 */
export const rangesThrough = (kind: BucketKind, through: LocalDate): ReadonlyArray<IdRange> => {
  const year = Number(through.slice(0, 4))
  const month = Number(through.slice(5, 7))
  const dayOfMonth = Number(through.slice(8, 10))
  const blockStart = blockStartOf(year)
  const halfStart = halfBlockStartOf(year)
  const quarter = quarterOf(month)
  const ranges: Array<IdRange> = []
  if (blockStart > 0) ranges.push({ _tag: 'Between', from: `${kind}:B:`, to: `${bucketId(kind, 'B', padNumber(blockStart - BLOCK_YEARS, 4), '')}${HIGHEST}` })
  if (halfStart > blockStart) ranges.push(periodRange(kind, 'H', padNumber(blockStart, 4)))
  if (year > halfStart) ranges.push(periodRange(kind, 'Y', padNumber(year - 1, 4)))
  if (quarter > 1) ranges.push(periodRange(kind, 'Q', `${through.slice(0, 4)}-${quarter - 1}`))
  if (month > quarterStartOf(month)) ranges.push(periodRange(kind, 'M', `${through.slice(0, 4)}-${padNumber(month - 1, 2)}`))
  const yearMonth = through.slice(0, 7)
  const wholeWeeks = Math.min(WEEKS_IN_MONTH, Math.floor(dayOfMonth / WEEK_DAYS))
  if (wholeWeeks > 0)
    ranges.push({ _tag: 'Between', from: bucketId(kind, 'W', `${yearMonth}-01`, ''), to: `${bucketId(kind, 'W', `${yearMonth}-${padNumber(1 + WEEK_DAYS * (wholeWeeks - 1), 2)}`, '')}${HIGHEST}` })
  const firstDay = 1 + WEEK_DAYS * wholeWeeks
  if (firstDay <= dayOfMonth) ranges.push({ _tag: 'Between', from: bucketId(kind, 'D', `${yearMonth}-${padNumber(firstDay, 2)}`, ''), to: `${bucketId(kind, 'D', through, '')}${HIGHEST}` })
  return ranges
}

type Sums = ReadonlyMap<string, Measures>
const EARLIEST = '0000-01-01'

/** Per key, the sum of every delta of `kind` with a business date on or before `through`; nothing when `through` is undefined. */
const sumThrough =
  (model: OutstandingDebtReadModel, kind: BucketKind, through: LocalDate | undefined): TE.TaskEither<OutstandingDebtQueryError, Sums> =>
  async () => {
    // Summed in place into one vector per key, not by `addMeasures` (a new vector per stored entry): this runs for every entry a query reads.
    const sums = new Map<string, Record<string, bigint>>()
    if (through === undefined) return E.right(sums)
    for (const range of rangesThrough(kind, through)) {
      const scanned = await model.scan(range)()
      if (E.isLeft(scanned)) return scanned
      for (const { document } of scanned.right) {
        if (document.kind !== kind) continue
        for (const [key, delta] of document.entries) {
          const sum = sums.get(key)
          if (sum === undefined) sums.set(key, { ...delta } as Record<string, bigint>)
          else for (const field in delta) sum[field] = (sum[field] ?? 0n) + measure(delta, field)
        }
      }
    }
    // Sparse like the stored vectors: zero fields and keys whose fields all sum to zero (a loan repaid before the date) go.
    for (const [key, sum] of sums) {
      for (const field in sum) if (sum[field] === 0n) delete sum[field]
      if (Object.keys(sum).length === 0) sums.delete(key)
    }
    return E.right(sums)
  }

/** The last day before `from`, whose end is the period's opening; undefined before the first representable day. */
const dayBefore = (from: LocalDate): LocalDate | undefined => (from === EARLIEST ? undefined : addDays(from, -1))

const passes = (where: Where | undefined, cell: CellDimensions): boolean =>
  where === undefined || dimensions.every((dimension) => where[dimension] === undefined || (where[dimension] ?? []).includes(dimensionValue(cell, dimension)))

const groupOf = (by: ReadonlyArray<Dimension>, cell: CellDimensions): { readonly key: string; readonly group: Group } => {
  const group: { [D in Dimension]?: string } = {}
  for (const dimension of by) group[dimension] = dimensionValue(cell, dimension)
  return { key: by.map((dimension) => group[dimension]).join('|'), group }
}

/** A fund as a cell for grouping and filtering: it has no mass organisation or group. */
const fundAsCell = (fund: FundDimensions): CellDimensions => ({
  ...fund,
  massOrganisationKind: '' as CellDimensions['massOrganisationKind'],
  massOrganisationId: '',
  savingsGroupId: '',
})

interface Grouped<Value> {
  readonly group: Group
  value: Value
}

const byGroupKey = <Value>(groups: ReadonlyMap<string, Grouped<Value>>): ReadonlyArray<Grouped<Value>> =>
  [...groups.entries()].sort(([left], [right]) => compareDocumentIds(left, right)).map(([, grouped]) => grouped)

const nonNegative = (amount: bigint, what: string): E.Either<OutstandingDebtQueryError, Vnd> =>
  amount < 0n ? E.left({ _tag: 'InconsistentReadModel', message: `${what} is negative: ${amount}` }) : E.right(vnd(amount))

const count = (amount: bigint): number => Number(amount)

// ---- outstanding as of a date ------------------------------------------------------------------------

export interface OutstandingRow {
  readonly group: Group
  /** O: principal disbursed, not repaid and not written off. */
  readonly outstanding: Vnd
  /** Q: principal transferred to overdue and not yet repaid, frozen or written off. */
  readonly overdue: Vnd
  /** K: frozen principal (khoanh nợ). */
  readonly frozen: Vnd
  /** Q / O; undefined when O is zero. */
  readonly overdueRatio: Ratio | undefined
  /** (Q + K) / O; undefined when O is zero. */
  readonly overdueAndFrozenRatio: Ratio | undefined
  /** Distinct households with principal outstanding in this row's cells. */
  readonly borrowers: number
}

export interface OutstandingReport {
  readonly asOf: LocalDate
  readonly by: ReadonlyArray<Dimension>
  /** One row per group with principal outstanding, in group order. */
  readonly rows: ReadonlyArray<OutstandingRow>
  /** Every cell that passes `where`; its borrowers are distinct households, not the sum of the rows'. */
  readonly total: OutstandingRow
}

export interface OutstandingQuery {
  /** The end of this business day. */
  readonly asOf: string
  readonly by?: ReadonlyArray<string>
  readonly where?: Where
}

interface Balances {
  outstanding: bigint
  overdue: bigint
  frozen: bigint
  readonly households: Set<string>
}

const emptyBalances = (): Balances => ({ outstanding: 0n, overdue: 0n, frozen: 0n, households: new Set() })

const outstandingOf = (cell: Measures<CellField>): bigint => measure(cell, 'disbursed') - measure(cell, 'collected') - measure(cell, 'writtenOff')

const addBalances = (balances: Balances, cell: Measures<CellField>): void => {
  balances.outstanding += outstandingOf(cell)
  balances.overdue += measure(cell, 'overdue')
  balances.frozen += measure(cell, 'frozen')
}

const outstandingRow = (group: Group, balances: Balances): E.Either<OutstandingDebtQueryError, OutstandingRow> => {
  const label = JSON.stringify(group)
  const outstanding = nonNegative(balances.outstanding, `outstanding of ${label}`)
  if (E.isLeft(outstanding)) return outstanding
  const overdue = nonNegative(balances.overdue, `overdue of ${label}`)
  if (E.isLeft(overdue)) return overdue
  const frozen = nonNegative(balances.frozen, `frozen of ${label}`)
  if (E.isLeft(frozen)) return frozen
  return E.right({
    group,
    outstanding: outstanding.right,
    overdue: overdue.right,
    frozen: frozen.right,
    overdueRatio: ratio(overdue.right, outstanding.right),
    overdueAndFrozenRatio: ratio(overdue.right + frozen.right, outstanding.right),
    borrowers: balances.households.size,
  })
}

const sequenceRows = <Row>(rows: ReadonlyArray<E.Either<OutstandingDebtQueryError, Row>>): E.Either<OutstandingDebtQueryError, ReadonlyArray<Row>> => {
  const values: Array<Row> = []
  for (const row of rows) {
    if (E.isLeft(row)) return row
    values.push(row.right)
  }
  return E.right(values)
}

/** Outstanding, overdue and frozen principal, the two ratios and the borrowers, at the end of `asOf`, grouped `by`. */
export const outstandingAsOf =
  (model: OutstandingDebtReadModel, query: OutstandingQuery): TE.TaskEither<OutstandingDebtQueryError, OutstandingReport> =>
  async () => {
    const asOf = validDate('asOf', query.asOf)
    if (E.isLeft(asOf)) return asOf
    const by = validDimensions(query.by ?? [])
    if (E.isLeft(by)) return by
    const cells = await sumThrough(model, 'cells', asOf.right)()
    if (E.isLeft(cells)) return cells
    const borrowers = await model.scan({ _tag: 'Prefix', prefix: 'borrowers:' })()
    if (E.isLeft(borrowers)) return borrowers

    const groups = new Map<string, Grouped<Balances>>()
    const total = emptyBalances()
    const balancesOf = (cell: CellDimensions): Balances => {
      const { key, group } = groupOf(by.right, cell)
      const existing = groups.get(key)
      if (existing !== undefined) return existing.value
      const created: Grouped<Balances> = { group, value: emptyBalances() }
      groups.set(key, created)
      return created.value
    }
    // Per cell key, its group's balances, or undefined when `where` leaves the cell out: a cell is parsed,
    // filtered and grouped once, not once per household that borrowed in it.
    const cellBalances = new Map<string, Balances | undefined>()
    const balancesOfCellKey = (key: string): Balances | undefined => {
      if (cellBalances.has(key)) return cellBalances.get(key)
      const cell = cellOfKey(key)
      const balances = passes(query.where, cell) ? balancesOf(cell) : undefined
      cellBalances.set(key, balances)
      return balances
    }
    for (const [key, measures] of cells.right) {
      const balances = balancesOfCellKey(key)
      if (balances === undefined) continue
      addBalances(balances, measures)
      addBalances(total, measures)
    }
    for (const { document } of borrowers.right) {
      if (document.kind !== 'borrowers') continue
      forEachBorrowingOn(document, asOf.right, (householdId, cellKey) => {
        const balances = balancesOfCellKey(cellKey)
        if (balances === undefined) return
        balances.households.add(householdId)
        total.households.add(householdId)
      })
    }
    const rows = sequenceRows(
      byGroupKey(groups)
        .filter(({ value }) => value.outstanding !== 0n || value.overdue !== 0n || value.frozen !== 0n || value.households.size > 0)
        .map(({ group, value }) => outstandingRow(group, value)),
    )
    if (E.isLeft(rows)) return rows
    const totalRow = outstandingRow({}, total)
    if (E.isLeft(totalRow)) return totalRow
    return E.right({ asOf: asOf.right, by: by.right, rows: rows.right, total: totalRow.right })
  }

// ---- flows over a period -----------------------------------------------------------------------------

export interface FlowRow {
  readonly group: Group
  /** Outstanding at the end of the day before `from`. */
  readonly opening: Vnd
  /** Loan turnover (doanh số cho vay). */
  readonly disbursed: Vnd
  /** Principal collected (doanh số thu nợ). */
  readonly collected: Vnd
  readonly writtenOff: Vnd
  /** Outstanding at the end of `to`. */
  readonly closing: Vnd
  readonly interestCollected: Vnd
  readonly interestWrittenOff: Vnd
  /** Turns (lượt hộ vay): disbursements in the period. */
  readonly loansDisbursed: number
  /** Workers declared by the job-creation loans disbursed in the period. */
  readonly jobsCreated: number
}

export interface FlowReport {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly by: ReadonlyArray<Dimension>
  /** One row per group with a balance or a movement in the period, in group order. */
  readonly rows: ReadonlyArray<FlowRow>
  readonly total: FlowRow
}

export interface PeriodQuery {
  /** First business day of the period, included. */
  readonly from: string
  /** Last business day of the period, included. */
  readonly to: string
  readonly by?: ReadonlyArray<string>
  readonly where?: Where
}

/** The balance identity: closing = opening + disbursed − collected − written off. */
export const balanceIdentityHolds = (row: Pick<FlowRow, 'opening' | 'disbursed' | 'collected' | 'writtenOff' | 'closing'>): boolean =>
  row.closing === row.opening + row.disbursed - row.collected - row.writtenOff

/** Sums at the end of the day before a period and at its end; their difference is the period's flows. */
interface OpeningAndClosing {
  opening: Measures | undefined
  closing: Measures | undefined
}

const flowRow = (group: Group, { opening, closing }: OpeningAndClosing): E.Either<OutstandingDebtQueryError, FlowRow> => {
  const label = JSON.stringify(group)
  const flow = subtractMeasures(closing, opening)
  const amounts: Record<string, bigint> = {
    opening: outstandingOf(opening ?? {}),
    closing: outstandingOf(closing ?? {}),
    disbursed: measure(flow, 'disbursed'),
    collected: measure(flow, 'collected'),
    writtenOff: measure(flow, 'writtenOff'),
    interestCollected: measure(flow, 'interestCollected'),
    interestWrittenOff: measure(flow, 'interestWrittenOff'),
  }
  const checked: Record<string, Vnd> = {}
  for (const [name, amount] of Object.entries(amounts)) {
    const value = nonNegative(amount, `${name} of ${label}`)
    if (E.isLeft(value)) return value
    checked[name] = value.right
  }
  return E.right({
    group,
    opening: checked['opening'] ?? vnd(0n),
    disbursed: checked['disbursed'] ?? vnd(0n),
    collected: checked['collected'] ?? vnd(0n),
    writtenOff: checked['writtenOff'] ?? vnd(0n),
    closing: checked['closing'] ?? vnd(0n),
    interestCollected: checked['interestCollected'] ?? vnd(0n),
    interestWrittenOff: checked['interestWrittenOff'] ?? vnd(0n),
    loansDisbursed: count(measure(flow, 'loansDisbursed')),
    jobsCreated: count(measure(flow, 'jobsCreated')),
  })
}

const addToSide = (target: OpeningAndClosing, side: keyof OpeningAndClosing, measures: Measures): void => {
  target[side] = addMeasures(target[side], measures)
}

/**
 * A period's sums of one kind, grouped: per group (in group order) and in total, the sums at the end of
 * the day before `from` and at the end of `to`. `cellOf` reads a bucket key as the dimensions to group and filter by.
 */
const periodSums =
  (
    model: OutstandingDebtReadModel,
    kind: BucketKind,
    period: { readonly from: LocalDate; readonly to: LocalDate },
    by: ReadonlyArray<Dimension>,
    where: Where | undefined,
    cellOf: (key: string) => CellDimensions,
  ): TE.TaskEither<OutstandingDebtQueryError, { readonly groups: ReadonlyArray<Grouped<OpeningAndClosing>>; readonly total: OpeningAndClosing }> =>
  async () => {
    const groups = new Map<string, Grouped<OpeningAndClosing>>()
    const total: OpeningAndClosing = { opening: undefined, closing: undefined }
    for (const [side, through] of [
      ['opening', dayBefore(period.from)],
      ['closing', period.to],
    ] as const) {
      const sums = await sumThrough(model, kind, through)()
      if (E.isLeft(sums)) return sums
      for (const [key, measures] of sums.right) {
        const cell = cellOf(key)
        if (!passes(where, cell)) continue
        const { key: groupKey, group } = groupOf(by, cell)
        const grouped = groups.get(groupKey) ?? { group, value: { opening: undefined, closing: undefined } }
        groups.set(groupKey, grouped)
        addToSide(grouped.value, side, measures)
        addToSide(total, side, measures)
      }
    }
    return E.right({ groups: byGroupKey(groups), total })
  }

/** Opening and closing outstanding, turnover, collections, write-offs, turns and jobs over [from, to], grouped `by`. */
export const flowsOver =
  (model: OutstandingDebtReadModel, query: PeriodQuery): TE.TaskEither<OutstandingDebtQueryError, FlowReport> =>
  async () => {
    const period = validPeriod(query.from, query.to)
    if (E.isLeft(period)) return period
    const by = validDimensions(query.by ?? [])
    if (E.isLeft(by)) return by
    const sums = await periodSums(model, 'cells', period.right, by.right, query.where, cellOfKey)()
    if (E.isLeft(sums)) return sums
    const rows = sequenceRows(
      sums.right.groups
        .map(({ group, value }) => flowRow(group, value))
        .filter((row) => E.isLeft(row) || row.right.opening !== 0n || row.right.closing !== 0n || hasMovement(row.right)),
    )
    if (E.isLeft(rows)) return rows
    const totalRow = flowRow({}, sums.right.total)
    if (E.isLeft(totalRow)) return totalRow
    return E.right({ from: period.right.from, to: period.right.to, by: by.right, rows: rows.right, total: totalRow.right })
  }

const hasMovement = (row: FlowRow): boolean =>
  row.disbursed !== 0n || row.collected !== 0n || row.writtenOff !== 0n || row.interestCollected !== 0n || row.interestWrittenOff !== 0n || row.loansDisbursed !== 0

// ---- jobs created and the plan -----------------------------------------------------------------------

export interface JobsRow {
  readonly group: Group
  readonly jobsCreated: number
  readonly loansDisbursed: number
}

export interface JobPlanFulfilment {
  readonly unitId: string
  readonly year: number
  /** The resolution in force at the end of the period. */
  readonly resolution: JobPlanResolution
  /** Jobs created in the period (the total row) against the plan: 416 / 2 000 = 20.80 %. */
  readonly fulfilment: Ratio
}

export interface JobsReport {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly by: ReadonlyArray<Dimension>
  /** Groups with a disbursement in the period. */
  readonly rows: ReadonlyArray<JobsRow>
  readonly total: JobsRow
  /** Absent when no plan was asked for, or none was resolved by the end of the period. */
  readonly plan: JobPlanFulfilment | undefined
}

export interface JobsQuery extends PeriodQuery {
  /**
   * The plan to measure against: a town's or a commune's for a year. The read model does not know which
   * communes form a town: for a town's plan over a model holding other towns too, restrict `where.commune`.
   */
  readonly plan?: { readonly unitId: string; readonly year: number }
}

/** The resolution in force at the end of `on`: the last decided on or before it. */
export const resolutionInForce = (resolutions: ReadonlyArray<JobPlanResolution>, on: LocalDate): JobPlanResolution | undefined =>
  resolutions.filter((resolution) => resolution.decisionDate <= on).at(-1)

/** Jobs created by the job-creation loans disbursed over [from, to], grouped `by`, and the plan's fulfilment. */
export const jobsCreatedOver =
  (model: OutstandingDebtReadModel, query: JobsQuery): TE.TaskEither<OutstandingDebtQueryError, JobsReport> =>
  async () => {
    const flows = await flowsOver(model, query)()
    if (E.isLeft(flows)) return flows
    const jobsRow = (row: FlowRow): JobsRow => ({ group: row.group, jobsCreated: row.jobsCreated, loansDisbursed: row.loansDisbursed })
    const total = jobsRow(flows.right.total)
    let plan: JobPlanFulfilment | undefined
    if (query.plan !== undefined) {
      const stored = await model.get(jobPlanId(query.plan.unitId, query.plan.year))()
      if (E.isLeft(stored)) return stored
      const resolution = stored.right?.kind === 'jobPlan' ? resolutionInForce(stored.right.resolutions, flows.right.to) : undefined
      const fulfilment = resolution === undefined ? undefined : ratio(BigInt(total.jobsCreated), BigInt(resolution.jobsPlanned))
      plan = resolution === undefined || fulfilment === undefined ? undefined : { unitId: query.plan.unitId, year: query.plan.year, resolution, fulfilment }
    }
    return E.right({
      from: flows.right.from,
      to: flows.right.to,
      by: flows.right.by,
      rows: flows.right.rows.filter((row) => row.loansDisbursed > 0).map(jobsRow),
      total,
      plan,
    })
  }

// ---- capital received --------------------------------------------------------------------------------

export interface CapitalAmounts {
  readonly centralAllocated: Vnd
  /** Local budget capital entrusted (vốn ngân sách địa phương ủy thác). */
  readonly localEntrusted: Vnd
  readonly reallocatedIn: Vnd
  readonly reallocatedOut: Vnd
}

export interface CapitalRow {
  readonly group: Group
  /** Received over [from, to]. */
  readonly inPeriod: CapitalAmounts
  /** Received from the first event to the end of `to`. */
  readonly cumulative: CapitalAmounts
}

export interface CapitalReport {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly by: ReadonlyArray<CapitalDimension>
  readonly rows: ReadonlyArray<CapitalRow>
  readonly total: CapitalRow
}

const capitalAmounts = (measures: Measures<CapitalField> | undefined, label: string): E.Either<OutstandingDebtQueryError, CapitalAmounts> => {
  const amounts: Partial<Record<CapitalField, Vnd>> = {}
  for (const field of ['centralAllocated', 'localEntrusted', 'reallocatedIn', 'reallocatedOut'] as const) {
    const value = nonNegative(measure(measures, field), `${field} of ${label}`)
    if (E.isLeft(value)) return value
    amounts[field] = value.right
  }
  return E.right(amounts as CapitalAmounts)
}

/** Capital the communes' funds received over [from, to] and cumulatively, grouped by programme, commune and capital source. */
export const capitalReceivedOver =
  (model: OutstandingDebtReadModel, query: PeriodQuery): TE.TaskEither<OutstandingDebtQueryError, CapitalReport> =>
  async () => {
    const period = validPeriod(query.from, query.to)
    if (E.isLeft(period)) return period
    const by = validDimensions(query.by ?? [], capitalDimensions)
    if (E.isLeft(by)) return by
    const sums = await periodSums(model, 'capital', period.right, by.right, query.where, (key) => fundAsCell(fundOfKey(key)))()
    if (E.isLeft(sums)) return sums
    const row = (group: Group, value: OpeningAndClosing): E.Either<OutstandingDebtQueryError, CapitalRow> => {
      const label = JSON.stringify(group)
      const inPeriod = capitalAmounts(subtractMeasures(value.closing, value.opening), `${label} in the period`)
      if (E.isLeft(inPeriod)) return inPeriod
      const cumulative = capitalAmounts(value.closing, label)
      return E.isLeft(cumulative) ? cumulative : E.right({ group, inPeriod: inPeriod.right, cumulative: cumulative.right })
    }
    const rows = sequenceRows(sums.right.groups.map(({ group, value }) => row(group, value)))
    if (E.isLeft(rows)) return rows
    const totalRow = row({}, sums.right.total)
    if (E.isLeft(totalRow)) return totalRow
    return E.right({ from: period.right.from, to: period.right.to, by: by.right as ReadonlyArray<CapitalDimension>, rows: rows.right, total: totalRow.right })
  }
