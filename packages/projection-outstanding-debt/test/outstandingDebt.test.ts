import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, addMonths, day, endOfYear, yearOf, type LocalDate } from '@policy-credit/core'
import { applyDecodedEvent, decodeForProjection, deleted, foldProjection, inMemoryReadModelStore, projectionNamespace, rebuildProjection, type ReadModelStore, type WorkingDocuments } from '@policy-credit/projections'
import {
  balanceIdentityHolds,
  capitalDimensions,
  capitalReceivedOver,
  dimensions,
  flowsOver,
  jobsCreatedOver,
  outstandingAsOf,
  outstandingDebtProjection,
  outstandingDebtReadModel,
  type Group,
  type OutstandingDebtDocument,
  type OutstandingDebtReadModel,
} from '../src/index.ts'
import { appendAll, catchUp, comparable, debtHistory, foldedModel, newEventStore, readEverything, readModelStores, runUntil, storedModel, type LogEntry, type Stop } from './debtHistory.ts'
import { referenceCapital, referenceFlows, referenceOutstanding, referencePlan } from './reference.ts'

const right = <Value>(result: E.Either<unknown, Value>): Value => {
  if (E.isLeft(result)) throw new Error(`expected a result, got ${JSON.stringify(result.left, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
  return result.right
}

const keyOf = (by: ReadonlyArray<string>, group: Group): string => by.map((dimension) => group[dimension as keyof Group]).join('|')

const wideDay = fc
  .date({ min: new Date('2015-06-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10) as LocalDate)

/** Days related to a business date: itself, either side of it, and the ends of its month and year (where the day, month and year buckets meet). */
const relatedDays: ReadonlyArray<(on: LocalDate) => LocalDate> = [
  (on) => addDays(on, -1),
  (on) => on,
  (on) => addDays(on, 1),
  (on) => addDays(addMonths(day(`${on.slice(0, 7)}-01`), 1), -1),
  (on) => endOfYear(yearOf(on)),
  (on) => addDays(on, 45),
]

/** A query date: anywhere, or a day related to an event's business date (the edges of a bucket sum). */
const queryDay = fc.oneof(
  wideDay.map((date) => (): LocalDate => date),
  fc.record({ index: fc.nat(), related: fc.constantFrom(...relatedDays) }).map(
    ({ index, related }) =>
      (log: ReadonlyArray<LogEntry>): LocalDate => {
        const entry = log[index % Math.max(1, log.length)]
        return entry === undefined ? ('2022-06-30' as LocalDate) : related(entry.on)
      },
  ),
)

const groupings = fc.shuffledSubarray([...dimensions])

/** The history built into a fresh read model, caught up and active. */
const built = async (log: ReadonlyArray<LogEntry>, readModelStore: ReadModelStore = inMemoryReadModelStore()) => {
  const eventStore = newEventStore()
  await appendAll(eventStore, log)
  await catchUp(eventStore, readModelStore, { batchSize: 50 })
  return { eventStore, readModelStore, model: outstandingDebtReadModel(readModelStore) }
}

/** Runs `check` on the history built into a fresh store opened by `open`, and closes the store. */
const withBuilt = async (open: () => Promise<ReadModelStore>, log: ReadonlyArray<LogEntry>, check: (model: OutstandingDebtReadModel) => Promise<void>): Promise<void> => {
  const readModelStore = await open()
  try {
    await check((await built(log, readModelStore)).model)
  } finally {
    await readModelStore.close()
  }
}

// The last day a LocalDate can name: a model holding only the events up to D, asked about the end of time, is the plain fold of those events.
const END_OF_TIME = '9999-12-31' as LocalDate

// A property runs many histories; on a loaded machine that can exceed vitest's default per-test timeout.
const PROPERTY_TIMEOUT = 300_000

const stop: fc.Arbitrary<Stop> = fc.record({
  kind: fc.constantFrom('stopped', 'crashedBeforeCommit', 'lostAcknowledgement'),
  afterBatches: fc.integer({ min: 1, max: 3 }),
})

const expectOutstandingMatchesReference = async (model: OutstandingDebtReadModel, log: ReadonlyArray<LogEntry>, asOf: LocalDate, by: ReadonlyArray<string>) => {
  const report = right(await outstandingAsOf(model, { asOf, by })())
  const reference = referenceOutstanding(log, asOf, by)
  const rows = new Map(report.rows.map((row) => [keyOf(by, row.group), row]))
  expect([...rows.keys()].sort()).toStrictEqual([...reference.groups.keys()].sort())
  for (const [key, expected] of reference.groups) {
    const row = rows.get(key)
    expect({ key, outstanding: row?.outstanding, overdue: row?.overdue, frozen: row?.frozen, borrowers: row?.borrowers }).toStrictEqual({
      key,
      outstanding: expected.outstanding,
      overdue: expected.overdue,
      frozen: expected.frozen,
      borrowers: expected.households.size,
    })
  }
  expect([report.total.outstanding, report.total.overdue, report.total.frozen, report.total.borrowers]).toStrictEqual([
    reference.total.outstanding,
    reference.total.overdue,
    reference.total.frozen,
    reference.total.households.size,
  ])
  return report
}

describe.each(readModelStores)('outstanding-debt on the $name read-model store: the runner builds one fold, whatever the batches', ({ open }) => {
  it('any split of the log into batches, with stops, crashes and lost acknowledgements anywhere, gives the read model of one fold over all events', async () => {
    await fc.assert(
      fc.asyncProperty(
        debtHistory(),
        fc.array(fc.record({ cut: fc.nat(), batchSize: fc.integer({ min: 1, max: 9 }), stop }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 20 }),
        async (log, partialRuns, finalBatchSize) => {
          const eventStore = newEventStore()
          const readModelStore = await open()
          try {
            // Runs at the same cut are restarts with no new events in between.
            const runs = partialRuns.map((run) => ({ ...run, cut: run.cut % (log.length + 1) })).sort((left, right) => left.cut - right.cut)
            let appended = 0
            for (const run of runs) {
              await appendAll(eventStore, log.slice(appended, run.cut))
              appended = run.cut
              await runUntil(eventStore, readModelStore, run.batchSize, run.stop)
            }
            await appendAll(eventStore, log.slice(appended))
            const progress = await catchUp(eventStore, readModelStore, { batchSize: finalBatchSize })
            expect(progress.caughtUp).toBe(true)
            expect(await storedModel(readModelStore)).toStrictEqual(foldedModel(await readEverything(eventStore)))
          } finally {
            await readModelStore.close()
          }
        },
      ),
      { numRuns: 40 },
    )
  }, PROPERTY_TIMEOUT)

  it('a rebuilt version equals the incrementally built one, and readers move to it', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 50 }), async (log, parts, batchSize) => {
        const eventStore = newEventStore()
        const readModelStore = await open()
        try {
          const size = Math.ceil(log.length / parts)
          for (let start = 0; start < log.length; start += size) {
            await appendAll(eventStore, log.slice(start, start + size))
            await catchUp(eventStore, readModelStore, { batchSize: 3 })
          }
          await catchUp(eventStore, readModelStore, { batchSize: 3 })
          const asOf = log.at(-1)?.on ?? ('2022-06-30' as LocalDate)
          const incremental = right(await outstandingAsOf(outstandingDebtReadModel(readModelStore), { asOf, by: ['commune', 'programme'] })())
          const version2 = { ...outstandingDebtProjection, version: outstandingDebtProjection.version + 1 }
          const rebuilt = await rebuildProjection({ eventStore, readModelStore, projection: version2 }, { batchSize })()
          expect(E.isRight(rebuilt)).toBe(true)
          expect(await storedModel(readModelStore, version2)).toStrictEqual(await storedModel(readModelStore))
          expect(right(await readModelStore.activeVersion(outstandingDebtProjection.name)())).toBe(version2.version)
          const afterRebuild = right(await outstandingAsOf(outstandingDebtReadModel(readModelStore, [outstandingDebtProjection, version2]), { asOf, by: ['commune', 'programme'] })())
          expect(afterRebuild).toStrictEqual(incremental)
        } finally {
          await readModelStore.close()
        }
      }),
      { numRuns: 25 },
    )
  }, PROPERTY_TIMEOUT)
})

describe('outstanding-debt: documents', () => {
  it('every stored document survives its codec unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), async (log) => {
        const eventStore = newEventStore()
        await appendAll(eventStore, log)
        for (const [, document] of foldedModel(await readEverything(eventStore))) {
          const json = JSON.parse(JSON.stringify(outstandingDebtProjection.documentCodec.encode(document))) as unknown
          expect(comparable(right(outstandingDebtProjection.documentCodec.decode(json)))).toStrictEqual(comparable(document))
        }
      }),
      { numRuns: 30 },
    )
  }, PROPERTY_TIMEOUT)

  it('the in-place apply on a draft gives what the pure apply gives, and leaves the drafted document as it was', async () => {
    if (outstandingDebtProjection.inPlace === undefined) throw new Error('outstanding-debt changes its buckets in place')
    const encoded = (document: OutstandingDebtDocument | typeof deleted | undefined) =>
      document === undefined ? 'absent' : document === deleted ? 'deleted' : JSON.stringify(outstandingDebtProjection.documentCodec.encode(document))
    await fc.assert(
      // A model folded from the first events, then the rest applied to it as the runner applies a batch: purely, and on drafts.
      fc.asyncProperty(debtHistory(), fc.nat(), async (log, cut) => {
        const eventStore = newEventStore()
        await appendAll(eventStore, log)
        const events = await readEverything(eventStore)
        const split = events.length === 0 ? 0 : cut % events.length
        const folded = right(foldProjection(outstandingDebtProjection, events.slice(0, split)))
        const before = new Map([...folded].map(([id, document]) => [id, encoded(document)]))
        const pure: WorkingDocuments<OutstandingDebtDocument> = new Map()
        const drafted: WorkingDocuments<OutstandingDebtDocument> = new Map()
        const drafts = new Set<OutstandingDebtDocument>()
        for (const event of events.slice(split)) {
          if (outstandingDebtProjection.filter.eventTypes?.includes(event.type) !== true) continue
          const decoded = right(decodeForProjection(outstandingDebtProjection, event))
          right(applyDecodedEvent(outstandingDebtProjection, pure, decoded, (id) => folded.get(id)))
          right(applyDecodedEvent(outstandingDebtProjection, drafted, decoded, (id) => folded.get(id), drafts))
        }
        expect([...drafted.keys()].sort()).toStrictEqual([...pure.keys()].sort())
        for (const [id, document] of pure) expect(encoded(drafted.get(id))).toBe(encoded(document))
        for (const [id, document] of folded) expect(encoded(document)).toBe(before.get(id))
      }),
      { numRuns: 60 },
    )
  }, PROPERTY_TIMEOUT)
})

describe('outstanding-debt: stored documents that are not the codec\'s', () => {
  const cell = 'POOR_HOUSEHOLD|C01|WOMENS_UNION|WU-1|SG-1|CENTRAL|CENTRAL-1'
  const parts = cell.split('|')
  /** A cells bucket of one entry, the cell's parts listed in order. */
  const cells = (...entry: ReadonlyArray<unknown>) => ({ kind: 'cells', parts, entries: [[0, 1, 2, 3, 4, 5, 6, ...entry]] })
  const fund = ['POOR_HOUSEHOLD', 'C01', 'CENTRAL', 'CENTRAL-1']
  it('decodes well-formed buckets (zero amounts left out), balances and borrowers', () => {
    const decoded = (json: unknown) => comparable(right(outstandingDebtProjection.documentCodec.decode(json)))
    expect(decoded(cells(0, '500', 3, '-20'))).toStrictEqual({
      kind: 'cells',
      entries: new Map([[cell, { disbursed: 500n, overdue: -20n }]]),
      size: 1,
    })
    expect(decoded({ kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[0, 20220105, 20230105, 0, 20240301, null]] })).toStrictEqual({
      kind: 'borrowers',
      households: new Map([['HH-1', [{ cellKey: cell, from: 20220105, to: 20230105 }, { cellKey: cell, from: 20240301, to: null }]]]),
    })
    expect(decoded({ kind: 'balances', cells: { [cell]: [20220105, '5000000', 20230105, '-5000000'] } })).toStrictEqual({
      kind: 'balances',
      cells: [{ cellKey: cell, days: [20220105, 20230105], amounts: [5_000_000n, -5_000_000n], closing: 0n, intervals: [{ cellKey: cell, from: 20220105, to: 20230105 }] }],
    })
  })
  it.each([
    ['a cell key of six parts', { kind: 'cells', parts: parts.slice(0, 6), entries: [[0, 1, 2, 3, 4, 5, 0, '1']] }],
    ['a cell with every amount in field order (version 6)', { kind: 'cells', entries: { [cell]: ['1', '0', '0', '0', '0', '0', '0', '0', '0'] } }],
    ['a cell under its whole key', { kind: 'cells', entries: { [cell]: [0, '1'] } }],
    ['a cell with no amounts', cells()],
    ['a field without its amount', cells(0, '1', 3)],
    ['a field past the last', cells(9, '1')],
    ['a field index with a fraction', cells(0.5, '1')],
    ['a field index as a string', cells('0', '1')],
    ['a field given twice', cells(3, '1', 3, '2')],
    ['fields out of order', cells(3, '1', 0, '2')],
    ['a zero amount', cells(0, '0')],
    ['an amount with a leading zero', cells(0, '0500')],
    ['an amount that is a number', cells(0, 500)],
    ['an amount with a fraction', cells(0, '1.5')],
    ['cell amounts by name', { kind: 'cells', parts, entries: [{ disbursed: '500' }] }],
    ['a part not listed', { kind: 'cells', parts, entries: [[0, 1, 2, 3, 4, 5, 7, 0, '1']] }],
    ['parts not in the order the keys first use them', { kind: 'cells', parts: [...parts].reverse(), entries: [[6, 5, 4, 3, 2, 1, 0, 0, '1']] }],
    ['a part no key uses', { kind: 'cells', parts: [...parts, 'SG-2'], entries: [[0, 1, 2, 3, 4, 5, 6, 0, '1']] }],
    ['a part holding the separator', { kind: 'cells', parts: [...parts.slice(0, 4), 'SG|1', ...parts.slice(5)], entries: [[0, 1, 2, 3, 4, 5, 6, 0, '1']] }],
    ['an empty part', { kind: 'cells', parts: [...parts.slice(0, 4), '', ...parts.slice(5)], entries: [[0, 1, 2, 3, 4, 5, 6, 0, '1']] }],
    ['a key given twice', { kind: 'cells', parts, entries: [[0, 1, 2, 3, 4, 5, 6, 0, '1'], [0, 1, 2, 3, 4, 5, 6, 0, '2']] }],
    ['keys out of order', { kind: 'cells', parts: [...parts, 'SG-0'], entries: [[0, 1, 2, 3, 4, 5, 6, 0, '1'], [0, 1, 2, 3, 7, 5, 6, 0, '2']] }],
    ['borrowers under a malformed cell key', { kind: 'borrowers', cells: ['POOR_HOUSEHOLD|C01'], households: ['HH-1'], intervals: [[0, 20220105, null]] }],
    ['a borrowing in a cell not listed', { kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[1, 20220105, null]] }],
    ['a borrowing cut short', { kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[0, 20220105]] }],
    ['a borrower holding the separator', { kind: 'borrowers', cells: [cell], households: ['HH|1'], intervals: [[0, 20220105, null]] }],
    ['a borrowing that ends before it starts', { kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[0, 20220105, 20220105]] }],
    ['a borrowing from a day that does not exist', { kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[0, 20220230, null]] }],
    ['a borrowing in a thirteenth month', { kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[0, 20221305, null]] }],
    ['a borrowing day as a date string (version 3)', { kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[0, '2022-01-05', null]] }],
    ['a household listed twice', { kind: 'borrowers', cells: [cell], households: ['HH-1', 'HH-1'], intervals: [[0, 20220105, null], [0, 20230105, null]] }],
    ['households out of order', { kind: 'borrowers', cells: [cell], households: ['HH-2', 'HH-1'], intervals: [[0, 20220105, null], [0, 20230105, null]] }],
    ['a household without its intervals', { kind: 'borrowers', cells: [cell], households: ['HH-1', 'HH-2'], intervals: [[0, 20220105, null]] }],
    ['borrowers keyed by household (version 3)', { kind: 'borrowers', cells: [cell], households: { 'HH-1': [0, 20220105, null] } }],
    ['a borrowing day with a fraction', { kind: 'borrowers', cells: [cell], households: ['HH-1'], intervals: [[0, 20220105.5, null]] }],
    ['balances out of day order', { kind: 'balances', cells: { [cell]: [20230105, '-5', 20220105, '5'] } }],
    ['balances with a day twice', { kind: 'balances', cells: { [cell]: [20220105, '-5', 20220105, '5'] } }],
    ['a balance that is not a whole number', { kind: 'balances', cells: { [cell]: [20220105, '48e1'] } }],
    ['a zero balance movement', { kind: 'balances', cells: { [cell]: [20220105, '0'] } }],
    ['a balance movement without its amount', { kind: 'balances', cells: { [cell]: [20220105, '5', 20230105] } }],
    ['a balance movement on a day that does not exist', { kind: 'balances', cells: { [cell]: [20220230, '5'] } }],
    ['balances with days as dates (version 6)', { kind: 'balances', cells: { [cell]: [['2022-01-05', '5000000']] } }],
    ['a cell without balances', { kind: 'balances', cells: { [cell]: [] } }],
    ['balances of cells out of key order', { kind: 'balances', cells: { [`${cell}2`]: [20220105, '5'], [cell]: [20220105, '5'] } }],
    ['a capital key of three parts', { kind: 'capital', parts: fund.slice(0, 3), entries: [[0, 1, 2, 0, '1']] }],
    ['a capital field past the last', { kind: 'capital', parts: fund, entries: [[0, 1, 2, 3, 4, '1']] }],
  ])('refuses %s', (_, stored) => {
    expect(E.isLeft(outstandingDebtProjection.documentCodec.decode(stored))).toBe(true)
  })
})

describe.each(readModelStores)('outstanding-debt on the $name read-model store: as of any business date', ({ open }) => {
  it('the answer for any date and any grouping equals the loans folded by the core up to that date', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), fc.array(fc.tuple(queryDay, groupings), { minLength: 1, maxLength: 6 }), async (log, questions) => {
        await withBuilt(open, log, async (model) => {
          for (const [dateOf, by] of questions) await expectOutstandingMatchesReference(model, log, dateOf(log), by)
        })
      }),
      { numRuns: 40 },
    )
  }, PROPERTY_TIMEOUT)

  it('the answer for any date equals that of a model folded from the events up to that date alone', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), fc.array(fc.tuple(queryDay, groupings), { minLength: 1, maxLength: 3 }), async (log, questions) => {
        await withBuilt(open, log, async (model) => {
          for (const [dateOf, by] of questions) {
            const asOf = dateOf(log)
            const { model: upToDate } = await built(log.filter(({ on }) => on <= asOf))
            const { rows, total } = right(await outstandingAsOf(model, { asOf, by })())
            const folded = right(await outstandingAsOf(upToDate, { asOf: END_OF_TIME, by })())
            expect({ rows, total }).toStrictEqual({ rows: folded.rows, total: folded.total })
          }
        })
      }),
      { numRuns: 30 },
    )
  }, PROPERTY_TIMEOUT)

  it('on every date a bucket edge falls on, the answer is the reference, money is never negative and the ratios are those of the balances', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), groupings, async (log, by) => {
        await withBuilt(open, log, async (model) => {
          const dates = [...new Set(log.flatMap(({ on }) => relatedDays.map((related) => related(on))))]
          for (const asOf of dates) {
            const report = await expectOutstandingMatchesReference(model, log, asOf, by)
            for (const row of [...report.rows, report.total]) {
              expect(row.outstanding >= 0n && row.overdue >= 0n && row.frozen >= 0n).toBe(true)
              expect(row.overdue + row.frozen <= row.outstanding).toBe(true)
              if (row.outstanding === 0n) expect(row.overdueRatio).toBeUndefined()
              else {
                expect(row.overdueRatio?.numerator).toBe(row.overdue)
                expect(row.overdueAndFrozenRatio?.numerator).toBe(row.overdue + row.frozen)
                expect(row.overdueAndFrozenRatio?.denominator).toBe(row.outstanding)
              }
            }
          }
        })
      }),
      { numRuns: 20 },
    )
  }, PROPERTY_TIMEOUT)
})

describe.each(readModelStores)('outstanding-debt on the $name read-model store: flows over a period', ({ open }) => {
  const period = fc.tuple(queryDay, queryDay)

  it('the balance identity holds for any history and any period, and every figure equals the events of the period', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), fc.array(fc.tuple(period, groupings), { minLength: 1, maxLength: 4 }), async (log, questions) => {
        await withBuilt(open, log, async (model) => {
          for (const [[first, second], by] of questions) {
            const [from, to] = [first(log), second(log)].sort() as [LocalDate, LocalDate]
            const report = right(await flowsOver(model, { from, to, by })())
            const reference = referenceFlows(log, from, to, by)
            // The identity of the history itself: balances folded by the core against the period's events summed one by one.
            for (const flows of [...reference.groups.values(), reference.total]) expect(flows.closing).toBe(flows.opening + flows.disbursed - flows.collected - flows.writtenOff)
            for (const row of [...report.rows, report.total]) expect(balanceIdentityHolds(row)).toBe(true)
            const rows = new Map(report.rows.map(({ group, ...flows }) => [keyOf(by, group), flows]))
            expect(Object.fromEntries(rows)).toStrictEqual(Object.fromEntries(reference.groups))
            const { group: _, ...total } = report.total
            expect(total).toStrictEqual(reference.total)
          }
        })
      }),
      { numRuns: 40 },
    )
  }, PROPERTY_TIMEOUT)

  it('jobs created and the plan in force at the end of the period', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), period, fc.constantFrom('NGHIA-LO', 'C01'), fc.integer({ min: 2020, max: 2024 }), async (log, [first, second], unitId, year) => {
        await withBuilt(open, log, async (model) => {
          const [from, to] = [first(log), second(log)].sort() as [LocalDate, LocalDate]
          const report = right(await jobsCreatedOver(model, { from, to, by: ['capitalSourceKind'], plan: { unitId, year } })())
          const reference = referenceFlows(log, from, to, ['capitalSourceKind'])
          expect(report.total.jobsCreated).toBe(reference.total.jobsCreated)
          expect(report.total.loansDisbursed).toBe(reference.total.loansDisbursed)
          for (const row of report.rows) expect(row.jobsCreated).toBe(reference.groups.get(row.group.capitalSourceKind ?? '')?.jobsCreated)
          const planned = referencePlan(log, unitId, year, to)
          expect(report.plan?.resolution.jobsPlanned).toBe(planned)
          expect(report.plan?.fulfilment.numerator).toBe(planned === undefined ? undefined : BigInt(reference.total.jobsCreated))
        })
      }),
      { numRuns: 25 },
    )
  }, PROPERTY_TIMEOUT)

  it('capital received in the period and cumulatively', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory({ maxLoans: 1 }), period, fc.shuffledSubarray([...capitalDimensions]), async (log, [first, second], by) => {
        await withBuilt(open, log, async (model) => {
          const [from, to] = [first(log), second(log)].sort() as [LocalDate, LocalDate]
          const report = right(await capitalReceivedOver(model, { from, to, by })())
          const reference = referenceCapital(log, from, to, by)
          const rows = Object.fromEntries(report.rows.map((row) => [keyOf(by, row.group), { inPeriod: row.inPeriod, cumulative: row.cumulative }]))
          expect(rows).toStrictEqual(Object.fromEntries(reference.groups))
          expect({ inPeriod: report.total.inPeriod, cumulative: report.total.cumulative }).toStrictEqual(reference.total)
        })
      }),
      { numRuns: 30 },
    )
  }, PROPERTY_TIMEOUT)
})

describe('outstanding-debt: bad questions', () => {
  it('refuses a date that is not a calendar day, a period that ends before it starts, an unknown dimension', async () => {
    const { model } = await built([])
    const tags = [
      await outstandingAsOf(model, { asOf: '2022-02-30' })(),
      await outstandingAsOf(model, { asOf: '2022-06-30', by: ['programme', 'district'] })(),
      await outstandingAsOf(model, { asOf: '2022-06-30', by: ['programme', 'programme'] })(),
      await flowsOver(model, { from: '2022-07-01', to: '2022-06-30' })(),
      await capitalReceivedOver(model, { from: '2022-01-01', to: '2022-12-31', by: ['savingsGroup'] })(),
    ].map((result) => (E.isLeft(result) ? result.left._tag : 'answered'))
    expect(tags).toStrictEqual(['InvalidQuery', 'InvalidQuery', 'InvalidQuery', 'InvalidQuery', 'InvalidQuery'])
  })

  it('answers ReadModelNotBuilt before any version has caught up', async () => {
    const result = await outstandingAsOf(outstandingDebtReadModel(inMemoryReadModelStore()), { asOf: '2022-06-30' })()
    expect(E.isLeft(result) && result.left._tag).toBe('ReadModelNotBuilt')
  })

  it('stops at an event that does not decode, naming it, and applies nothing from it on', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    const appended = await eventStore.appendToStream('loan-LN-1', { _tag: 'Any' }, [
      { eventId: '00000000-0000-4000-8000-ffffffffff01', type: 'PrincipalRepaid', data: { loanId: 'LN-1', amount: '-5' }, metadata: { occurredOn: '2022-06-30', schemaVersion: 1 } },
    ])()
    expect(E.isRight(appended)).toBe(true)
    const { catchUpProjection } = await import('@policy-credit/projections')
    const result = await catchUpProjection({ eventStore, readModelStore, projection: outstandingDebtProjection })()
    expect(E.isLeft(result) && result.left._tag === 'ProjectionFailed' && result.left.event.type).toBe('PrincipalRepaid')
    expect(E.isLeft(result) && result.left._tag === 'ProjectionFailed' && result.left.reason._tag === 'EventDecodeFailed' && result.left.reason.message).toMatch(/data\.amount/)
    expect(right(await readModelStore.readCheckpoint(projectionNamespace(outstandingDebtProjection))())).toBeUndefined()
  })
})
