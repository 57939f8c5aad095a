/**
 * The outstanding-debt projection: loan, capital and job-plan events folded into dated buckets of
 * additive deltas, so "outstanding on 2022-06-30" is a sum over a bounded number of documents per commune
 * (the eight-year blocks before 2016, 2016–2021 of the block holding 2022, January–May 2022, the days of
 * June up to the 30th), never a replay.
 *
 * Every monetary change is added to the running sums its business date belongs in (the event's own date
 * field: `disbursedOn`, `repaidOn`, …, not the recorded time; see `BucketLevel`), one document per kind,
 * level, period and commune. Sums commute, so events may arrive in any business-date order (a back-dated
 * repayment recorded today only adds to last week's buckets and the running sums after it) and the
 * buckets stay exact. Document ids: `cells:B:2016:C01`, `cells:Y:2022:C01`, `cells:M:2022-06:C01`,
 * `cells:D:2022-06-30:C01` (also `holders:`, `capital:`), and `jobPlan:<unitId>:<year>` for the
 * job-creation plan's resolutions.
 */
import * as E from 'fp-ts/lib/Either.js'
import { match } from 'ts-pattern'
import { eventCodecs, fieldErrors, LocalDate, type Loan, type Capital, type Plan } from '@policy-credit/core'
import { deleted, type Deleted, type Projection } from '@policy-credit/projections'
import type { RecordedEvent } from '@policy-credit/event-store'
import {
  bucketKinds,
  cellKey,
  fieldsOf,
  fundKey,
  holderKey,
  holderKeyOf,
  holderParts,
  isWellFormedKey,
  isWellFormedPart,
  measure,
  type BucketKind,
  type CapitalField,
  type CellDimensions,
  type CellField,
  type FundDimensions,
  type HolderField,
  type Measures,
} from './measures.ts'
import { allEntries, entryOf, noEntries, withDelta, type BucketEntries } from './bucketEntries.ts'

export const outstandingDebtProjectionName = 'outstanding-debt'

/** A bucket: per key (cell, household-and-cell, or fund), the sum of the deltas of one period in one commune. */
export interface Bucket {
  readonly kind: BucketKind
  readonly entries: BucketEntries
}

/** One resolution setting (or revising) a unit's job-creation plan for a year. */
export interface JobPlanResolution {
  readonly decisionDate: LocalDate
  readonly decisionNumber: string
  readonly jobsPlanned: number
}

/** The resolutions of one unit's plan for one year, in decision-date order (the later of a same-day pair last). */
export interface JobPlan {
  readonly kind: 'jobPlan'
  readonly resolutions: ReadonlyArray<JobPlanResolution>
}

export type OutstandingDebtDocument = Bucket | JobPlan

export interface BucketChange {
  readonly kind: BucketKind
  readonly key: string
  readonly delta: Measures
}

/** An event as this projection sees it: changes to the buckets of one business date in one commune, or a plan resolution. */
export type DebtMovement =
  | { readonly type: 'Movement'; readonly on: LocalDate; readonly communeId: string; readonly changes: ReadonlyArray<BucketChange> }
  | { readonly type: 'JobPlanResolved'; readonly unitId: string; readonly year: number; readonly resolution: JobPlanResolution }

/** The event types this projection follows; every other type is filtered out by the store. */
export const followedEventTypes = [
  'LoanDisbursed',
  'PrincipalRepaid',
  'AmountTransferredToOverdue',
  'DebtFrozen',
  'DebtUnfrozen',
  'PrincipalWrittenOff',
  'InterestCollected',
  'InterestWrittenOff',
  'CentralCapitalAllocated',
  'LocalBudgetCapitalEntrusted',
  'CapitalReallocatedAway',
  'ReallocatedCapitalReceived',
  'JobCreationPlanSet',
] as const
type FollowedType = (typeof followedEventTypes)[number]
type FollowedEvent = Extract<Loan.LoanEvent | Capital.CapitalEvent | Plan.PlanEvent, { readonly type: FollowedType }>

