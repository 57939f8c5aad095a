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
 * The poverty-rate projection keeps them in one document (`commune-tallies:all`), listed after the
 * household's own for every household event, and the queries count from them. test/tally.test.ts holds
 * them to the per-household counts over the events.
 */
import * as E from 'fp-ts/lib/Either.js'
import { dayNumberOf, isDayNumber, type CommuneId, type LocalDate, type PovertyStandardId } from '@policy-credit/core'
import type { ClassCounts, Exits } from './figures.ts'
import type { ExitFact, Segment } from './timeline.ts'
import { segmentOn } from './timeline.ts'

/** What a household counts as, on a day, in its commune: `households`, or `<standard>:<class or status>`, or an exit `<standard>:EXITED_<list>`. */
export type Counter = string

/**
 * Deltas in day order, each day once. Days are `yyyymmdd` numbers (ordered as the days are);
 * `changes[i]` lists the counters that change on `days[i]` as (counter, delta) pairs, by counter index,
 * none zero. Numbers, not keyed objects: a town's query parses every commune's tally, and arrays of
 * small integers are a fraction of the JSON of objects repeating counter names.
 */
export interface DatedChanges {
  readonly days: ReadonlyArray<number>
  readonly changes: ReadonlyArray<ReadonlyArray<number>>
}

/**
 * A commune's deltas, one block of days per year (in year order, none empty): an event copies the
 * blocks of the years it changes, about a hundred days, not the commune's whole history.
 */
export type CommuneTally = ReadonlyArray<DatedChanges>

const yearOfDay = (day: number): number => Math.floor(day / 10_000)

/** Every commune's deltas; `counters` names the counter indices, in ascending order. */
export interface CommuneTallies {
  readonly counters: ReadonlyArray<Counter>
  readonly communes: ReadonlyMap<CommuneId, CommuneTally>
}

export const noTallies: CommuneTallies = { counters: [], communes: new Map() }

/** The part of a household's document its contribution depends on. */
export interface CountedHousehold {
  readonly timeline: ReadonlyArray<Segment>
  readonly exits: ReadonlyArray<ExitFact>
}

const HOUSEHOLDS: Counter = 'households'
const CLASS_COUNTERS = ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'OTHER'] as const
const classIndex = (segment: Segment): number =>
  segment.reviewClass === 'POOR' ? 0 : segment.reviewClass === 'NEAR_POOR' ? 1 : segment.reviewClass === 'AVERAGE_LIVING' ? 2 : 3

const ONLY_HOUSEHOLDS: ReadonlyArray<Counter> = [HOUSEHOLDS]

/** Per standard, the counters of each holding (class index × 4 + escaped poverty × 2 + escaped near poverty): built once, not for every segment of every event. */
const holdingsByStandard = new Map<PovertyStandardId, ReadonlyArray<ReadonlyArray<Counter>>>()

const holdingsOf = (standard: PovertyStandardId): ReadonlyArray<ReadonlyArray<Counter>> => {
  const known = holdingsByStandard.get(standard)
  if (known !== undefined) return known
  const holdings = CLASS_COUNTERS.flatMap((householdClass) =>
    [0, 1, 2, 3].map((escaped) => [
      HOUSEHOLDS,
      `${standard}:${householdClass}`,
      ...(escaped & 2 ? [`${standard}:ESCAPED_POVERTY`] : []),
      ...(escaped & 1 ? [`${standard}:ESCAPED_NEAR_POVERTY`] : []),
    ]),
  )
  holdingsByStandard.set(standard, holdings)
  return holdings
}

/** The counters a segment adds one to in its commune: the one place that says what a household counts as (figures.ts, header). */
const countersOf = (segment: Segment): ReadonlyArray<Counter> =>
  segment.standardId === null
    ? ONLY_HOUSEHOLDS
    : (holdingsOf(segment.standardId)[classIndex(segment) * 4 + (segment.escapedPoverty ? 2 : 0) + (segment.escapedNearPoverty ? 1 : 0)] as ReadonlyArray<Counter>)

/** A change to one counter of a commune on a day, while a household's difference is netted; `index` is the counter's, once known. */
interface Delta {
  readonly communeId: CommuneId
  readonly day: number
  readonly counter: Counter
  delta: number
  index: number
}

