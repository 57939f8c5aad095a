/**
 * The reference data the example is executed with: the core's national data, plus the social-housing
 * terms of 2021–2023, which the national catalogue does not record (its first version starts on 10 May
 * 2023) but which the 13 social-housing loans of H1 2022 (F11) were lent under. A deployment adds such
 * versions as data (`withProgrammeVersions`); the [GK] marks what is not checked against the legal text.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { day, nationalProgrammes, ProgrammeTerms, rateMultiple, ratePpm, vnd, withProgrammeVersions, type ProgrammeCatalogue } from '@policy-credit/core'

const socialHousingBefore2023: ProgrammeTerms = {
  programme: 'SOCIAL_HOUSING',
  versionId: 'SOCIAL_HOUSING@2021-01-01',
  validFrom: day('2021-01-01'),
  validTo: day('2023-05-10'),
  legalBasis: 'Decree 100/2015/NĐ-CP Art. 16, amended by Decree 49/2021/NĐ-CP',
  eligibleClasses: ['POOR', 'NEAR_POOR', 'ESCAPED_POVERTY', 'ESCAPED_NEAR_POVERTY', 'AVERAGE_LIVING', 'NONE'],
  cap: vnd(500_000_000n),
  capBasis: 'PER_LOAN',
  yearlyRate: ratePpm(48_000),
  overdueRateShare: rateMultiple(13_000),
  maxTermMonths: 300,
  collateralRequired: true,
  evidence:
    'cap, term and collateral as the national version of 2023 [V:S19]; the 4.8 % rate of 2021–2023 is assumed equal to the one Decision 486/QĐ-TTg set from 10 May 2023 [GK]; added by the Nghĩa Lộ example because the national catalogue starts in 2023',
}

/** The versions the example adds to the national catalogue; `policy-credit import --programme-versions` reads them as JSON. */
export const nghiaLoProgrammeVersions: ReadonlyArray<ProgrammeTerms> = [socialHousingBefore2023]

const programmes: ProgrammeCatalogue = E.getOrElseW((rejection) => {
  throw new Error(`the example's programme versions clash with the national catalogue: ${JSON.stringify(rejection)}`)
})(withProgrammeVersions(nationalProgrammes, nghiaLoProgrammeVersions))

/** The example's versions in the JSON form `--programme-versions` reads (money as decimal strings). */
export const nghiaLoProgrammeVersionsJson = (): string => `${JSON.stringify(t.readonlyArray(ProgrammeTerms).encode(nghiaLoProgrammeVersions), undefined, 2)}\n`

/** What to pass as `reference` to the application (`createApplication({ store, reference: nghiaLoReference })`). */
export const nghiaLoReference = { programmes } as const
