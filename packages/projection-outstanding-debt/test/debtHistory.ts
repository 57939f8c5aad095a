/**
 * Generated histories for the outstanding-debt properties: several loans made by the loan decider
 * (core's `loanLifecycle`), each moved into its own cell (programme, commune, group, mass organisation,
 * capital source, household), capital movements and job plans, interleaved in a random global order, so
 * business dates arrive out of order across streams as they do in a real log. And the plain reference:
 * the loans' states folded by the core's own `evolve` up to a date.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { eventCodecs, Loan, LocalDate, type DomainEvent } from '@policy-credit/core'
import { loanLifecycle } from '@policy-credit/core/testing'
import { anyVersion, inMemoryEventStore, type EventStore, type RecordedEvent } from '@policy-credit/event-store'
import {
  catchUpProjection,
  foldProjection,
  inMemoryReadModelStore,
  projectionNamespace,
  type Projection,
  type ReadModelStore,
} from '@policy-credit/projections'
import { sqliteReadModelStore } from '@policy-credit/sqlite'
import { outstandingDebtProjection, type DebtMovement, type OutstandingDebtDocument } from '../src/index.ts'

export interface LogEntry {
  readonly streamId: string
  readonly event: DomainEvent
  /** The event's business date, recorded as `occurredOn`. */
  readonly on: LocalDate
}

/** The business date of each event type, by its own date field: written out here, independently of the projection. */
const dateField: Readonly<Record<string, string>> = {
  LoanRequested: 'requestedOn',
  LoanVettedByGroup: 'vettedOn',
  LoanCertifiedByCommune: 'certifiedOn',
  LoanRejected: 'rejectedOn',
  LoanApproved: 'approvedOn',
  LoanDisbursed: 'disbursedOn',
  InterestCollected: 'collectedOn',
  PrincipalRepaid: 'repaidOn',
  InstalmentTermAdjusted: 'adjustedOn',
  LoanExtended: 'extendedOn',
  AmountTransferredToOverdue: 'transferredOn',
  LoanRecalledEarly: 'recalledOn',
  DebtFrozen: 'frozenOn',
  DebtUnfrozen: 'unfrozenOn',
  PrincipalWrittenOff: 'writtenOffOn',
  InterestWrittenOff: 'writtenOffOn',
  LoanClosed: 'closedOn',
  CentralCapitalAllocated: 'allocatedOn',
  LocalBudgetCapitalEntrusted: 'entrustedOn',
  CapitalReallocatedAway: 'reallocatedOn',
  ReallocatedCapitalReceived: 'receivedOn',
  JobCreationPlanSet: 'decisionDate',
}

export const businessDateOf = (event: DomainEvent): LocalDate => {
  const field = dateField[event.type]
  const value = field === undefined ? undefined : (event.data as Readonly<Record<string, unknown>>)[field]
  if (typeof value !== 'string') throw new Error(`test setup: no business date for ${event.type}`)
  return value as LocalDate
}

// Small pools, so loans share cells and households hold loans in several cells.
const programmes = ['POOR_HOUSEHOLD', 'JOB_CREATION'] as const
const communes = ['C01', 'C02'] as const
const groups = ['SG-1', 'SG-2'] as const
const organisations = [
  { massOrganisationKind: 'WOMENS_UNION', massOrganisationId: 'WU-1' },
  { massOrganisationKind: 'FARMERS_ASSOCIATION', massOrganisationId: 'FA-1' },
] as const
const sources = [
  { capitalSourceKind: 'CENTRAL', capitalSourceId: 'CENTRAL-1' },
  { capitalSourceKind: 'LOCAL_BUDGET', capitalSourceId: 'TOWN-BUDGET' },
] as const
const households = ['HH-1', 'HH-2', 'HH-3'] as const

const loanDimensions = fc.record({
  programme: fc.constantFrom(...programmes),
  communeId: fc.constantFrom(...communes),
  savingsGroupId: fc.constantFrom(...groups),
  organisation: fc.constantFrom(...organisations),
  source: fc.constantFrom(...sources),
  householdId: fc.constantFrom(...households),
  workers: fc.integer({ min: 1, max: 5 }),
})

type LoanDimensions = typeof loanDimensions extends fc.Arbitrary<infer Dimensions> ? Dimensions : never

