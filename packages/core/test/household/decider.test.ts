import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { day, Household, nationalPovertyStandards, vnd, withProvincialLines, type PovertyStandardCatalogue } from '@policy-credit/core'
import { deciderSpec } from '@policy-credit/core/testing'
import {
  assessedAverage2023,
  assessedPoor2022,
  decision,
  dissolved,
  exitedPoverty2023,
  householdId,
  members,
  nghiaAn,
  recognisedAverage2023,
  recognisedPoor2022,
  registered,
  tanAn,
  year,
} from './fixtures.ts'

const given = deciderSpec(Household.householdDecider)
const context = Household.nationalHouseholdContext

const register: Household.HouseholdCommand = {
  type: 'RegisterHousehold',
  data: { householdId, communeId: nghiaAn, areaType: 'RURAL', members, registeredOn: day('2020-03-01') },
}
const assess = (overrides: Partial<Household.AssessHousehold['data']> = {}): Household.HouseholdCommand => ({
  type: 'AssessHousehold',
  data: {
    householdId,
    standardId: 'ND-07-2021',
    reviewYear: year(2022),
    reviewKind: 'PERIODIC',
    assessedOn: day('2022-10-05'),
    incomePerPersonPerMonth: vnd(1_200_000n),
    deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE'],
    ...overrides,
  },
})
const recognise = (overrides: Partial<Household.RecogniseHouseholdClass['data']> = {}): Household.HouseholdCommand => ({
  type: 'RecogniseHouseholdClass',
  data: { householdId, standardId: 'ND-07-2021', reviewYear: year(2022), reviewKind: 'PERIODIC', decisionNumber: decision('15/QD-UBND'), decisionDate: day('2022-12-10'), ...overrides },
})
const move: Household.HouseholdCommand = { type: 'MoveHouseholdToCommune', data: { householdId, toCommuneId: tanAn, areaType: 'URBAN', movedOn: day('2024-02-01') } }
const dissolve = (dissolvedOn = '2025-05-01'): Household.HouseholdCommand => ({ type: 'DissolveHousehold', data: { householdId, dissolvedOn: day(dissolvedOn) } })

describe('RegisterHousehold', () => {
  it('registers a household in a commune', () => given([]).when(register, context).thenEvents([registered]))
  it('rejects registering a household twice', () =>
    given([registered]).when(register, context).thenRejects({ _tag: 'HouseholdStatusDisallowsCommand', command: 'RegisterHousehold', status: 'Registered' }))
  it('rejects registering a dissolved household', () =>
    given([registered, dissolved]).when(register, context).thenRejects({ _tag: 'HouseholdStatusDisallowsCommand', command: 'RegisterHousehold', status: 'Dissolved' }))
})