const NO_COUNTERS: ReadonlyArray<Counter> = []

const countersIn = (segment: Segment | undefined): ReadonlyArray<Counter> => (segment === undefined || segment.communeId === null ? NO_COUNTERS : countersOf(segment))

/**
 * Adds `sign` × what the household's timeline changes on the days of its segments from `first` on: on
 * a segment's day its counters go in and the previous segment's go out, in the same commune only those
 * that differ (a recognition moves one class counter, not `households`). Summed over all segments, that
 * is each segment counted from its day to the next one's.
 */
const addSegments = (deltas: Array<Delta>, timeline: ReadonlyArray<Segment>, sign: 1 | -1, first: number): void => {
  for (let index = first; index < timeline.length; index += 1) {
    const segment = timeline[index] as Segment
    const previous = timeline[index - 1]
    const entering = countersIn(segment)
    const leaving = countersIn(previous)
    const { day } = segment
    const sameCommune = previous?.communeId === segment.communeId
    for (const counter of leaving)
      if (!sameCommune || !entering.includes(counter)) deltas.push({ communeId: (previous as Segment).communeId as CommuneId, day, counter, delta: -sign, index: -1 })
    for (const counter of entering)
      if (!sameCommune || !leaving.includes(counter)) deltas.push({ communeId: segment.communeId as CommuneId, day, counter, delta: sign, index: -1 })
  }
}

/** Where an exit counts: where the household lived on its day; nowhere if it no longer existed. */
const exitCommune = (timeline: ReadonlyArray<Segment>, exit: ExitFact): CommuneId | null => segmentOn(timeline, exit.exitedOn)?.communeId ?? null

const addExit = (deltas: Array<Delta>, communeId: CommuneId | null, exit: ExitFact, sign: 1 | -1): void => {
  if (communeId !== null) deltas.push({ communeId, day: dayNumberOf(exit.exitedOn), counter: `${exit.standardId}:EXITED_${exit.exitedFrom}`, delta: sign, index: -1 })
}

/** Adds `sign` × the household's exits. */
const addExits = (deltas: Array<Delta>, household: CountedHousehold, sign: 1 | -1): void => {
  for (const exit of household.exits) addExit(deltas, exitCommune(household.timeline, exit), exit, sign)
}

/** The household's contribution after the change less the one before, from the first segment that may differ (`firstChanged`). */
const addDifference = (deltas: Array<Delta>, before: CountedHousehold | undefined, after: CountedHousehold | undefined): void => {
  const first = firstChanged(before, after)
  if (before !== undefined) addSegments(deltas, before.timeline, -1, first)
  if (after !== undefined) addSegments(deltas, after.timeline, 1, first)
  // The same exits (most events) differ only where the household's commune on their day changed.
  if (before !== undefined && after !== undefined && before.exits === after.exits)
    for (const exit of before.exits) {
      const from = exitCommune(before.timeline, exit)
      const to = exitCommune(after.timeline, exit)
      if (from === to) continue
      addExit(deltas, from, exit, -1)
      addExit(deltas, to, exit, 1)
    }
  else {
    if (before !== undefined) addExits(deltas, before, -1)
    if (after !== undefined) addExits(deltas, after, 1)
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const byCommuneDayCounter = (a: Delta, b: Delta): number => compareText(a.communeId, b.communeId) || a.day - b.day || compareText(a.counter, b.counter)

/**
 * The deltas in (commune, day, counter) order, each key once, none zero. Summed by a linear search
 * (an event's difference has a dozen deltas, most cancelling) and only the few left sorted: sorting all
 * of them by names was a tenth of the projection's time.
 */
const netted = (deltas: Array<Delta>): ReadonlyArray<Delta> => {
  const sums: Array<Delta> = []
  for (const delta of deltas) {
    let same: Delta | undefined
    for (const sum of sums)
      if (sum.day === delta.day && sum.counter === delta.counter && sum.communeId === delta.communeId) {
        same = sum
        break
      }
    if (same === undefined) sums.push(delta)
    else same.delta += delta.delta
  }
  return sums.filter((delta) => delta.delta !== 0).sort(byCommuneDayCounter)
}

const sameSegment = (a: Segment, b: Segment): boolean =>
  a.from === b.from && a.communeId === b.communeId && a.standardId === b.standardId && a.reviewClass === b.reviewClass && a.escapedPoverty === b.escapedPoverty && a.escapedNearPoverty === b.escapedNearPoverty

/**
 * The first segment that changed: the days of the segments before it add the same deltas before and
 * after (`addSegments`; the first that changed takes the previous one's counters out on its own day).
 * An event rarely changes more than the last segment of a timeline.
 */
const firstChanged = (before: CountedHousehold | undefined, after: CountedHousehold | undefined): number => {
  if (before === undefined || after === undefined) return 0
  let index = 0
  while (index < before.timeline.length && index < after.timeline.length && sameSegment(before.timeline[index] as Segment, after.timeline[index] as Segment)) index += 1
  return index
}

/** Where `value` goes in an ascending array: the index of the first element not below it. */
export const insertionPoint = (sorted: ReadonlyArray<number> | ReadonlyArray<string>, value: number | string): number => {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number | string) < value) low = middle + 1
    else high = middle
  }
  return low
}

