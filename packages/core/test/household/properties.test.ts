import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect } from 'vitest'
import { addDays, classify, day, foldHistory, Household, standardById, type LocalDate, type PovertyStandard } from '@policy-credit/core'
import { daysBetweenInclusive, householdCommands, householdCommandSequences, householdHistories, householdIds, nationalStandards, assessments, decideAll } from '@policy-credit/core/testing'

const anyDay = daysBetweenInclusive(day('2010-01-01'), day('2031-12-31'))
const jsonRoundTrip = <A, O>(codec: { readonly encode: (a: A) => O; readonly decode: (u: unknown) => E.Either<unknown, A> }, value: A) =>
  codec.decode(JSON.parse(JSON.stringify(codec.encode(value))))

describe('Household properties', () => {
  test.prop([householdCommandSequences()])('evolve accepts every event decide makes, and replaying them rebuilds the same state', (commands) => {
    const history = decideAll(commands)
    const replayed = foldHistory(Household.householdDecider, history.events)
    expect(replayed).toStrictEqual(history.household)
    const count = (type: Household.HouseholdEvent['type']) => history.events.filter((event) => event.type === type).length
    if (replayed.status !== 'Unregistered') {
      expect(replayed.assessments.length).toBe(count('HouseholdAssessed'))
      expect(replayed.recognitions.length).toBe(count('HouseholdClassRecognised'))
      expect(replayed.exits.length).toBe(count('HouseholdExitedPoverty'))
    }
    expect(replayed.status === 'Dissolved').toBe(count('HouseholdDissolved') === 1)
  })

  test.prop([householdHistories()])('every event round-trips through its codec and JSON', ({ events }) => {
    for (const event of events) expect(jsonRoundTrip(Household.HouseholdEvent, event)).toStrictEqual(E.right(event))
  })

  test.prop([householdIds.chain(householdCommands)])('every command round-trips through decodeHouseholdCommand and JSON', (command) => {
    expect(Household.decodeHouseholdCommand(JSON.parse(JSON.stringify(Household.HouseholdCommand.encode(command))))).toStrictEqual(E.right(command))
  })

  test.prop([householdHistories()])('a recognised class is the class its standard gives the assessment', ({ events }) => {
    events.forEach((event, index) => {
      if (event.type !== 'HouseholdClassRecognised') return
      const assessment = events
        .slice(0, index)
        .filter((earlier): earlier is Household.HouseholdAssessed => earlier.type === 'HouseholdAssessed')
        .filter((earlier) => earlier.data.standardId === event.data.standardId && earlier.data.reviewYear === event.data.reviewYear && earlier.data.reviewKind === event.data.reviewKind)
        .at(-1)
      expect(assessment).toBeDefined()
      const standard = O.toUndefined(standardById(event.data.standardId)) as PovertyStandard
      expect(event.data.householdClass).toBe(assessment === undefined ? undefined : classify(assessment.data, standard))
    })
  })

  test.prop([householdHistories(), fc.array(anyDay, { minLength: 1, maxLength: 8 })])(
    'on any day a household holds at most one review class, and every status comes with evidence already in force',
    ({ household }, days) => {
      for (const date of days) {
        const statuses = Household.classesInForceOn(household, date)
        expect(statuses.filter((status) => !status.householdClass.startsWith('ESCAPED_')).length).toBeLessThanOrEqual(1)
        for (const status of statuses) {
          expect(status.evidence.effectiveFrom <= date).toBe(true)
          if (status.escapedStatusEndsOn !== undefined) expect(date < status.escapedStatusEndsOn).toBe(true)
        }
        expect(O.toUndefined(Household.classInForceOn(household, date))).toStrictEqual(statuses[0])
      }
    },
  )

  test.prop([householdHistories()])('a newly-escaped status lasts exactly three years from the exit', ({ events, household }) => {
    for (const event of events) {
      if (event.type !== 'HouseholdExitedPoverty') continue
      const { exitedOn, escapedStatusEndsOn, escapedClass } = event.data
      const holds = (date: LocalDate) => Household.classesInForceOn(household, date).some((status) => status.householdClass === escapedClass)
      const endedEarlier = (date: LocalDate) => household.status === 'Dissolved' && household.dissolvedOn <= date
      const relisted = (date: LocalDate) => O.exists((found: Household.RecognitionRecord) => Household.isOnAList(found.householdClass))(Household.recognitionInForceOn(household, date))
      expect(escapedStatusEndsOn).toBe(day(`${Number(exitedOn.slice(0, 4)) + 3}${exitedOn.slice(4)}`))
      const renewed = events.some(
        (other) => other !== event && other.type === 'HouseholdExitedPoverty' && other.data.escapedClass === escapedClass && other.data.exitedOn <= escapedStatusEndsOn && escapedStatusEndsOn < other.data.escapedStatusEndsOn,
      )
      if (!renewed) expect(holds(escapedStatusEndsOn)).toBe(false)
      const lastDay = addDays(escapedStatusEndsOn, -1)
      if (!endedEarlier(lastDay) && !relisted(lastDay)) expect(holds(lastDay)).toBe(true)
    }
  })

  test.prop([nationalStandards.chain((standard) => fc.tuple(fc.constant(standard), assessments(standard)))])(
    'the exported assessment arbitrary stays within its standard’s indicators and years',
    ([standard, assessment]) => {
      expect(assessment.deprivedIndicators.every((indicator) => standard.indicators.includes(indicator))).toBe(true)
      expect(O.isSome(O.fromPredicate((found: PovertyStandard) => found.id === standard.id)(standard))).toBe(true)
      expect(assessment.assessedOn >= standard.validFrom).toBe(true)
    },
  )
})
