/**
 * Properties of the poverty-rate read model over generated logs, on the in-memory and the SQLite
 * read-model stores: the runner's batches and restarts change nothing, a rebuild equals the incremental
 * model, the figures on any day equal a plain count over the events, towns are the sums of their
 * communes, and a household that moved counts once.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { CommuneId, day, DecisionNumber, HouseholdId, idOf, type DomainEvent, type PovertyStandardId } from '@policy-credit/core'
import { foldProjection } from '@policy-credit/projections'
import { noHouseholds } from '../src/figures.ts'
import {
  povertyAsOf,
  povertyAsOfByCommune,
  povertyRateProjection,
  povertyRateReadModel,
  povertySeries,
  povertyYearByCommune,
  type ClassCounts,
  type ReportingUnit,
} from '../src/index.ts'
import { allCommunes, askedDays, eventLogs, nghiaLo, standards } from './arbitraries.ts'
import { appendEvents, buildReadModel, catchUpFor, newEventStore, readEverything, readModelStores, rightOrThrow, storedModel } from './fixtures.ts'
import { referenceCounts, referenceExits, referenceHouseholdsOn, referenceModel } from './reference.ts'

const countsOf = (figures: ClassCounts): ClassCounts => Object.fromEntries(Object.keys(noHouseholds).map((field) => [field, figures[field as keyof ClassCounts]])) as unknown as ClassCounts
const units: ReadonlyArray<ReportingUnit> = [{ kind: 'TOWN', townId: nghiaLo }, ...allCommunes.map((communeId): ReportingUnit => ({ kind: 'COMMUNE', communeId }))]

/** A log cut into parts appended at different times, each followed by a partial run of so many batches. */
const chunkedLogs = eventLogs().chain((events) =>
  fc.record({
    events: fc.constant(events),
    cuts: fc.uniqueArray(fc.integer({ min: 0, max: events.length }), { maxLength: 4 }).map((cuts) => [...cuts].sort((a, b) => a - b)),
    batchesBeforeStop: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
    batchSize: fc.integer({ min: 1, max: 9 }),
  }),
)

const foldedModel = (events: ReadonlyArray<Parameters<typeof povertyRateProjection.decode>[0]>) => {
  const folded = foldProjection(povertyRateProjection, events)
  if (E.isLeft(folded)) throw new Error(`fold failed at ${JSON.stringify(folded.left.event)}: ${JSON.stringify(folded.left.reason)}`)
  return [...folded.right.entries()]
}