/** A loan's event moved into the given cell: the dimensions every event carries are replaced, nothing else. */
const relabel = (event: Loan.LoanEvent, loanId: string, dimensions: LoanDimensions): Loan.LoanEvent => {
  const replacements: Readonly<Record<string, unknown>> = {
    loanId,
    householdId: dimensions.householdId,
    communeId: dimensions.communeId,
    programme: dimensions.programme,
    savingsGroupId: dimensions.savingsGroupId,
    ...dimensions.organisation,
    ...dimensions.source,
    // Job-creation loans declare their workers; others none (as the decider does).
    jobsCreated: dimensions.programme === 'JOB_CREATION' ? dimensions.workers : 0,
  }
  const data: Record<string, unknown> = { ...event.data }
  for (const [field, value] of Object.entries(replacements)) if (field in data) data[field] = value
  return { ...event, data } as Loan.LoanEvent
}

const anyDay = (from: string, to: string) =>
  fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10) as LocalDate)

/** Often on the first or last day of a week, a month or a year, where a bucket begins or ends. */
const day = (from: string, to: string) =>
  fc.oneof(
    anyDay(from, to),
    fc.tuple(anyDay(from, to), fc.constantFrom('07', '08', '14', '15', '21', '22', '28', '29')).map(([date, dayOfMonth]) => {
      const edge = `${date.slice(0, 7)}-${dayOfMonth}`
      return LocalDate.is(edge) ? edge : date
    }),
    anyDay(from, to).map((date) => `${date.slice(0, 7)}-01` as LocalDate),
    anyDay(from, to).map((date) => `${date.slice(0, 4)}-01-01` as LocalDate),
    anyDay(from, to).map((date) => `${date.slice(0, 4)}-12-31` as LocalDate),
  )

const amount = fc.bigInt({ min: 1n, max: 5_000_000_000n })

const capitalEvent: fc.Arbitrary<LogEntry> = fc
  .record({
    kind: fc.constantFrom('CentralCapitalAllocated', 'LocalBudgetCapitalEntrusted', 'CapitalReallocatedAway', 'ReallocatedCapitalReceived'),
    communeId: fc.constantFrom(...communes),
    programme: fc.constantFrom(...programmes),
    source: fc.constantFrom(...sources),
    amount,
    on: day('2016-01-01', '2026-12-31'),
  })
  .map(({ kind, communeId, programme, source, amount: value, on }) => {
    const year = Number(on.slice(0, 4))
    const fund = { communeId, year, programme, ...source, amount: value, decisionNumber: '12/QD-HDQT' }
    const other = communeId === 'C01' ? 'C02' : 'C01'
    const data =
      kind === 'CentralCapitalAllocated'
        ? { ...fund, allocatedOn: on }
        : kind === 'LocalBudgetCapitalEntrusted'
          ? { ...fund, entrustingUnitId: 'NGHIA-LO', entrustedOn: on }
          : kind === 'CapitalReallocatedAway'
            ? { ...fund, toCommuneId: other, reallocatedOn: on }
            : { ...fund, fromCommuneId: other, receivedOn: on }
    return { streamId: `capital-${communeId}-${year}`, event: { type: kind, data } as DomainEvent, on }
  })

const planEvent: fc.Arbitrary<LogEntry> = fc
  .record({ unitId: fc.constantFrom('NGHIA-LO', 'C01'), year: fc.integer({ min: 2020, max: 2024 }), jobsPlanned: fc.integer({ min: 1, max: 3_000 }), dayOfYear: fc.integer({ min: 0, max: 364 }) })
  .map(({ unitId, year, jobsPlanned, dayOfYear }) => {
    const on = new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10) as LocalDate
    const data = { unitId, year, jobsPlanned, decisionNumber: '5/NQ-HDND', decisionDate: on, previousJobsPlanned: null }
    return { streamId: `plan-${unitId}-${year}`, event: { type: 'JobCreationPlanSet', data } as DomainEvent, on }
  })