/** The counter names with any new ones, sorted, and each old index's new index (identity when none is new). */
const withCounters = (counters: ReadonlyArray<Counter>, deltas: ReadonlyArray<Delta>): { readonly counters: ReadonlyArray<Counter>; readonly reindex: ReadonlyArray<number> | undefined } => {
  // Made only when a name is new, which is rare: this runs for every household event.
  let added: Set<Counter> | undefined
  for (const { counter } of deltas) if (counters[insertionPoint(counters, counter)] !== counter) (added ??= new Set()).add(counter)
  if (added === undefined) return { counters, reindex: undefined }
  const all = [...counters, ...added].sort()
  return { counters: all, reindex: counters.map((counter) => all.indexOf(counter)) }
}

// The new counter names are a sorted superset of the old, so the pairs of a day stay in counter order.
const reindexedPairs = (pairs: ReadonlyArray<number>, reindex: ReadonlyArray<number>): ReadonlyArray<number> =>
  pairs.map((value, position) => (position % 2 === 0 ? (reindex[value] as number) : value))

const reindexed = (tally: CommuneTally, reindex: ReadonlyArray<number>): CommuneTally =>
  tally.map((block) => ({ days: block.days, changes: block.changes.map((pairs) => reindexedPairs(pairs, reindex)) }))

/**
 * (counter, delta) pairs with `deltas[from..to)` added, in counter order, without zeros: a merge of two
 * lists in counter order (the counter names are sorted, so their indices are in the deltas' order).
 */
const mergedPairs = (pairs: ReadonlyArray<number>, deltas: ReadonlyArray<Delta>, from: number, to: number): ReadonlyArray<number> => {
  const merged: Array<number> = []
  let position = 0
  for (let at = from; at < to; at += 1) {
    const { index, delta } = deltas[at] as Delta
    while (position < pairs.length && (pairs[position] as number) < index) {
      merged.push(pairs[position] as number, pairs[position + 1] as number)
      position += 2
    }
    if (pairs[position] === index) {
      const value = (pairs[position + 1] as number) + delta
      if (value !== 0) merged.push(index, value)
      position += 2
    } else merged.push(index, delta)
  }
  for (; position < pairs.length; position += 2) merged.push(pairs[position] as number, pairs[position + 1] as number)
  return merged
}

/** The end of the run of deltas from `from` (before `to`) that `key` gives the same value. */
const runEnd = (deltas: ReadonlyArray<Delta>, from: number, to: number, key: (delta: Delta) => number | string): number => {
  const value = key(deltas[from] as Delta)
  let end = from + 1
  while (end < to && key(deltas[end] as Delta) === value) end += 1
  return end
}

const dayOf = (delta: Delta): number => delta.day
const yearOf = (delta: Delta): number => yearOfDay(delta.day)
const communeOf = (delta: Delta): string => delta.communeId

interface OwnBlock {
  readonly days: Array<number>
  readonly changes: Array<ReadonlyArray<number>>
}

