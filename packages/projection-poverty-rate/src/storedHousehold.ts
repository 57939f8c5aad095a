/**
 * How a household document is stored: its facts only (timeline.ts), as short rows (arrays) instead of
 * objects repeating their keys, and read back with plain comparisons. The timeline is not stored: it is
 * derived from the facts again when the document is read, which costs less than writing, parsing and
 * checking it. A document read back equals the one written (a property test holds it to that).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { LocalDate } from '@policy-credit/core'
import type { HouseholdDocument } from './documents.ts'
import { timelineOf, type Exit, type HouseholdFacts, type Place, type Recognition } from './timeline.ts'

type Row = ReadonlyArray<unknown>

const STANDARDS = new Set(['QD-09-2011', 'QD-59-2015', 'ND-07-2021'])
const REVIEW_CLASSES = new Set(['POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'NONE'])
const LISTS = new Set(['POOR', 'NEAR_POOR'])
const ESCAPED = new Set(['ESCAPED_POVERTY', 'ESCAPED_NEAR_POVERTY'])

type Check = (value: unknown) => boolean
const date: Check = (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
const text: Check = (value) => typeof value === 'string' && value.length > 0
const oneOf =
  (values: ReadonlySet<string>): Check =>
  (value) =>
    typeof value === 'string' && values.has(value)

const rowsOf = (value: unknown, checks: ReadonlyArray<Check>): ReadonlyArray<Row> | undefined =>
  Array.isArray(value) && value.every((row) => Array.isArray(row) && row.length === checks.length && checks.every((check, index) => check(row[index]))) ? value : undefined

const PLACE: ReadonlyArray<Check> = [date, text]
const RECOGNITION: ReadonlyArray<Check> = [date, oneOf(STANDARDS), oneOf(REVIEW_CLASSES)]
const EXIT: ReadonlyArray<Check> = [oneOf(STANDARDS), oneOf(LISTS), oneOf(ESCAPED), date, date]

export const encodeHouseholdDocument = (document: HouseholdDocument): unknown => ({
  kind: 'household',
  registeredOn: document.registeredOn,
  dissolvedOn: document.dissolvedOn,
  places: document.places.map((place) => [place.from, place.communeId]),
  recognitions: document.recognitions.map((r) => [r.effectiveFrom, r.standardId, r.householdClass]),
  exits: document.exits.map((x) => [x.standardId, x.exitedFrom, x.escapedClass, x.exitedOn, x.escapedStatusEndsOn]),
})

export const decodeHouseholdDocument = (json: unknown): E.Either<string, HouseholdDocument> => {
  const stored = json as { readonly registeredOn?: unknown; readonly dissolvedOn?: unknown; readonly places?: unknown; readonly recognitions?: unknown; readonly exits?: unknown }
  const places = rowsOf(stored.places, PLACE)
  const recognitions = rowsOf(stored.recognitions, RECOGNITION)
  const exits = rowsOf(stored.exits, EXIT)
  const registered = date(stored.registeredOn)
  // The projection keeps no fact of a household before its registration.
  const wellFormed =
    places !== undefined &&
    recognitions !== undefined &&
    exits !== undefined &&
    (stored.dissolvedOn === null || (registered && date(stored.dissolvedOn))) &&
    (registered || (stored.registeredOn === null && places.length === 0 && recognitions.length === 0 && exits.length === 0))
  if (!wellFormed) return E.left(`not a stored household document: ${JSON.stringify(json).slice(0, 200)}`)
  // The rows were checked above; these turn them back into the facts, field for field.
  const facts: HouseholdFacts = {
    registeredOn: stored.registeredOn as LocalDate | null,
    dissolvedOn: stored.dissolvedOn as LocalDate | null,
    places: places.map(([from, communeId]) => ({ from, communeId }) as Place),
    recognitions: recognitions.map(([effectiveFrom, standardId, householdClass]) => ({ effectiveFrom, standardId, householdClass }) as Recognition),
    exits: exits.map(([standardId, exitedFrom, escapedClass, exitedOn, escapedStatusEndsOn]) => ({ standardId, exitedFrom, escapedClass, exitedOn, escapedStatusEndsOn }) as Exit),
  }
  return E.right({ kind: 'household', ...facts, timeline: timelineOf(facts) })
}
