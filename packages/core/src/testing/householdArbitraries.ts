/**
 * fast-check arbitraries for households, for this library's tests and for users' own: assessments
 * under a standard, household commands, command sequences, and the histories `decide` makes of them.
 * Most generated commands are valid for the household they address (right standard, dates inside
 * the review window, indicators of the standard), so histories go far; some are not, so rejections
 * are exercised too.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import fc from 'fast-check'
import { addDays, daysBetween, day, type LocalDate } from '../values/dates.ts'
import { CommuneId, DecisionNumber, HouseholdId, idOf } from '../values/identifiers.ts'
import { vnd } from '../values/money.ts'
import {
  nationalPovertyStandards,
  standardById,
  type Assessment,
  type DeprivationIndicator,
  type PovertyStandard,
  type PovertyStandardCatalogue,
} from '../reference/povertyStandards.ts'
import { standardForReview, type ReviewKind } from '../reference/reviewRules.ts'
import type { AreaType, PovertyStandardId } from '../reference/types.ts'
import type { HouseholdCommand } from '../household/commands.ts'
import { householdDecider, nationalHouseholdContext, type HouseholdContext } from '../household/decider.ts'
import type { HouseholdEvent } from '../household/events.ts'
import type { MemberCount, ReviewYear } from '../household/fields.ts'
import type { HouseholdRejection } from '../household/rejections.ts'
import type { Household } from '../household/state.ts'

/** A day in [from, to], both inclusive. */
export const daysBetweenInclusive = (from: LocalDate, to: LocalDate): fc.Arbitrary<LocalDate> =>
  fc.integer({ min: 0, max: Math.max(0, daysBetween(from, to)) }).map((offset) => addDays(from, offset))

export const householdIds: fc.Arbitrary<HouseholdId> = fc.integer({ min: 1, max: 999_999 }).map((n) => idOf(HouseholdId, `HH-${n}`))
export const communeIds: fc.Arbitrary<CommuneId> = fc
  .constantFrom('XA-NGHIA-AN', 'XA-NGHIA-LOI', 'XA-NGHIA-PHUC', 'PHUONG-TAN-AN', 'PHUONG-PU-TRANG')
  .map((code) => idOf(CommuneId, code))
export const areaTypes: fc.Arbitrary<AreaType> = fc.constantFrom('RURAL', 'URBAN')
export const decisionNumbers: fc.Arbitrary<DecisionNumber> = fc.integer({ min: 1, max: 9_999 }).map((n) => idOf(DecisionNumber, `${n}/QD-UBND`))
const reviewKinds: fc.Arbitrary<ReviewKind> = fc.constantFrom('PERIODIC', 'REGULAR')
const STANDARD_IDS: ReadonlyArray<PovertyStandardId> = ['QD-09-2011', 'QD-59-2015', 'ND-07-2021']

const lineValues = (standard: PovertyStandard): ReadonlyArray<bigint> =>
  (['RURAL', 'URBAN'] as const).flatMap((area) => {
    const lines = standard.lines[area]
    return [lines.poverty, lines.nearPoverty, ...(lines.averageLiving === undefined ? [] : [lines.averageLiving])]
  })

/** Incomes on a line of the standard, one đồng either side of it, or anywhere up to 5 million. */
export const incomesFor = (standard: PovertyStandard) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...lineValues(standard)), fc.constantFrom(-1n, 0n, 1n)).map(([line, offset]) => vnd(line + offset)),
    fc.bigInt({ min: 0n, max: 5_000_000n }).map(vnd),
  )

export const deprivedIndicatorsOf = (standard: PovertyStandard): fc.Arbitrary<ReadonlyArray<DeprivationIndicator>> =>
  fc.shuffledSubarray([...standard.indicators])

/** Assessments a standard can classify, dated within the years it is applied to. */
export const assessments = (standard: PovertyStandard): fc.Arbitrary<Assessment> =>
  fc.record({
    areaType: areaTypes,
    assessedOn: daysBetweenInclusive(standard.validFrom, standard.validTo === undefined ? day('2029-12-31') : addDays(standard.validTo, -1)),
    incomePerPersonPerMonth: incomesFor(standard),
    deprivedIndicators: deprivedIndicatorsOf(standard),
  })

const yearDays = (year: number, kind: ReviewKind) =>
  kind === 'PERIODIC' ? daysBetweenInclusive(day(`${year}-09-01`), day(`${year}-12-14`)) : daysBetweenInclusive(day(`${year}-01-01`), day(`${year}-12-31`))

const standardOrFirst = (catalogue: PovertyStandardCatalogue, found: O.Option<PovertyStandard>): PovertyStandard =>
  O.getOrElse(() => catalogue.standards[0] as PovertyStandard)(found)

/**
 * One review of the household: an assessment and, usually, its recognition, for the standard the
 * review must use; now and then the standard or an indicator is wrong, or the recognition comes alone.
 */