const cellOf = (data: CellDimensions): CellDimensions => ({
  programme: data.programme,
  communeId: data.communeId,
  massOrganisationKind: data.massOrganisationKind,
  massOrganisationId: data.massOrganisationId,
  savingsGroupId: data.savingsGroupId,
  capitalSourceKind: data.capitalSourceKind,
  capitalSourceId: data.capitalSourceId,
})

type LoanData = Loan.ReportDimensions

const cellChange = (data: LoanData, delta: Measures<CellField>): BucketChange => ({ kind: 'cells', key: cellKey(cellOf(data)), delta })
const holderChange = (data: LoanData, delta: Measures<HolderField>): BucketChange => ({ kind: 'holders', key: holderKey(data.householdId, cellOf(data)), delta })
const fundChange = (data: FundDimensions, delta: Measures<CapitalField>): BucketChange => ({ kind: 'capital', key: fundKey(data), delta })

const movement = (on: LocalDate, communeId: string, changes: ReadonlyArray<BucketChange>): DebtMovement => ({ type: 'Movement', on, communeId, changes })

/** What each followed event changes. Overdue and frozen move by the parts the event records, never re-derived. */
export const movementOf = (event: FollowedEvent): DebtMovement =>
  match(event)
    .returnType<DebtMovement>()
    .with({ type: 'LoanDisbursed' }, ({ data }) =>
      movement(data.disbursedOn, data.communeId, [
        cellChange(data, { disbursed: data.amount, loansDisbursed: 1n, jobsCreated: BigInt(data.jobsCreated) }),
        holderChange(data, { outstanding: data.amount }),
      ]),
    )
    .with({ type: 'PrincipalRepaid' }, ({ data }) =>
      movement(data.repaidOn, data.communeId, [
        cellChange(data, { collected: data.amount, overdue: -data.fromOverdue, frozen: -data.fromFrozen }),
        holderChange(data, { outstanding: -data.amount }),
      ]),
    )
    .with({ type: 'PrincipalWrittenOff' }, ({ data }) =>
      movement(data.writtenOffOn, data.communeId, [
        cellChange(data, { writtenOff: data.amount, overdue: -data.fromOverdue, frozen: -data.fromFrozen }),
        holderChange(data, { outstanding: -data.amount }),
      ]),
    )
    .with({ type: 'AmountTransferredToOverdue' }, ({ data }) => movement(data.transferredOn, data.communeId, [cellChange(data, { overdue: data.amount })]))
    .with({ type: 'DebtFrozen' }, ({ data }) => movement(data.frozenOn, data.communeId, [cellChange(data, { overdue: -data.fromOverdue, frozen: data.amount })]))
    .with({ type: 'DebtUnfrozen' }, ({ data }) => movement(data.unfrozenOn, data.communeId, [cellChange(data, { frozen: -data.amount })]))
    .with({ type: 'InterestCollected' }, ({ data }) => movement(data.collectedOn, data.communeId, [cellChange(data, { interestCollected: data.amount })]))
    .with({ type: 'InterestWrittenOff' }, ({ data }) => movement(data.writtenOffOn, data.communeId, [cellChange(data, { interestWrittenOff: data.amount })]))
    .with({ type: 'CentralCapitalAllocated' }, ({ data }) => movement(data.allocatedOn, data.communeId, [fundChange(data, { centralAllocated: data.amount })]))
    .with({ type: 'LocalBudgetCapitalEntrusted' }, ({ data }) => movement(data.entrustedOn, data.communeId, [fundChange(data, { localEntrusted: data.amount })]))
    .with({ type: 'CapitalReallocatedAway' }, ({ data }) => movement(data.reallocatedOn, data.communeId, [fundChange(data, { reallocatedOut: data.amount })]))
    .with({ type: 'ReallocatedCapitalReceived' }, ({ data }) => movement(data.receivedOn, data.communeId, [fundChange(data, { reallocatedIn: data.amount })]))
    .with({ type: 'JobCreationPlanSet' }, ({ data }) => ({
      type: 'JobPlanResolved',
      unitId: data.unitId,
      year: data.year,
      resolution: { decisionDate: data.decisionDate, decisionNumber: data.decisionNumber, jobsPlanned: data.jobsPlanned },
    }))
    .exhaustive()

