/**
 * The town as the example models it: its wards and communes, when each belonged to it, how many
 * households each part of the town had at each review, and how many of them each review should find
 * poor, near-poor and average-living. The article's figures pin some of these counts (see
 * README.md, "The arithmetic"); the others are the example's own, chosen to make a plausible series.
 */
import { day, idOf, CommuneId, TownId, type LocalDate, type PovertyStandardId } from '@policy-credit/core'

export const NGHIA_LO: TownId = idOf(TownId, 'nghia-lo')

/** Before 2020 the town; from 1 Feb 2020 also seven communes of Văn Chấn district. */
export type TownPart = 'ORIGINAL' | 'VAN_CHAN'

export interface UnitSpec {
  readonly communeId: CommuneId
  readonly name: string
  readonly unitKind: 'WARD' | 'COMMUNE'
  readonly part: TownPart
  /** Share of its part's households, in thousandths; each part's shares sum to 1,000. */
  readonly householdShare: number
}

const unit = (slug: string, name: string, unitKind: UnitSpec['unitKind'], part: TownPart, householdShare: number): UnitSpec => ({
  communeId: idOf(CommuneId, slug),
  name,
  unitKind,
  part,
  householdShare,
})

/**
 * The four wards and three communes of the town before 2020, and the seven Văn Chấn communes merged in
 * by Resolution 871/NQ-UBTVQH14, in force 1 Feb 2020 [GK: names and date from general knowledge].
 */
export const units: ReadonlyArray<UnitSpec> = [
  unit('pu-trang', 'Phường Pú Trạng', 'WARD', 'ORIGINAL', 170),
  unit('trung-tam', 'Phường Trung Tâm', 'WARD', 'ORIGINAL', 210),
  unit('tan-an', 'Phường Tân An', 'WARD', 'ORIGINAL', 160),
  unit('cau-thia', 'Phường Cầu Thia', 'WARD', 'ORIGINAL', 150),
  unit('nghia-an', 'Xã Nghĩa An', 'COMMUNE', 'ORIGINAL', 110),
  unit('nghia-loi', 'Xã Nghĩa Lợi', 'COMMUNE', 'ORIGINAL', 100),
  unit('nghia-phuc', 'Xã Nghĩa Phúc', 'COMMUNE', 'ORIGINAL', 100),
  unit('xa-nghia-lo', 'Xã Nghĩa Lộ', 'COMMUNE', 'VAN_CHAN', 150),
  unit('phu-nham', 'Xã Phù Nham', 'COMMUNE', 'VAN_CHAN', 160),
  unit('son-a', 'Xã Sơn A', 'COMMUNE', 'VAN_CHAN', 150),
  unit('thanh-luong', 'Xã Thanh Lương', 'COMMUNE', 'VAN_CHAN', 130),
  unit('thach-luong', 'Xã Thạch Lương', 'COMMUNE', 'VAN_CHAN', 140),
  unit('hanh-son', 'Xã Hạnh Sơn', 'COMMUNE', 'VAN_CHAN', 130),
  unit('phuc-son', 'Xã Phúc Sơn', 'COMMUNE', 'VAN_CHAN', 140),
]

export interface PartHistory {
  /** The day its units are declared (where the example's records of them start). */
  readonly declaredOn: LocalDate
  /** The day its units join Nghĩa Lộ. */
  readonly joinsTownOn: LocalDate
}

export const partHistory: Readonly<Record<TownPart, PartHistory>> = {
  ORIGINAL: { declaredOn: day('2010-01-01'), joinsTownOn: day('2010-01-01') },
  VAN_CHAN: { declaredOn: day('2019-01-01'), joinsTownOn: day('2020-02-01') },
}

/** What one periodic review should find in one part of the town. */
export interface PartReview {
  readonly households: number
  readonly poor: number
  readonly nearPoor: number
  /** Always 0 under QD-09-2011, which has no average-living band. */
  readonly averageLiving: number
}

export interface ReviewPlan {
  /** The year the periodic review is held; its list applies from 1 January of the next year. */
  readonly reviewYear: number
  /** The standard applied to the next year, which the core requires the review to measure by. */
  readonly standardId: PovertyStandardId
  readonly parts: Partial<Readonly<Record<TownPart, PartReview>>>
}

const review = (households: number, poor: number, nearPoor: number, averageLiving = 0): PartReview => ({ households, poor, nearPoor, averageLiving })

/**
 * Every periodic review of the example. Pinned by the article: 2010 (F1), 2014 (F2), 2015 (F3),
 * 2020 (F4, town = both parts), 2021 (F5, F6). The Văn Chấn communes' 2019 review is held while they
 * still belong to Văn Chấn district, so it must not count for the town.
 */
export const reviewPlans: ReadonlyArray<ReviewPlan> = [
  { reviewYear: 2010, standardId: 'QD-09-2011', parts: { ORIGINAL: review(7_162, 1_176, 705) } },
  { reviewYear: 2011, standardId: 'QD-09-2011', parts: { ORIGINAL: review(7_280, 1_150, 690) } },
  { reviewYear: 2012, standardId: 'QD-09-2011', parts: { ORIGINAL: review(7_400, 1_110, 668) } },
  { reviewYear: 2013, standardId: 'QD-09-2011', parts: { ORIGINAL: review(7_525, 1_070, 640) } },
  { reviewYear: 2014, standardId: 'QD-09-2011', parts: { ORIGINAL: review(7_649, 1_025, 612) } },
  { reviewYear: 2015, standardId: 'QD-59-2015', parts: { ORIGINAL: review(7_770, 1_935, 960, 1_150) } },
  { reviewYear: 2016, standardId: 'QD-59-2015', parts: { ORIGINAL: review(7_890, 1_610, 905, 1_180) } },
  { reviewYear: 2017, standardId: 'QD-59-2015', parts: { ORIGINAL: review(8_010, 1_290, 820, 1_200) } },
  { reviewYear: 2018, standardId: 'QD-59-2015', parts: { ORIGINAL: review(8_130, 960, 700, 1_220) } },
  {
    reviewYear: 2019,
    standardId: 'QD-59-2015',
    parts: { ORIGINAL: review(8_250, 640, 590, 1_240), VAN_CHAN: review(9_900, 480, 610, 1_500) },
  },
  {
    reviewYear: 2020,
    standardId: 'QD-59-2015',
    parts: { ORIGINAL: review(8_370, 290, 480, 1_250), VAN_CHAN: review(10_030, 319, 520, 1_520) },
  },
  {
    reviewYear: 2021,
    standardId: 'ND-07-2021',
    parts: { ORIGINAL: review(8_490, 1_247, 610, 1_300), VAN_CHAN: review(10_152, 1_800, 930, 1_650) },
  },
]

/** The units of a part with their household counts for a review: shares by largest remainder, so they sum exactly. */
export const householdsPerUnit = (part: TownPart, households: number): ReadonlyArray<{ readonly unit: UnitSpec; readonly households: number }> => {
  const members = units.filter((candidate) => candidate.part === part)
  const exact = members.map((member) => (member.householdShare * households) / 1_000)
  const floors = exact.map(Math.floor)
  const left = households - floors.reduce((total, value) => total + value, 0)
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index)
  const extra = new Set(byRemainder.slice(0, left).map(({ index }) => index))
  return members.map((member, index) => ({ unit: member, households: (floors[index] ?? 0) + (extra.has(index) ? 1 : 0) }))
}
