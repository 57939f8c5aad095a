/**
 * Dated counts per commune, kept as deltas by business day: what a household adds to a commune's
 * counts from each day its timeline names (a segment starts: +1 to its counters; it ends: −1), and the
 * exits it made there. Counting a commune on day D is then a sum of its deltas on or before D, bounded
 * by the commune's distinct change days, not by its households.
 *
 * A household's contribution is a function of its document only (its timeline and exits), so when one
 * of its events arrives, the tallies change by `contribution(after) − contribution(before)`: a move
 * dated before earlier-recorded facts, a recognition effective before a move, the newly-escaped status
 * ending three years after an exit (a day in the future of the event) are all differences of dated
 * deltas, applied whatever order the events were recorded in.
 *
 * Not yet read by the queries: a projection's `apply` sees only the document it changes and the event
 * (packages/projections), and the change to the tallies needs the household's document before and
 * after the event. docs/poverty-rate.md ("Known limits") says what the contract needs for the runner
 * to keep these tallies; this module is the part that does not depend on it, held to the per-household
 * counts by test/tally.test.ts.
 */
import type { CommuneId, LocalDate, PovertyStandardId } from '@policy-credit/core'
import type { ClassCounts, Exits } from './figures.ts'
import type { ExitFact, Segment } from './timeline.ts'
import { segmentOn } from './timeline.ts'

/** What a household counts as, on a day, in its commune: `households`, or `<standard>:<class or status>`, or an exit `<standard>:EXITED_<list>`. */
export type Counter = string

/** A commune's deltas, in day order; each day once, with the counters that change that day (none zero). */
export type CommuneTally = ReadonlyArray<readonly [LocalDate, Readonly<Record<Counter, number>>]>

/** Every commune's deltas, by commune id. */
export type CommuneTallies = ReadonlyMap<CommuneId, CommuneTally>

/** The part of a household's document its contribution depends on. */
export interface CountedHousehold {
  readonly timeline: ReadonlyArray<Segment>
  readonly exits: ReadonlyArray<ExitFact>
}

const HOUSEHOLDS: Counter = 'households'
const classCounter = (segment: Segment): string =>
  segment.reviewClass === 'POOR' ? 'POOR' : segment.reviewClass === 'NEAR_POOR' ? 'NEAR_POOR' : segment.reviewClass === 'AVERAGE_LIVING' ? 'AVERAGE_LIVING' : 'OTHER'

/** The counters a segment adds one to in its commune (figures.ts counts the same way, one household at a time). */
const countersOf = (segment: Segment): ReadonlyArray<Counter> => {
  if (segment.standardId === null) return [HOUSEHOLDS]
  const standard = segment.standardId
  return [
    HOUSEHOLDS,
    `${standard}:${classCounter(segment)}`,
    ...(segment.escapedPoverty ? [`${standard}:ESCAPED_POVERTY`] : []),
    ...(segment.escapedNearPoverty ? [`${standard}:ESCAPED_NEAR_POVERTY`] : []),
  ]
}

/** (commune, day, counter) → delta, keyed `commune\u0000day\u0000counter` while summing. */
type DeltaSum = Map<string, number>

const SEPARATOR = '\u0000'

const add = (sum: DeltaSum, communeId: CommuneId, on: LocalDate, counter: Counter, delta: number): void => {
  const key = `${communeId}${SEPARATOR}${on}${SEPARATOR}${counter}`
  sum.set(key, (sum.get(key) ?? 0) + delta)
}

/** Adds `sign` × the household's contribution: each segment from its day to the next segment's, and each exit on its day where the household lived. */
const addContribution = (sum: DeltaSum, household: CountedHousehold | undefined, sign: 1 | -1): void => {
  if (household === undefined) return
  const { timeline, exits } = household
  for (const [index, segment] of timeline.entries()) {
    if (segment.communeId === null) continue
    const next = timeline[index + 1]
    for (const counter of countersOf(segment)) {
      add(sum, segment.communeId, segment.from, counter, sign)
      if (next !== undefined) add(sum, segment.communeId, next.from, counter, -sign)
    }
  }
  for (const exit of exits) {
    // An exit counts where the household lived on its day; not at all if it no longer existed.
    const communeId = segmentOn(timeline, exit.exitedOn)?.communeId
    if (communeId != null) add(sum, communeId, exit.exitedOn, `${exit.standardId}:EXITED_${exit.exitedFrom}`, sign)
  }
}