describe.each(readModelStores)('on the $name read-model store', ({ open }) => {
  it('any split of the log into batches, with stops and restarts anywhere, gives the read model of one fold over all events', async () => {
    await fc.assert(
      fc.asyncProperty(chunkedLogs, async ({ events, cuts, batchesBeforeStop, batchSize }) => {
        const eventStore = newEventStore()
        const store = await open()
        const bounds = [0, ...cuts, events.length]
        for (let part = 0; part + 1 < bounds.length; part += 1) {
          await appendEvents(eventStore, events.slice(bounds[part], bounds[part + 1]))
          await catchUpFor(eventStore, store, batchSize, batchesBeforeStop[part] ?? 1)
        }
        await catchUpFor(eventStore, store, batchSize)
        expect(await storedModel(store)).toStrictEqual(foldedModel(await readEverything(eventStore)))
        await store.close()
      }),
      { numRuns: 25 },
    )
  }, 300_000)

  it('a rebuild beside the incremental model equals it', async () => {
    const rebuilt = { ...povertyRateProjection, version: povertyRateProjection.version + 1 }
    await fc.assert(
      fc.asyncProperty(chunkedLogs, async ({ events, cuts, batchSize }) => {
        const eventStore = newEventStore()
        const store = await open()
        const bounds = [0, ...cuts, events.length]
        for (let part = 0; part + 1 < bounds.length; part += 1) {
          await appendEvents(eventStore, events.slice(bounds[part], bounds[part + 1]))
          await catchUpFor(eventStore, store, batchSize)
        }
        await buildReadModel(eventStore, store, 50, rebuilt)
        expect(await storedModel(store, rebuilt)).toStrictEqual(await storedModel(store))
        expect(rightOrThrow(await store.activeVersion(povertyRateProjection.name)())).toBe(rebuilt.version)
        await store.close()
      }),
      { numRuns: 15 },
    )
  }, 300_000)

  it('the figures of every unit on any day, under any standard, equal a plain count over the events up to that day', async () => {
    await fc.assert(
      fc.asyncProperty(eventLogs(), fc.array(fc.tuple(askedDays, fc.constantFrom(...standards)), { minLength: 1, maxLength: 4 }), async (events, asked) => {
        const eventStore = newEventStore()
        await appendEvents(eventStore, events)
        const store = await open()
        await buildReadModel(eventStore, store, 7)
        const queries = povertyRateReadModel(store)
        const reference = referenceModel(events)
        for (const [on, standardId] of asked)
          for (const unit of units) {
            const answer = await povertyAsOf(queries, { unit, on, standardId })()
            // A unit the log never mentions is refused, never answered with zeros.
            if (E.isLeft(answer)) expect(answer.left._tag).toBe('UnitNotInReadModel')
            else expect(countsOf(answer.right)).toStrictEqual(referenceCounts(reference, unit, standardId, on))
          }
        await store.close()
      }),
      { numRuns: 30 },
    )
  }, 300_000)

  it('every year of a series opens and closes with the counts of its 1 January lists, and its exits are those that took effect between', async () => {
    await fc.assert(
      fc.asyncProperty(eventLogs(), fc.integer({ min: 2011, max: 2026 }), async (events, year) => {
        const eventStore = newEventStore()
        await appendEvents(eventStore, events)
        const store = await open()
        await buildReadModel(eventStore, store)
        const queries = povertyRateReadModel(store)
        const reference = referenceModel(events)
        for (const unit of units) {
          const series = await povertySeries(queries, { unit, fromYear: year - 1, toYear: year + 1 })()
          if (E.isLeft(series)) {
            expect(series.left._tag).toBe('UnitNotInReadModel')
            continue
          }
          expect(series.right.length).toBeGreaterThanOrEqual(3)
          for (const row of series.right) {
            if (row.opening !== null) expect(countsOf(row.opening)).toStrictEqual(referenceCounts(reference, unit, row.standardId, day(`${row.year}-01-01`)))
            if (row.closing !== null) expect(countsOf(row.closing)).toStrictEqual(referenceCounts(reference, unit, row.standardId, day(`${row.year + 1}-01-01`)))
            if (row.exited !== null) expect(row.exited).toStrictEqual(referenceExits(reference, unit, row.standardId, `${row.year}-01-01`, `${row.year + 1}-01-01`))
          }
        }
        await store.close()
      }),
      { numRuns: 20 },
    )
  }, 300_000)

  it('a town is the sum of the communes that belonged to it on the day, and a household counts once wherever it moved', async () => {
    await fc.assert(
      fc.asyncProperty(eventLogs(), askedDays, fc.constantFrom(...standards), async (events, on, standardId) => {
        const eventStore = newEventStore()
        await appendEvents(eventStore, events)
        const store = await open()
        await buildReadModel(eventStore, store)
        const queries = povertyRateReadModel(store)
        const byCommune = await povertyAsOfByCommune(queries, { townId: nghiaLo, on, standardId })()
        if (E.isRight(byCommune)) {
          const summed = byCommune.right.communes.reduce((total, commune) => Object.fromEntries(Object.keys(noHouseholds).map((field) => [field, total[field as keyof ClassCounts] + commune[field as keyof ClassCounts]])) as unknown as ClassCounts, noHouseholds)
          expect(summed).toStrictEqual(countsOf(byCommune.right.town))
          expect(byCommune.right.town.povertyRate?.numerator ?? 0).toBe(summed.poor)
          for (const commune of byCommune.right.communes) {
            const alone = rightOrThrow(await povertyAsOf(queries, { unit: commune.unit, on, standardId })())
            expect(countsOf(commune)).toStrictEqual(countsOf(alone))
          }
        } else expect(byCommune.left._tag).toBe('UnitNotInReadModel')
        let everywhere = 0
        for (const communeId of allCommunes) {
          const answer = await povertyAsOf(queries, { unit: { kind: 'COMMUNE', communeId }, on, standardId })()
          everywhere += E.isRight(answer) ? answer.right.households : 0
        }
        expect(everywhere).toBe(referenceHouseholdsOn(referenceModel(events), on))
        await store.close()
      }),
      { numRuns: 30 },
    )
  }, 300_000)
})

