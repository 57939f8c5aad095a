/**
 * The outstanding-debt projection: loan, capital and job-plan events folded into dated buckets of
 * additive deltas, so "outstanding on 2022-06-30" is a sum over a bounded number of documents per commune
 * (the eight-year blocks before 2016, the first half 2016–2019 of the block holding 2022, 2020–2021,
 * January–March 2022, April–May, the weeks and days of June up to the 30th), never a replay.
 *
 * Every monetary change is added to the running sums its business date belongs in (the event's own date
 * field: `disbursedOn`, `repaidOn`, …, not the recorded time; see `BucketLevel`), one document per kind,
 * level, period and commune. Sums commute, so events may arrive in any business-date order (a back-dated
 * repayment recorded today only adds to last week's buckets and the running sums after it) and the
 * buckets stay exact. Document ids: `cells:B:2016:C01`, `cells:H:2016:C01`, `cells:Y:2022:C01`, `cells:Q:2022-2:C01`, `cells:M:2022-05:C01`, `cells:W:2022-06-08:C01`,
 * `cells:D:2022-06-30:C01` (also `capital:`), `jobPlan:<unitId>:<year>` for the job-creation plan's
 * resolutions, and `balances:<communeId>:<householdId>` and `borrowers:<communeId>` for counting borrowers
 * (borrowers.ts).
 */
import * as E from 'fp-ts/lib/Either.js'
import { DecisionNumber, Loan, LocalDate, Plan, Vnd, type DomainEvent } from '@policy-credit/core'
import { deleted, usedFieldsDecoder, type Deleted, type EarlierDocument, type EarlierDocuments, type FactOf, type Projection, type UsedFields } from '@policy-credit/projections'
import type { RecordedEvent } from '@policy-credit/event-store'
import {
  bucketKinds,
  cellKey,
  fieldsOf,
  fundKey,
  isWellFormedPart,
  KEY_SEPARATOR,
  keyPartsOf,
  NON_ZERO_WHOLE_NUMBER,
  type BucketKind,
  type CapitalField,
  type CellDimensions,
  type CellField,
  type FundDimensions,
  type Measures,
} from './measures.ts'
import { addToDraftEntries, draftEntries, noEntries, withDelta, type BucketEntries } from './bucketEntries.ts'
import {
  balancesWith,
  borrowersWith,
  changeBorrowers,
  decodeBalances,
  draftBorrowers,
  decodeBorrowers,
  encodeBalances,
  encodeBorrowers,
  noBalances,
  noBorrowers,
  type Borrowers,
  type HouseholdBalances,
} from './borrowers.ts'

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

export type OutstandingDebtDocument = Bucket | JobPlan | HouseholdBalances | Borrowers

export interface BucketChange {
  readonly kind: BucketKind
  readonly key: string
  readonly delta: Measures
}

/** A household's principal moving in a cell: its balance there, from which its borrowing intervals follow. */
export interface BalanceChange {
  readonly householdId: string
  readonly cellKey: string
  readonly amount: bigint
  /** The household's balances document, its id built once for the runner and for the borrowers that read it. */
  readonly balancesId: string
}

/** An event as this projection sees it: changes to the buckets of one business date in one commune (and to a household's balance), or a plan resolution. */
export type DebtMovement =
  | { readonly type: 'Movement'; readonly on: LocalDate; readonly communeId: string; readonly changes: ReadonlyArray<BucketChange>; readonly balance?: BalanceChange }
  | { readonly type: 'JobPlanResolved'; readonly unitId: string; readonly year: number; readonly resolution: JobPlanResolution }

/** The loan events' dimensions the projection reads: its cell and the household (`loanId` and `jobsCreated` are not read, except jobs at disbursement). */
const { householdId, communeId, programme, capitalSourceKind, capitalSourceId, massOrganisationKind, massOrganisationId, savingsGroupId, jobsCreated } = Loan.reportDimensions
const loanCell = { householdId, communeId, programme, capitalSourceKind, capitalSourceId, massOrganisationKind, massOrganisationId, savingsGroupId }
const fund = { communeId, programme, capitalSourceKind, capitalSourceId }