// ---- document ids ------------------------------------------------------------------------------------

/**
 * The levels of dated bucket, each a running sum so that an as-of question reads one document of each
 * level per commune rather than every period before the date:
 * - `B`, an eight-year block (`cells:B:2016:C01`, years 2016–2023, aligned on multiples of eight): the block's whole movement;
 * - `Y`, a year within its block (`cells:Y:2021:C01`): the movement from the block's first year to the end of 2021;
 * - `M`, a month within its year (`cells:M:2022-05:C01`): the movement from 1 January to the end of May 2022;
 * - `D`, a day (`cells:D:2022-06-30:C01`): that day's movement.
 * An event is added to its block, to every `Y` from its year to the block's last but one, to every `M`
 * from its month to November, and to its day: the documents whose sum it belongs in. The block's last
 * year and December are left out because their running sums are never read (the block or the next year
 * answers for them).
 */
export type BucketLevel = 'B' | 'Y' | 'M' | 'D'

export const BLOCK_YEARS = 8

/** The first year of the eight-year block holding `year`. */
export const blockStartOf = (year: number): number => year - (year % BLOCK_YEARS)

export const padNumber = (value: number, width: number): string => String(value).padStart(width, '0')

/** `cells:M:2022-06:C01`: the commune comes last, so one period's buckets of every commune are one range. */
export const bucketId = (kind: BucketKind, level: BucketLevel, period: string, communeId: string): string => `${kind}:${level}:${period}:${communeId}`

export const jobPlanId = (unitId: string, year: number): string => `jobPlan:${unitId}:${String(year).padStart(4, '0')}`

/** The periods whose running sums a movement on `on` belongs in. */
const periodsOf = (on: LocalDate): ReadonlyArray<readonly [BucketLevel, string]> => {
  const year = Number(on.slice(0, 4))
  const month = Number(on.slice(5, 7))
  const blockStart = blockStartOf(year)
  const periods: Array<readonly [BucketLevel, string]> = [['B', padNumber(blockStart, 4)]]
  for (let later = year; later < blockStart + BLOCK_YEARS - 1; later += 1) periods.push(['Y', padNumber(later, 4)])
  for (let later = month; later < 12; later += 1) periods.push(['M', `${on.slice(0, 4)}-${padNumber(later, 2)}`])
  periods.push(['D', on])
  return periods
}

const documentIdsOf = (event: DebtMovement): ReadonlyArray<string> => {
  if (event.type === 'JobPlanResolved') return [jobPlanId(event.unitId, event.year)]
  const kinds = [...new Set(event.changes.map((change) => change.kind))]
  const periods = periodsOf(event.on)
  return kinds.flatMap((kind) => periods.map(([level, period]) => bucketId(kind, level, period, event.communeId)))
}

const kindOfId = (id: string): BucketKind | 'jobPlan' => {
  const prefix = id.slice(0, id.indexOf(':'))
  if (prefix === 'jobPlan' || (bucketKinds as ReadonlyArray<string>).includes(prefix)) return prefix as BucketKind | 'jobPlan'
  throw new Error(`not an outstanding-debt document id: ${id}`)
}

// ---- apply -------------------------------------------------------------------------------------------

const applyToBucket = (bucket: Bucket, event: DebtMovement): Bucket | Deleted => {
  if (event.type !== 'Movement') return bucket
  // Copy, never mutate: the runner may apply an event twice (after a conflict) and keeps the document it passed in.
  let entries = bucket.entries
  for (const change of event.changes) if (change.kind === bucket.kind) entries = withDelta(entries, change.key, change.delta)
  // A bucket whose movements cancel out (disbursed and repaid the same day) holds nothing to sum.
  return entries.size === 0 ? deleted : { kind: bucket.kind, entries }
}