/** Interleaves the lists at random, keeping each list's own order (a stream's events stay in order). */
const interleave = <Item>(lists: ReadonlyArray<ReadonlyArray<Item>>, picks: ReadonlyArray<number>): ReadonlyArray<Item> => {
  const cursors = lists.map(() => 0)
  const merged: Array<Item> = []
  for (let step = 0; ; step += 1) {
    const open = lists.map((list, index) => index).filter((index) => (cursors[index] ?? 0) < (lists[index]?.length ?? 0))
    if (open.length === 0) return merged
    const chosen = open[(picks[step % Math.max(1, picks.length)] ?? 0) % open.length] ?? 0
    merged.push(lists[chosen]?.[cursors[chosen] ?? 0] as Item)
    cursors[chosen] = (cursors[chosen] ?? 0) + 1
  }
}

/** A log of a few loans (each in its own random cell), capital movements and job plans, interleaved. */
export const debtHistory = (options: { readonly maxLoans?: number; readonly maxServicing?: number } = {}): fc.Arbitrary<ReadonlyArray<LogEntry>> =>
  fc
    .record({
      loans: fc.array(fc.record({ lifecycle: loanLifecycle(options.maxServicing ?? 10), dimensions: loanDimensions }), { maxLength: options.maxLoans ?? 5 }),
      capital: fc.array(capitalEvent, { maxLength: 5 }),
      plans: fc.array(planEvent, { maxLength: 3 }),
      picks: fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 64 }),
    })
    .map(({ loans, capital, plans, picks }) => {
      const loanLists = loans.map(({ lifecycle, dimensions }, index) => {
        const loanId = `LN-${index + 1}`
        return lifecycle.events.map((event) => relabel(event, loanId, dimensions)).map((event): LogEntry => ({ streamId: `loan-${loanId}`, event, on: businessDateOf(event) }))
      })
      return interleave([...loanLists, ...capital.map((entry) => [entry]), ...plans.map((entry) => [entry])], picks)
    })

// ---- the event store ----------------------------------------------------------------------------------

let eventCounter = 0

/** Appends the entries in order, each encoded by its codec as the store would receive it. */
export const appendAll = async (store: EventStore, entries: ReadonlyArray<LogEntry>): Promise<void> => {
  for (const entry of entries) {
    eventCounter += 1
    const codec = eventCodecs[entry.event.type] as { readonly encode: (event: DomainEvent) => { readonly type: string; readonly data: unknown } }
    const wire = codec.encode(entry.event)
    const appended = await store.appendToStream(entry.streamId, anyVersion, [
      {
        eventId: `00000000-0000-4000-8000-${eventCounter.toString(16).padStart(12, '0')}`,
        type: wire.type,
        data: wire.data,
        metadata: { occurredOn: entry.on, schemaVersion: 1 },
      },
    ])()
    if (E.isLeft(appended)) throw new Error(`test setup: append failed: ${JSON.stringify(appended.left)}`)
  }
}

export const newEventStore = (): EventStore => inMemoryEventStore()

export const readEverything = async (store: EventStore): Promise<ReadonlyArray<RecordedEvent>> => {
  const read = await store.readAll({ maxCount: 1_000_000 })()
  if (E.isLeft(read)) throw new Error(`test setup: readAll failed: ${JSON.stringify(read.left)}`)
  return read.right.events
}

export type DebtProjection = Projection<OutstandingDebtDocument, DebtMovement>