/**
 * Per followed event type, the fields the projection reads, each decoded with the core's codec for it
 * (`usedFieldsDecoder`): a rebuild decodes about 168,000 of these events in the bench town.
 * test/decode.test.ts holds this decoder to the domain codec's decision.
 */
const usedFields = {
  LoanDisbursed: { ...loanCell, jobsCreated, amount: Vnd, disbursedOn: LocalDate },
  PrincipalRepaid: { ...loanCell, amount: Vnd, fromOverdue: Vnd, fromFrozen: Vnd, repaidOn: LocalDate },
  PrincipalWrittenOff: { ...loanCell, amount: Vnd, fromOverdue: Vnd, fromFrozen: Vnd, writtenOffOn: LocalDate },
  AmountTransferredToOverdue: { ...loanCell, amount: Vnd, transferredOn: LocalDate },
  DebtFrozen: { ...loanCell, amount: Vnd, fromOverdue: Vnd, frozenOn: LocalDate },
  DebtUnfrozen: { ...loanCell, amount: Vnd, unfrozenOn: LocalDate },
  InterestCollected: { ...loanCell, amount: Vnd, collectedOn: LocalDate },
  InterestWrittenOff: { ...loanCell, amount: Vnd, writtenOffOn: LocalDate },
  CentralCapitalAllocated: { ...fund, amount: Vnd, allocatedOn: LocalDate },
  LocalBudgetCapitalEntrusted: { ...fund, amount: Vnd, entrustedOn: LocalDate },
  CapitalReallocatedAway: { ...fund, amount: Vnd, reallocatedOn: LocalDate },
  ReallocatedCapitalReceived: { ...fund, amount: Vnd, receivedOn: LocalDate },
  JobCreationPlanSet: { unitId: Plan.PlanUnitId, year: Loan.PositiveCount, jobsPlanned: Loan.PositiveCount, decisionNumber: DecisionNumber, decisionDate: LocalDate },
} as const satisfies { readonly [Type in DomainEvent['type']]?: UsedFields[string] }

/** The event types this projection follows; every other type is filtered out by the store. */
export const followedEventTypes = Object.keys(usedFields) as ReadonlyArray<keyof typeof usedFields>

/** A followed event as the projection reads it: a whole domain event of a followed type is one. */
export type DebtFact = FactOf<typeof usedFields>

const decodeUsedFields = usedFieldsDecoder(usedFields)

const cellChange = (data: CellDimensions, delta: Measures<CellField>): BucketChange => ({ kind: 'cells', key: sharedCellKey(data), delta })
const fundChange = (data: FundDimensions, delta: Measures<CapitalField>): BucketChange => ({ kind: 'capital', key: fundKey(data), delta })

// Two literals rather than a spread of the optional balance: this runs for every event.
const movement = (on: LocalDate, communeId: string, changes: ReadonlyArray<BucketChange>, balance?: BalanceChange): DebtMovement =>
  balance === undefined ? { type: 'Movement', on, communeId, changes } : { type: 'Movement', on, communeId, changes, balance }

/**
 * One copy of each cell key, the first built: the runner holds a batch's movements (20,000 events by default) until it
 * commits, so every key built for an event outlived the young generation and was copied by the garbage
 * collector. The key built for a lookup dies young. Bounded, since a live runner never stops.
 */
const cellKeys = new Map<string, string>()
const CELL_KEYS_KEPT = 20_000

const sharedCellKey = (data: CellDimensions): string => {
  const built = cellKey(data)
  const shared = cellKeys.get(built)
  if (shared !== undefined) return shared
  if (cellKeys.size >= CELL_KEYS_KEPT) cellKeys.clear()
  cellKeys.set(built, built)
  return built
}

/** Principal moving in a loan's cell: the cell's bucket and the household's balance there, the cell's key built once. */
const principalMovement = (on: LocalDate, data: CellDimensions & { readonly householdId: string }, delta: Measures<CellField>, amount: bigint): DebtMovement => {
  const key = sharedCellKey(data)
  return movement(on, data.communeId, [{ kind: 'cells', key, delta }], { householdId: data.householdId, cellKey: key, amount, balancesId: balancesId(data.communeId, data.householdId) })
}

