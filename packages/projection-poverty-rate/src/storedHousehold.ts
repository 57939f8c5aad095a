/**
 * How a household document is stored: its facts only (timeline.ts), each list flat, a fact's fields one
 * after another (places by 2, recognitions by 3, exits by 5), with standards, classes and lists as their
 * index in the lists below, and read back with plain comparisons. A rebuild writes a household's document
 * once per runner batch that touches it (20,000 at the bench's town): version 4 halved their JSON from
 * version 3's rows of strings. The timeline is not stored: it is derived from the facts again when the
 * document is read, which costs less than writing, parsing and checking it. A document read back
 * equals the one written (the properties compare the stored model with the fold's documents).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { CommuneId, Household, LocalDate, PovertyStandardId, ReviewClass } from '@policy-credit/core'
import type { HouseholdDocument } from './documents.ts'
import { timelineOf, type Exit, type HouseholdFacts, type Place, type Recognition } from './timeline.ts'

// Stored as indices: append only, never reorder (test/documents.test.ts checks each holds every value of the core's codec).
export const STANDARDS: ReadonlyArray<PovertyStandardId> = ['QD-09-2011', 'QD-59-2015', 'ND-07-2021']
export const REVIEW_CLASSES: ReadonlyArray<ReviewClass> = ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'NONE']
export const LISTS: ReadonlyArray<Household.ExitedList> = ['POOR', 'NEAR_POOR']
export const ESCAPED: ReadonlyArray<Household.EscapedClass> = ['ESCAPED_POVERTY', 'ESCAPED_NEAR_POVERTY']

const indexIn = <Value extends string>(values: ReadonlyArray<Value>, value: Value): number => {
  const index = values.indexOf(value)
  // A value the core added and this list has not: refuse to write what could not be read back.
  if (index < 0) throw new Error(`no stored index for ${value}: add it at the end of its list in storedHousehold.ts`)
  return index
}

type Check = (value: unknown) => boolean
const date: Check = (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
const text: Check = (value) => typeof value === 'string' && value.length > 0
const indexOf =
  (values: ReadonlyArray<string>): Check =>
  (value) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) < values.length

/** Whether `value` is a flat list of facts, each `checks.length` values that pass their checks in turn. */
const isFlat = (value: unknown, checks: ReadonlyArray<Check>): value is ReadonlyArray<unknown> => {
  if (!Array.isArray(value) || value.length % checks.length !== 0) return false
  for (let index = 0; index < value.length; index += 1) if (!(checks[index % checks.length] as Check)(value[index])) return false
  return true
}

const PLACE: ReadonlyArray<Check> = [date, text]
const RECOGNITION: ReadonlyArray<Check> = [date, indexOf(STANDARDS), indexOf(REVIEW_CLASSES)]
const EXIT: ReadonlyArray<Check> = [indexOf(STANDARDS), indexOf(LISTS), indexOf(ESCAPED), date, date]

export const encodeHouseholdDocument = (document: HouseholdDocument): unknown => {
  const places: Array<unknown> = []
  for (const place of document.places) places.push(place.from, place.communeId)
  const recognitions: Array<unknown> = []
  for (const recognition of document.recognitions) recognitions.push(recognition.effectiveFrom, indexIn(STANDARDS, recognition.standardId), indexIn(REVIEW_CLASSES, recognition.householdClass))
  const exits: Array<unknown> = []
  for (const exit of document.exits)
    exits.push(indexIn(STANDARDS, exit.standardId), indexIn(LISTS, exit.exitedFrom), indexIn(ESCAPED, exit.escapedClass), exit.exitedOn, exit.escapedStatusEndsOn)
  return { kind: 'household', registeredOn: document.registeredOn, dissolvedOn: document.dissolvedOn, places, recognitions, exits }
}

export const decodeHouseholdDocument = (json: unknown): E.Either<string, HouseholdDocument> => {
  const stored = json as { readonly registeredOn?: unknown; readonly dissolvedOn?: unknown; readonly places?: unknown; readonly recognitions?: unknown; readonly exits?: unknown }
  const { places, recognitions, exits } = stored
  const registered = date(stored.registeredOn)
  // The projection keeps no fact of a household before its registration.
  const wellFormed =
    isFlat(places, PLACE) &&
    isFlat(recognitions, RECOGNITION) &&
    isFlat(exits, EXIT) &&
    (stored.dissolvedOn === null || (registered && date(stored.dissolvedOn))) &&
    (registered || (stored.registeredOn === null && places.length === 0 && recognitions.length === 0 && exits.length === 0))
  if (!wellFormed) return E.left(`not a stored household document: ${JSON.stringify(json).slice(0, 200)}`)
  // Every value was checked above; these turn the flat lists back into the facts, field for field.
  const facts: HouseholdFacts = {
    registeredOn: stored.registeredOn as LocalDate | null,
    dissolvedOn: stored.dissolvedOn as LocalDate | null,
    places: Array.from({ length: places.length / 2 }, (_, at): Place => ({ from: places[2 * at] as LocalDate, communeId: places[2 * at + 1] as CommuneId })),
    recognitions: Array.from(
      { length: recognitions.length / 3 },
      (_, at): Recognition => ({
        effectiveFrom: recognitions[3 * at] as LocalDate,
        standardId: STANDARDS[recognitions[3 * at + 1] as number] as PovertyStandardId,
        householdClass: REVIEW_CLASSES[recognitions[3 * at + 2] as number] as ReviewClass,
      }),
    ),
    exits: Array.from(
      { length: exits.length / 5 },
      (_, at): Exit => ({
        standardId: STANDARDS[exits[5 * at] as number] as PovertyStandardId,
        exitedFrom: LISTS[exits[5 * at + 1] as number] as Household.ExitedList,
        escapedClass: ESCAPED[exits[5 * at + 2] as number] as Household.EscapedClass,
        exitedOn: exits[5 * at + 3] as LocalDate,
        escapedStatusEndsOn: exits[5 * at + 4] as LocalDate,
      }),
    ),
  }
  const { registeredOn, dissolvedOn } = facts
  return E.right({ kind: 'household', registeredOn, dissolvedOn, places: facts.places, recognitions: facts.recognitions, exits: facts.exits, timeline: timelineOf(facts) })
}
