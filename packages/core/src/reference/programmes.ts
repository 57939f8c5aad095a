/**
 * The national credit programmes (chương trình tín dụng chính sách, domain.md §3) as dated versions of
 * their terms. A rate cut or a cap raise is a new version from the day it took effect. The first
 * version of each programme starts where the domain reference first knows its terms; what came before
 * is not recorded, and `termsOn` says so rather than guessing. A catalogue is a value: a deployment
 * adds its own versions with `withProgrammeVersions`.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import { day, type LocalDate } from '../values/dates.ts'
import { rateMultiple, ratePpm, vnd } from '../values/money.ts'
import { earliestValidFrom, overlappingVersions, versionInForceOn } from './datedVersions.ts'
import { HouseholdClass, type ProgrammeId, type ProgrammeTerms } from './types.ts'

// Overdue interest is 130 % of the loan rate [V:S10, S12, S21].
const OVERDUE_RATE_SHARE = rateMultiple(13_000)

const EVERY_CLASS: ReadonlyArray<HouseholdClass> = Object.keys(HouseholdClass.keys) as ReadonlyArray<HouseholdClass>

type VersionFacts = Omit<ProgrammeTerms, 'versionId' | 'overdueRateShare'>

/** The version id is what a loan decision records: `<programme>@<validFrom>`. */
const version = (facts: VersionFacts): ProgrammeTerms => ({
  ...facts,
  versionId: `${facts.programme}@${facts.validFrom}`,
  overdueRateShare: OVERDUE_RATE_SHARE,
})

/** Each version after the first repeats the one before except where `changes` says, and closes it. */
const versionsOf = (first: VersionFacts, ...changes: ReadonlyArray<Partial<VersionFacts> & { readonly validFrom: LocalDate; readonly evidence: string }>) =>
  changes
    .reduce<ReadonlyArray<VersionFacts>>((versions, change) => {
      const previous = versions[versions.length - 1] ?? first
      const { validTo: _open, ...carried } = previous
      const evidence = `${change.evidence}; otherwise as the version before: ${previous.evidence}`
      return [...versions.slice(0, -1), { ...previous, validTo: change.validFrom }, { ...carried, ...change, evidence }]
    }, [first])
    .map(version)

const KNOWN_FROM_2022 = 'values as of 2022; the start of this version and the earlier history are not recorded, so earlier days have no terms'
const RATE_CUT_2025 = 'rate cut of 1 Dec 2025, which applies to outstanding balances too [V:S22]'

const poorHousehold = versionsOf(
  {
    programme: 'POOR_HOUSEHOLD',
    validFrom: day('2022-01-01'),
    legalBasis: 'Decree 78/2002/NĐ-CP; VBSP guidance 316/NHCS-KH',
    eligibleClasses: ['POOR'],
    cap: vnd(100_000_000n),
    capBasis: 'PER_LOAN',
    yearlyRate: ratePpm(66_000),
    maxTermMonths: 120,
    collateralRequired: false,
    evidence: `cap 100 m per household, no collateral [V:S10]; 6.6 % [V:S11]; longest term 120 months [GK]; 3.3 % in Resolution 30a poor districts [V:S11] is not a version here; ${KNOWN_FROM_2022}`,
  },
  { validFrom: day('2025-12-01'), yearlyRate: ratePpm(62_400), evidence: `6.24 %: ${RATE_CUT_2025}` },
)

const nearPoorHousehold = versionsOf(
  {
    programme: 'NEAR_POOR_HOUSEHOLD',
    validFrom: day('2022-01-01'),
    legalBasis: 'Decision 15/2013/QĐ-TTg',
    eligibleClasses: ['NEAR_POOR'],
    cap: vnd(100_000_000n),
    capBasis: 'PER_LOAN',
    yearlyRate: ratePpm(79_200),
    maxTermMonths: 120,
    collateralRequired: false,
    evidence: `7.92 % = 120 % of the poor-household rate [V:S11] (the decision allows up to 130 % [V:S40]); cap equal to the poor cap [GK]; term agreed per cycle [V:S40], 120 months assumed as for poor households [GK] (domain.md §10 question 6); no collateral [GK]; ${KNOWN_FROM_2022}`,
  },
  { validFrom: day('2025-12-01'), yearlyRate: ratePpm(74_880), evidence: `7.488 %: ${RATE_CUT_2025}` },
)

