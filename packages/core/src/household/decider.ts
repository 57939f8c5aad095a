/**
 * The Household aggregate (stream `household-<id>`) as a decider. The poverty standards and review
 * rules it judges by come in the context, so a deployment's provincial lines apply without code.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import { match, P } from 'ts-pattern'
import type { Decider } from '../shared/decider.ts'
import { addYears, type LocalDate } from '../values/dates.ts'
import {
  classify,
  incomeLinesOn,
  indicatorsOutsideStandard,
  nationalPovertyStandards,
  standardById,
  type PovertyStandardCatalogue,
} from '../reference/povertyStandards.ts'
import { nationalReviewRules, resultTakesEffectOn, reviewPeriod, reviewRulesForYear, standardForReview, type ReviewRules } from '../reference/reviewRules.ts'
import type { ReviewClass } from '../reference/types.ts'
import { isOnAList, recognitionInForceOn } from './classInForce.ts'
import type { AssessHousehold, DissolveHousehold, HouseholdCommand, MoveHouseholdToCommune, RecogniseHouseholdClass } from './commands.ts'
import type { HouseholdEvent } from './events.ts'
import type { HouseholdRejection } from './rejections.ts'
import { unregistered, type Household, type HouseholdRecord } from './state.ts'

export interface HouseholdContext {
  readonly standards: PovertyStandardCatalogue
  readonly reviewRules: ReadonlyArray<ReviewRules>
}

export const nationalHouseholdContext: HouseholdContext = { standards: nationalPovertyStandards, reviewRules: nationalReviewRules }

type Registered = Extract<Household, { readonly status: 'Registered' }>
type Decision = E.Either<HouseholdRejection, ReadonlyArray<HouseholdEvent>>

const onOrAfterRegistration = (household: Registered, date: LocalDate): E.Either<HouseholdRejection, LocalDate> =>
  date < household.registeredOn ? E.left({ _tag: 'DateBeforeRegistration', registeredOn: household.registeredOn, date }) : E.right(date)

const guard = (holds: boolean, rejection: () => HouseholdRejection): E.Either<HouseholdRejection, void> =>
  holds ? E.right(undefined) : E.left(rejection())

const rulesForYear = (reviewYear: number, context: HouseholdContext) =>
  pipe(
    reviewRulesForYear(reviewYear, context.reviewRules),
    E.fromOption((): HouseholdRejection => ({ _tag: 'NoReviewRulesForYear', reviewYear })),
  )

const listedTwice = <A>(items: ReadonlyArray<A>): ReadonlyArray<A> => items.filter((item, index) => items.indexOf(item) !== index)

const assess = ({ data }: AssessHousehold, household: Registered, context: HouseholdContext): Decision =>
  pipe(
    onOrAfterRegistration(household, data.assessedOn),
    E.flatMap(() => pipe(standardById(data.standardId, context.standards), E.fromOption((): HouseholdRejection => ({ _tag: 'PovertyStandardNotInCatalogue', standardId: data.standardId })))),
    E.bindTo('standard'),
    E.bind('rules', () => rulesForYear(data.reviewYear, context)),
    E.tap(({ rules }) => {
      const period = reviewPeriod(rules, data.reviewKind, data.reviewYear)
      return guard(period.from <= data.assessedOn && data.assessedOn <= period.to, () => ({
        _tag: 'AssessmentOutsideReviewPeriod',
        reviewKind: data.reviewKind,
        reviewYear: data.reviewYear,
        assessedOn: data.assessedOn,
        periodFrom: period.from,
        periodTo: period.to,
      }))
    }),
    E.tap(() => {
      const applicable = standardForReview(data.reviewKind, data.reviewYear, data.assessedOn, context.standards)
      return guard(O.exists((standard: { readonly id: string }) => standard.id === data.standardId)(applicable), () => ({
        _tag: 'StandardDoesNotApplyToReview',
        standardId: data.standardId,
        reviewKind: data.reviewKind,
        reviewYear: data.reviewYear,
        applicableStandardId: O.toNullable(O.map((standard: { readonly id: typeof data.standardId }) => standard.id)(applicable)),
      }))
    }),
    E.tap(({ standard }) => {
      const outside = indicatorsOutsideStandard(standard, data.deprivedIndicators)
      return guard(outside.length === 0, () => ({ _tag: 'IndicatorsOutsideStandard', standardId: standard.id, indicators: outside }))
    }),
    E.tap(() => {
      const twice = listedTwice(data.deprivedIndicators)
      return guard(twice.length === 0, () => ({ _tag: 'IndicatorsListedTwice', indicators: twice }))
    }),
    E.map(({ standard }): ReadonlyArray<HouseholdEvent> => {
      const assessment = { areaType: household.areaType, assessedOn: data.assessedOn, incomePerPersonPerMonth: data.incomePerPersonPerMonth, deprivedIndicators: data.deprivedIndicators }
      return [
        {
          type: 'HouseholdAssessed',
          data: {
            ...data,
            communeId: household.communeId,
            areaType: household.areaType,
            assessedClass: classify(assessment, standard),
            incomeLinesSource: incomeLinesOn(standard, household.areaType, data.assessedOn).source,
          },
        },
      ]
    }),
  )

/** The list a household leaves when its new class takes it off both lists, if it was on one. */
const exitedList = (before: ReviewClass | undefined, after: ReviewClass) =>
  before !== undefined && isOnAList(before) && !isOnAList(after) ? (before as 'POOR' | 'NEAR_POOR') : undefined

