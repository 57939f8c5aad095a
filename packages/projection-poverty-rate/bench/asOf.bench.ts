/**
 * How long the poverty-rate read model takes to build and to answer as of a past day:
 * `pnpm exec vitest bench --run packages/projection-poverty-rate/bench`. It prints its own figures
 * (medians over 50 days) before vitest's table; nothing here is a test.
 *
 * The town: 10 communes (7 from the start, 3 joining on 1 January 2020), 20,000 households registered
 * from 2009 to 2021, five periodic reviews (2010, 2014 under QD-09-2011; 2015, 2018 under QD-59-2015;
 * 2021 under ND-07-2021) with the exits they make, a regular review for one household in ten, one in
 * twenty moving (a few of the moves recorded months after the day they took effect), one in fifty
 * dissolved. Events are appended in the order they were recorded, so a batch of the runner touches
 * households all over the town, as a live log does.
 */
import * as E from 'fp-ts/lib/Either.js'
import { bench, describe } from 'vitest'
import { addDays, addYears, CommuneId, day, DecisionNumber, HouseholdId, idOf, TownId, type DomainEvent, type LocalDate, type PovertyStandardId, type ReviewClass } from '@policy-credit/core'
import { inMemoryReadModelStore, type ReadModelStore } from '@policy-credit/projections'
import { povertyAsOf, povertyAsOfByCommune, povertyRateProjection, povertyRateReadModel, povertyYear, type ReportingUnit } from '../src/index.ts'
import { decodeTallies } from '../src/tally.ts'
import { appendEvents, buildReadModel, newEventStore } from '../test/fixtures.ts'

const HOUSEHOLDS = 20_000
const town = idOf(TownId, 'NGHIA-LO')
const communes = Array.from({ length: 10 }, (_, index) => idOf(CommuneId, `XA-${String(index).padStart(2, '0')}`))

/** A fixed PRNG (mulberry32), so every run builds the same town. */
const random = (() => {
  let state = 20_260_101
  return (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
})()
const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)] as A
const dayBetween = (from: string, days: number): LocalDate => addDays(day(from), Math.floor(random() * days))