/** What each followed event changes. Overdue and frozen move by the parts the event records, never re-derived. */
export const movementOf = (event: DebtFact): DebtMovement => {
  // A switch, not ts-pattern's `match`: this runs for every event of a rebuild, and the narrowing is the same.
  switch (event.type) {
    case 'LoanDisbursed': {
      const { data } = event
      return principalMovement(data.disbursedOn, data, { disbursed: data.amount, loansDisbursed: 1n, jobsCreated: BigInt(data.jobsCreated) }, data.amount)
    }
    case 'PrincipalRepaid': {
      const { data } = event
      // Most repayments take nothing from overdue or frozen: their delta holds the one field that moved.
      const delta = data.fromOverdue === 0n && data.fromFrozen === 0n ? { collected: data.amount } : { collected: data.amount, overdue: -data.fromOverdue, frozen: -data.fromFrozen }
      return principalMovement(data.repaidOn, data, delta, -data.amount)
    }
    case 'PrincipalWrittenOff': {
      const { data } = event
      return principalMovement(data.writtenOffOn, data, { writtenOff: data.amount, overdue: -data.fromOverdue, frozen: -data.fromFrozen }, -data.amount)
    }
    case 'AmountTransferredToOverdue':
      return movement(event.data.transferredOn, event.data.communeId, [cellChange(event.data, { overdue: event.data.amount })])
    case 'DebtFrozen':
      return movement(event.data.frozenOn, event.data.communeId, [cellChange(event.data, { overdue: -event.data.fromOverdue, frozen: event.data.amount })])
    case 'DebtUnfrozen':
      return movement(event.data.unfrozenOn, event.data.communeId, [cellChange(event.data, { frozen: -event.data.amount })])
    case 'InterestCollected':
      return movement(event.data.collectedOn, event.data.communeId, [cellChange(event.data, { interestCollected: event.data.amount })])
    case 'InterestWrittenOff':
      return movement(event.data.writtenOffOn, event.data.communeId, [cellChange(event.data, { interestWrittenOff: event.data.amount })])
    case 'CentralCapitalAllocated':
      return movement(event.data.allocatedOn, event.data.communeId, [fundChange(event.data, { centralAllocated: event.data.amount })])
    case 'LocalBudgetCapitalEntrusted':
      return movement(event.data.entrustedOn, event.data.communeId, [fundChange(event.data, { localEntrusted: event.data.amount })])
    case 'CapitalReallocatedAway':
      return movement(event.data.reallocatedOn, event.data.communeId, [fundChange(event.data, { reallocatedOut: event.data.amount })])
    case 'ReallocatedCapitalReceived':
      return movement(event.data.receivedOn, event.data.communeId, [fundChange(event.data, { reallocatedIn: event.data.amount })])
    case 'JobCreationPlanSet': {
      const { data } = event
      return {
        type: 'JobPlanResolved',
        unitId: data.unitId,
        year: data.year,
        resolution: { decisionDate: data.decisionDate, decisionNumber: data.decisionNumber, jobsPlanned: data.jobsPlanned },
      }
    }
  }
}

// ---- document ids ------------------------------------------------------------------------------------

/**
 * The levels of dated bucket, each a plain sum or a running sum within the level above, so that an as-of
 * question reads one document of each level per commune (and a few weeks and days) rather than every
 * period before the date:
 * - `B`, an eight-year block (`cells:B:2016:C01`, years 2016–2023, aligned on multiples of eight): the block's whole movement;
 * - `H`, the first half of a block (`cells:H:2016:C01`, years 2016–2019): its whole movement;
 * - `Y`, a year within its half block (`cells:Y:2021:C01`): the movement from the half's first year (2020) to the end of 2021;
 * - `Q`, a quarter within its year (`cells:Q:2022-2:C01`): the movement from 1 January to the end of June 2022;
 * - `M`, a month within its quarter (`cells:M:2022-05:C01`): the movement from 1 April to the end of May 2022;
 * - `W`, a week of its month (`cells:W:2022-06-08:C01`): the movement of days 8–14 of June 2022; a month's
 *   weeks start on days 1, 8, 15 and 22, and days 29–31 belong to no week;
 * - `D`, a day (`cells:D:2022-06-30:C01`): that day's movement.
 * An event is added to its block, to its half when that is the first, to every `Y` from its year to its
 * half's last but one, to every `Q` from its quarter to the third, to every `M` from its month to its
 * quarter's second, to its week and to its day: the documents whose sum it belongs in. The last year of a
 * half, the fourth quarter and the last month of a quarter are left out because their running sums are
 * never read (the level above answers for them). About 7.4 documents per event, where version 5's running
 * sums over whole blocks and years took about 11.9; a question reads two documents more per commune.
 */
