/**
 * The article's figures F1–F12 as data: what a report over the example's history must show, and the
 * query that shows it (which unit, review year and standard; which programme, capital source, date
 * or period). A figures test, the CLI's own test or a reader's check can walk this list instead of
 * restating the numbers. The README explains the arithmetic that fixed the counts behind each rate.
 */
import type { PovertyStandardId, ProgrammeId } from '@policy-credit/core'
import { JOB_CREATION_PLAN, PLAN_YEAR, POVERTY_REDUCTION_TARGET } from './plan.ts'
import { NGHIA_LO } from './town.ts'

export type FigureId = 'F1' | 'F2' | 'F3' | 'F4' | 'F5' | 'F6' | 'F7' | 'F8' | 'F9' | 'F10' | 'F11' | 'F12'

/** A rate as the article prints it: a percentage rounded to `decimals` places. */
export interface PrintedRate {
  readonly percent: number
  readonly decimals: number
}

/** Rounds a ratio to a printed percentage, half away from zero, without floating-point surprises on exact halves. */
export const printedPercent = (numerator: number, denominator: number, decimals: number): number => {
  const scale = 10 ** decimals
  // Integer arithmetic: numerator × 100 × scale / denominator, rounded half up.
  const scaled = Math.floor((2 * numerator * 100 * scale + denominator) / (2 * denominator))
  return scaled / scale
}

interface FigureBase {
  readonly id: FigureId
  /** The figure as the article words it. */
  readonly article: string
}

/** Poor households of the town at one periodic review under one standard. */
export interface PovertyFigure extends FigureBase {
  readonly kind: 'poverty'
  readonly townId: string
  /** The year the review was held (its list applies from 1 January of the next year). */
  readonly reviewYear: number
  readonly standardId: PovertyStandardId
  /** The example's counts behind the figure; only those the article prints are asserted against it. */
  readonly households: number
  readonly poor: number
  readonly printed: { readonly poor?: number; readonly rate?: PrintedRate }
}

/** The plan's target: poor households after the reduction, and the rate that leaves on the year's households. */
export interface PovertyTargetFigure extends FigureBase {
  readonly kind: 'povertyTarget'
  readonly townId: string
  readonly planYear: number
  readonly standardId: PovertyStandardId
  /** The review whose list the plan year starts from. */
  readonly baselineReviewYear: number
  readonly reductionHouseholds: number
  readonly targetPoor: number
  readonly households: number
  readonly printed: { readonly targetPoor: number; readonly rate: PrintedRate }
}

export interface EntrustedCapitalFigure extends FigureBase {
  readonly kind: 'entrustedCapital'
  readonly capitalSourceId: string
  /** Entrusted in these years, inclusive. */
  readonly fromYear: number
  readonly toYear: number
  readonly amount: bigint
}

/** Jobs created by job-creation loans disbursed in a period, optionally from one capital source. */
export interface JobsFigure extends FigureBase {
  readonly kind: 'jobs'
  readonly from: string
  readonly to: string
  readonly capitalSourceKind?: 'CENTRAL' | 'LOCAL_BUDGET'
  readonly workers: number
  /** Against the year's job-creation plan, where the article compares them. */
  readonly plan?: { readonly workers: number; readonly share: PrintedRate }
}

/** A programme's outstanding principal and borrowers with a balance on a day. */
export interface OutstandingFigure extends FigureBase {
  readonly kind: 'outstanding'
  readonly programme: ProgrammeId
  readonly asOf: string
  readonly borrowers: number
  readonly outstanding: bigint
}

export type Figure = PovertyFigure | PovertyTargetFigure | EntrustedCapitalFigure | JobsFigure | OutstandingFigure

const town = NGHIA_LO