const reviews: ReadonlyArray<{ readonly year: number; readonly standardId: PovertyStandardId }> = [
  { year: 2010, standardId: 'QD-09-2011' },
  { year: 2014, standardId: 'QD-09-2011' },
  { year: 2015, standardId: 'QD-59-2015' },
  { year: 2018, standardId: 'QD-59-2015' },
  { year: 2021, standardId: 'ND-07-2021' },
]
const classes: ReadonlyArray<ReviewClass> = ['POOR', 'POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'AVERAGE_LIVING', 'AVERAGE_LIVING', 'NONE', 'NONE']

/** Events with the day they were recorded, sorted by it (stable) before appending. */
const recorded: Array<{ readonly on: LocalDate; readonly event: DomainEvent }> = []
for (const [index, communeId] of communes.entries()) {
  recorded.push({ on: day('2009-01-01'), event: { type: 'CommuneDeclared', data: { communeId, name: communeId, unitKind: 'COMMUNE', areaType: 'RURAL', declaredOn: day('2009-01-01') } } })
  const joinedOn = day(index < 7 ? '2009-01-01' : '2020-01-01')
  recorded.push({ on: joinedOn, event: { type: 'CommuneJoinedTown', data: { communeId, townId: town, joinedOn } } })
}

for (let number = 0; number < HOUSEHOLDS; number += 1) {
  const householdId = idOf(HouseholdId, `H-${String(number).padStart(5, '0')}`)
  let communeId = pick(communes)
  const registeredOn = random() < 0.7 ? dayBetween('2009-01-01', 600) : dayBetween('2010-09-01', 4_100)
  recorded.push({ on: registeredOn, event: { type: 'HouseholdRegistered', data: { householdId, communeId, areaType: 'RURAL', members: 4 as never, registeredOn } } })
  const facts: Array<{ readonly on: LocalDate; readonly fact: 'move' | 'dissolve' | 'regular' }> = []
  if (random() < 0.05) facts.push({ on: dayBetween(registeredOn, 4_000), fact: 'move' })
  if (random() < 0.1) facts.push({ on: dayBetween(registeredOn, 4_000), fact: 'regular' })
  if (random() < 0.02) facts.push({ on: dayBetween(registeredOn, 5_000), fact: 'dissolve' })
  const decisions = [
    ...reviews.map((review) => ({ on: day(`${review.year}-12-15`), review })),
    ...facts.map((fact) => ({ on: fact.on, fact })),
  ].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
  let onList: ReviewClass | undefined
  for (const decision of decisions) {
    if (decision.on < registeredOn) continue
    if ('fact' in decision && decision.fact.fact === 'dissolve') {
      recorded.push({ on: decision.on, event: { type: 'HouseholdDissolved', data: { householdId, communeId, dissolvedOn: decision.on } } })
      break
    }
    if ('fact' in decision && decision.fact.fact === 'move') {
      const toCommuneId = pick(communes.filter((other) => other !== communeId))
      // One move in four is recorded three months after the day it took effect.
      const recordedOn = random() < 0.25 ? addDays(decision.on, 90) : decision.on
      recorded.push({ on: recordedOn, event: { type: 'HouseholdMovedCommune', data: { householdId, fromCommuneId: communeId, toCommuneId, areaType: 'RURAL', movedOn: decision.on } } })
      communeId = toCommuneId
      continue
    }
    const periodic = 'review' in decision ? decision.review : undefined
    const reviewYear = periodic?.year ?? Number(decision.on.slice(0, 4))
    const standardId = periodic?.standardId ?? (decision.on < '2016-01-01' ? 'QD-09-2011' : decision.on < '2022-01-01' ? 'QD-59-2015' : 'ND-07-2021')
    const householdClass = pick(classes)
    const effectiveFrom = periodic === undefined ? decision.on : day(`${reviewYear + 1}-01-01`)
    const dimensions = { householdId, communeId, areaType: 'RURAL' as const, standardId, reviewYear: reviewYear as never, reviewKind: periodic === undefined ? ('REGULAR' as const) : ('PERIODIC' as const) }
    const decisionNumber = idOf(DecisionNumber, `QD-${reviewYear}-${periodic === undefined ? 'R' : 'P'}`)
    recorded.push({ on: decision.on, event: { type: 'HouseholdClassRecognised', data: { ...dimensions, householdClass, previousClass: null, decisionNumber, decisionDate: decision.on, effectiveFrom } } })
    const leaves = onList !== undefined && householdClass !== 'POOR' && householdClass !== 'NEAR_POOR'
    if (leaves && onList !== undefined) {
      const exitedFrom = onList === 'POOR' ? ('POOR' as const) : ('NEAR_POOR' as const)
      recorded.push({
        on: decision.on,
        event: {
          type: 'HouseholdExitedPoverty',
          data: { ...dimensions, exitedFrom, escapedClass: exitedFrom === 'POOR' ? 'ESCAPED_POVERTY' : 'ESCAPED_NEAR_POVERTY', decisionNumber, decisionDate: decision.on, exitedOn: effectiveFrom, escapedStatusEndsOn: addYears(effectiveFrom, 3) },
        },
      })
    }
    onList = householdClass === 'POOR' || householdClass === 'NEAR_POOR' ? householdClass : undefined
  }
}
const events = recorded
  .map((entry, index) => ({ ...entry, index }))
  .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.index - b.index))
  .map((entry) => entry.event)

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await run()
  return performance.now() - start
}
const mustBeRight = async <A>(answer: Promise<E.Either<unknown, A>>): Promise<A> => {
  const result = await answer
  if (E.isLeft(result)) throw new Error(`query refused: ${JSON.stringify(result.left)}`)
  return result.right
}

