/**
 * The same properties on `@policy-credit/sqlite`'s read-model store, which keeps documents as rows
 * ordered by SQLite's BINARY collation: the dated range scans must find the same buckets there.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, type LocalDate } from '@policy-credit/core'
import type { ReadModelStore } from '@policy-credit/projections'
import { sqliteReadModelStore } from '@policy-credit/sqlite'
import { flowsOver, outstandingAsOf, outstandingDebtReadModel } from '../src/index.ts'
import { appendAll, catchUp, debtHistory, foldedModel, newEventStore, readEverything, storedModel } from './debtHistory.ts'
import { referenceFlows, referenceOutstanding } from './reference.ts'

const openSqlite = async (): Promise<ReadModelStore> => {
  const opened = await sqliteReadModelStore({ filename: ':memory:' })()
  if (E.isLeft(opened)) throw new Error(`cannot open SQLite: ${JSON.stringify(opened.left)}`)
  return opened.right
}

describe('outstanding-debt on the SQLite read-model store', () => {
  it('batches with stops and restarts give the fold; as of any date and over any period the answers are the reference', async () => {
    await fc.assert(
      fc.asyncProperty(debtHistory(), fc.nat(), fc.integer({ min: 1, max: 9 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }), async (log, cut, batchSize, picks) => {
        const eventStore = newEventStore()
        const readModelStore = await openSqlite()
        try {
          const at = cut % (log.length + 1)
          await appendAll(eventStore, log.slice(0, at))
          await catchUp(eventStore, readModelStore, { batchSize, batches: 2 })
          await appendAll(eventStore, log.slice(at))
          await catchUp(eventStore, readModelStore, { batchSize })
          expect(await storedModel(readModelStore)).toStrictEqual(foldedModel(await readEverything(eventStore)))

          const model = outstandingDebtReadModel(readModelStore)
          const dateAt = (index: number): LocalDate => {
            const entry = log[index % Math.max(1, log.length)]
            return entry === undefined ? ('2022-06-30' as LocalDate) : entry.on
          }
          for (const [first, second] of picks) {
            const asOf = dateAt(first)
            const report = await outstandingAsOf(model, { asOf, by: ['commune', 'programme'] })()
            const reference = referenceOutstanding(log, asOf, ['commune', 'programme'])
            expect(E.isRight(report) && report.right.total.outstanding).toBe(reference.total.outstanding)
            expect(E.isRight(report) && report.right.total.borrowers).toBe(reference.total.households.size)
            expect(E.isRight(report) && report.right.rows.length).toBe(reference.groups.size)
            const [from, to] = [addDays(dateAt(second), 1), dateAt(first)].sort() as [LocalDate, LocalDate]
            const flows = await flowsOver(model, { from, to })()
            const expected = referenceFlows(log, from, to, [])
            expect(E.isRight(flows) && [flows.right.total.opening, flows.right.total.disbursed, flows.right.total.collected, flows.right.total.writtenOff, flows.right.total.closing]).toStrictEqual([
              expected.total.opening,
              expected.total.disbursed,
              expected.total.collected,
              expected.total.writtenOff,
              expected.total.closing,
            ])
          }
        } finally {
          await readModelStore.close()
        }
      }),
      { numRuns: 15 },
    )
  })
})