const applyToPlan = (plan: JobPlan, event: DebtMovement): JobPlan => {
  if (event.type !== 'JobPlanResolved') return plan
  const resolutions = [...plan.resolutions]
  const at = resolutions.findIndex((existing) => existing.decisionDate > event.resolution.decisionDate)
  resolutions.splice(at === -1 ? resolutions.length : at, 0, event.resolution)
  return { kind: 'jobPlan', resolutions }
}

// ---- codec -------------------------------------------------------------------------------------------

const SIGNED_INTEGER = /^-?(0|[1-9][0-9]*)$/

/**
 * How a bucket is stored, made small because a query parses every entry it reads. `cells` and `capital`:
 * per key, the amounts in the order of the kind's fields (`fieldsOf`), `"0"` for a field left out:
 * `{"P|C|…": ["5000000", "1200000", "0", …]}`. `holders`: per cell key, per household, its amount:
 * `{"P|C|…": {"HH-1": "3800000"}}`, so a cell's key is written once, not once per household.
 */
const encodeDocument = (document: OutstandingDebtDocument): unknown => {
  if (document.kind === 'jobPlan') return { kind: 'jobPlan', resolutions: document.resolutions.map((resolution) => ({ ...resolution })) }
  // Sorted, so the same model is the same JSON whatever order the events arrived in.
  const keys = [...allEntries(document.entries)].map(([key]) => key).sort()
  if (document.kind === 'holders') {
    const byCell: Record<string, Record<string, string>> = {}
    const cellKeys: Array<string> = []
    const households = new Map<string, Array<readonly [string, string]>>()
    for (const key of keys) {
      const { householdId, cellKey } = holderParts(key)
      const amounts = households.get(cellKey) ?? []
      if (amounts.length === 0) cellKeys.push(cellKey)
      amounts.push([householdId, measure(entryOf(document.entries, key), 'outstanding').toString()])
      households.set(cellKey, amounts)
    }
    for (const cellKey of cellKeys.sort()) byCell[cellKey] = Object.fromEntries(households.get(cellKey) ?? [])
    return { kind: 'holders', entries: byCell }
  }
  const fields = fieldsOf[document.kind]
  const entries: Record<string, ReadonlyArray<string>> = {}
  for (const key of keys) {
    const measures = entryOf(document.entries, key)
    entries[key] = fields.map((field) => measure(measures, field).toString())
  }
  return { kind: document.kind, entries }
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value)

// Most stored amounts of a cell are zero: `"0"` is answered without the pattern.
const isWholeNumber = (amount: unknown): amount is string => amount === '0' || (typeof amount === 'string' && SIGNED_INTEGER.test(amount))

const decodeHolders = (json: Readonly<Record<string, unknown>>): E.Either<string, Bucket> => {
  const entries = new Map<string, Measures>()
  for (const cellKey in json) {
    const households = json[cellKey]
    if (!isWellFormedKey('cells', cellKey)) return E.left(`holders bucket cell key ${JSON.stringify(cellKey)} is malformed`)
    if (!isRecord(households)) return E.left(`holders bucket entry ${cellKey} is not an object`)
    for (const householdId in households) {
      const amount = households[householdId]
      // The cell key is checked once above; the household is the holder key's first part.
      if (!isWellFormedPart(householdId)) return E.left(`holders bucket household ${JSON.stringify(householdId)} of ${cellKey} is malformed`)
      if (!isWholeNumber(amount)) return E.left(`holders bucket entry ${householdId} of ${cellKey} is not a whole number: ${JSON.stringify(amount)}`)
      if (amount !== '0') entries.set(holderKeyOf(householdId, cellKey), { outstanding: BigInt(amount) })
    }
  }
  return E.right({ kind: 'holders', entries })
}