describe('a household that moves', () => {
  const [fromCommune, toCommune] = [idOf(CommuneId, 'XA-NGHIA-AN'), idOf(CommuneId, 'PHUONG-TAN-AN')]
  const householdId = idOf(HouseholdId, 'HH-MOVER')
  const events: ReadonlyArray<DomainEvent> = [
    ...[fromCommune, toCommune].flatMap((communeId): ReadonlyArray<DomainEvent> => [
      { type: 'CommuneDeclared', data: { communeId, name: communeId, unitKind: 'COMMUNE', areaType: 'RURAL', declaredOn: day('2010-01-01') } },
      { type: 'CommuneJoinedTown', data: { communeId, townId: nghiaLo, joinedOn: day('2010-01-01') } },
    ]),
    { type: 'HouseholdRegistered', data: { householdId, communeId: fromCommune, areaType: 'RURAL', members: 3 as never, registeredOn: day('2016-03-01') } },
    {
      type: 'HouseholdClassRecognised',
      data: {
        householdId,
        communeId: fromCommune,
        areaType: 'RURAL',
        standardId: 'QD-59-2015',
        reviewYear: 2017 as never,
        reviewKind: 'PERIODIC',
        householdClass: 'POOR',
        previousClass: null,
        decisionNumber: idOf(DecisionNumber, 'QD-2017'),
        decisionDate: day('2017-12-10'),
        effectiveFrom: day('2018-01-01'),
      },
    },
    // Recorded after the recognition, but effective before it took effect: the household is poor where it lives on 1 Jan 2018.
    { type: 'HouseholdMovedCommune', data: { householdId, fromCommuneId: fromCommune, toCommuneId: toCommune, areaType: 'URBAN', movedOn: day('2017-12-20') } },
  ]
  const standardId: PovertyStandardId = 'QD-59-2015'

  it.each(readModelStores)('counts in the commune it lived in on the day, once for the town ($name)', async ({ open }) => {
    const eventStore = newEventStore()
    await appendEvents(eventStore, events)
    const store = await open()
    await buildReadModel(eventStore, store)
    const queries = povertyRateReadModel(store)
    const poorOn = async (communeId: CommuneId, on: string) => rightOrThrow(await povertyAsOf(queries, { unit: { kind: 'COMMUNE', communeId }, on: day(on), standardId })())
    expect([(await poorOn(fromCommune, '2017-12-19')).households, (await poorOn(toCommune, '2017-12-19')).households]).toStrictEqual([1, 0])
    expect([(await poorOn(fromCommune, '2018-01-01')).poor, (await poorOn(toCommune, '2018-01-01')).poor]).toStrictEqual([0, 1])
    const year = rightOrThrow(await povertyYearByCommune(queries, { townId: nghiaLo, year: 2017, standardId })())
    expect([year.town.closing?.households, year.town.closing?.poor, year.communes.map((row) => [row.unit, row.closing?.poor])]).toStrictEqual([
      1,
      1,
      [
        // Communes in id order.
        [{ kind: 'COMMUNE', communeId: toCommune }, 1],
        [{ kind: 'COMMUNE', communeId: fromCommune }, 0],
      ],
    ])
    await store.close()
  })
})