export type BucketLevel = 'B' | 'H' | 'Y' | 'Q' | 'M' | 'W' | 'D'

/** Days in a week bucket; the weeks of a month start on days 1, 8, 15 and 22. */
export const WEEK_DAYS = 7
/** Weeks in a month: days after the last (29–31) are read as days. */
export const WEEKS_IN_MONTH = 4

/** The first day of the week holding the day of the month, or undefined for days 29–31. */
const weekStartOf = (dayOfMonth: number): number | undefined =>
  dayOfMonth > WEEKS_IN_MONTH * WEEK_DAYS ? undefined : 1 + WEEK_DAYS * Math.floor((dayOfMonth - 1) / WEEK_DAYS)

export const BLOCK_YEARS = 8
const HALF_BLOCK_YEARS = BLOCK_YEARS / 2
const QUARTER_MONTHS = 3

/** The first year of the eight-year block holding `year`. */
export const blockStartOf = (year: number): number => year - (year % BLOCK_YEARS)

/** The first year of the half block holding `year`. */
export const halfBlockStartOf = (year: number): number => year - (year % HALF_BLOCK_YEARS)

/** The quarter (1–4) holding the month (1–12), and its first month. */
export const quarterOf = (month: number): number => 1 + Math.floor((month - 1) / QUARTER_MONTHS)
export const quarterStartOf = (month: number): number => 1 + QUARTER_MONTHS * (quarterOf(month) - 1)

export const padNumber = (value: number, width: number): string => String(value).padStart(width, '0')

/** `cells:M:2022-06:C01`: the commune comes last, so one period's buckets of every commune are one range. */
export const bucketId = (kind: BucketKind, level: BucketLevel, period: string, communeId: string): string => `${kind}:${level}:${period}:${communeId}`

export const jobPlanId = (unitId: string, year: number): string => `jobPlan:${unitId}:${String(year).padStart(4, '0')}`

/** The periods whose running sums a movement on `on` belongs in. */
const periodsOf = (on: LocalDate): ReadonlyArray<readonly [BucketLevel, string]> => {
  const year = Number(on.slice(0, 4))
  const month = Number(on.slice(5, 7))
  const blockStart = blockStartOf(year)
  const halfStart = halfBlockStartOf(year)
  const periods: Array<readonly [BucketLevel, string]> = [['B', padNumber(blockStart, 4)]]
  if (halfStart === blockStart) periods.push(['H', padNumber(blockStart, 4)])
  for (let later = year; later < halfStart + HALF_BLOCK_YEARS - 1; later += 1) periods.push(['Y', padNumber(later, 4)])
  for (let later = quarterOf(month); later < 12 / QUARTER_MONTHS; later += 1) periods.push(['Q', `${on.slice(0, 4)}-${later}`])
  for (let later = month; later < quarterStartOf(month) + QUARTER_MONTHS - 1; later += 1) periods.push(['M', `${on.slice(0, 4)}-${padNumber(later, 2)}`])
  const weekStart = weekStartOf(Number(on.slice(8, 10)))
  if (weekStart !== undefined) periods.push(['W', `${on.slice(0, 7)}-${padNumber(weekStart, 2)}`])
  periods.push(['D', on])
  return periods
}

export const balancesId = (communeId: string, householdId: string): string => `balances:${communeId}:${householdId}`
export const borrowersId = (communeId: string): string => `borrowers:${communeId}`

/**
 * The ids of the buckets of one kind a movement on `on` in the commune changes, remembered: a rebuild asks
 * for the same day and commune about fourteen times (161,431 repayments fall on 11,528 days × communes in
 * the bench town), and building the dozen ids was a tenth of the time. Bounded, since a live runner never stops.
 */
// Per kind, commune and day: nested maps, so a lookup hashes the event's own strings instead of building a key.
const bucketIdsCache: { readonly [Kind in BucketKind]: Map<string, Map<string, ReadonlyArray<string>>> } = { cells: new Map(), capital: new Map() }
let bucketIdsCached = 0
const BUCKET_IDS_CACHED = 20_000