describe('AssessHousehold', () => {
  it('records the assessment with the class classify gives it and whose lines it used', () => given([registered]).when(assess(), context).thenEvents([assessedPoor2022]))
  it('rejects assessing an unregistered household', () =>
    given([]).when(assess(), context).thenRejects({ _tag: 'HouseholdStatusDisallowsCommand', command: 'AssessHousehold', status: 'Unregistered' }))
  it('rejects an assessment dated before the registration', () =>
    given([registered]).when(assess({ reviewYear: year(2019), assessedOn: day('2019-10-01') }), context).thenRejects({ _tag: 'DateBeforeRegistration', registeredOn: day('2020-03-01'), date: day('2019-10-01') }))
  it('rejects a periodic assessment outside 1 Sep–14 Dec', () =>
    given([registered]).when(assess({ assessedOn: day('2022-12-15') }), context).thenRejects({
      _tag: 'AssessmentOutsideReviewPeriod',
      reviewKind: 'PERIODIC',
      reviewYear: 2022,
      assessedOn: day('2022-12-15'),
      periodFrom: day('2022-09-01'),
      periodTo: day('2022-12-14'),
    }))
  it('rejects a regular assessment outside its review year', () =>
    given([registered]).when(assess({ reviewKind: 'REGULAR', assessedOn: day('2023-01-15') }), context).thenRejects({
      _tag: 'AssessmentOutsideReviewPeriod',
      reviewKind: 'REGULAR',
      reviewYear: 2022,
      assessedOn: day('2023-01-15'),
      periodFrom: day('2022-01-01'),
      periodTo: day('2022-12-31'),
    }))
  it('rejects measuring a review by a standard that does not apply to the list it builds', () =>
    given([registered]).when(assess({ standardId: 'QD-59-2015', deprivedIndicators: [] }), context).thenRejects({
      _tag: 'StandardDoesNotApplyToReview',
      standardId: 'QD-59-2015',
      reviewKind: 'PERIODIC',
      reviewYear: 2022,
      applicableStandardId: 'ND-07-2021',
    }))
  it('rejects an indicator the standard does not use', () =>
    given([registered])
      .when(assess({ deprivedIndicators: ['EMPLOYMENT', 'ACCESS_TO_HEALTH_SERVICES'] }), context)
      .thenRejects({ _tag: 'IndicatorsOutsideStandard', standardId: 'ND-07-2021', indicators: ['ACCESS_TO_HEALTH_SERVICES'] }))
  it('rejects an indicator listed twice', () =>
    given([registered]).when(assess({ deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'EMPLOYMENT'] }), context).thenRejects({ _tag: 'IndicatorsListedTwice', indicators: ['EMPLOYMENT'] }))
  it('rejects a standard the deployment’s catalogue lacks', () =>
    given([registered])
      .when(assess(), { ...context, standards: { standards: nationalPovertyStandards.standards.filter((standard) => standard.id !== 'ND-07-2021') } })
      .thenRejects({ _tag: 'PovertyStandardNotInCatalogue', standardId: 'ND-07-2021' }))
  it('rejects a review year no review rules cover', () =>
    given([registered]).when(assess(), { ...context, reviewRules: [] }).thenRejects({ _tag: 'NoReviewRulesForYear', reviewYear: 2022 }))

  it('classifies by a province’s own higher lines when the deployment declares them', () => {
    const provincial = withProvincialLines(nationalPovertyStandards, {
      standardId: 'ND-07-2021',
      declaredBy: 'Provincial People’s Council resolution 1/2022',
      validFrom: day('2022-01-01'),
      lines: {
        RURAL: { poverty: vnd(1_800_000n), nearPoverty: vnd(1_800_000n), averageLiving: vnd(2_700_000n) },
        URBAN: { poverty: vnd(2_400_000n), nearPoverty: vnd(2_400_000n), averageLiving: vnd(3_600_000n) },
      },
      evidence: 'deployment data',
    })
    const standards = E.getOrElse((): PovertyStandardCatalogue => nationalPovertyStandards)(provincial)
    const { decision: outcome } = given([registered]).when(assess({ incomePerPersonPerMonth: vnd(1_700_000n) }), { ...context, standards })
    expect(E.map((events: ReadonlyArray<Household.HouseholdEvent>) => events.map((event) => event.type === 'HouseholdAssessed' && [event.data.assessedClass, event.data.incomeLinesSource]))(outcome)).toStrictEqual(
      E.right([['POOR', 'Provincial People’s Council resolution 1/2022']]),
    )
  })
})