const newlyEscapedPoverty = versionsOf(
  {
    programme: 'NEWLY_ESCAPED_POVERTY',
    validFrom: day('2022-01-01'),
    legalBasis: 'Decision 28/2015/QĐ-TTg, amended by Decision 02/2021/QĐ-TTg',
    eligibleClasses: ['ESCAPED_POVERTY', 'ESCAPED_NEAR_POVERTY'],
    cap: vnd(100_000_000n),
    capBasis: 'PER_LOAN',
    yearlyRate: ratePpm(82_500),
    maxTermMonths: 60,
    collateralRequired: false,
    evidence: `cap 100 m, up to 5 years, 8.25 % = 125 % of the poor rate, for 3 years after leaving the list [V:S12]; no collateral [GK]; ${KNOWN_FROM_2022}`,
  },
  { validFrom: day('2025-12-01'), yearlyRate: ratePpm(78_000), evidence: `7.8 %: ${RATE_CUT_2025}` },
)

const jobCreation = versionsOf(
  {
    programme: 'JOB_CREATION',
    validFrom: day('2019-11-08'),
    legalBasis: 'Decree 61/2015/NĐ-CP, amended by Decree 74/2019/NĐ-CP and Decree 104/2022/NĐ-CP',
    eligibleClasses: EVERY_CLASS,
    cap: vnd(100_000_000n),
    capBasis: 'PER_WORKER',
    yearlyRate: ratePpm(79_200),
    maxTermMonths: 120,
    collateralRequired: false,
    evidence:
      'Decree 74/2019 in force 8 Nov 2019: 100 m per worker, up to 120 months [V:S16]; 7.92 % = the near-poor rate [V:S16, S22], known as of 2022 and assumed since 8 Nov 2019 [GK]; eligibility is by worker, not household class; worker loans need no collateral [GK]; establishment loans (2 bn per project, ≤ 100 m per job, collateral from 100 m [V:S16]), lower priority-group rates [GK] and the 2 %/yr Resolution 11 interest support of 2022–2023 [V:S17] are not versions here. Earlier history not recorded',
  },
  { validFrom: day('2025-12-01'), yearlyRate: ratePpm(74_880), evidence: `7.488 %, equal to the near-poor rate [D]: ${RATE_CUT_2025}` },
)

const student = versionsOf(
  {
    programme: 'STUDENT',
    validFrom: day('2019-12-01'),
    legalBasis: 'Decision 157/2007/QĐ-TTg, as amended',
    eligibleClasses: ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING'],
    cap: vnd(2_500_000n),
    capBasis: 'PER_MONTH_OF_STUDY',
    yearlyRate: ratePpm(66_000),
    maxTermMonths: 240,
    collateralRequired: false,
    evidence:
      '2.5 m per month of study from 1 Dec 2019 [V:S13]; the household borrows for the student [V:S13, S14]; orphans are eligible but are not a household class; 6.6 % [V:S11] known as of 2022, assumed since 1 Dec 2019 [GK]; the term is the study period plus repayment [GK]: 240 months is an outer bound assumed here, not a legal figure; no collateral [GK]. Earlier history not recorded',
  },
  { validFrom: day('2022-05-19'), legalBasis: 'Decision 157/2007/QĐ-TTg, amended by Decision 05/2022/QĐ-TTg', cap: vnd(4_000_000n), evidence: '4 m per month of study from 19 May 2022; contracts signed earlier keep their cap [V:S13]' },
  { validFrom: day('2025-12-01'), yearlyRate: ratePpm(62_400), evidence: `6.24 %: ${RATE_CUT_2025}` },
)

const onlineLearningComputer = versionsOf({
  programme: 'ONLINE_LEARNING_COMPUTER',
  validFrom: day('2022-04-04'),
  validTo: day('2024-01-01'),
  legalBasis: 'Decision 09/2022/QĐ-TTg under Resolution 11/NQ-CP',
  eligibleClasses: ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING'],
  cap: vnd(10_000_000n),
  capBasis: 'PER_LOAN',
  yearlyRate: ratePpm(12_000),
  maxTermMonths: 36,
  collateralRequired: false,
  evidence:
    '10 m per pupil at 1.2 % for poor, near-poor and average-living households [V:S15]; COVID-orphan households are eligible but are not a household class; in force from signature on 4 Apr 2022 [GK]; Resolution 11 lending until 31 Dec 2023 [V:S18]; up to 36 months [GK]; no collateral [GK]',
})

const cleanWaterSanitation = versionsOf(
  {
    programme: 'CLEAN_WATER_SANITATION',
    validFrom: day('2022-01-01'),
    legalBasis: 'Decision 62/2004/QĐ-TTg, as amended',
    eligibleClasses: EVERY_CLASS,
    cap: vnd(10_000_000n),
    capBasis: 'PER_FACILITY_TYPE',
    yearlyRate: ratePpm(90_000),
    maxTermMonths: 60,
    collateralRequired: false,
    evidence: `10 m per facility type (water, latrine), 9.0 %, up to 60 months [V:S21]; eligibility is a rural household lacking the facility, not a household class; no collateral [GK]; ${KNOWN_FROM_2022}`,
  },
  { validFrom: day('2024-09-02'), legalBasis: 'Decision 10/2024/QĐ-TTg', cap: vnd(25_000_000n), evidence: 'Decision 10/2024 replaces Decision 62/2004 from 2 Sep 2024: 25 m per facility type [V:S21]' },
  { validFrom: day('2025-12-01'), yearlyRate: ratePpm(84_000), evidence: `8.4 %: ${RATE_CUT_2025}` },
)

