/**
 * The seed article's poverty figures (domain.md §9, F1–F6), reproduced through the event store, the
 * runner, the read model and the queries, on a town of the same size: wards that were the town from the
 * start and Văn Chấn communes that joined it on 1 January 2020, so the town's total changes over time.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CommuneId, day, DecisionNumber, HouseholdId, idOf, Loan, TownId, type DomainEvent, type PovertyStandardId, type ReviewClass } from '@policy-credit/core'
import {
  povertyAsOf,
  povertyAsOfByCommune,
  povertyChange,
  povertyRateReadModel,
  povertySeries,
  povertyYear,
  povertyYearByCommune,
  type PovertyRateReadModel,
  type ReportingUnit,
} from '../src/index.ts'
import { appendByStream, buildReadModel, newEventStore, readModelStores, rightOrThrow } from './fixtures.ts'

const nghiaLo = idOf(TownId, 'NGHIA-LO')
const town: ReportingUnit = { kind: 'TOWN', townId: nghiaLo }
const wards = ['PHUONG-TAN-AN', 'PHUONG-PU-TRANG', 'PHUONG-TRUNG-TAM', 'PHUONG-CAU-THIA'].map((id) => idOf(CommuneId, id))
const joiningCommunes = ['XA-NGHIA-AN', 'XA-NGHIA-LOI', 'XA-NGHIA-PHUC'].map((id) => idOf(CommuneId, id))

const events: Array<DomainEvent> = []
for (const communeId of [...wards, ...joiningCommunes]) {
  const isWard = wards.includes(communeId)
  events.push({ type: 'CommuneDeclared', data: { communeId, name: communeId, unitKind: isWard ? 'WARD' : 'COMMUNE', areaType: isWard ? 'URBAN' : 'RURAL', declaredOn: day('2009-01-01') } })
  events.push({ type: 'CommuneJoinedTown', data: { communeId, townId: nghiaLo, joinedOn: isWard ? day('2009-01-01') : day('2020-01-01') } })
}

interface Resident {
  readonly householdId: HouseholdId
  readonly communeId: CommuneId
}
const register = (count: number, communes: ReadonlyArray<CommuneId>, registeredOn: string, prefix: string): ReadonlyArray<Resident> =>
  Array.from({ length: count }, (_, index) => {
    const resident = { householdId: idOf(HouseholdId, `${prefix}-${index}`), communeId: communes[index % communes.length] as CommuneId }
    events.push({ type: 'HouseholdRegistered', data: { ...resident, areaType: wards.includes(resident.communeId) ? 'URBAN' : 'RURAL', members: 4 as never, registeredOn: day(registeredOn) } })
    return resident
  })

/** A periodic review's recognitions: they take effect on 1 January of the next year. */
const review = (residents: ReadonlyArray<Resident>, householdClass: ReviewClass, standardId: PovertyStandardId, reviewYear: number): void => {
  for (const resident of residents)
    events.push({
      type: 'HouseholdClassRecognised',
      data: {
        ...resident,
        areaType: wards.includes(resident.communeId) ? 'URBAN' : 'RURAL',
        standardId,
        reviewYear: reviewYear as never,
        reviewKind: 'PERIODIC',
        householdClass,
        previousClass: null,
        decisionNumber: idOf(DecisionNumber, `QD-${reviewYear}`),
        decisionDate: day(`${reviewYear}-12-15`),
        effectiveFrom: day(`${reviewYear + 1}-01-01`),
      },
    })
}

// F1: 7,162 households in the wards at the start of 2011; F2: 7,649 in 2015; 7,700 when the 2015 list took effect.
const firstWardHouseholds = register(7_162, wards, '2010-06-01', 'W')
register(487, wards, '2013-03-01', 'W13')
register(51, wards, '2015-06-01', 'W15')
const wardHouseholds = [...firstWardHouseholds]
// Households of the Văn Chấn communes exist before 2020, but count for the town only once their commune joins it.
const communeHouseholds = register(10_800, joiningCommunes, '2010-06-01', 'C')
register(142, joiningCommunes, '2021-05-01', 'C21')

// The 2010 review (under QD-09-2011, the standard of 2011): 1,176 poor (F1).
review(wardHouseholds.slice(0, 1_176), 'POOR', 'QD-09-2011', 2010)
// The 2014 review: 1,025 still poor (F2), 151 no longer.
review(wardHouseholds.slice(0, 1_025), 'POOR', 'QD-09-2011', 2014)
review(wardHouseholds.slice(1_025, 1_176), 'NONE', 'QD-09-2011', 2014)
// The 2015 review re-measured under QD-59-2015: 1,917 of 7,700 poor (F3, 24.9 %).
review(wardHouseholds.slice(0, 1_917), 'POOR', 'QD-59-2015', 2015)
// The 2020 review: 612 of 18,500 poor (F4, 3.31 %), the Văn Chấn communes now in the town.
review(wardHouseholds.slice(0, 612), 'POOR', 'QD-59-2015', 2020)
review(wardHouseholds.slice(612, 1_917), 'NONE', 'QD-59-2015', 2020)
// The 2021 review under ND-07-2021: 3,047 poor of 18,642 (F5).
review([...wardHouseholds.slice(0, 1_500), ...communeHouseholds.slice(0, 1_547)], 'POOR', 'ND-07-2021', 2021)
// F6: the town's 2022 target, 933 fewer poor households.
events.push({
  type: 'PovertyReductionTargetSet',
  data: { unitId: nghiaLo, year: Loan.positiveCount(2022), standardId: 'ND-07-2021', reductionHouseholds: Loan.positiveCount(933), decisionNumber: idOf(DecisionNumber, 'NQ-HDND-2021'), decisionDate: day('2021-12-20'), previousReductionHouseholds: null },
})