describe('RecogniseHouseholdClass', () => {
  it('recognises the assessed class, in force from 1 January of the next year', () =>
    given([registered, assessedPoor2022]).when(recognise(), context).thenEvents([recognisedPoor2022]))
  it('records the exit from the poor list with the escaped status ending three years later', () =>
    given([registered, assessedPoor2022, recognisedPoor2022, assessedAverage2023])
      .when(recognise({ reviewYear: year(2023), decisionNumber: decision('20/QD-UBND'), decisionDate: day('2023-12-10') }), context)
      .thenEvents([recognisedAverage2023, exitedPoverty2023]))
  it('records no exit when a poor household becomes near-poor: it is still on a list', () => {
    const assessedNearPoor: Household.HouseholdAssessed = {
      type: 'HouseholdAssessed',
      data: { ...assessedAverage2023.data, incomePerPersonPerMonth: vnd(1_400_000n), assessedClass: 'NEAR_POOR' },
    }
    const { decision: outcome } = given([registered, assessedPoor2022, recognisedPoor2022, assessedNearPoor]).when(
      recognise({ reviewYear: year(2023), decisionNumber: decision('20/QD-UBND'), decisionDate: day('2023-12-10') }),
      context,
    )
    expect(E.map((events: ReadonlyArray<Household.HouseholdEvent>) => events.map((event) => event.type))(outcome)).toStrictEqual(E.right(['HouseholdClassRecognised']))
  })
  it('takes a regular review’s result into force on its decision date, naming the class it replaces in that year', () => {
    const regularAssessment = assess({ reviewKind: 'REGULAR', assessedOn: day('2022-11-20'), incomePerPersonPerMonth: vnd(1_400_000n), deprivedIndicators: [] })
    const history = [registered, assessedPoor2022, recognisedPoor2022]
    const assessed = E.getOrElseW(() => [])(Household.householdDecider.decide(regularAssessment, history.reduce(Household.householdDecider.evolve, Household.householdDecider.initialState), context))
    given([...history, ...assessed])
      .when(recognise({ reviewKind: 'REGULAR', decisionNumber: decision('31/QD-UBND'), decisionDate: day('2022-12-01') }), context)
      .thenEvents([
        {
          type: 'HouseholdClassRecognised',
          data: {
            householdId,
            communeId: nghiaAn,
            areaType: 'RURAL',
            standardId: 'ND-07-2021',
            reviewYear: year(2022),
            reviewKind: 'REGULAR',
            householdClass: 'NEAR_POOR',
            previousClass: 'POOR',
            decisionNumber: decision('31/QD-UBND'),
            decisionDate: day('2022-12-01'),
            effectiveFrom: day('2022-12-01'),
          },
        },
      ])
  })
  it('records nothing when the same decision arrives again', () => given([registered, assessedPoor2022, recognisedPoor2022]).when(recognise(), context).thenNothing())
  it('rejects a recognition without an assessment in that review', () =>
    given([registered, assessedPoor2022])
      .when(recognise({ reviewKind: 'REGULAR' }), context)
      .thenRejects({ _tag: 'NoAssessmentForReview', standardId: 'ND-07-2021', reviewKind: 'REGULAR', reviewYear: 2022 }))
  it('rejects a decision dated before the assessment', () =>
    given([registered, assessedPoor2022]).when(recognise({ decisionDate: day('2022-10-04') }), context).thenRejects({
      _tag: 'DecisionBeforeAssessment',
      assessedOn: day('2022-10-05'),
      decisionDate: day('2022-10-04'),
    }))
  it('rejects a decision dated before the registration', () =>
    given([registered]).when(recognise({ decisionDate: day('2020-02-29') }), context).thenRejects({ _tag: 'DateBeforeRegistration', registeredOn: day('2020-03-01'), date: day('2020-02-29') }))
  it('rejects recognising a dissolved household', () =>
    given([registered, assessedPoor2022, dissolved]).when(recognise(), context).thenRejects({ _tag: 'HouseholdStatusDisallowsCommand', command: 'RecogniseHouseholdClass', status: 'Dissolved' }))
})