const bucketIdsOf = (kind: BucketKind, on: LocalDate, communeId: string): ReadonlyArray<string> => {
  let byDay = bucketIdsCache[kind].get(communeId)
  const cached = byDay?.get(on)
  if (cached !== undefined) return cached
  const ids = periodsOf(on).map(([level, period]) => bucketId(kind, level, period, communeId))
  if (bucketIdsCached >= BUCKET_IDS_CACHED) {
    for (const kindCache of Object.values(bucketIdsCache)) kindCache.clear()
    bucketIdsCached = 0
    byDay = undefined
  }
  if (byDay === undefined) {
    byDay = new Map()
    bucketIdsCache[kind].set(communeId, byDay)
  }
  byDay.set(on, ids)
  bucketIdsCached += 1
  return ids
}

const documentIdsOf = (event: DebtMovement): ReadonlyArray<string> => {
  if (event.type === 'JobPlanResolved') return [jobPlanId(event.unitId, event.year)]
  const { changes } = event
  const only = changes.length === 1 ? changes[0] : undefined
  // Every event this projection follows changes one bucket kind: no set of kinds built for it.
  const buckets =
    only !== undefined
      ? bucketIdsOf(only.kind, event.on, event.communeId)
      : [...new Set(changes.map((change) => change.kind))].flatMap((changed) => bucketIdsOf(changed, event.on, event.communeId))
  if (event.balance === undefined) return buckets
  // The borrowers after the household's balances: they change by what the event did to them. Allocated
  // at its length: the runner holds the ids of a batch's events until it commits.
  const ids = new Array<string>(buckets.length + 2)
  for (let at = 0; at < buckets.length; at += 1) ids[at] = buckets[at] as string
  ids[buckets.length] = event.balance.balancesId
  ids[buckets.length + 1] = borrowersId(event.communeId)
  return ids
}

type DocumentKind = OutstandingDebtDocument['kind']

