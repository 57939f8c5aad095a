import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { CommuneId, day, decodeDomainEvent, DecisionNumber, foldHistory, idOf, Loan, Plan, TownId } from '@policy-credit/core'
import { deciderSpec } from '@policy-credit/core/testing'

const given = deciderSpec(Plan.planDecider)
const context = Plan.nationalPlanContext
const nghiaLo = idOf(TownId, 'NGHIA-LO')
const year = Loan.positiveCount(2022)
const resolution = idOf(DecisionNumber, 'NQ-HDND-NGHIA-LO-2021-12')
const revision = idOf(DecisionNumber, 'NQ-HDND-NGHIA-LO-2022-07')

// F6: the 2022 target is to reduce poor households by 933 (under Decree 07/2021, the standard applied from 2022).
const setTarget = (overrides: Partial<Plan.SetPovertyReductionTarget['data']> = {}): Plan.PlanCommand => ({
  type: 'SetPovertyReductionTarget',
  data: { unitId: nghiaLo, year, standardId: 'ND-07-2021', reductionHouseholds: Loan.positiveCount(933), decisionNumber: resolution, decisionDate: day('2021-12-20'), ...overrides },
})
const targetSet = (command: Plan.PlanCommand, previous: number | null): Plan.PlanEvent =>
  ({ type: 'PovertyReductionTargetSet', data: { ...(command as Plan.SetPovertyReductionTarget).data, previousReductionHouseholds: previous } }) as Plan.PlanEvent

// F12: the town's 2022 plan is 2,000 jobs.
const setJobs = (overrides: Partial<Plan.SetJobCreationPlan['data']> = {}): Plan.PlanCommand => ({
  type: 'SetJobCreationPlan',
  data: { unitId: nghiaLo, year, jobsPlanned: Loan.positiveCount(2_000), decisionNumber: resolution, decisionDate: day('2021-12-20'), ...overrides },
})
const jobsSet = (command: Plan.PlanCommand, previous: number | null): Plan.PlanEvent =>
  ({ type: 'JobCreationPlanSet', data: { ...(command as Plan.SetJobCreationPlan).data, previousJobsPlanned: previous } }) as Plan.PlanEvent

describe('the poverty reduction target', () => {
  it('records the target with its standard and resolution', () => given([]).when(setTarget(), context).thenEvents([targetSet(setTarget(), null)]))
  it('records nothing when the same target is resolved again', () => given([targetSet(setTarget(), null)]).when(setTarget({ decisionNumber: revision }), context).thenNothing())
  it('records a revision with the target it replaces', () => {
    const revised = setTarget({ reductionHouseholds: Loan.positiveCount(900), decisionNumber: revision, decisionDate: day('2022-07-15') })
    given([targetSet(setTarget(), null)]).when(revised, context).thenEvents([targetSet(revised, 933)])
  })
  it('rejects a revision decided before the target it would replace', () =>
    given([targetSet(setTarget({ decisionDate: day('2022-03-01') }), null)])
      .when(setTarget({ reductionHouseholds: Loan.positiveCount(900), decisionDate: day('2022-02-01') }), context)
      .thenRejects({ _tag: 'DecisionBeforeLatestRevision', command: 'SetPovertyReductionTarget', latestDecisionDate: day('2022-03-01'), decisionDate: day('2022-02-01') }))
  it('rejects a standard not applied to the plan year, naming the one that is', () =>
    given([]).when(setTarget({ standardId: 'QD-59-2015' }), context).thenRejects({ _tag: 'StandardDoesNotApplyToPlanYear', standardId: 'QD-59-2015', year: 2022, applicableStandardId: 'ND-07-2021' }))
  it('rejects a resolution after the plan year or before the year ahead of it', () => {
    given([]).when(setTarget({ decisionDate: day('2023-01-01') }), context).thenRejects({ _tag: 'DecisionDateOutsidePlanWindow', command: 'SetPovertyReductionTarget', year: 2022, decisionDate: day('2023-01-01') })
    given([]).when(setTarget({ decisionDate: day('2020-12-31') }), context).thenRejects({ _tag: 'DecisionDateOutsidePlanWindow', command: 'SetPovertyReductionTarget', year: 2022, decisionDate: day('2020-12-31') })
    given([]).when(setTarget({ decisionDate: day('2021-01-01') }), context).thenEvents([targetSet(setTarget({ decisionDate: day('2021-01-01') }), null)])
    given([]).when(setJobs({ year: Loan.positiveCount(10_000), decisionDate: day('9999-12-31') }), context).thenRejects({ _tag: 'DecisionDateOutsidePlanWindow', command: 'SetJobCreationPlan', year: 10_000, decisionDate: day('9999-12-31') })
  })
  it('rejects a command for another unit or year than the stream it reaches', () => {
    const phuc = idOf(CommuneId, 'NGHIA-PHUC')
    given([targetSet(setTarget(), null)])
      .when(setTarget({ unitId: phuc }), context)
      .thenRejects({ _tag: 'CommandForAnotherPlanStream', command: 'SetPovertyReductionTarget', streamUnitId: nghiaLo, streamYear: 2022, commandUnitId: phuc, commandYear: 2022 })
    given([jobsSet(setJobs(), null)])
      .when(setJobs({ year: Loan.positiveCount(2023) }), context)
      .thenRejects({ _tag: 'CommandForAnotherPlanStream', command: 'SetJobCreationPlan', streamUnitId: nghiaLo, streamYear: 2022, commandUnitId: nghiaLo, commandYear: 2023 })
  })
})

