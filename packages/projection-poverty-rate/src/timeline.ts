/**
 * A household's timeline: from which day it lived where, in which class under which standard, and
 * whether it held a newly-escaped status. The projection derives it from the household's dated facts
 * with the core's rules (`recognitionInForceOn`, `classesInForceOn`) each time one of its events
 * arrives, so a query reads the answer for any day off the timeline instead of re-deciding it.
 */
import * as O from 'fp-ts/lib/Option.js'
import { Household, type CommuneId, type LocalDate, type PovertyStandardId, type ReviewClass } from '@policy-credit/core'

/** From this day the household lived in this commune (its registration, then each move, in the order recorded). */
export interface Place {
  readonly from: LocalDate
  readonly communeId: CommuneId
}

/**
 * What holds from `from` until the next segment's `from`. `communeId` is null while the household does
 * not exist (after its dissolution); `standardId` and `reviewClass` are null before its first recognition.
 */
export interface Segment {
  readonly from: LocalDate
  readonly communeId: CommuneId | null
  readonly standardId: PovertyStandardId | null
  readonly reviewClass: ReviewClass | null
  readonly escapedPoverty: boolean
  readonly escapedNearPoverty: boolean
}

/** An exit as a report counts it: the list left, under which standard, the day it took effect. */
export interface ExitFact {
  readonly standardId: PovertyStandardId
  readonly exitedFrom: Household.ExitedList
  readonly exitedOn: LocalDate
}

/** Where the household lived on a day: the place with the latest `from` on or before it; of equal days, the later recorded. */
export const communeOn = (places: ReadonlyArray<Place>, date: LocalDate): CommuneId | undefined =>
  places.reduce<Place | undefined>((latest, place) => (place.from <= date && (latest === undefined || place.from >= latest.from) ? place : latest), undefined)?.communeId

type Existing = Exclude<Household.Household, { readonly status: 'Unregistered' }>

const existsOn = (household: Existing, date: LocalDate): boolean => household.registeredOn <= date && (household.status !== 'Dissolved' || date < household.dissolvedOn)

const segmentOnDay = (household: Existing, places: ReadonlyArray<Place>, date: LocalDate): Segment => {
  const communeId = existsOn(household, date) ? (communeOn(places, date) ?? null) : null
  if (communeId === null) return { from: date, communeId, standardId: null, reviewClass: null, escapedPoverty: false, escapedNearPoverty: false }
  const recognition = O.toUndefined(Household.recognitionInForceOn(household, date))
  const statuses = Household.classesInForceOn(household, date).map((status) => status.householdClass)
  return {
    from: date,
    communeId,
    standardId: recognition?.standardId ?? null,
    reviewClass: recognition?.householdClass ?? null,
    escapedPoverty: statuses.includes('ESCAPED_POVERTY'),
    escapedNearPoverty: statuses.includes('ESCAPED_NEAR_POVERTY'),
  }
}

const sameHolding = (a: Segment, b: Segment): boolean =>
  a.communeId === b.communeId && a.standardId === b.standardId && a.reviewClass === b.reviewClass && a.escapedPoverty === b.escapedPoverty && a.escapedNearPoverty === b.escapedNearPoverty

/**
 * The timeline in day order. Whether a household exists, where it lives and what it holds change only
 * on the days its facts name, so evaluating those days gives every change.
 */
export const timelineOf = (household: Household.Household, places: ReadonlyArray<Place>): ReadonlyArray<Segment> => {
  if (household.status === 'Unregistered') return []
  const days = new Set<LocalDate>([household.registeredOn, ...places.map((place) => place.from)])
  if (household.status === 'Dissolved') days.add(household.dissolvedOn)
  for (const recognition of household.recognitions) days.add(recognition.effectiveFrom)
  for (const exit of household.exits) {
    days.add(exit.exitedOn)
    days.add(exit.escapedStatusEndsOn)
  }
  const segments: Array<Segment> = []
  for (const date of [...days].filter((date) => date >= household.registeredOn).sort()) {
    const segment = segmentOnDay(household, places, date)
    const previous = segments.at(-1)
    if (previous === undefined || !sameHolding(previous, segment)) segments.push(segment)
  }
  return segments
}

export const exitFactsOf = (household: Household.Household): ReadonlyArray<ExitFact> =>
  household.status === 'Unregistered' ? [] : household.exits.map(({ standardId, exitedFrom, exitedOn }) => ({ standardId, exitedFrom, exitedOn }))

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