const decodeBucket = (kind: BucketKind, json: unknown): E.Either<string, Bucket> => {
  if (!isRecord(json)) return E.left(`${kind} bucket entries are not an object`)
  if (kind === 'holders') return decodeHolders(json)
  const entries = new Map<string, Measures>()
  const fields = fieldsOf[kind]
  for (const key in json) {
    const amounts = json[key]
    if (!isWellFormedKey(kind, key)) return E.left(`${kind} bucket key ${JSON.stringify(key)} is malformed`)
    if (!Array.isArray(amounts) || amounts.length !== fields.length) return E.left(`${kind} bucket entry ${key} is not ${fields.length} amounts`)
    const measures: Record<string, bigint> = {}
    for (let index = 0; index < fields.length; index += 1) {
      const amount: unknown = amounts[index]
      if (!isWholeNumber(amount)) return E.left(`${kind} bucket entry ${key}.${fields[index]} is not a whole number: ${JSON.stringify(amount)}`)
      if (amount !== '0') measures[fields[index] as string] = BigInt(amount)
    }
    entries.set(key, measures)
  }
  return E.right({ kind, entries })
}

const decodeJobPlan = (json: unknown): E.Either<string, JobPlan> => {
  if (!Array.isArray(json)) return E.left('job plan resolutions are not an array')
  const resolutions: Array<JobPlanResolution> = []
  for (const candidate of json as ReadonlyArray<unknown>) {
    if (!isRecord(candidate)) return E.left('a job plan resolution is not an object')
    const { decisionDate, decisionNumber, jobsPlanned } = candidate
    if (!LocalDate.is(decisionDate) || typeof decisionNumber !== 'string' || typeof jobsPlanned !== 'number' || !Number.isSafeInteger(jobsPlanned) || jobsPlanned < 1)
      return E.left(`not a job plan resolution: ${JSON.stringify(candidate)}`)
    resolutions.push({ decisionDate, decisionNumber, jobsPlanned })
  }
  return E.right({ kind: 'jobPlan', resolutions })
}

const decodeDocument = (json: unknown): E.Either<string, OutstandingDebtDocument> => {
  if (!isRecord(json)) return E.left(`not an outstanding-debt document: ${JSON.stringify(json)}`)
  if (json['kind'] === 'jobPlan') return decodeJobPlan(json['resolutions'])
  const kind = bucketKinds.find((candidate) => candidate === json['kind'])
  return kind === undefined ? E.left(`unknown document kind ${JSON.stringify(json['kind'])}`) : decodeBucket(kind, json['entries'])
}

// ---- decode ------------------------------------------------------------------------------------------

const isFollowed = (type: string): type is FollowedType => (followedEventTypes as ReadonlyArray<string>).includes(type)

const decodeEvent = (recorded: RecordedEvent): E.Either<string, DebtMovement> => {
  if (!isFollowed(recorded.type)) return E.left(`outstanding-debt does not follow ${recorded.type}`)
  const decoded = eventCodecs[recorded.type].decode({ type: recorded.type, data: recorded.data })
  if (E.isLeft(decoded)) {
    const problems = fieldErrors(decoded.left).map((error) => `${error.path}: expected ${error.expected}, got ${JSON.stringify(error.actual)}`)
    return E.left(`${recorded.type} does not decode: ${problems.join('; ')}`)
  }
  return E.right(movementOf(decoded.right as FollowedEvent))
}

/**
 * The projection. Version 2 (running sums per block, year and month; version 1 kept one bucket per year
 * and month, which a version 2 reader cannot sum). Bump `version` to rebuild a changed model beside the
 * old one (`rebuildProjection`), and pass both to `outstandingDebtReadModel` while the rebuild runs.
 */
export const outstandingDebtProjection: Projection<OutstandingDebtDocument, DebtMovement> = {
  name: outstandingDebtProjectionName,
  version: 2,
  filter: { eventTypes: followedEventTypes },
  decode: decodeEvent,
  documentIds: documentIdsOf,
  init: (id) => {
    const kind = kindOfId(id)
    return kind === 'jobPlan' ? { kind, resolutions: [] } : { kind, entries: noEntries }
  },
  apply: (document, event) => (document.kind === 'jobPlan' ? applyToPlan(document, event) : applyToBucket(document, event)),
  documentCodec: { encode: encodeDocument, decode: decodeDocument },
}