export const figures: ReadonlyArray<Figure> = [
  {
    id: 'F1',
    kind: 'poverty',
    article: '1,176 poor households (16.42 %) at the start of 2011, 2011–2015 standard',
    townId: town,
    reviewYear: 2010,
    standardId: 'QD-09-2011',
    households: 7_162,
    poor: 1_176,
    printed: { poor: 1_176, rate: { percent: 16.42, decimals: 2 } },
  },
  {
    id: 'F2',
    kind: 'poverty',
    article: '1,025 poor households (13.40 %) in 2015, 2011–2015 standard',
    townId: town,
    reviewYear: 2014,
    standardId: 'QD-09-2011',
    households: 7_649,
    poor: 1_025,
    printed: { poor: 1_025, rate: { percent: 13.4, decimals: 2 } },
  },
  {
    id: 'F3',
    kind: 'poverty',
    article: 'poverty rate 24.9 % in 2015, 2016–2020 standard',
    townId: town,
    reviewYear: 2015,
    standardId: 'QD-59-2015',
    households: 7_770,
    poor: 1_935,
    printed: { rate: { percent: 24.9, decimals: 1 } },
  },
  {
    id: 'F4',
    kind: 'poverty',
    article: 'poverty rate 3.31 % at the end of 2020, 2016–2020 standard',
    townId: town,
    reviewYear: 2020,
    standardId: 'QD-59-2015',
    households: 18_400,
    poor: 609,
    printed: { rate: { percent: 3.31, decimals: 2 } },
  },
  {
    id: 'F5',
    kind: 'poverty',
    article: '3,047 poor households under the new (2022–2025) standard',
    townId: town,
    reviewYear: 2021,
    standardId: 'ND-07-2021',
    households: 18_642,
    poor: 3_047,
    printed: { poor: 3_047 },
  },
  {
    id: 'F6',
    kind: 'povertyTarget',
    article: 'the 2022 target: 933 fewer poor households, a poverty rate of 11.34 %',
    townId: town,
    planYear: PLAN_YEAR,
    standardId: 'ND-07-2021',
    baselineReviewYear: 2021,
    reductionHouseholds: POVERTY_REDUCTION_TARGET,
    targetPoor: 3_047 - POVERTY_REDUCTION_TARGET,
    households: 18_642,
    printed: { targetPoor: 2_114, rate: { percent: 11.34, decimals: 2 } },
  },
  {
    id: 'F7',
    kind: 'entrustedCapital',
    article: '600 million VND of town budget entrusted to the bank in 2022',
    capitalSourceId: `local-budget:${town}`,
    fromYear: 2022,
    toYear: 2022,
    amount: 600_000_000n,
  },
  {
    id: 'F8',
    kind: 'entrustedCapital',
    article: '2.036 billion VND entrusted from the town budget in all',
    capitalSourceId: `local-budget:${town}`,
    fromYear: 2018,
    toYear: 2022,
    amount: 2_036_000_000n,
  },
  {
    id: 'F9',
    kind: 'jobs',
    article: 'loans from the town budget capital created jobs for 137 workers',
    from: '2022-01-01',
    to: '2022-06-30',
    capitalSourceKind: 'LOCAL_BUDGET',
    workers: 137,
  },
  {
    id: 'F10',
    kind: 'outstanding',
    article: 'by 30/06/2022, 100 pupils and students had borrowed for computers, 1 billion VND in all',
    programme: 'ONLINE_LEARNING_COMPUTER',
    asOf: '2022-06-30',
    borrowers: 100,
    outstanding: 1_000_000_000n,
  },
  {
    id: 'F11',
    kind: 'outstanding',
    article: 'by 30/06/2022, 13 households had borrowed social-housing loans, 3.535 billion VND in all',
    programme: 'SOCIAL_HOUSING',
    asOf: '2022-06-30',
    borrowers: 13,
    outstanding: 3_535_000_000n,
  },
  {
    id: 'F12',
    kind: 'jobs',
    article: '416 workers borrowed job-creation loans in the first six months of 2022, 20.8 % of the 2,000-job plan',
    from: '2022-01-01',
    to: '2022-06-30',
    workers: 416,
    plan: { workers: JOB_CREATION_PLAN, share: { percent: 20.8, decimals: 1 } },
  },
]

export const figureById = (id: FigureId): Figure => {
  const found = figures.find((candidate) => candidate.id === id)
  if (found === undefined) throw new Error(`no figure ${id}`)
  return found
}