const recognise = ({ data }: RecogniseHouseholdClass, household: Registered, context: HouseholdContext): Decision =>
  pipe(
    onOrAfterRegistration(household, data.decisionDate),
    E.flatMap(() =>
      pipe(
        O.fromNullable(
          household.assessments
            .filter((assessment) => assessment.standardId === data.standardId && assessment.reviewYear === data.reviewYear && assessment.reviewKind === data.reviewKind)
            .at(-1),
        ),
        E.fromOption((): HouseholdRejection => ({ _tag: 'NoAssessmentForReview', standardId: data.standardId, reviewKind: data.reviewKind, reviewYear: data.reviewYear })),
      ),
    ),
    E.tap((assessment) =>
      guard(assessment.assessedOn <= data.decisionDate, () => ({ _tag: 'DecisionBeforeAssessment', assessedOn: assessment.assessedOn, decisionDate: data.decisionDate })),
    ),
    E.bindTo('assessment'),
    E.bind('rules', () => rulesForYear(data.reviewYear, context)),
    E.map(({ assessment, rules }): ReadonlyArray<HouseholdEvent> => {
      const householdClass = assessment.assessedClass
      const sameReview = household.recognitions.filter((recognition) => recognition.standardId === data.standardId && recognition.reviewYear === data.reviewYear)
      const latestOfReview = sameReview[sameReview.length - 1]
      // The same decision arriving again records nothing new.
      if (latestOfReview !== undefined && latestOfReview.decisionNumber === data.decisionNumber && latestOfReview.householdClass === householdClass) return []
      const effectiveFrom = resultTakesEffectOn(rules, data.reviewKind, data.reviewYear, data.decisionDate)
      const before = O.toUndefined(O.map((recognition: { readonly householdClass: ReviewClass }) => recognition.householdClass)(recognitionInForceOn(household, effectiveFrom)))
      const reportDimensions = { householdId: data.householdId, communeId: household.communeId, areaType: household.areaType, standardId: data.standardId, reviewYear: data.reviewYear, reviewKind: data.reviewKind }
      const recognised: HouseholdEvent = {
        type: 'HouseholdClassRecognised',
        data: { ...reportDimensions, householdClass, previousClass: latestOfReview?.householdClass ?? null, decisionNumber: data.decisionNumber, decisionDate: data.decisionDate, effectiveFrom },
      }
      const exited = exitedList(before, householdClass)
      return exited === undefined
        ? [recognised]
        : [
            recognised,
            {
              type: 'HouseholdExitedPoverty',
              data: {
                ...reportDimensions,
                exitedFrom: exited,
                escapedClass: exited === 'POOR' ? 'ESCAPED_POVERTY' : 'ESCAPED_NEAR_POVERTY',
                decisionNumber: data.decisionNumber,
                decisionDate: data.decisionDate,
                exitedOn: effectiveFrom,
                escapedStatusEndsOn: addYears(effectiveFrom, rules.escapedStatusYears),
              },
            },
          ]
    }),
  )