/** Adds the deltas `deltas[from..to)` (in day order) to the block, changing its arrays; a day left without changes is dropped. */
const addToBlock = (block: OwnBlock, deltas: ReadonlyArray<Delta>, from: number, to: number): void => {
  const { days, changes } = block
  for (let start = from; start < to; ) {
    const end = runEnd(deltas, start, to, dayOf)
    const day = (deltas[start] as Delta).day
    const at = insertionPoint(days, day)
    const found = days[at] === day
    // A day's pairs are replaced, never changed: a draft shares them with the document it was made from.
    const pairs = mergedPairs(found ? (changes[at] as ReadonlyArray<number>) : [], deltas, start, end)
    if (found && pairs.length === 0) {
      days.splice(at, 1)
      changes.splice(at, 1)
    } else if (found) changes[at] = pairs
    else if (pairs.length > 0) {
      days.splice(at, 0, day)
      changes.splice(at, 0, pairs)
    }
    start = end
  }
}

/** The first block whose year is not before `year`. */
const blockAt = (blocks: ReadonlyArray<DatedChanges>, year: number): number => {
  let low = 0
  let high = blocks.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (yearOfDay((blocks[middle] as DatedChanges).days[0] as number) < year) low = middle + 1
    else high = middle
  }
  return low
}

const copyBlock = (block: DatedChanges): OwnBlock => ({ days: block.days.slice(), changes: block.changes.slice() })

/**
 * Adds the deltas `deltas[from..to)` (in day order) to a commune's blocks, changing the array;
 * `own` gives each block changed one that may be changed (a copy, unless the caller owns it).
 */
const addToTally = (blocks: Array<DatedChanges>, deltas: ReadonlyArray<Delta>, from: number, to: number, own: (block: DatedChanges) => OwnBlock): void => {
  for (let start = from; start < to; ) {
    const end = runEnd(deltas, start, to, yearOf)
    const year = yearOf(deltas[start] as Delta)
    const at = blockAt(blocks, year)
    const found = blocks[at] !== undefined && yearOfDay((blocks[at] as DatedChanges).days[0] as number) === year
    const block = found ? own(blocks[at] as DatedChanges) : { days: [], changes: [] }
    addToBlock(block, deltas, start, end)
    if (found && block.days.length === 0) blocks.splice(at, 1)
    else if (found) blocks[at] = block
    else if (block.days.length > 0) blocks.splice(at, 0, block)
    start = end
  }
}

/** One household's change as netted deltas, each with its counter's index among `counters` (the names before, with any new ones). */
interface HouseholdDeltas {
  readonly deltas: ReadonlyArray<Delta>
  readonly counters: ReadonlyArray<Counter>
  /** Each old counter index's new one; undefined when no counter is new. */
  readonly reindex: ReadonlyArray<number> | undefined
}

/** Undefined when the change moves nothing. */
const deltasOfChange = (counters: ReadonlyArray<Counter>, before: CountedHousehold | undefined, after: CountedHousehold | undefined): HouseholdDeltas | undefined => {
  const all: Array<Delta> = []
  addDifference(all, before, after)
  const deltas = netted(all)
  if (deltas.length === 0) return undefined
  const added = withCounters(counters, deltas)
  for (const delta of deltas) delta.index = insertionPoint(added.counters, delta.counter)
  return { deltas, ...added }
}

/**
 * The tallies after one household's document changed from `before` (undefined: it did not exist) to
 * `after`: its old contribution taken out and its new one put in, netted, so a change that moves
 * nothing leaves the tallies as they were. Copies only the blocks it changes.
 */
export const talliesWith = (tallies: CommuneTallies, before: CountedHousehold | undefined, after: CountedHousehold | undefined): CommuneTallies => {
  const change = deltasOfChange(tallies.counters, before, after)
  if (change === undefined) return tallies
  const { deltas, counters, reindex } = change
  const communes = new Map(reindex === undefined ? tallies.communes : [...tallies.communes].map(([communeId, tally]) => [communeId, reindexed(tally, reindex)] as const))
  for (let start = 0; start < deltas.length; ) {
    const end = runEnd(deltas, start, deltas.length, communeOf)
    const communeId = (deltas[start] as Delta).communeId
    const blocks = (communes.get(communeId) ?? []).slice()
    addToTally(blocks, deltas, start, end, copyBlock)
    if (blocks.length === 0) communes.delete(communeId)
    else communes.set(communeId, blocks)
    start = end
  }
  return { counters, communes }
}

/** Tallies whose every map, array of blocks, block and array of days or changes is their own (`draftTallies`); a day's pairs are shared, and replaced when they change. */
interface DraftTallies {
  counters: ReadonlyArray<Counter>
  readonly communes: Map<CommuneId, Array<OwnBlock>>
}

