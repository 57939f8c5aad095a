import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import {
  addDays,
  checkProgrammeCatalogue,
  day,
  isInForceOn,
  nationalProgrammes,
  ProgrammeId,
  programmeVersions,
  ratePpm,
  termsOn,
  vnd,
  withProgrammeVersions,
  type LocalDate,
  type ProgrammeTerms,
} from '@policy-credit/core'

const PROGRAMMES = Object.keys(ProgrammeId.keys) as ReadonlyArray<ProgrammeId>

const terms = (programme: ProgrammeId, date: string): ProgrammeTerms =>
  E.getOrElseW((error) => {
    throw new Error(`no terms: ${JSON.stringify(error)}`)
  })(termsOn(programme, day(date)))

describe('the national programme catalogue', () => {
  it('has terms for each of the eight programmes', () =>
    expect(PROGRAMMES.filter((programme) => programmeVersions(programme).length === 0)).toStrictEqual([]))
  it('has unique version ids and no two versions of a programme on one day', () =>
    expect(checkProgrammeCatalogue(nationalProgrammes)).toStrictEqual(E.right(nationalProgrammes)))
  it('charges overdue interest at 130 % of the rate in every version', () =>
    expect(new Set(nationalProgrammes.versions.map((version) => version.overdueRateShare))).toStrictEqual(new Set([13_000])))
  it('marks the evidence of every version', () =>
    expect(nationalProgrammes.versions.filter((version) => !/\[(V:S\d+|GK|D)/.test(version.evidence))).toStrictEqual([]))
})

describe('termsOn: the changes domain.md §3 dates', () => {
  it.each<[ProgrammeId, string, keyof ProgrammeTerms, unknown]>([
    ['POOR_HOUSEHOLD', '2025-11-30', 'yearlyRate', 66_000],
    ['POOR_HOUSEHOLD', '2025-12-01', 'yearlyRate', 62_400],
    ['NEAR_POOR_HOUSEHOLD', '2025-11-30', 'yearlyRate', 79_200],
    ['NEAR_POOR_HOUSEHOLD', '2025-12-01', 'yearlyRate', 74_880],
    ['NEWLY_ESCAPED_POVERTY', '2025-11-30', 'yearlyRate', 82_500],
    ['NEWLY_ESCAPED_POVERTY', '2025-12-01', 'yearlyRate', 78_000],
    ['NEWLY_ESCAPED_POVERTY', '2023-01-01', 'maxTermMonths', 60],
    ['STUDENT', '2019-12-01', 'cap', 2_500_000n],
    ['STUDENT', '2022-05-18', 'cap', 2_500_000n],
    ['STUDENT', '2022-05-19', 'cap', 4_000_000n],
    ['STUDENT', '2022-05-19', 'capBasis', 'PER_MONTH_OF_STUDY'],
    ['STUDENT', '2025-12-01', 'cap', 4_000_000n],
    ['CLEAN_WATER_SANITATION', '2024-09-01', 'cap', 10_000_000n],
    ['CLEAN_WATER_SANITATION', '2024-09-02', 'cap', 25_000_000n],
    ['CLEAN_WATER_SANITATION', '2024-09-02', 'capBasis', 'PER_FACILITY_TYPE'],
    ['CLEAN_WATER_SANITATION', '2025-12-01', 'yearlyRate', 84_000],
    ['ONLINE_LEARNING_COMPUTER', '2022-06-30', 'cap', 10_000_000n],
    ['ONLINE_LEARNING_COMPUTER', '2022-06-30', 'yearlyRate', 12_000],
    ['SOCIAL_HOUSING', '2024-06-01', 'cap', 500_000_000n],
    ['SOCIAL_HOUSING', '2024-06-01', 'yearlyRate', 48_000],
    ['SOCIAL_HOUSING', '2024-06-01', 'collateralRequired', true],
    ['SOCIAL_HOUSING', '2024-06-01', 'maxTermMonths', 300],
    ['JOB_CREATION', '2022-06-30', 'cap', 100_000_000n],
    ['JOB_CREATION', '2022-06-30', 'capBasis', 'PER_WORKER'],
    ['JOB_CREATION', '2022-06-30', 'yearlyRate', 79_200],
  ])('%s on %s has %s = %o', (programme, date, field, expected) => expect(terms(programme, date)[field]).toStrictEqual(expected))

  it('keeps the cap when only the rate changes', () => expect(terms('POOR_HOUSEHOLD', '2025-12-01').cap).toBe(100_000_000n))
  it('names the version in force, so a loan decision can record it', () =>
    expect([terms('STUDENT', '2022-05-18').versionId, terms('STUDENT', '2022-05-19').versionId]).toStrictEqual(['STUDENT@2019-12-01', 'STUDENT@2022-05-19']))

  it('says where the known history starts instead of inventing terms before it', () =>
    expect(termsOn('STUDENT', day('2019-11-30'))).toStrictEqual(
      E.left({ _tag: 'NoTermsInForce', programme: 'STUDENT', date: '2019-11-30', knownFrom: O.some('2019-12-01') }),
    ))
  it('has no computer loans after Resolution 11 lending closed on 31 Dec 2023', () => {
    expect(E.isRight(termsOn('ONLINE_LEARNING_COMPUTER', day('2023-12-31')))).toBe(true)
    expect(E.isLeft(termsOn('ONLINE_LEARNING_COMPUTER', day('2024-01-01')))).toBe(true)
  })
})

describe('termsOn: any day', () => {
  const someDay = fc.integer({ min: 0, max: 365 * 25 }).map((offset) => addDays(day('2015-01-01'), offset))

  test.prop([fc.constantFrom(...PROGRAMMES), someDay])('returns the one version whose period holds the day, or none when none does', (programme, date) => {
    const holding = programmeVersions(programme).filter((version) => isInForceOn(version, date))
    expect(termsOn(programme, date)).toStrictEqual(
      holding.length === 0 ? E.left({ _tag: 'NoTermsInForce', programme, date, knownFrom: O.some(programmeVersions(programme)[0]?.validFrom) }) : E.right(holding[0]),
    )
    expect(holding.length).toBeLessThanOrEqual(1)
  })

  const changeDays = nationalProgrammes.versions.filter((version) => version.validTo !== undefined).map((version) => [version, version.validTo as LocalDate] as const)
  test.prop([fc.constantFrom(...changeDays)])('on both sides of a change date, the older then the newer version is in force', ([older, changeDay]) => {
    expect(termsOn(older.programme, addDays(changeDay, -1))).toStrictEqual(E.right(older))
    const newer = programmeVersions(older.programme).find((version) => version.validFrom === changeDay)
    expect(termsOn(older.programme, changeDay)).toStrictEqual(
      newer === undefined ? E.left({ _tag: 'NoTermsInForce', programme: older.programme, date: changeDay, knownFrom: O.some(programmeVersions(older.programme)[0]?.validFrom) }) : E.right(newer),
    )
  })
})

describe('a deployment’s own versions', () => {
  const { validTo: _closed, ...socialHousing2024 } = terms('SOCIAL_HOUSING', '2024-06-01')
  const socialHousing2025: ProgrammeTerms = {
    ...socialHousing2024,
    versionId: 'SOCIAL_HOUSING@2025-01-01',
    validFrom: day('2025-01-01'),
    yearlyRate: ratePpm(66_000),
    evidence: 'rate of the deployment’s own decision [GK]',
  }
  it('are found by termsOn once added', () =>
    expect(E.flatMap((catalogue: typeof nationalProgrammes) => termsOn('SOCIAL_HOUSING', day('2025-03-01'), catalogue))(withProgrammeVersions(nationalProgrammes, [socialHousing2025]))).toStrictEqual(
      E.right(socialHousing2025),
    ))
  it('may not overlap a national version', () =>
    expect(withProgrammeVersions(nationalProgrammes, [{ ...socialHousing2025, validFrom: day('2024-12-01'), versionId: 'local' }])).toStrictEqual(
      E.left({ _tag: 'ProgrammeVersionsOverlap', programme: 'SOCIAL_HOUSING', versionIds: ['SOCIAL_HOUSING@2023-05-10', 'local'] }),
    ))
  it('may not reuse a version id', () =>
    expect(withProgrammeVersions(nationalProgrammes, [{ ...socialHousing2025, versionId: 'STUDENT@2019-12-01', cap: vnd(1n) }])).toStrictEqual(
      E.left({ _tag: 'DuplicateProgrammeVersionId', versionId: 'STUDENT@2019-12-01' }),
    ))
})
