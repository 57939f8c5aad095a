/**
 * The town's plan for 2022, resolved by its People's Council in December 2021: reduce the poor list by
 * 933 households under the 2022–2025 standard (F6) and give jobs to 2,000 workers through loans (F12).
 */
import { Plan } from '@policy-credit/core'
import { command, dated, type DatedLine } from './commandLine.ts'
import { NGHIA_LO } from './town.ts'

export const PLAN_YEAR = 2022
export const POVERTY_REDUCTION_TARGET = 933
export const JOB_CREATION_PLAN = 2_000

const RESOLVED_ON = '2021-12-20'
const RESOLUTION = '45/NQ-HĐND'

export const planLines = (year: number): ReadonlyArray<DatedLine> =>
  year !== PLAN_YEAR - 1
    ? []
    : [
        dated(
          RESOLVED_ON,
          `nghia-lo:plan:${PLAN_YEAR}:poverty-reduction`,
          `town-council:${NGHIA_LO}`,
          command(Plan.SetPovertyReductionTarget, {
            unitId: NGHIA_LO,
            year: PLAN_YEAR,
            standardId: 'ND-07-2021',
            reductionHouseholds: POVERTY_REDUCTION_TARGET,
            decisionNumber: RESOLUTION,
            decisionDate: RESOLVED_ON,
          }),
        ),
        dated(
          RESOLVED_ON,
          `nghia-lo:plan:${PLAN_YEAR}:job-creation`,
          `town-council:${NGHIA_LO}`,
          command(Plan.SetJobCreationPlan, { unitId: NGHIA_LO, year: PLAN_YEAR, jobsPlanned: JOB_CREATION_PLAN, decisionNumber: RESOLUTION, decisionDate: RESOLVED_ON }),
        ),
      ]