/**
 * A copy of the tallies that `addChange` may change, once per runner batch: a pure `talliesWith` copies
 * a year's block on every household event (about 124,000 times in the bench's rebuild), a draft copies
 * every block once per batch (20,000 events by default).
 */
export const draftTallies = (tallies: CommuneTallies): CommuneTallies => {
  const draft: DraftTallies = { counters: tallies.counters, communes: new Map() }
  for (const [communeId, tally] of tallies.communes) draft.communes.set(communeId, tally.map(copyBlock))
  return draft
}

/** `talliesWith`, changing a draft made by `draftTallies` in place. */
export const addChange = (tallies: CommuneTallies, before: CountedHousehold | undefined, after: CountedHousehold | undefined): void => {
  const draft = tallies as DraftTallies
  const change = deltasOfChange(draft.counters, before, after)
  if (change === undefined) return
  const { deltas, counters, reindex } = change
  if (reindex !== undefined)
    for (const tally of draft.communes.values())
      for (const block of tally) for (let index = 0; index < block.changes.length; index += 1) block.changes[index] = reindexedPairs(block.changes[index] as ReadonlyArray<number>, reindex)
  draft.counters = counters
  for (let start = 0; start < deltas.length; ) {
    const end = runEnd(deltas, start, deltas.length, communeOf)
    const communeId = (deltas[start] as Delta).communeId
    const blocks = draft.communes.get(communeId) ?? []
    // Every block of a draft is its own, and so is each block added.
    addToTally(blocks, deltas, start, end, (block) => block as OwnBlock)
    if (blocks.length === 0) draft.communes.delete(communeId)
    else draft.communes.set(communeId, blocks as Array<OwnBlock>)
    start = end
  }
}

/** Sums, per counter index, the changes of the days on or before `through` (and after `after`, when given) that `counts` accepts. */
const sumsOver = (tally: CommuneTally, through: LocalDate, after?: LocalDate, counts?: (day: number) => boolean): Map<number, number> => {
  const last = dayNumberOf(through)
  const first = after === undefined ? undefined : dayNumberOf(after)
  const sums = new Map<number, number>()
  for (const block of tally)
    for (let index = 0; index < block.days.length; index += 1) {
      const day = block.days[index] as number
      if (day > last) return sums
      if ((first !== undefined && day <= first) || (counts !== undefined && !counts(day))) continue
      const pairs = block.changes[index] as ReadonlyArray<number>
      for (let position = 0; position < pairs.length; position += 2) sums.set(pairs[position] as number, (sums.get(pairs[position] as number) ?? 0) + (pairs[position + 1] as number))
    }
  return sums
}

const counterIndex = (tallies: CommuneTallies, counter: Counter): number => {
  const at = insertionPoint(tallies.counters, counter)
  return tallies.counters[at] === counter ? at : -1
}

/** The commune's class counts on a day under a standard: its deltas on or before the day, summed. */
export const tallyCountsOn = (tallies: CommuneTallies, communeId: CommuneId, standardId: PovertyStandardId, on: LocalDate): ClassCounts => {
  const tally = tallies.communes.get(communeId)
  const sums = tally === undefined ? new Map<number, number>() : sumsOver(tally, on)
  const count = (counter: Counter): number => sums.get(counterIndex(tallies, counter)) ?? 0
  const households = count(HOUSEHOLDS)
  const poor = count(`${standardId}:POOR`)
  const nearPoor = count(`${standardId}:NEAR_POOR`)
  const averageLiving = count(`${standardId}:AVERAGE_LIVING`)
  const otherClass = count(`${standardId}:OTHER`)
  return {
    households,
    poor,
    nearPoor,
    averageLiving,
    otherClass,
    notReviewedUnderStandard: households - poor - nearPoor - averageLiving - otherClass,
    newlyEscapedPoverty: count(`${standardId}:ESCAPED_POVERTY`),
    newlyEscapedNearPoverty: count(`${standardId}:ESCAPED_NEAR_POVERTY`),
  }
}