/** Catches up until the end, or for so many batches; activates the version so queries see it. */
export const catchUp = async (
  eventStore: EventStore,
  readModelStore: ReadModelStore,
  options: { readonly batchSize?: number; readonly batches?: number; readonly projection?: DebtProjection } = {},
) => {
  const controller = new AbortController()
  let batches = 0
  const projection = options.projection ?? outstandingDebtProjection
  const result = await catchUpProjection(
    { eventStore, readModelStore, projection },
    { batchSize: options.batchSize ?? 100, signal: controller.signal, onProgress: () => (++batches >= (options.batches ?? Number.POSITIVE_INFINITY) ? controller.abort() : undefined) },
  )()
  if (E.isLeft(result)) throw new Error(`runner failed: ${JSON.stringify(result.left, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
  const activated = await readModelStore.activateVersion(projectionNamespace(projection))()
  if (E.isLeft(activated)) throw new Error('activate failed')
  return result.right
}

export interface ReadModelStoreKind {
  readonly name: string
  readonly open: () => Promise<ReadModelStore>
}

/** The stores every property runs on: SQLite orders ids by its BINARY collation, and the dated range scans must find the same buckets there. */
export const readModelStores: ReadonlyArray<ReadModelStoreKind> = [
  { name: 'in memory', open: async () => inMemoryReadModelStore() },
  {
    name: 'sqlite',
    open: async () => {
      const opened = await sqliteReadModelStore({ filename: ':memory:' })()
      if (E.isLeft(opened)) throw new Error(`test setup: cannot open SQLite: ${JSON.stringify(opened.left)}`)
      return opened.right
    },
  },
]

/**
 * How a partial run ends: the runner told to stop after so many batches; a crash in the commit of the
 * next batch (nothing written); or a lost acknowledgement (the commit is written, the runner told it failed).
 */
export type Stop = { readonly kind: 'stopped' | 'crashedBeforeCommit' | 'lostAcknowledgement'; readonly afterBatches: number }

/** The store, except that its `failAt`-th commit fails as `kind` says. */
const failingCommit = (store: ReadModelStore, failAt: number, kind: 'crashedBeforeCommit' | 'lostAcknowledgement'): ReadModelStore => {
  let commits = 0
  return {
    ...store,
    commit: (namespace, request) => async () => {
      commits += 1
      if (commits !== failAt) return store.commit(namespace, request)()
      if (kind === 'lostAcknowledgement') {
        const written = await store.commit(namespace, request)()
        if (E.isLeft(written)) return written
      }
      return E.left({ _tag: 'ReadModelStoreUnavailable', cause: new Error(`test: ${kind}`) })
    },
  }
}

/** A runner that runs `stop.afterBatches` batches and then stops, or fails as `stop` says; only an injected failure is tolerated. */
export const runUntil = async (eventStore: EventStore, readModelStore: ReadModelStore, batchSize: number, stop: Stop): Promise<void> => {
  if (stop.kind === 'stopped') {
    await catchUp(eventStore, readModelStore, { batchSize, batches: stop.afterBatches })
    return
  }
  const store = failingCommit(readModelStore, stop.afterBatches + 1, stop.kind)
  const result = await catchUpProjection({ eventStore, readModelStore: store, projection: outstandingDebtProjection }, { batchSize })()
  // With fewer batches than the failing one there is nothing to fail: the run simply finishes.
  if (E.isLeft(result) && !(result.left._tag === 'ReadModelStoreFailed' && result.left.error._tag === 'ReadModelStoreUnavailable'))
    throw new Error(`runner failed: ${JSON.stringify(result.left, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
}

/** The stored documents, decoded, in id order. */
export const storedModel = async (store: ReadModelStore, projection: DebtProjection = outstandingDebtProjection) => {
  const scanned = await store.scanDocuments(projectionNamespace(projection), { _tag: 'All' })()
  if (E.isLeft(scanned)) throw new Error('scan failed')
  return scanned.right.map(({ id, document }) => [id, E.getOrElseW((message: string) => `undecodable: ${message}`)(E.map(comparable)(projection.documentCodec.decode(document)))] as const)
}

/** A document with a bucket's entries as one plain map and their count, as they compare in tests. */
export const comparable = (document: OutstandingDebtDocument) =>
  document.kind === 'cells' || document.kind === 'capital' ? { kind: document.kind, entries: new Map(document.entries), size: document.entries.size } : document

export const foldedModel = (events: ReadonlyArray<RecordedEvent>) => {
  const folded = foldProjection(outstandingDebtProjection, events)
  if (E.isLeft(folded)) throw new Error(`fold failed at ${JSON.stringify(folded.left.event)}: ${JSON.stringify(folded.left.reason)}`)
  return [...folded.right.entries()].map(([id, document]) => [id, comparable(document)] as const)
}

// ---- the plain reference -------------------------------------------------------------------------------

/** Every loan's state at the end of `asOf`: its events with a business date on or before it, folded by the core's evolve. */
export const loanStatesAsOf = (log: ReadonlyArray<LogEntry>, asOf: LocalDate): ReadonlyMap<string, Loan.Loan> => {
  const states = new Map<string, Loan.Loan>()
  for (const { streamId, event, on } of log) {
    if (!streamId.startsWith('loan-') || on > asOf) continue
    states.set(streamId, Loan.loanDecider.evolve(states.get(streamId) ?? Loan.loanDecider.initialState, event as Loan.LoanEvent))
  }
  return states
}
