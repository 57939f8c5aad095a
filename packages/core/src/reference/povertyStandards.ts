/**
 * The national poverty standards (chuẩn nghèo) and the pure classification of a household assessment
 * under one of them (domain.md §1.1–1.2). Each standard carries its income lines by area, its
 * deprivation indicators, its classification rule, the years it is applied to, its legal source and
 * the evidence markers of every figure. A province may declare higher lines of its own for a period:
 * those come from the deployment as data (`withProvincialLines`), never from code here.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as t from 'io-ts'
import { match } from 'ts-pattern'
import { LocalDate, day } from '../values/dates.ts'
import { Vnd, vnd } from '../values/money.ts'
import { AreaType, PovertyStandardId, type ReviewClass } from './types.ts'
import { overlappingVersions, periodsOverlap, versionInForceOn } from './datedVersions.ts'

/**
 * Every deprivation indicator (chỉ số thiếu hụt) named by a national standard. A standard lists the
 * ones it uses; an assessment may only name those.
 */
export const DeprivationIndicator = t.keyof(
  {
    EMPLOYMENT: null,
    DEPENDANTS: null,
    NUTRITION: null,
    ACCESS_TO_HEALTH_SERVICES: null,
    HEALTH_INSURANCE: null,
    ADULT_EDUCATION: null,
    CHILD_SCHOOL_ATTENDANCE: null,
    HOUSING_QUALITY: null,
    HOUSING_AREA_PER_CAPITA: null,
    WATER_SOURCE: null,
    HYGIENIC_LATRINE: null,
    TELECOM_USE: null,
    INFORMATION_ACCESS: null,
  },
  'DeprivationIndicator',
)
export type DeprivationIndicator = t.TypeOf<typeof DeprivationIndicator>

/**
 * Monthly income per person (VND). `poverty` is the poverty line; `nearPoverty` the top of the
 * near-poor band; `averageLiving` the top of the average-living band, where the standard defines one.
 * Under ND-07-2021 near-poverty is decided by deprivations below the same line, so both lines are equal.
 */
export const IncomeLines = t.readonly(
  t.intersection([t.type({ poverty: Vnd, nearPoverty: Vnd }), t.partial({ averageLiving: Vnd })]),
  'IncomeLines',
)
export type IncomeLines = t.TypeOf<typeof IncomeLines>

export const IncomeLinesByArea = t.readonly(t.type({ RURAL: IncomeLines, URBAN: IncomeLines }), 'IncomeLinesByArea')
export type IncomeLinesByArea = t.TypeOf<typeof IncomeLinesByArea>

/** The three shapes of rule the national standards have used (domain.md §1.2). */
export type ClassificationRule =
  /** QD-09-2011: poor at or below the line, near-poor up to 130 % of it. */
  | { readonly _tag: 'IncomeOnly' }
  /** QD-59-2015: poor at or below the poverty line, or between the lines with enough deprivations. */
  | { readonly _tag: 'IncomeOrDeprivationBetweenLines'; readonly deprivationThreshold: number }
  /** ND-07-2021: at or below the line, poor with enough deprivations AND low income, near-poor otherwise. */
  | { readonly _tag: 'IncomeAndDeprivation'; readonly deprivationThreshold: number }

/**
 * Lines a province declared above the national ones for a period (Hanoi 2011–2015, Binh Duong
 * 2016–2021 [V:S4b]). A deployment decodes these from its own configuration.
 */
export const ProvincialIncomeLines = t.readonly(
  t.intersection([
    t.type({ standardId: PovertyStandardId, declaredBy: t.string, validFrom: LocalDate, lines: IncomeLinesByArea, evidence: t.string }),
    t.partial({ validTo: LocalDate }),
  ]),
  'ProvincialIncomeLines',
)
export type ProvincialIncomeLines = t.TypeOf<typeof ProvincialIncomeLines>

export interface PovertyStandard {
  readonly id: PovertyStandardId
  readonly legalSource: string
  /** The day the instrument itself took effect; it may precede the years it is applied to. */
  readonly instrumentInForceFrom: LocalDate
  /** The years whose households are measured by it: [validFrom, validTo). */
  readonly validFrom: LocalDate
  readonly validTo?: LocalDate
  readonly lines: IncomeLinesByArea
  readonly indicators: ReadonlyArray<DeprivationIndicator>
  readonly rule: ClassificationRule
  readonly provincialLines: ReadonlyArray<ProvincialIncomeLines>
  readonly evidence: string
}

/** What `classify` needs from a review of one household. */
export interface Assessment {
  readonly areaType: AreaType
  readonly assessedOn: LocalDate
  readonly incomePerPersonPerMonth: Vnd
  readonly deprivedIndicators: ReadonlyArray<DeprivationIndicator>
}