const socialHousing = versionsOf({
  programme: 'SOCIAL_HOUSING',
  validFrom: day('2023-05-10'),
  validTo: day('2025-01-01'),
  legalBasis: 'Decree 100/2015/NĐ-CP Art. 16, amended by Decree 49/2021/NĐ-CP; rate by Decision 486/QĐ-TTg',
  eligibleClasses: EVERY_CLASS,
  cap: vnd(500_000_000n),
  capBasis: 'PER_LOAN',
  yearlyRate: ratePpm(48_000),
  maxTermMonths: 300,
  collateralRequired: true,
  evidence:
    'build or repair: 70 % of the estimate, at most 500 m and 70 % of the collateral value; buying: 80 % of the contract value; up to 25 years; security on the house [V:S19]; 4.8 % set by Decision 486/QĐ-TTg for 10 May 2023–31 Dec 2024 [V:S20]; eligibility is by Housing Law Art. 49 (low income, poor and near-poor urban households, workers, officials) [V:S20], not by household class. The rate is set per period and is not recorded outside this one',
})

export interface ProgrammeCatalogue {
  readonly versions: ReadonlyArray<ProgrammeTerms>
}

/** The national programmes as the library ships them. */
export const nationalProgrammes: ProgrammeCatalogue = {
  versions: [
    ...poorHousehold,
    ...nearPoorHousehold,
    ...newlyEscapedPoverty,
    ...jobCreation,
    ...student,
    ...onlineLearningComputer,
    ...cleanWaterSanitation,
    ...socialHousing,
  ],
}

/** No version of the programme covers the day; `knownFrom` is where the catalogue's history starts, if anywhere. */
export interface NoTermsInForce {
  readonly _tag: 'NoTermsInForce'
  readonly programme: ProgrammeId
  readonly date: LocalDate
  readonly knownFrom: O.Option<LocalDate>
}

export const programmeVersions = (programme: ProgrammeId, catalogue: ProgrammeCatalogue = nationalProgrammes): ReadonlyArray<ProgrammeTerms> =>
  catalogue.versions.filter((terms) => terms.programme === programme)

/** The terms of a programme in force on a day. */
export const termsOn = (
  programme: ProgrammeId,
  date: LocalDate,
  catalogue: ProgrammeCatalogue = nationalProgrammes,
): E.Either<NoTermsInForce, ProgrammeTerms> => {
  const versions = programmeVersions(programme, catalogue)
  return pipe(
    versionInForceOn(versions, date),
    E.fromOption(() => ({ _tag: 'NoTermsInForce', programme, date, knownFrom: earliestValidFrom(versions) }) as const),
  )
}

export type ProgrammeCatalogueRejection =
  | { readonly _tag: 'ProgrammeVersionsOverlap'; readonly programme: ProgrammeId; readonly versionIds: readonly [string, string] }
  | { readonly _tag: 'DuplicateProgrammeVersionId'; readonly versionId: string }

/** Checks a catalogue: version ids are unique and no two versions of one programme share a day. */
export const checkProgrammeCatalogue = (catalogue: ProgrammeCatalogue): E.Either<ProgrammeCatalogueRejection, ProgrammeCatalogue> => {
  const duplicate = catalogue.versions.find((terms, index) => catalogue.versions.findIndex((other) => other.versionId === terms.versionId) !== index)
  if (duplicate !== undefined) return E.left({ _tag: 'DuplicateProgrammeVersionId', versionId: duplicate.versionId })
  const overlap = overlappingVersions(catalogue.versions).find(([first, second]) => first.programme === second.programme)
  return overlap === undefined
    ? E.right(catalogue)
    : E.left({ _tag: 'ProgrammeVersionsOverlap', programme: overlap[0].programme, versionIds: [overlap[0].versionId, overlap[1].versionId] })
}

/** A deployment's own versions (a local budget lending under national rules, a later rate) added to a catalogue. */
export const withProgrammeVersions = (
  catalogue: ProgrammeCatalogue,
  versions: ReadonlyArray<ProgrammeTerms>,
): E.Either<ProgrammeCatalogueRejection, ProgrammeCatalogue> => checkProgrammeCatalogue({ versions: [...catalogue.versions, ...versions] })
