/** What a People's Council or Committee resolves for a year; each command names its plan stream. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { fieldErrors, message, type DecodeFailure } from '../shared/message.ts'
import { PovertyStandardId } from '../reference/types.ts'
import { PositiveCount } from '../loan/values.ts'
import { planDecisionFields, planFields } from './events.ts'

/** Reduce the poor list by this many households over the year, counted under the standard applied to that year. */
export const SetPovertyReductionTarget = message('SetPovertyReductionTarget', {
  ...planFields,
  standardId: PovertyStandardId,
  reductionHouseholds: PositiveCount,
  ...planDecisionFields,
})
export type SetPovertyReductionTarget = t.TypeOf<typeof SetPovertyReductionTarget>

/** Give jobs to this many workers over the year through job-creation loans. */
export const SetJobCreationPlan = message('SetJobCreationPlan', { ...planFields, jobsPlanned: PositiveCount, ...planDecisionFields })
export type SetJobCreationPlan = t.TypeOf<typeof SetJobCreationPlan>

export const PlanCommand = t.union([SetPovertyReductionTarget, SetJobCreationPlan], 'PlanCommand')
export type PlanCommand = t.TypeOf<typeof PlanCommand>

export const decodePlanCommand = (u: unknown): E.Either<DecodeFailure, PlanCommand> =>
  pipe(
    PlanCommand.decode(u),
    E.mapLeft((errors) => ({ _tag: 'DecodeFailure', codec: PlanCommand.name, errors: fieldErrors(errors) }) as const),
  )