describe.each(readModelStores)('the Nghĩa Lộ figures, read from the $name read-model store', ({ open }) => {
  let queries: PovertyRateReadModel
  beforeAll(async () => {
    const eventStore = newEventStore()
    await appendByStream(eventStore, events)
    const store = await open()
    await buildReadModel(eventStore, store, 5_000)
    queries = povertyRateReadModel(store)
  }, 120_000)

  const year = async (value: number, standardId: PovertyStandardId) => rightOrThrow(await povertyYear(queries, { unit: town, year: value, standardId })())

  it('2011 under QD-09-2011: 1,176 poor of 7,162 households, 16.42 % (F1)', async () => {
    const { opening } = await year(2011, 'QD-09-2011')
    expect([opening?.poor, opening?.households, opening?.povertyRate?.percent, opening?.standardId, opening?.on]).toStrictEqual([1_176, 7_162, '16.42', 'QD-09-2011', '2011-01-01'])
  })
  it('2015 under two standards: 1,025 of 7,649 (13.40 %) under QD-09-2011, 24.9 % re-measured under QD-59-2015 (F2, F3)', async () => {
    const old = await year(2015, 'QD-09-2011')
    expect([old.opening?.poor, old.opening?.households, old.opening?.povertyRate?.percent, old.closing]).toStrictEqual([1_025, 7_649, '13.40', null])
    const remeasured = await year(2015, 'QD-59-2015')
    expect([remeasured.opening, remeasured.closing?.poor, remeasured.closing?.households, remeasured.closing?.povertyRate?.percent]).toStrictEqual([null, 1_917, 7_700, '24.90'])
    const series = rightOrThrow(await povertySeries(queries, { unit: town, fromYear: 2015, toYear: 2015 })())
    expect(series.map((row) => row.standardId)).toStrictEqual(['QD-09-2011', 'QD-59-2015'])
  })
  it('end of 2020 under QD-59-2015: 3.31 %, the joined communes counted (F4)', async () => {
    const { closing } = await year(2020, 'QD-59-2015')
    expect([closing?.poor, closing?.households, closing?.povertyRate?.percent, closing?.on]).toStrictEqual([612, 18_500, '3.31', '2021-01-01'])
  })
  it('2022 under ND-07-2021: 3,047 poor, the target −933 → 2,114 = 11.34 % of 18,642 (F5, F6)', async () => {
    const { opening, target } = await year(2022, 'ND-07-2021')
    expect([opening?.poor, opening?.households, opening?.povertyRate?.percent]).toStrictEqual([3_047, 18_642, '16.34'])
    expect(target).toStrictEqual({
      standardId: 'ND-07-2021',
      reductionHouseholds: 933,
      poorHouseholds: 2_114,
      povertyRate: { numerator: 2_114, denominator: 18_642, basisPoints: 1_134, percent: '11.34' },
      decisionNumber: 'NQ-HDND-2021',
      decisionDate: '2021-12-20',
    })
  })
  it('a commune counts for the town only from the day it joined', async () => {
    const before = rightOrThrow(await povertyAsOf(queries, { unit: town, on: day('2019-12-31') })())
    const after = rightOrThrow(await povertyAsOf(queries, { unit: town, on: day('2020-01-01') })())
    expect([before.households, before.communeIds.length, after.households, after.communeIds.length]).toStrictEqual([7_700, 4, 18_500, 7])
    const byCommune = rightOrThrow(await povertyAsOfByCommune(queries, { townId: nghiaLo, on: day('2020-06-30') })())
    expect(byCommune.communes.reduce((total, commune) => total + commune.households, 0)).toBe(byCommune.town.households)
    const years = rightOrThrow(await povertyYearByCommune(queries, { townId: nghiaLo, year: 2019, standardId: 'QD-59-2015' })())
    const joined = years.communes.filter((row) => joiningCommunes.includes((row.unit as { readonly communeId: CommuneId }).communeId))
    expect(joined.map((row) => [row.opening, row.closing?.households])).toStrictEqual([[null, 3_600], [null, 3_600], [null, 3_600]])
  })
  it('the year 2015 → 2016 change under QD-59-2015 is the rate fall and the exits; a year measured under one list only has none', async () => {
    const change = rightOrThrow(await povertyChange(queries, { unit: town, year: 2020, standardId: 'QD-59-2015' })())
    // 1,917 / 7,700 on 1 Jan 2020 (the communes' households joined that day too) → 612 / 18,500.
    expect([change.from.poor, change.from.households, change.to.poor, change.povertyRateReduction?.percentagePoints, change.poorHouseholdsChange]).toStrictEqual([1_917, 18_500, 612, '7.05', -1_305])
    expect(await povertyChange(queries, { unit: town, year: 2015, standardId: 'QD-59-2015' })()).toStrictEqual(
      expect.objectContaining({ left: { _tag: 'YearChangeNotMeasuredUnderStandard', year: 2015, standardId: 'QD-59-2015' } }),
    )
  })
  it('refuses a standard no list of the year is measured under, and a town it never heard of', async () => {
    expect(await povertyYear(queries, { unit: town, year: 2018, standardId: 'ND-07-2021' })()).toStrictEqual(
      expect.objectContaining({ left: { _tag: 'YearNotMeasuredUnderStandard', year: 2018, standardId: 'ND-07-2021', measuredUnder: ['QD-59-2015'] } }),
    )
    const elsewhere: ReportingUnit = { kind: 'TOWN', townId: idOf(TownId, 'VAN-CHAN') }
    expect(await povertyYear(queries, { unit: elsewhere, year: 2022, standardId: 'ND-07-2021' })()).toStrictEqual(expect.objectContaining({ left: { _tag: 'UnitNotInReadModel', unit: elsewhere } }))
  })
})