const kindOfId = (id: string): DocumentKind => {
  const prefix = id.slice(0, id.indexOf(':'))
  if (prefix === 'jobPlan' || prefix === 'balances' || prefix === 'borrowers' || (bucketKinds as ReadonlyArray<string>).includes(prefix)) return prefix as DocumentKind
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

/**
 * A bucket or a commune's borrowers, which the runner may change in place for the rest of its batch; a
 * household's balances are applied purely, since the borrowers read them before and after through `earlier`.
 */
const draftDocument = (document: OutstandingDebtDocument): OutstandingDebtDocument | undefined => {
  switch (document.kind) {
    case 'cells':
    case 'capital':
      return { kind: document.kind, entries: draftEntries(document.entries) }
    case 'borrowers':
      return draftBorrowers(document)
    default:
      return undefined
  }
}

/** `apply` on a draft made by `draftDocument`. A bucket's vectors are its own copies (`draftEntries`), added to in place. */
const applyToDraft = (draft: OutstandingDebtDocument, event: DebtMovement, earlier: EarlierDocuments<OutstandingDebtDocument>): void | Deleted => {
  if (event.type !== 'Movement') return
  if (draft.kind === 'borrowers') {
    if (event.balance === undefined) return
    const { before, after } = balancesAround(event.balance, earlier)
    changeBorrowers(draft, event.balance.householdId, asBalances(before), asBalances(after))
    return
  }
  if (draft.kind !== 'cells' && draft.kind !== 'capital') return
  const entries = draft.entries as Map<string, Measures>
  for (const change of event.changes) if (change.kind === draft.kind) addToDraftEntries(entries, change.key, change.delta)
  return entries.size === 0 ? deleted : undefined
}

const applyToBalances = (balances: HouseholdBalances, event: DebtMovement): HouseholdBalances =>
  event.type === 'Movement' && event.balance !== undefined ? balancesWith(balances, event.balance.cellKey, event.on, event.balance.amount) : balances

const asBalances = (document: OutstandingDebtDocument | Deleted): HouseholdBalances => (document !== deleted && document.kind === 'balances' ? document : noBalances)

/** The household's balances before and after a principal movement, listed before the borrowers. */
const balancesAround = (balance: BalanceChange, earlier: EarlierDocuments<OutstandingDebtDocument>): EarlierDocument<OutstandingDebtDocument> => {
  const household = earlier(balance.balancesId)
  if (household === undefined) throw new Error(`the borrowers need ${balance.balancesId}, listed before them`)
  return household
}

const applyToBorrowers = (borrowers: Borrowers, event: DebtMovement, earlier: EarlierDocuments<OutstandingDebtDocument>): Borrowers => {
  if (event.type !== 'Movement' || event.balance === undefined) return borrowers
  const { before, after } = balancesAround(event.balance, earlier)
  return borrowersWith(borrowers, event.balance.householdId, asBalances(before), asBalances(after))
}

const applyToPlan = (plan: JobPlan, event: DebtMovement): JobPlan => {
  if (event.type !== 'JobPlanResolved') return plan
  const resolutions = [...plan.resolutions]
  const at = resolutions.findIndex((existing) => existing.decisionDate > event.resolution.decisionDate)
  resolutions.splice(at === -1 ? resolutions.length : at, 0, event.resolution)
  return { kind: 'jobPlan', resolutions }
}

// ---- codec -------------------------------------------------------------------------------------------

/**
 * How a bucket is stored, made small because a query parses every entry it reads and a rebuild writes
 * about 56,000 buckets: written with whole keys, the bench town's rebuild wrote 36 MB of JSON, most of
 * it keys; with their parts once a bucket, 28 MB. Each part of the bucket's keys is written once, in `parts`, in the order the sorted keys first
 * use it; an entry is its key's parts as indexes into `parts`, then its non-zero amounts, each after the
 * index of its field in the kind's fields (`fieldsOf`), in field order:
 * `{"kind": "cells", "parts": ["JOB_CREATION", "C01", "WOMENS_UNION", …], "entries": [[0, 1, 2, 3, 4, 5, 6, 1, "277000"], …]}`.
 * A household's balances and a commune's borrowers are stored by borrowers.ts.
 */
const encodeDocument = (document: OutstandingDebtDocument): unknown => {
  if (document.kind === 'jobPlan') return { kind: 'jobPlan', resolutions: document.resolutions.map((resolution) => ({ ...resolution })) }
  if (document.kind === 'balances') return encodeBalances(document)
  if (document.kind === 'borrowers') return encodeBorrowers(document)
  // Sorted, so the same model is the same JSON whatever order the events arrived in.
  const keys = [...document.entries.keys()].sort()
  const fields = fieldsOf[document.kind]
  const parts: Array<string> = []
  const indexOf = new Map<string, number>()
  const entries: Array<ReadonlyArray<number | string>> = []
  for (const key of keys) {
    const entry: Array<number | string> = []
    for (const part of key.split(KEY_SEPARATOR)) {
      let index = indexOf.get(part)
      if (index === undefined) {
        index = parts.length
        parts.push(part)
        indexOf.set(part, index)
      }
      entry.push(index)
    }
    const measures: Measures = document.entries.get(key) ?? {}
    for (let index = 0; index < fields.length; index += 1) {
      const amount = measures[fields[index] as string]
      if (amount !== undefined && amount !== 0n) entry.push(index, amount.toString())
    }
    entries.push(entry)
  }
  return { kind: document.kind, parts, entries }
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value)

const decodeBucket = (kind: BucketKind, json: Readonly<Record<string, unknown>>): E.Either<string, Bucket> => {
  const { parts, entries: stored } = json
  if (!Array.isArray(parts) || !parts.every((part) => typeof part === 'string' && isWellFormedPart(part))) return E.left(`${kind} bucket parts are not a list of key parts`)
  if (!Array.isArray(stored)) return E.left(`${kind} bucket entries are not a list`)
  const partsOfKey = keyPartsOf[kind]
  const fields = fieldsOf[kind]
  const entries = new Map<string, Measures>()
  // Parts are listed in the order the keys first use them, so each is used and listed once.
  let used = 0
  let previousKey = ''
  for (const entry of stored as ReadonlyArray<unknown>) {
    if (!Array.isArray(entry) || entry.length < partsOfKey + 2 || (entry.length - partsOfKey) % 2 !== 0)
      return E.left(`${kind} bucket entry ${JSON.stringify(entry)} is not a key's ${partsOfKey} parts then fields with their amounts`)
    const keyParts: Array<string> = []
    for (let at = 0; at < partsOfKey; at += 1) {
      const index: unknown = entry[at]
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > used || index >= parts.length)
        return E.left(`${kind} bucket entry ${JSON.stringify(entry)}: part ${JSON.stringify(index)} is not listed, or not in order of first use`)
      if (index === used) used += 1
      keyParts.push(parts[index] as string)
    }
    const key = keyParts.join(KEY_SEPARATOR)
    // Keys in strictly increasing order, as written, so none is given twice.
    if (key <= previousKey) return E.left(`${kind} bucket key ${JSON.stringify(key)} is out of order`)
    previousKey = key
    const measures: Record<string, bigint> = {}
    let previous = -1
    for (let at = partsOfKey; at < entry.length; at += 2) {
      const index: unknown = entry[at]
      const amount: unknown = entry[at + 1]
      // Fields in increasing order, so none is given twice.
      const field = typeof index === 'number' && Number.isInteger(index) && index > previous ? fields[index] : undefined
      if (field === undefined) return E.left(`${kind} bucket entry ${key}: ${JSON.stringify(index)} is not the index of a later field`)
      if (typeof amount !== 'string' || !NON_ZERO_WHOLE_NUMBER.test(amount)) return E.left(`${kind} bucket entry ${key}.${field} is not a non-zero whole number: ${JSON.stringify(amount)}`)
      measures[field] = BigInt(amount)
      previous = index as number
    }
    entries.set(key, measures)
  }
  if (used !== parts.length) return E.left(`${kind} bucket lists ${parts.length - used} parts no key uses`)
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
  if (json['kind'] === 'balances') return decodeBalances(json)
  if (json['kind'] === 'borrowers') return decodeBorrowers(json)
  const kind = bucketKinds.find((candidate) => candidate === json['kind'])
  return kind === undefined ? E.left(`unknown document kind ${JSON.stringify(json['kind'])}`) : decodeBucket(kind, json)
}