/** A commune's tally with the day's deltas added; a counter back at zero is dropped, a day without counters too. */
const withDeltas = (tally: CommuneTally, on: LocalDate, deltas: Readonly<Record<Counter, number>>): CommuneTally => {
  let low = 0
  let high = tally.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((tally[middle] as readonly [LocalDate, unknown])[0] < on) low = middle + 1
    else high = middle
  }
  const existing = tally[low]?.[0] === on ? (tally[low] as readonly [LocalDate, Readonly<Record<Counter, number>>])[1] : undefined
  const merged: Record<Counter, number> = { ...existing }
  for (const [counter, delta] of Object.entries(deltas)) {
    const value = (merged[counter] ?? 0) + delta
    if (value === 0) delete merged[counter]
    else merged[counter] = value
  }
  const entry = Object.keys(merged).length === 0 ? [] : [[on, merged] as const]
  return [...tally.slice(0, low), ...entry, ...tally.slice(existing === undefined ? low : low + 1)]
}

/**
 * The tallies after one household's document changed from `before` (undefined: it did not exist) to
 * `after`: its old contribution taken out and its new one put in, netted, so a change that moves
 * nothing leaves the tallies as they were.
 */
export const talliesWith = (tallies: CommuneTallies, before: CountedHousehold | undefined, after: CountedHousehold | undefined): CommuneTallies => {
  const sum: DeltaSum = new Map()
  addContribution(sum, before, -1)
  addContribution(sum, after, 1)
  const byCommuneAndDay = new Map<CommuneId, Map<LocalDate, Record<Counter, number>>>()
  for (const [key, delta] of sum) {
    if (delta === 0) continue
    const [communeId, on, counter] = key.split(SEPARATOR) as [CommuneId, LocalDate, Counter]
    const days = byCommuneAndDay.get(communeId) ?? new Map<LocalDate, Record<Counter, number>>()
    byCommuneAndDay.set(communeId, days)
    const deltas = days.get(on) ?? {}
    days.set(on, deltas)
    deltas[counter] = delta
  }
  if (byCommuneAndDay.size === 0) return tallies
  const changed = new Map(tallies)
  for (const [communeId, days] of byCommuneAndDay) {
    let tally = changed.get(communeId) ?? []
    for (const [on, deltas] of days) tally = withDeltas(tally, on, deltas)
    if (tally.length === 0) changed.delete(communeId)
    else changed.set(communeId, tally)
  }
  return changed
}

/** The commune's class counts on a day under a standard: its deltas on or before the day, summed. */
export const tallyCountsOn = (tally: CommuneTally, standardId: PovertyStandardId, on: LocalDate): ClassCounts => {
  const prefix = `${standardId}:`
  const sums: Record<string, number> = {}
  for (const [day, deltas] of tally) {
    if (day > on) break
    for (const counter in deltas) if (counter === HOUSEHOLDS || counter.startsWith(prefix)) sums[counter] = (sums[counter] ?? 0) + (deltas[counter] as number)
  }
  const count = (counter: string): number => sums[counter] ?? 0
  const households = count(HOUSEHOLDS)
  const poor = count(`${prefix}POOR`)
  const nearPoor = count(`${prefix}NEAR_POOR`)
  const averageLiving = count(`${prefix}AVERAGE_LIVING`)
  const otherClass = count(`${prefix}OTHER`)
  return {
    households,
    poor,
    nearPoor,
    averageLiving,
    otherClass,
    notReviewedUnderStandard: households - poor - nearPoor - averageLiving - otherClass,
    newlyEscapedPoverty: count(`${prefix}ESCAPED_POVERTY`),
    newlyEscapedNearPoverty: count(`${prefix}ESCAPED_NEAR_POVERTY`),
  }
}

/** Exits under the standard made in the commune after `after` and on or before `through`, on the days `counts` accepts (a town: while the commune belonged to it). */
export const tallyExitsBetween = (tally: CommuneTally, standardId: PovertyStandardId, after: LocalDate, through: LocalDate, counts: (on: LocalDate) => boolean = () => true): Exits => {
  let fromPoor = 0
  let fromNearPoor = 0
  for (const [day, deltas] of tally) {
    if (day > through) break
    if (day <= after || !counts(day)) continue
    fromPoor += deltas[`${standardId}:EXITED_POOR`] ?? 0
    fromNearPoor += deltas[`${standardId}:EXITED_NEAR_POOR`] ?? 0
  }
  return { fromPoor, fromNearPoor }
}
