/**
 * A town's (or commune's) yearly plan, as the People's Council or Committee resolves it: how many
 * households the poor list should shrink by under the standard of that year (domain.md §7.4; Nghĩa Lộ
 * 2022: −933 poor households, F6) and how many workers loans should give jobs to (F12: 2,000). Reports
 * set the figures they achieve against it. Stream: `plan-<unitId>-<year>`.
 */
import * as t from 'io-ts'
import { union } from '../shared/codecs.ts'
import { message } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CommuneId, DecisionNumber, TownId } from '../values/identifiers.ts'
import { PovertyStandardId } from '../reference/types.ts'
import { PositiveCount } from '../loan/values.ts'

/** The unit the plan is for: a town, or a single commune or ward. */
export const PlanUnitId = union([TownId, CommuneId], 'PlanUnitId')
export type PlanUnitId = t.TypeOf<typeof PlanUnitId>

/** Which plan: the unit and the year it is for, the stream the command goes to. */
export const planFields = { unitId: PlanUnitId, year: PositiveCount }

/** The resolution that set or revised the figure. */
export const planDecisionFields = { decisionNumber: DecisionNumber, decisionDate: LocalDate }

export const PovertyReductionTargetSet = message('PovertyReductionTargetSet', {
  ...planFields,
  standardId: PovertyStandardId,
  reductionHouseholds: PositiveCount,
  ...planDecisionFields,
  previousReductionHouseholds: union([PositiveCount, t.null]),
})
export type PovertyReductionTargetSet = t.TypeOf<typeof PovertyReductionTargetSet>

export const JobCreationPlanSet = message('JobCreationPlanSet', {
  ...planFields,
  jobsPlanned: PositiveCount,
  ...planDecisionFields,
  previousJobsPlanned: union([PositiveCount, t.null]),
})
export type JobCreationPlanSet = t.TypeOf<typeof JobCreationPlanSet>

export const PlanEvent = t.union([PovertyReductionTargetSet, JobCreationPlanSet], 'PlanEvent')
export type PlanEvent = t.TypeOf<typeof PlanEvent>