export const reviewCommands = (
  householdId: HouseholdId,
  catalogue: PovertyStandardCatalogue = nationalPovertyStandards,
): fc.Arbitrary<ReadonlyArray<HouseholdCommand>> =>
  fc
    .record({ year: fc.integer({ min: 2011, max: 2026 }), kind: reviewKinds })
    .chain(({ year, kind }) => fc.record({ year: fc.constant(year), kind: fc.constant(kind), assessedOn: yearDays(year, kind) }))
    .chain(({ year, kind, assessedOn }) => {
      const standard = standardOrFirst(catalogue, standardForReview(kind, year, assessedOn, catalogue))
      return fc.record({
        standardId: fc.oneof({ weight: 9, arbitrary: fc.constant(standard.id) }, { weight: 1, arbitrary: fc.constantFrom(...STANDARD_IDS) }),
        income: incomesFor(standard),
        deprived: fc.oneof({ weight: 9, arbitrary: deprivedIndicatorsOf(standard) }, { weight: 1, arbitrary: fc.array(fc.constantFrom<DeprivationIndicator>('EMPLOYMENT', 'ACCESS_TO_HEALTH_SERVICES'), { maxLength: 2 }) }),
        decisionDate: daysBetweenInclusive(addDays(assessedOn, -3), day(`${year}-12-31`)),
        decisionNumber: decisionNumbers,
        shape: fc.constantFrom('ASSESS_AND_RECOGNISE', 'ASSESS_AND_RECOGNISE', 'ASSESS_AND_RECOGNISE', 'ASSESS_ONLY', 'RECOGNISE_ONLY'),
      }).map(({ standardId, income, deprived, decisionDate, decisionNumber, shape }): ReadonlyArray<HouseholdCommand> => {
        const reviewYear = year as ReviewYear
        const assess: HouseholdCommand = {
          type: 'AssessHousehold',
          data: { householdId, standardId, reviewYear, reviewKind: kind, assessedOn, incomePerPersonPerMonth: income, deprivedIndicators: deprived },
        }
        const recognise: HouseholdCommand = {
          type: 'RecogniseHouseholdClass',
          data: { householdId, standardId, reviewYear, reviewKind: kind, decisionNumber, decisionDate },
        }
        return shape === 'ASSESS_ONLY' ? [assess] : shape === 'RECOGNISE_ONLY' ? [recognise] : [assess, recognise]
      })
    })

export const registerCommands = (householdId: HouseholdId): fc.Arbitrary<HouseholdCommand> =>
  fc.record({ communeId: communeIds, areaType: areaTypes, members: fc.integer({ min: 1, max: 12 }), registeredOn: daysBetweenInclusive(day('2010-01-01'), day('2016-12-31')) }).map(
    ({ communeId, areaType, members, registeredOn }) => ({ type: 'RegisterHousehold', data: { householdId, communeId, areaType, members: members as MemberCount, registeredOn } }),
  )

const moveCommands = (householdId: HouseholdId): fc.Arbitrary<HouseholdCommand> =>
  fc.record({ toCommuneId: communeIds, areaType: areaTypes, movedOn: daysBetweenInclusive(day('2009-06-01'), day('2026-12-31')) }).map((data) => ({ type: 'MoveHouseholdToCommune', data: { householdId, ...data } }))

const dissolveCommands = (householdId: HouseholdId): fc.Arbitrary<HouseholdCommand> =>
  daysBetweenInclusive(day('2009-06-01'), day('2027-12-31')).map((dissolvedOn) => ({ type: 'DissolveHousehold', data: { householdId, dissolvedOn } }))

/** Every kind of household command, for codec tests. */
export const householdCommands = (householdId: HouseholdId): fc.Arbitrary<HouseholdCommand> =>
  fc.oneof(
    registerCommands(householdId),
    reviewCommands(householdId).map((commands) => commands[0] as HouseholdCommand),
    reviewCommands(householdId).map((commands) => commands[commands.length - 1] as HouseholdCommand),
    moveCommands(householdId),
    dissolveCommands(householdId),
  )

/** A household's commands in order: usually a registration first, then reviews, moves, and rarely a dissolution. */
export const householdCommandSequences = (catalogue: PovertyStandardCatalogue = nationalPovertyStandards): fc.Arbitrary<ReadonlyArray<HouseholdCommand>> =>
  householdIds.chain((householdId) =>
    fc
      .tuple(
        fc.oneof({ weight: 19, arbitrary: registerCommands(householdId).map((command) => [command]) }, { weight: 1, arbitrary: fc.constant([]) }),
        fc.array(
          fc.oneof(
            { weight: 16, arbitrary: reviewCommands(householdId, catalogue) },
            { weight: 2, arbitrary: moveCommands(householdId).map((command) => [command]) },
            { weight: 1, arbitrary: registerCommands(householdId).map((command) => [command]) },
            { weight: 1, arbitrary: dissolveCommands(householdId).map((command) => [command]) },
          ),
          { maxLength: 20 },
        ),
      )
      .map(([registration, steps]) => [...registration, ...steps.flat()]),
  )

export interface DecidedHistory {
  readonly events: ReadonlyArray<HouseholdEvent>
  readonly rejections: ReadonlyArray<HouseholdRejection>
  readonly household: Household
}

/** Runs commands through `decide` and `evolve` in order, keeping the events and the rejections. */
export const decideAll = (commands: ReadonlyArray<HouseholdCommand>, context: HouseholdContext = nationalHouseholdContext): DecidedHistory =>
  commands.reduce<DecidedHistory>(
    (history, command) =>
      E.match<HouseholdRejection, ReadonlyArray<HouseholdEvent>, DecidedHistory>(
        (rejection) => ({ ...history, rejections: [...history.rejections, rejection] }),
        (events) => ({ ...history, events: [...history.events, ...events], household: events.reduce(householdDecider.evolve, history.household) }),
      )(householdDecider.decide(command, history.household, context)),
    { events: [], rejections: [], household: householdDecider.initialState },
  )

/** Histories that `decide` made, for tests of projections and queries over household events. */
export const householdHistories = (context: HouseholdContext = nationalHouseholdContext): fc.Arbitrary<DecidedHistory> =>
  householdCommandSequences(context.standards).map((commands) => decideAll(commands, context))

/** A standard of the national catalogue, for tests that range over all of them. */
export const nationalStandards: fc.Arbitrary<PovertyStandard> = fc.constantFrom(...STANDARD_IDS).map((id) => standardOrFirst(nationalPovertyStandards, standardById(id)))
