/**
 * How a household document is stored. A town's query reads every household that ever lived in it, so
 * the stored form is short rows (arrays) instead of objects repeating their keys, and reading it checks
 * each row's shape with plain comparisons: about three times less JSON to parse and far less to check
 * than the same document through io-ts. The rows hold every field of the core's records, so a
 * document read back equals the one written (a property test holds it to that).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Household, LocalDate } from '@policy-credit/core'
import type { HouseholdDocument } from './documents.ts'
import type { ExitFact, Place, Segment } from './timeline.ts'

type Row = ReadonlyArray<unknown>

const STANDARDS = new Set(['QD-09-2011', 'QD-59-2015', 'ND-07-2021'])
const REVIEW_CLASSES = new Set(['POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'NONE'])
const LISTS = new Set(['POOR', 'NEAR_POOR'])
const ESCAPED = new Set(['ESCAPED_POVERTY', 'ESCAPED_NEAR_POVERTY'])
const REVIEW_KINDS = new Set(['PERIODIC', 'REGULAR'])
const AREA_TYPES = new Set(['RURAL', 'URBAN'])
const STATUSES = new Set(['Registered', 'Dissolved'])

type Check = (value: unknown) => boolean
const date: Check = (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
const text: Check = (value) => typeof value === 'string' && value.length > 0
const whole: Check = (value) => Number.isSafeInteger(value)
const oneOf =
  (values: ReadonlySet<string>): Check =>
  (value) =>
    typeof value === 'string' && values.has(value)
const orNull =
  (check: Check): Check =>
  (value) =>
    value === null || check(value)
const flag: Check = (value) => value === 0 || value === 1

const rowsOf = (value: unknown, checks: ReadonlyArray<Check>): ReadonlyArray<Row> | undefined =>
  Array.isArray(value) && value.every((row) => Array.isArray(row) && row.length === checks.length && checks.every((check, index) => check(row[index]))) ? value : undefined

const RECOGNITION: ReadonlyArray<Check> = [oneOf(STANDARDS), whole, oneOf(REVIEW_KINDS), oneOf(REVIEW_CLASSES), orNull(oneOf(REVIEW_CLASSES)), text, date, date, text, oneOf(AREA_TYPES)]
const EXIT: ReadonlyArray<Check> = [oneOf(STANDARDS), whole, oneOf(REVIEW_KINDS), oneOf(LISTS), oneOf(ESCAPED), text, date, date, date, text, oneOf(AREA_TYPES)]
const PLACE: ReadonlyArray<Check> = [date, text]
const SEGMENT: ReadonlyArray<Check> = [date, orNull(text), orNull(oneOf(STANDARDS)), orNull(oneOf(REVIEW_CLASSES)), flag, flag]
const EXIT_FACT: ReadonlyArray<Check> = [oneOf(STANDARDS), oneOf(LISTS), date]
const HOUSEHOLD: ReadonlyArray<Check> = [oneOf(STATUSES), text, text, oneOf(AREA_TYPES), whole, date, orNull(date)]

export const encodeHouseholdDocument = (document: HouseholdDocument): unknown => {
  const { household } = document
  const registered =
    household.status === 'Unregistered'
      ? null
      : {
          household: [household.status, household.householdId, household.communeId, household.areaType, household.members, household.registeredOn, household.status === 'Dissolved' ? household.dissolvedOn : null],
          recognitions: household.recognitions.map((r) => [r.standardId, r.reviewYear, r.reviewKind, r.householdClass, r.previousClass, r.decisionNumber, r.decisionDate, r.effectiveFrom, r.communeId, r.areaType]),
          exits: household.exits.map((x) => [x.standardId, x.reviewYear, x.reviewKind, x.exitedFrom, x.escapedClass, x.decisionNumber, x.decisionDate, x.exitedOn, x.escapedStatusEndsOn, x.communeId, x.areaType]),
        }
  return {
    kind: 'household',
    registered,
    places: document.places.map((place) => [place.from, place.communeId]),
    timeline: document.timeline.map((s) => [s.from, s.communeId, s.standardId, s.reviewClass, s.escapedPoverty ? 1 : 0, s.escapedNearPoverty ? 1 : 0]),
    exitFacts: document.exits.map((fact) => [fact.standardId, fact.exitedFrom, fact.exitedOn]),
  }
}

// The rows were checked above; these turn them back into the core's records, field for field.
const householdOf = (registered: { readonly household: Row; readonly recognitions: ReadonlyArray<Row>; readonly exits: ReadonlyArray<Row> } | null): Household.Household => {
  if (registered === null) return { status: 'Unregistered' }
  const [status, householdId, communeId, areaType, members, registeredOn, dissolvedOn] = registered.household
  const record = {
    householdId,
    communeId,
    areaType,
    members,
    registeredOn,
    assessments: [],
    recognitions: registered.recognitions.map(([standardId, reviewYear, reviewKind, householdClass, previousClass, decisionNumber, decisionDate, effectiveFrom, recognisedIn, recognisedArea]) => ({
      householdId,
      communeId: recognisedIn,
      areaType: recognisedArea,
      standardId,
      reviewYear,
      reviewKind,
      decisionNumber,
      decisionDate,
      householdClass,
      previousClass,
      effectiveFrom,
    })),
    exits: registered.exits.map(([standardId, reviewYear, reviewKind, exitedFrom, escapedClass, decisionNumber, decisionDate, exitedOn, escapedStatusEndsOn, exitedIn, exitedArea]) => ({
      householdId,
      communeId: exitedIn,
      areaType: exitedArea,
      standardId,
      reviewYear,
      reviewKind,
      decisionNumber,
      decisionDate,
      exitedFrom,
      escapedClass,
      exitedOn,
      escapedStatusEndsOn,
    })),
  }
  return (status === 'Dissolved' ? { status, dissolvedOn, ...record } : { status, ...record }) as Household.Household
}

export const decodeHouseholdDocument = (json: unknown): E.Either<string, HouseholdDocument> => {
  const stored = json as { readonly registered?: unknown; readonly places?: unknown; readonly timeline?: unknown; readonly exitFacts?: unknown }
  const registered = stored.registered as { readonly household?: unknown; readonly recognitions?: unknown; readonly exits?: unknown } | null | undefined
  const household = registered === null ? null : registered === undefined || !Array.isArray(registered.household) ? undefined : rowsOf([registered.household], HOUSEHOLD)?.[0]
  const recognitions = registered === null ? [] : rowsOf(registered?.recognitions, RECOGNITION)
  const exits = registered === null ? [] : rowsOf(registered?.exits, EXIT)
  const places = rowsOf(stored.places, PLACE)
  const timeline = rowsOf(stored.timeline, SEGMENT)
  const exitFacts = rowsOf(stored.exitFacts, EXIT_FACT)
  if (household === undefined || recognitions === undefined || exits === undefined || places === undefined || timeline === undefined || exitFacts === undefined)
    return E.left(`not a stored household document: ${JSON.stringify(json).slice(0, 200)}`)
  return E.right({
    kind: 'household',
    household: householdOf(household === null ? null : { household, recognitions, exits }),
    places: places.map(([from, communeId]) => ({ from, communeId }) as Place),
    timeline: timeline.map(([from, communeId, standardId, reviewClass, escapedPoverty, escapedNearPoverty]) => ({ from, communeId, standardId, reviewClass, escapedPoverty: escapedPoverty === 1, escapedNearPoverty: escapedNearPoverty === 1 }) as Segment),
    exits: exitFacts.map(([standardId, exitedFrom, exitedOn]) => ({ standardId, exitedFrom, exitedOn: exitedOn as LocalDate }) as ExitFact),
  })
}