describe('MoveHouseholdToCommune', () => {
  it('moves the household, recording where from', () =>
    given([registered]).when(move, context).thenEvents([
      { type: 'HouseholdMovedCommune', data: { householdId, fromCommuneId: nghiaAn, toCommuneId: tanAn, areaType: 'URBAN', movedOn: day('2024-02-01') } },
    ]))
  it('records nothing when the household is already there', () =>
    given([registered]).when({ type: 'MoveHouseholdToCommune', data: { householdId, toCommuneId: nghiaAn, areaType: 'RURAL', movedOn: day('2024-02-01') } }, context).thenNothing())
  it('later assessments carry the new commune and area type', () => {
    const movedEvent: Household.HouseholdEvent = { type: 'HouseholdMovedCommune', data: { householdId, fromCommuneId: nghiaAn, toCommuneId: tanAn, areaType: 'URBAN', movedOn: day('2022-02-01') } }
    const { decision: outcome } = given([registered, movedEvent]).when(assess({ incomePerPersonPerMonth: vnd(1_800_000n) }), context)
    expect(E.map((events: ReadonlyArray<Household.HouseholdEvent>) => events.map((event) => event.type === 'HouseholdAssessed' && [event.data.communeId, event.data.areaType, event.data.assessedClass]))(outcome)).toStrictEqual(
      E.right([[tanAn, 'URBAN', 'POOR']]),
    )
  })
  it('rejects a move dated before the registration', () =>
    given([registered]).when({ ...move, data: { ...move.data, movedOn: day('2019-01-01') } } as Household.HouseholdCommand, context).thenRejects({ _tag: 'DateBeforeRegistration', registeredOn: day('2020-03-01'), date: day('2019-01-01') }))
  it('rejects moving an unregistered household', () =>
    given([]).when(move, context).thenRejects({ _tag: 'HouseholdStatusDisallowsCommand', command: 'MoveHouseholdToCommune', status: 'Unregistered' }))
})

describe('DissolveHousehold', () => {
  it('dissolves the household in its commune', () => given([registered]).when(dissolve(), context).thenEvents([dissolved]))
  it('rejects a dissolution dated before the registration', () =>
    given([registered]).when(dissolve('2020-02-01'), context).thenRejects({ _tag: 'DateBeforeRegistration', registeredOn: day('2020-03-01'), date: day('2020-02-01') }))
  it('rejects dissolving twice', () =>
    given([registered, dissolved]).when(dissolve(), context).thenRejects({ _tag: 'HouseholdStatusDisallowsCommand', command: 'DissolveHousehold', status: 'Dissolved' }))
})

describe('decodeHouseholdCommand', () => {
  it('names each bad field of a malformed command', () =>
    expect(
      E.mapLeft((failure: { readonly errors: ReadonlyArray<{ readonly path: string }> }) => failure.errors.map((error) => error.path))(
        Household.decodeHouseholdCommand({
          type: 'AssessHousehold',
          data: { householdId: 'HH 1', standardId: 'ND-07-2022', reviewYear: 2022.5, reviewKind: 'PERIODIC', assessedOn: '2022-02-30', incomePerPersonPerMonth: '-5', deprivedIndicators: ['EMPLOYMENT', 'SMOKING'] },
        }),
      ),
    ).toStrictEqual(E.left(['data.householdId', 'data.standardId', 'data.reviewYear', 'data.assessedOn', 'data.incomePerPersonPerMonth', 'data.deprivedIndicators.1'])))
  it('names the type when it is no household command', () =>
    expect(Household.decodeHouseholdCommand({ type: 'RecogniseHousehold', data: {} })).toStrictEqual(
      E.left({
        _tag: 'DecodeFailure',
        codec: 'HouseholdCommand',
        errors: [{ path: 'type', expected: 'RegisterHousehold | AssessHousehold | RecogniseHouseholdClass | MoveHouseholdToCommune | DissolveHousehold', actual: 'RecogniseHousehold' }],
      }),
    ))
  it('refuses a household of no members', () =>
    expect(
      E.mapLeft((failure: { readonly errors: ReadonlyArray<{ readonly path: string }> }) => failure.errors.map((error) => error.path))(
        Household.decodeHouseholdCommand({ type: 'RegisterHousehold', data: { householdId: 'HH-1', communeId: 'XA-NGHIA-AN', areaType: 'RURAL', members: 0, registeredOn: '2020-03-01' } }),
      ),
    ).toStrictEqual(E.left(['data.members'])))
  it('decodes a well-formed command', () =>
    expect(Household.decodeHouseholdCommand(JSON.parse(JSON.stringify(Household.HouseholdCommand.encode(register))))).toStrictEqual(E.right(register)))
})
