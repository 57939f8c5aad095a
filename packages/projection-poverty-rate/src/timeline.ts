/**
 * A household's dated facts, as the projection keeps them, and its timeline: from which day it lived
 * where, in which class under which standard, and whether it held a newly-escaped status. The timeline is
 * derived from the facts each time one of the household's events arrives, so a query (and the tallies)
 * read the answer for any day off it instead of re-deciding it.
 *
 * The facts are the few fields of the core's Household state the timeline depends on, and the rules are
 * the core's (`recognitionInForceOn`, `classesInForceOn`), applied to them without building the core's
 * records: the derivation runs for every household event of a rebuild. test/timeline.test.ts holds it to
 * the core's functions over the core's state, on generated logs.
 */
import { dayNumberOf, type CommuneId, type DayNumber, type Household, type LocalDate, type PovertyStandardId, type ReviewClass } from '@policy-credit/core'

/** From this day the household lived in this commune (its registration, then each move, in the order recorded). */
export interface Place {
  readonly from: LocalDate
  readonly communeId: CommuneId
}

/** A recognition decision, as far as the counts depend on it. */
export interface Recognition {
  readonly effectiveFrom: LocalDate
  readonly standardId: PovertyStandardId
  readonly householdClass: ReviewClass
}

/** An exit as a report counts it: the list left, under which standard, the day it took effect. */
export interface ExitFact {
  readonly standardId: PovertyStandardId
  readonly exitedFrom: Household.ExitedList
  readonly exitedOn: LocalDate
}

/** An exit with the newly-escaped status it gives, until the first day it no longer holds. */
export interface Exit extends ExitFact {
  readonly escapedClass: Household.EscapedClass
  readonly escapedStatusEndsOn: LocalDate
}

/**
 * What the household's events said, in the order recorded (which breaks ties between facts dated the
 * same day). `registeredOn` is null until it is registered; a registration starts the facts afresh.
 */
export interface HouseholdFacts {
  readonly registeredOn: LocalDate | null
  readonly dissolvedOn: LocalDate | null
  readonly places: ReadonlyArray<Place>
  readonly recognitions: ReadonlyArray<Recognition>
  readonly exits: ReadonlyArray<Exit>
}

/**
 * What holds from `from` until the next segment's `from`. `communeId` is null while the household does
 * not exist (after its dissolution); `standardId` and `reviewClass` are null before its first recognition.
 */
export interface Segment {
  readonly from: LocalDate
  /** `from` as a day number (core's `dayNumberOf`), for the tallies. */
  readonly day: DayNumber
  readonly communeId: CommuneId | null
  readonly standardId: PovertyStandardId | null
  readonly reviewClass: ReviewClass | null
  readonly escapedPoverty: boolean
  readonly escapedNearPoverty: boolean
}

/** The fact with the latest day on or before `date`; of equal days, the later recorded. */
const latestOn = <Fact,>(facts: ReadonlyArray<Fact>, dayOf: (fact: Fact) => LocalDate, date: LocalDate): Fact | undefined => {
  let latest: Fact | undefined
  let latestDay: LocalDate | undefined
  for (const fact of facts) {
    const day = dayOf(fact)
    if (day <= date && (latestDay === undefined || day >= latestDay)) {
      latest = fact
      latestDay = day
    }
  }
  return latest
}

const placeDay = (place: Place): LocalDate => place.from
const recognitionDay = (recognition: Recognition): LocalDate => recognition.effectiveFrom

/** Where the household lived on a day: the place with the latest `from` on or before it; of equal days, the later recorded. */
export const communeOn = (places: ReadonlyArray<Place>, date: LocalDate): CommuneId | undefined => latestOn(places, placeDay, date)?.communeId