const QD_09_2011: PovertyStandard = {
  id: 'QD-09-2011',
  legalSource: 'Decision 09/2011/QĐ-TTg',
  instrumentInForceFrom: day('2011-01-01'),
  validFrom: day('2011-01-01'),
  validTo: day('2016-01-01'),
  lines: {
    RURAL: { poverty: vnd(400_000n), nearPoverty: vnd(520_000n) },
    URBAN: { poverty: vnd(500_000n), nearPoverty: vnd(650_000n) },
  },
  indicators: [],
  rule: { _tag: 'IncomeOnly' },
  provincialLines: [],
  evidence:
    'poverty lines and effective date [V:S5]; near-poor band tops 520,000 / 650,000 [GK], equal to 130 % of the line [V:S6][D]; applied 2011–2015 [V:S5]',
}

const QD_59_2015: PovertyStandard = {
  id: 'QD-59-2015',
  legalSource: 'Decision 59/2015/QĐ-TTg',
  instrumentInForceFrom: day('2016-01-05'),
  validFrom: day('2016-01-01'),
  validTo: day('2022-01-01'),
  lines: {
    RURAL: { poverty: vnd(700_000n), nearPoverty: vnd(1_000_000n), averageLiving: vnd(1_500_000n) },
    URBAN: { poverty: vnd(900_000n), nearPoverty: vnd(1_300_000n), averageLiving: vnd(1_950_000n) },
  },
  indicators: [
    'ACCESS_TO_HEALTH_SERVICES', 'HEALTH_INSURANCE', // health
    'ADULT_EDUCATION', 'CHILD_SCHOOL_ATTENDANCE', // education
    'HOUSING_QUALITY', 'HOUSING_AREA_PER_CAPITA', // housing
    'WATER_SOURCE', 'HYGIENIC_LATRINE', // water and sanitation
    'TELECOM_USE', 'INFORMATION_ACCESS', // information
  ],
  rule: { _tag: 'IncomeOrDeprivationBetweenLines', deprivationThreshold: 3 },
  provincialLines: [],
  evidence:
    'lines and 10 indicators in 5 services [V:S3]; effective 5 Jan 2016 [V:S3b]; rule and average-living band [V:S4]; applied 2016–2020, extended to 2021 [V:S1]. The "lacking basic social services" class of Decision 1614/QĐ-TTg (income above the near-poverty line, ≥ 3 deprivations [V:S4c]) is not a review class here',
}

const ND_07_2021: PovertyStandard = {
  id: 'ND-07-2021',
  legalSource: 'Decree 07/2021/NĐ-CP',
  instrumentInForceFrom: day('2021-03-15'),
  validFrom: day('2022-01-01'),
  lines: {
    RURAL: { poverty: vnd(1_500_000n), nearPoverty: vnd(1_500_000n), averageLiving: vnd(2_250_000n) },
    URBAN: { poverty: vnd(2_000_000n), nearPoverty: vnd(2_000_000n), averageLiving: vnd(3_000_000n) },
  },
  indicators: [
    'EMPLOYMENT', 'DEPENDANTS', // employment
    'NUTRITION', 'HEALTH_INSURANCE', // health
    'ADULT_EDUCATION', 'CHILD_SCHOOL_ATTENDANCE', // education
    'HOUSING_QUALITY', 'HOUSING_AREA_PER_CAPITA', // housing
    'WATER_SOURCE', 'HYGIENIC_LATRINE', // water and sanitation
    'TELECOM_USE', 'INFORMATION_ACCESS', // information
  ],
  // Cumulative ("and"), not "or" as some English press reports have it [V:S2]; domain.md §10 question 1.
  rule: { _tag: 'IncomeAndDeprivation', deprivationThreshold: 3 },
  provincialLines: [],
  evidence:
    'income lines [V:S1]; 12 indicators [V:S2], grouped in 6 dimensions [GK]; effective 15 Mar 2021 [V:S2]; applied from 2022, 2021 still used QD-59-2015 [V:S1]; the ≥ 3 split and the 2.25 M / 3 M average-living bands [GK]. The decree names 2022–2025; no successor is issued (the 2026–2030 draft [V:S38] is not law), so it stays open until a deployment adds one',
}

export interface PovertyStandardCatalogue {
  readonly standards: ReadonlyArray<PovertyStandard>
}

/** The national standards as the library ships them. */
export const nationalPovertyStandards: PovertyStandardCatalogue = { standards: [QD_09_2011, QD_59_2015, ND_07_2021] }

export const standardById = (id: PovertyStandardId, catalogue: PovertyStandardCatalogue = nationalPovertyStandards): O.Option<PovertyStandard> =>
  O.fromNullable(catalogue.standards.find((standard) => standard.id === id))

/** The standard whose years of application include `date`. */
export const standardInForceOn = (date: LocalDate, catalogue: PovertyStandardCatalogue = nationalPovertyStandards): O.Option<PovertyStandard> =>
  versionInForceOn(catalogue.standards, date)

export type ProvincialLinesRejection =
  | { readonly _tag: 'UnknownPovertyStandard'; readonly standardId: PovertyStandardId }
  | { readonly _tag: 'ProvincialLineBelowNational'; readonly standardId: PovertyStandardId; readonly areaType: AreaType; readonly line: keyof IncomeLines }
  | { readonly _tag: 'ProvincialLinesOverlap'; readonly standardId: PovertyStandardId; readonly declaredBy: ReadonlyArray<string> }