const eventStore = newEventStore()
await appendEvents(eventStore, events)
const store: ReadModelStore = inMemoryReadModelStore()
const buildMs = await timed(() => buildReadModel(eventStore, store, 500))
const queries = povertyRateReadModel(store)

/** 50 days from 2011 to 2026: the 1 January of years and days in between. */
const days: ReadonlyArray<LocalDate> = Array.from({ length: 50 }, (_, index) => (index % 3 === 0 ? day(`${2011 + (index % 16)}-01-01`) : addDays(day('2011-03-01'), index * 113)))
const townUnit: ReportingUnit = { kind: 'TOWN', townId: town }
const townMs: Array<number> = []
const communeMs: Array<number> = []
const byCommuneMs: Array<number> = []
const yearMs: Array<number> = []
for (const [index, on] of days.entries()) {
  townMs.push(await timed(() => mustBeRight(povertyAsOf(queries, { unit: townUnit, on })())))
  communeMs.push(await timed(() => mustBeRight(povertyAsOf(queries, { unit: { kind: 'COMMUNE', communeId: communes[index % communes.length] as CommuneId }, on })())))
  byCommuneMs.push(await timed(() => mustBeRight(povertyAsOfByCommune(queries, { townId: town, on })())))
  if (index < 10) yearMs.push(await timed(() => mustBeRight(povertyYear(queries, { unit: townUnit, year: 2016 + (index % 5), standardId: 'QD-59-2015' })())))
}

// The document every query reads: its size and how many change days each commune has.
const storedTallies = await store.getDocuments({ name: povertyRateProjection.name, version: povertyRateProjection.version }, ['commune-tallies:all'])()
if (E.isLeft(storedTallies)) throw new Error('the tallies are not stored')
const talliesJson = JSON.stringify(storedTallies.right.get('commune-tallies:all'))
const tallies = decodeTallies(JSON.parse(talliesJson))
if (E.isLeft(tallies)) throw new Error(tallies.left)
const changeDays = [...tallies.right.communes.values()].map((tally) => tally.reduce((total, block) => total + block.days.length, 0))

const ms = (value: number): string => `${value.toFixed(1)} ms`
console.log(
  [
    `poverty-rate read model: ${HOUSEHOLDS} households, ${communes.length} communes, ${events.length} events`,
    `  rebuild (in memory, batches of 500): ${ms(buildMs)} (${Math.round(events.length / (buildMs / 1000))} events/s)`,
    `  povertyAsOf, the town, median of ${townMs.length} days: ${ms(median(townMs))} (min ${ms(Math.min(...townMs))}, max ${ms(Math.max(...townMs))})`,
    `  povertyAsOf, one commune, median of ${communeMs.length} days: ${ms(median(communeMs))} (min ${ms(Math.min(...communeMs))}, max ${ms(Math.max(...communeMs))})`,
    `  povertyAsOfByCommune, median of ${byCommuneMs.length} days: ${ms(median(byCommuneMs))}`,
    `  povertyYear, the town, median of ${yearMs.length}: ${ms(median(yearMs))}`,
    `  the communes' dated tallies: ${changeDays.join('/')} change days per commune, ${Math.round(talliesJson.length / 1024)} KiB as JSON`,
  ].join('\n'),
)

describe('poverty-rate as-of queries (20,000 households, 10 communes)', () => {
  bench('povertyAsOf, the town, on 1 January 2021', async () => {
    await mustBeRight(povertyAsOf(queries, { unit: townUnit, on: day('2021-01-01') })())
  })
  bench('povertyAsOf, one commune, on 2 March 2017', async () => {
    await mustBeRight(povertyAsOf(queries, { unit: { kind: 'COMMUNE', communeId: communes[3] as CommuneId }, on: day('2017-03-02') })())
  })
})