// ---- decode ------------------------------------------------------------------------------------------

const decodeEvent = (recorded: RecordedEvent): E.Either<string, DebtMovement> => {
  const decoded = decodeUsedFields(recorded.type, recorded.data)
  if (decoded === undefined) return E.left(`outstanding-debt does not follow ${recorded.type}`)
  return E.isLeft(decoded) ? E.left(`${recorded.type} does not decode: ${decoded.left}`) : E.right(movementOf(decoded.right))
}

/**
 * The projection. Version 7 (a bucket lists its keys' parts once and an entry stores its non-zero amounts only, after their fields' indexes; a household's balances store day numbers); version 6 (half blocks `H` and quarters `Q`, and running sums within them; version 5 added weeks of a month, `W`; version 4 stored borrowing intervals' days as day numbers; version 3 kept borrowers as
 * intervals per household, not as balances in every dated bucket; version 2 introduced running sums per
 * block, year and month, which version 1 readers cannot sum). Bump `version` to rebuild a changed model beside the
 * old one (`rebuildProjection`), and pass both to `outstandingDebtReadModel` while the rebuild runs.
 */
export const outstandingDebtProjection: Projection<OutstandingDebtDocument, DebtMovement> = {
  name: outstandingDebtProjectionName,
  version: 7,
  filter: { eventTypes: followedEventTypes },
  decode: decodeEvent,
  documentIds: documentIdsOf,
  init: (id) => {
    const kind = kindOfId(id)
    switch (kind) {
      case 'jobPlan':
        return { kind, resolutions: [] }
      case 'balances':
        return noBalances
      case 'borrowers':
        return noBorrowers
      default:
        return { kind, entries: noEntries }
    }
  },
  apply: (document, event, _id, earlier) => {
    switch (document.kind) {
      case 'jobPlan':
        return applyToPlan(document, event)
      case 'balances':
        return applyToBalances(document, event)
      case 'borrowers':
        return applyToBorrowers(document, event, earlier)
      default:
        return applyToBucket(document, event)
    }
  },
  documentCodec: { encode: encodeDocument, decode: decodeDocument },
  inPlace: { draft: draftDocument, apply: (draft, event, _id, earlier) => applyToDraft(draft, event, earlier) },
}