/** Exits under the standard made in the commune after `after` and on or before `through`, on the days `counts` accepts (a town: while the commune belonged to it). */
export const tallyExitsBetween = (
  tallies: CommuneTallies,
  communeId: CommuneId,
  standardId: PovertyStandardId,
  after: LocalDate,
  through: LocalDate,
  counts?: (day: number) => boolean,
): Exits => {
  const tally = tallies.communes.get(communeId)
  const sums = tally === undefined ? new Map<number, number>() : sumsOver(tally, through, after, counts)
  const count = (counter: Counter): number => sums.get(counterIndex(tallies, counter)) ?? 0
  return { fromPoor: count(`${standardId}:EXITED_POOR`), fromNearPoor: count(`${standardId}:EXITED_NEAR_POOR`) }
}

// Plain loops: a runner writes the tallies once per batch, and flatMap with spreads is ten times slower here.
const flatTally = (tally: CommuneTally): ReadonlyArray<number> => {
  const flat: Array<number> = []
  for (const block of tally)
    for (let index = 0; index < block.days.length; index += 1) {
      const pairs = block.changes[index] as ReadonlyArray<number>
      flat.push(block.days[index] as number, pairs.length / 2)
      for (const value of pairs) flat.push(value)
    }
  return flat
}

/**
 * Stored as `{ counters, communes: [[communeId, [day, n, counter, delta, … (n pairs), day, …]], …] }`:
 * communes in id order, each tally one flat array of integers, the smallest JSON to parse for a query.
 */
export const encodeTallies = (tallies: CommuneTallies): unknown => ({
  counters: tallies.counters,
  communes: [...tallies.communes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([communeId, tally]) => [communeId, flatTally(tally)]),
})

const isWhole = (value: unknown): value is number => Number.isSafeInteger(value)

const flatTallyOf = (flat: ReadonlyArray<unknown>, counterCount: number): CommuneTally | undefined => {
  const blocks: Array<{ readonly days: Array<number>; readonly changes: Array<ReadonlyArray<number>> }> = []
  let previous = 0
  let position = 0
  while (position < flat.length) {
    const day = flat[position]
    const pairs = flat[position + 1]
    if (!isDayNumber(day) || !isWhole(pairs) || pairs < 1 || day <= previous) return undefined
    const values = flat.slice(position + 2, position + 2 + 2 * pairs)
    // Counters ascending within a day: `talliesWith` merges a day's pairs in counter order.
    const counterAt = (index: number): boolean => isWhole(values[index]) && (values[index] as number) < counterCount && (index === 0 ? (values[index] as number) >= 0 : (values[index] as number) > (values[index - 2] as number))
    if (values.length !== 2 * pairs || !values.every((value, index) => (index % 2 === 1 ? isWhole(value) && value !== 0 : counterAt(index)))) return undefined
    const block = yearOfDay(day) === yearOfDay(previous) ? blocks.at(-1) : undefined
    if (block === undefined) blocks.push({ days: [day], changes: [values as ReadonlyArray<number>] })
    else {
      block.days.push(day)
      block.changes.push(values as ReadonlyArray<number>)
    }
    previous = day
    position += 2 + 2 * pairs
  }
  return blocks
}

/** Reads back what `encodeTallies` wrote, checking every number's place; `Left` names what is wrong. */
export const decodeTallies = (json: unknown): E.Either<string, CommuneTallies> => {
  const stored = json as { readonly counters?: unknown; readonly communes?: unknown } | null
  const counters = stored?.counters
  if (!Array.isArray(counters) || !counters.every((counter, index) => typeof counter === 'string' && (index === 0 || (counters[index - 1] as string) < counter)))
    return E.left('not stored tallies: counters must be distinct names in ascending order')
  if (!Array.isArray(stored?.communes)) return E.left('not stored tallies: no communes')
  const communes = new Map<CommuneId, CommuneTally>()
  for (const entry of stored.communes as ReadonlyArray<unknown>) {
    const [communeId, flat] = Array.isArray(entry) ? entry : []
    const tally = typeof communeId === 'string' && Array.isArray(flat) ? flatTallyOf(flat, counters.length) : undefined
    if (tally === undefined) return E.left(`not stored tallies: commune ${JSON.stringify(communeId)} is not a list of days with their changes`)
    communes.set(communeId as CommuneId, tally)
  }
  return E.right({ counters: counters as ReadonlyArray<Counter>, communes })
}