const move = ({ data }: MoveHouseholdToCommune, household: Registered): Decision =>
  pipe(
    onOrAfterRegistration(household, data.movedOn),
    E.map((): ReadonlyArray<HouseholdEvent> =>
      data.toCommuneId === household.communeId && data.areaType === household.areaType
        ? []
        : [{ type: 'HouseholdMovedCommune', data: { householdId: data.householdId, fromCommuneId: household.communeId, toCommuneId: data.toCommuneId, areaType: data.areaType, movedOn: data.movedOn } }],
    ),
  )

const dissolve = ({ data }: DissolveHousehold, household: Registered): Decision =>
  pipe(
    onOrAfterRegistration(household, data.dissolvedOn),
    E.map((): ReadonlyArray<HouseholdEvent> => [{ type: 'HouseholdDissolved', data: { ...data, communeId: household.communeId } }]),
  )

const decide = (command: HouseholdCommand, household: Household, context: HouseholdContext): Decision =>
  match([command, household])
    .returnType<Decision>()
    .with([{ type: 'RegisterHousehold' }, { status: 'Unregistered' }], ([{ data }]) => E.right([{ type: 'HouseholdRegistered', data }]))
    .with([{ type: 'AssessHousehold' }, { status: 'Registered' }], ([assessCommand, registered]) => assess(assessCommand, registered, context))
    .with([{ type: 'RecogniseHouseholdClass' }, { status: 'Registered' }], ([recogniseCommand, registered]) => recognise(recogniseCommand, registered, context))
    .with([{ type: 'MoveHouseholdToCommune' }, { status: 'Registered' }], ([moveCommand, registered]) => move(moveCommand, registered))
    .with([{ type: 'DissolveHousehold' }, { status: 'Registered' }], ([dissolveCommand, registered]) => dissolve(dissolveCommand, registered))
    // One fallback per command type, so a new command type still fails `.exhaustive()`.
    .with(
      [{ type: 'RegisterHousehold' }, P._],
      [{ type: 'AssessHousehold' }, P._],
      [{ type: 'RecogniseHouseholdClass' }, P._],
      [{ type: 'MoveHouseholdToCommune' }, P._],
      [{ type: 'DissolveHousehold' }, P._],
      ([rejected, other]) => E.left({ _tag: 'HouseholdStatusDisallowsCommand', command: rejected.type, status: other.status }),
    )
    .exhaustive()

/** Applies a change to a household that exists; decide emits nothing for one that does not. */
const onRecord = (household: Household, change: (record: HouseholdRecord) => Partial<HouseholdRecord>): Household =>
  household.status === 'Unregistered' ? household : { ...household, ...change(household) }

const evolve = (household: Household, event: HouseholdEvent): Household =>
  match(event)
    .returnType<Household>()
    .with({ type: 'HouseholdRegistered' }, ({ data }) => ({
      status: 'Registered',
      householdId: data.householdId,
      communeId: data.communeId,
      areaType: data.areaType,
      members: data.members,
      registeredOn: data.registeredOn,
      assessments: [],
      recognitions: [],
      exits: [],
    }))
    .with({ type: 'HouseholdAssessed' }, ({ data }) => onRecord(household, (record) => ({ assessments: [...record.assessments, data] })))
    .with({ type: 'HouseholdClassRecognised' }, ({ data }) => onRecord(household, (record) => ({ recognitions: [...record.recognitions, data] })))
    .with({ type: 'HouseholdExitedPoverty' }, ({ data }) => onRecord(household, (record) => ({ exits: [...record.exits, data] })))
    .with({ type: 'HouseholdMovedCommune' }, ({ data }) => onRecord(household, () => ({ communeId: data.toCommuneId, areaType: data.areaType })))
    .with({ type: 'HouseholdDissolved' }, ({ data }) =>
      household.status === 'Unregistered' ? household : { ...household, status: 'Dissolved', dissolvedOn: data.dissolvedOn },
    )
    .exhaustive()

export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, Household, HouseholdRejection, HouseholdContext> = {
  initialState: unregistered,
  evolve,
  decide,
}

export const householdStreamId = (householdId: string): string => `household-${householdId}`