const LINE_NAMES = ['poverty', 'nearPoverty', 'averageLiving'] as const
const AREA_TYPES = ['RURAL', 'URBAN'] as const

const firstLineBelowNational = (provincial: IncomeLinesByArea, national: IncomeLinesByArea) =>
  AREA_TYPES.flatMap((areaType) =>
    LINE_NAMES.filter((line) => {
      const nationalLine = national[areaType][line]
      const provincialLine = provincial[areaType][line]
      return nationalLine !== undefined && (provincialLine === undefined || provincialLine < nationalLine)
    }).map((line) => ({ areaType, line })),
  )[0]

/**
 * Adds a province's own lines for a period to a standard. They must not fall below the national lines
 * (a province may only raise them) and must not overlap another declaration for the same standard.
 */
export const withProvincialLines = (
  catalogue: PovertyStandardCatalogue,
  provincial: ProvincialIncomeLines,
): E.Either<ProvincialLinesRejection, PovertyStandardCatalogue> => {
  const standard = catalogue.standards.find((candidate) => candidate.id === provincial.standardId)
  if (standard === undefined) return E.left({ _tag: 'UnknownPovertyStandard', standardId: provincial.standardId })
  const below = firstLineBelowNational(provincial.lines, standard.lines)
  if (below !== undefined) return E.left({ _tag: 'ProvincialLineBelowNational', standardId: standard.id, ...below })
  const overlapping = standard.provincialLines.filter((existing) => periodsOverlap(existing, provincial))
  if (overlapping.length > 0)
    return E.left({ _tag: 'ProvincialLinesOverlap', standardId: standard.id, declaredBy: [...overlapping.map((existing) => existing.declaredBy), provincial.declaredBy] })
  const extended: PovertyStandard = { ...standard, provincialLines: [...standard.provincialLines, provincial] }
  return E.right({ standards: catalogue.standards.map((candidate) => (candidate.id === standard.id ? extended : candidate)) })
}

/** The lines that apply to an area on a day, and who set them (the standard, or a province's decision). */
export const incomeLinesOn = (standard: PovertyStandard, areaType: AreaType, date: LocalDate): { readonly lines: IncomeLines; readonly source: string } =>
  O.match(
    () => ({ lines: standard.lines[areaType], source: standard.legalSource }),
    (provincial: ProvincialIncomeLines) => ({ lines: provincial.lines[areaType], source: provincial.declaredBy }),
  )(versionInForceOn(standard.provincialLines, date))

/** Indicators named more than once count once; indicators the standard does not use do not count. */
export const deprivationCount = (standard: PovertyStandard, deprived: ReadonlyArray<DeprivationIndicator>): number =>
  standard.indicators.filter((indicator) => deprived.includes(indicator)).length

const aboveNearPoverty = (income: Vnd, lines: IncomeLines): ReviewClass =>
  lines.averageLiving !== undefined && income <= lines.averageLiving ? 'AVERAGE_LIVING' : 'NONE'

/**
 * The class a standard gives an assessed household. Every line is inclusive: an income exactly on a
 * line belongs to the class below it ("I ≤ line").
 */
export const classify = (assessment: Assessment, standard: PovertyStandard): ReviewClass => {
  const { lines } = incomeLinesOn(standard, assessment.areaType, assessment.assessedOn)
  const income = assessment.incomePerPersonPerMonth
  const deprivations = deprivationCount(standard, assessment.deprivedIndicators)
  return match(standard.rule)
    .returnType<ReviewClass>()
    .with({ _tag: 'IncomeOnly' }, () => (income <= lines.poverty ? 'POOR' : income <= lines.nearPoverty ? 'NEAR_POOR' : aboveNearPoverty(income, lines)))
    .with({ _tag: 'IncomeOrDeprivationBetweenLines' }, ({ deprivationThreshold }) =>
      income <= lines.poverty
        ? 'POOR'
        : income <= lines.nearPoverty
          ? deprivations >= deprivationThreshold ? 'POOR' : 'NEAR_POOR'
          : aboveNearPoverty(income, lines),
    )
    .with({ _tag: 'IncomeAndDeprivation' }, ({ deprivationThreshold }) =>
      income <= lines.poverty ? (deprivations >= deprivationThreshold ? 'POOR' : 'NEAR_POOR') : aboveNearPoverty(income, lines),
    )
    .exhaustive()
}

/** Indicators an assessment names that the standard does not use: a review must name only its own. */
export const indicatorsOutsideStandard = (
  standard: PovertyStandard,
  deprived: ReadonlyArray<DeprivationIndicator>,
): ReadonlyArray<DeprivationIndicator> => deprived.filter((indicator) => !standard.indicators.includes(indicator))

/** Standards whose years of application overlap: the national catalogue has none, and a deployment's must not. */
export const overlappingStandards = (catalogue: PovertyStandardCatalogue) =>
  overlappingVersions(catalogue.standards).map(([first, second]) => [first.id, second.id] as const)
