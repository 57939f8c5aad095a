/** The Plan aggregate (stream `plan-<unitId>-<year>`) as a decider; the poverty standards come in the context. */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import { match } from 'ts-pattern'
import type { Decider } from '../shared/decider.ts'
import { startOfYear, yearOf } from '../values/dates.ts'
import { nationalPovertyStandards, standardInForceOn, type PovertyStandardCatalogue } from '../reference/povertyStandards.ts'
import type { PlanCommand, SetJobCreationPlan, SetPovertyReductionTarget } from './commands.ts'
import type { PlanEvent } from './events.ts'
import type { PlanRejection } from './rejections.ts'
import { unopenedPlan, type Plan, type PlannedFigure } from './state.ts'

export interface PlanContext {
  readonly standards: PovertyStandardCatalogue
}

export const nationalPlanContext: PlanContext = { standards: nationalPovertyStandards }

type Decision = E.Either<PlanRejection, ReadonlyArray<PlanEvent>>

const checkCommand = (command: PlanCommand, plan: Plan): E.Either<PlanRejection, void> => {
  const { unitId, year, decisionDate } = command.data
  if (plan.status === 'Open' && (plan.unitId !== unitId || plan.year !== year))
    return E.left({ _tag: 'CommandForAnotherPlanStream', command: command.type, streamUnitId: plan.unitId, streamYear: plan.year, commandUnitId: unitId, commandYear: year })
  // Compared by year number: a plan year past the calendar's four digits has no first day to compare with.
  const decidedIn = yearOf(decisionDate)
  if (year > 9_999 || (decidedIn !== year - 1 && decidedIn !== year)) return E.left({ _tag: 'DecisionDateOutsidePlanWindow', command: command.type, year, decisionDate })
  return E.right(undefined)
}

/** Nothing when the same figure is resolved again; a revision otherwise, in decision order. */
const revise = (command: PlanCommand, current: PlannedFigure | undefined, value: number, sameOtherwise: boolean, event: () => PlanEvent): Decision => {
  if (current === undefined) return E.right([event()])
  if (current.value === value && sameOtherwise) return E.right([])
  return command.data.decisionDate < current.decisionDate
    ? E.left({ _tag: 'DecisionBeforeLatestRevision', command: command.type, latestDecisionDate: current.decisionDate, decisionDate: command.data.decisionDate })
    : E.right([event()])
}

const setPovertyTarget = (command: SetPovertyReductionTarget, plan: Plan, context: PlanContext): Decision => {
  const { data } = command
  const applicable = O.toNullable(O.map((standard: { readonly id: typeof data.standardId }) => standard.id)(standardInForceOn(startOfYear(data.year), context.standards)))
  if (applicable !== data.standardId) return E.left({ _tag: 'StandardDoesNotApplyToPlanYear', standardId: data.standardId, year: data.year, applicableStandardId: applicable })
  const current = plan.status === 'Open' ? plan.povertyReduction : undefined
  return revise(command, current, data.reductionHouseholds, current?.standardId === data.standardId, () => ({
    type: 'PovertyReductionTargetSet',
    data: { ...data, previousReductionHouseholds: current?.value ?? null },
  }))
}

const setJobCreationPlan = (command: SetJobCreationPlan, plan: Plan): Decision => {
  const current = plan.status === 'Open' ? plan.jobCreation : undefined
  return revise(command, current, command.data.jobsPlanned, true, () => ({ type: 'JobCreationPlanSet', data: { ...command.data, previousJobsPlanned: current?.value ?? null } }))
}

const decide = (command: PlanCommand, plan: Plan, context: PlanContext): Decision =>
  pipe(
    checkCommand(command, plan),
    E.flatMap(() =>
      match(command)
        .returnType<Decision>()
        .with({ type: 'SetPovertyReductionTarget' }, (target) => setPovertyTarget(target, plan, context))
        .with({ type: 'SetJobCreationPlan' }, (jobs) => setJobCreationPlan(jobs, plan))
        .exhaustive(),
    ),
  )

const open = (plan: Plan, event: PlanEvent): Extract<Plan, { readonly status: 'Open' }> =>
  plan.status === 'Open' ? plan : { status: 'Open', unitId: event.data.unitId, year: event.data.year }

const evolve = (plan: Plan, event: PlanEvent): Plan =>
  match(event)
    .returnType<Plan>()
    .with({ type: 'PovertyReductionTargetSet' }, ({ data }) => ({
      ...open(plan, event),
      povertyReduction: { value: data.reductionHouseholds, standardId: data.standardId, decisionNumber: data.decisionNumber, decisionDate: data.decisionDate },
    }))
    .with({ type: 'JobCreationPlanSet' }, ({ data }) => ({
      ...open(plan, event),
      jobCreation: { value: data.jobsPlanned, decisionNumber: data.decisionNumber, decisionDate: data.decisionDate },
    }))
    .exhaustive()

export const planDecider: Decider<PlanCommand, PlanEvent, Plan, PlanRejection, PlanContext> = {
  initialState: unopenedPlan,
  evolve,
  decide,
}