/** The segment for `date` when what the household holds on it differs from `previous`; undefined when the same. */
const changedOn = (facts: HouseholdFacts, date: LocalDate, previous: Segment | undefined): Segment | undefined => {
  const { dissolvedOn, places, recognitions, exits } = facts
  const exists = dissolvedOn === null || date < dissolvedOn
  const communeId = exists ? (communeOn(places, date) ?? null) : null
  // The recognition in force: the latest effective, and of those the latest decided (the core's `recognitionInForceOn`).
  const recognition = communeId === null ? undefined : latestOn(recognitions, recognitionDay, date)
  let escapedPoverty = false
  let escapedNearPoverty = false
  // A newly-escaped status holds from the exit while it lasts, unless the class in force is back on a list (the core's `classesInForceOn`).
  if (recognition !== undefined && recognition.householdClass !== 'POOR' && recognition.householdClass !== 'NEAR_POOR')
    for (const exit of exits)
      if (exit.exitedOn <= date && date < exit.escapedStatusEndsOn) {
        if (exit.escapedClass === 'ESCAPED_POVERTY') escapedPoverty = true
        else escapedNearPoverty = true
      }
  const standardId = recognition?.standardId ?? null
  const reviewClass = recognition?.householdClass ?? null
  if (
    previous !== undefined &&
    previous.communeId === communeId &&
    previous.standardId === standardId &&
    previous.reviewClass === reviewClass &&
    previous.escapedPoverty === escapedPoverty &&
    previous.escapedNearPoverty === escapedNearPoverty
  )
    return undefined
  return { from: date, day: dayNumberOf(date), communeId, standardId, reviewClass, escapedPoverty, escapedNearPoverty }
}

/** The days in ascending order, each once: an insertion sort, for the few days of a household. */
const sortedDays = (days: Array<LocalDate>): Array<LocalDate> => {
  for (let index = 1; index < days.length; index += 1) {
    const day = days[index] as LocalDate
    let at = index
    while (at > 0 && (days[at - 1] as LocalDate) > day) {
      days[at] = days[at - 1] as LocalDate
      at -= 1
    }
    days[at] = day
  }
  return days
}

/**
 * The timeline in day order. Whether a household exists, where it lives and what it holds change only
 * on the days its facts name, so evaluating those days gives every change. It runs for every household
 * event of a rebuild: plain loops, and a segment made only where the holding changes.
 */
export const timelineOf = (facts: HouseholdFacts): ReadonlyArray<Segment> => {
  const { registeredOn, dissolvedOn, places, recognitions, exits } = facts
  if (registeredOn === null) return []
  const days: Array<LocalDate> = [registeredOn]
  for (const place of places) if (place.from > registeredOn) days.push(place.from)
  if (dissolvedOn !== null && dissolvedOn > registeredOn) days.push(dissolvedOn)
  for (const recognition of recognitions) if (recognition.effectiveFrom > registeredOn) days.push(recognition.effectiveFrom)
  for (const exit of exits) {
    if (exit.exitedOn > registeredOn) days.push(exit.exitedOn)
    if (exit.escapedStatusEndsOn > registeredOn) days.push(exit.escapedStatusEndsOn)
  }
  sortedDays(days)
  const segments: Array<Segment> = []
  let previous: Segment | undefined
  for (let index = 0; index < days.length; index += 1) {
    const date = days[index] as LocalDate
    if (date === days[index - 1]) continue
    const segment = changedOn(facts, date, previous)
    if (segment === undefined) continue
    segments.push(segment)
    previous = segment
  }
  return segments
}

/** Whether every day the facts name is before `date`. */
const allBefore = (facts: HouseholdFacts, date: LocalDate): boolean => {
  const { registeredOn, dissolvedOn, places, recognitions, exits } = facts
  if (registeredOn === null || registeredOn >= date || (dissolvedOn !== null && dissolvedOn >= date)) return false
  for (const place of places) if (place.from >= date) return false
  for (const recognition of recognitions) if (recognition.effectiveFrom >= date) return false
  for (const exit of exits) if (exit.exitedOn >= date || exit.escapedStatusEndsOn >= date) return false
  return true
}

/**
 * The timeline of `after`: the facts of `before` (whose timeline is given) with one more fact, dated
 * `date`. When every day `before` names is before `date` (a review's recognition, most of a rebuild's
 * events), nothing held before `date` changes and nothing after it, so only `date` is evaluated;
 * otherwise the whole timeline is derived again.
 */
export const timelineWith = (before: HouseholdFacts, timeline: ReadonlyArray<Segment>, after: HouseholdFacts, date: LocalDate): ReadonlyArray<Segment> => {
  if (!allBefore(before, date) || after.registeredOn !== before.registeredOn) return timelineOf(after)
  const segment = changedOn(after, date, timeline.at(-1))
  return segment === undefined ? timeline : [...timeline, segment]
}

/** What held on a day (binary search: the timeline is in day order); undefined before registration. */
export const segmentOn = (segments: ReadonlyArray<Segment>, date: LocalDate): Segment | undefined => {
  let low = 0
  let high = segments.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((segments[middle] as Segment).from <= date) low = middle + 1
    else high = middle
  }
  return segments[low - 1]
}