describe('the job-creation plan', () => {
  it('records the plan beside the poverty target of the same year', () => given([targetSet(setTarget(), null)]).when(setJobs(), context).thenEvents([jobsSet(setJobs(), null)]))
  it('records a revision and nothing for a repeat', () => {
    given([jobsSet(setJobs(), null)]).when(setJobs({ decisionNumber: revision }), context).thenNothing()
    const revised = setJobs({ jobsPlanned: Loan.positiveCount(2_200), decisionDate: day('2022-06-30') })
    given([jobsSet(setJobs(), null)]).when(revised, context).thenEvents([jobsSet(revised, 2_000)])
  })
  it('keeps the figures in force with the decision behind each', () => {
    const revised = setJobs({ jobsPlanned: Loan.positiveCount(2_200), decisionNumber: revision, decisionDate: day('2022-06-30') })
    const plan = foldHistory(Plan.planDecider, [targetSet(setTarget(), null), jobsSet(setJobs(), null), jobsSet(revised, 2_000)])
    expect(plan).toStrictEqual({
      status: 'Open',
      unitId: nghiaLo,
      year: 2022,
      povertyReduction: { value: 933, standardId: 'ND-07-2021', decisionNumber: resolution, decisionDate: day('2021-12-20') },
      jobCreation: { value: 2_200, decisionNumber: revision, decisionDate: day('2022-06-30') },
    })
    expect(Plan.planStreamId(nghiaLo, 2022)).toBe('plan-NGHIA-LO-2022')
  })
})

describe('plan messages at the edge', () => {
  it('refuses a target of zero households and names the field', () => {
    const decoded = Plan.decodePlanCommand({ ...setTarget(), data: { ...setTarget().data, reductionHouseholds: 0 } })
    expect(E.isLeft(decoded) && decoded.left.errors.some((error) => error.path === 'data.reductionHouseholds')).toBe(true)
  })
  test.prop([fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 2016, max: 2030 }), fc.boolean()])('plan events round-trip through the domain registry', (value, planYear, isTarget) => {
    const positive = Loan.positiveCount(value)
    const data = { unitId: nghiaLo, year: Loan.positiveCount(planYear), decisionNumber: resolution, decisionDate: day(`${planYear}-01-10`) }
    const event: Plan.PlanEvent = isTarget
      ? { type: 'PovertyReductionTargetSet', data: { ...data, standardId: 'QD-59-2015', reductionHouseholds: positive, previousReductionHouseholds: null } }
      : { type: 'JobCreationPlanSet', data: { ...data, jobsPlanned: positive, previousJobsPlanned: positive } }
    expect(decodeDomainEvent(JSON.parse(JSON.stringify(Plan.PlanEvent.encode(event))))).toStrictEqual(E.right(event))
  })
})
