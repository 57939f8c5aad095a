/**
 * Borrowers with a balance on a day, counted as distinct households for any grouping of cells. Each
 * household keeps its dated principal movements per cell (`balances:<communeId>:<householdId>`); from
 * them follow the days on which its balance in a cell is positive, as intervals. A commune's document
 * (`borrowers:<communeId>`) holds every household's intervals, changed by the difference an event made to
 * the household's intervals (`earlier` of the projection contract), so a back-dated repayment that ends a
 * loan earlier moves the end of its interval, whatever order the events were recorded in.
 *
 * Why not a running balance per household in every dated bucket (version 2's `holders`): those buckets
 * held every household with a balance, and every repayment rewrote about eleven of them; a household's
 * intervals change only when its balance starts or stops being positive.
 */
import * as E from 'fp-ts/lib/Either.js'
import { dayNumberOf, isDayNumber, LocalDate, type DayNumber } from '@policy-credit/core'
import { isWellFormedKey, isWellFormedPart, NON_ZERO_WHOLE_NUMBER } from './measures.ts'

/**
 * A household's principal movements in one cell: per business day, their sum (never zero), in day order;
 * the days as day numbers and the amounts in two lists of one length, not a pair per day: a repayment
 * copies a list of a household's days (up to sixty), and the runner keeps it until its batch commits.
 * With what follows from them, worked out when the cell is made (`cellBalance`, `appendedTo`): the
 * balance at the end of the last day, and where the running balance is positive.
 */
export interface CellBalance {
  readonly cellKey: string
  readonly days: ReadonlyArray<DayNumber>
  readonly amounts: ReadonlyArray<bigint>
  readonly closing: bigint
  readonly intervals: ReadonlyArray<BorrowingInterval>
}

export interface HouseholdBalances {
  readonly kind: 'balances'
  /** In cell-key order; a cell whose movements all cancelled is absent. */
  readonly cells: ReadonlyArray<CellBalance>
}

/** The household's balance in the cell is positive at the end of every day from `from` until the day before `to` (for good when `to` is null). */
export interface BorrowingInterval {
  readonly cellKey: string
  readonly from: DayNumber
  readonly to: DayNumber | null
}

export interface Borrowers {
  readonly kind: 'borrowers'
  /** Per household, its intervals in cell-key then day order; a household with none is absent. */
  readonly households: ReadonlyMap<string, ReadonlyArray<BorrowingInterval>>
}

export const noBalances: HouseholdBalances = { kind: 'balances', cells: [] }
export const noBorrowers: Borrowers = { kind: 'borrowers', households: new Map() }

/** The cell with its closing balance and intervals worked out from its days. */
const cellBalance = (cellKey: string, days: ReadonlyArray<DayNumber>, amounts: ReadonlyArray<bigint>): CellBalance => {
  const intervals: Array<BorrowingInterval> = []
  let balance = 0n
  let from: DayNumber | undefined
  for (let at = 0; at < days.length; at += 1) {
    const day = days[at] as DayNumber
    balance += amounts[at] ?? 0n
    if (balance > 0n && from === undefined) from = day
    else if (balance <= 0n && from !== undefined) {
      intervals.push({ cellKey, from, to: day })
      from = undefined
    }
  }
  if (from !== undefined) intervals.push({ cellKey, from, to: null })
  return { cellKey, days, amounts, closing: balance, intervals }
}

/**
 * The list with `item` added at the end, allocated at its length once: `[...list, item]` copied the list
 * and then grew the copy by half again to add the item, and `concat` took four times as long.
 */
const withLast = <Item>(list: ReadonlyArray<Item>, item: Item): Array<Item> => {
  const copy = new Array<Item>(list.length + 1)
  for (let at = 0; at < list.length; at += 1) copy[at] = list[at] as Item
  copy[list.length] = item
  return copy
}

/**
 * The cell after `amount` moved on a day after its last: only its last interval can open or close, so
 * they follow from its closing balance without summing its days again. The same intervals when none
 * opened or closed.
 */
const appendedTo = (cell: CellBalance, day: DayNumber, amount: bigint): CellBalance => {
  const { cellKey, intervals } = cell
  const closing = cell.closing + amount
  const wasPositive = cell.closing > 0n
  const days = withLast(cell.days, day)
  const amounts = withLast(cell.amounts, amount)
  if (wasPositive === closing > 0n) return { cellKey, days, amounts, closing, intervals }
  if (!wasPositive) return { cellKey, days, amounts, closing, intervals: [...intervals, { cellKey, from: day, to: null }] }
  const open = intervals[intervals.length - 1]
  if (open === undefined || open.to !== null) throw new Error(`the open interval of ${cellKey} is missing`)
  return { cellKey, days, amounts, closing, intervals: [...intervals.slice(0, -1), { cellKey, from: open.from, to: day }] }
}

/** The cell with `amount` moved on a day on or before its last (a back-dated event); undefined when its movements cancel out. */
const insertedInto = (cell: CellBalance, day: DayNumber, amount: bigint): CellBalance | undefined => {
  const days = [...cell.days]
  const amounts = [...cell.amounts]
  const at = days.findIndex((existing) => existing >= day)
  if (days[at] === day) {
    const sum = (amounts[at] ?? 0n) + amount
    if (sum !== 0n) amounts[at] = sum
    else {
      days.splice(at, 1)
      amounts.splice(at, 1)
    }
  } else {
    days.splice(at, 0, day)
    amounts.splice(at, 0, amount)
  }
  return days.length === 0 ? undefined : cellBalance(cell.cellKey, days, amounts)
}

/** The balances with `amount` (signed) moved in the cell on the day. */
export const balancesWith = (balances: HouseholdBalances, cellKey: string, on: LocalDate, amount: bigint): HouseholdBalances => {
  if (amount === 0n) return balances
  const day = dayNumberOf(on)
  const cells = [...balances.cells]
  // Cells are in key order, and a household has one or two.
  let at = 0
  while (at < cells.length && (cells[at]?.cellKey ?? '') < cellKey) at += 1
  const cell = cells[at]
  if (cell === undefined || cell.cellKey !== cellKey) cells.splice(at, 0, cellBalance(cellKey, [day], [amount]))
  else {
    // Most movements come after the cell's last day (events are mostly recorded in business-date order).
    const changed = (cell.days[cell.days.length - 1] ?? 0) < day ? appendedTo(cell, day, amount) : insertedInto(cell, day, amount)
    if (changed === undefined) cells.splice(at, 1)
    else cells[at] = changed
  }
  return { kind: 'balances', cells }
}

/** Where the running balance of each cell is positive, cells in key order. */
export const intervalsOf = (balances: HouseholdBalances): ReadonlyArray<BorrowingInterval> => {
  const { cells } = balances
  return cells.length === 1 ? (cells[0]?.intervals ?? []) : cells.flatMap((cell) => cell.intervals)
}

const sameIntervals = (left: ReadonlyArray<BorrowingInterval>, right: ReadonlyArray<BorrowingInterval>): boolean =>
  left.length === right.length && left.every((interval, index) => interval.cellKey === right[index]?.cellKey && interval.from === right[index]?.from && interval.to === right[index]?.to)

/** Whether each cell's intervals are the very same list in both: a movement that opened or closed no interval keeps its cell's. */
const sameCellIntervals = (before: HouseholdBalances, after: HouseholdBalances): boolean => {
  if (before.cells.length !== after.cells.length) return false
  for (let at = 0; at < before.cells.length; at += 1) if (before.cells[at]?.intervals !== after.cells[at]?.intervals) return false
  return true
}

/** The household's intervals after an event changed its balances from `before` to `after`; undefined when they did not change. */
const changedIntervals = (before: HouseholdBalances, after: HouseholdBalances): ReadonlyArray<BorrowingInterval> | undefined => {
  if (sameCellIntervals(before, after)) return undefined
  const intervals = intervalsOf(after)
  return sameIntervals(intervalsOf(before), intervals) ? undefined : intervals
}

const setIntervals = (households: Map<string, ReadonlyArray<BorrowingInterval>>, householdId: string, intervals: ReadonlyArray<BorrowingInterval>): void => {
  if (intervals.length === 0) households.delete(householdId)
  else households.set(householdId, intervals)
}

/** The borrowers with the household's intervals replaced by those of its balances after an event; the same document when they did not change. */
export const borrowersWith = (borrowers: Borrowers, householdId: string, before: HouseholdBalances, after: HouseholdBalances): Borrowers => {
  const intervals = changedIntervals(before, after)
  if (intervals === undefined) return borrowers
  const households = new Map(borrowers.households)
  setIntervals(households, householdId, intervals)
  return { kind: 'borrowers', households }
}

/**
 * A copy of the borrowers that `changeBorrowers` may change for the rest of a runner's batch: a commune's
 * document holds every household that borrowed there (about 1,400 in the bench town), and copying it for
 * each event that opened or closed an interval was most of the borrowers' cost. Intervals are replaced, never changed.
 */
export const draftBorrowers = (borrowers: Borrowers): Borrowers => ({ kind: 'borrowers', households: new Map(borrowers.households) })

/** `borrowersWith` on a draft made by `draftBorrowers`, in place. */
export const changeBorrowers = (draft: Borrowers, householdId: string, before: HouseholdBalances, after: HouseholdBalances): void => {
  const intervals = changedIntervals(before, after)
  if (intervals !== undefined) setIntervals(draft.households as Map<string, ReadonlyArray<BorrowingInterval>>, householdId, intervals)
}

/** Calls `borrowing` for each household with a positive balance at the end of `on`, with the cell it holds it in (a household may come once per cell). */
export const forEachBorrowingOn = (borrowers: Borrowers, on: LocalDate, borrowing: (householdId: string, cellKey: string) => void): void => {
  const day = dayNumberOf(on)
  for (const [householdId, intervals] of borrowers.households)
    for (const { cellKey, from, to } of intervals) if (from <= day && (to === null || day < to)) borrowing(householdId, cellKey)
}

// ---- codec: plain JSON, checked on read ----------------------------------------------------------------

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * `{ kind: 'balances', cells: { "<cell key>": [20220630, "-500000", 20220730, "-500000", …] } }`: per cell,
 * each day as a day number followed by its amount, in day order; cells in key order. Version 6 wrote a
 * pair per day with the day as a date: 5.0 MB of JSON in the bench town's rebuild against 4.0 MB, and an
 * array per day to parse.
 */
export const encodeBalances = (balances: HouseholdBalances): unknown => {
  const cells: Record<string, ReadonlyArray<number | string>> = {}
  for (const { cellKey, days, amounts } of balances.cells) {
    const flat: Array<number | string> = []
    for (let at = 0; at < days.length; at += 1) flat.push(days[at] as DayNumber, (amounts[at] ?? 0n).toString())
    cells[cellKey] = flat
  }
  return { kind: 'balances', cells }
}

export const decodeBalances = (json: Readonly<Record<string, unknown>>): E.Either<string, HouseholdBalances> => {
  const cells = json['cells']
  if (!isRecord(cells)) return E.left('balances: cells are not an object')
  const decoded: Array<CellBalance> = []
  for (const cellKey in cells) {
    const flat = cells[cellKey]
    // In strictly increasing order, as written (JSON keeps an object's keys in the order written).
    if (!isWellFormedKey('cells', cellKey) || (decoded.length > 0 && (decoded[decoded.length - 1]?.cellKey ?? '') >= cellKey))
      return E.left(`balances: cell key ${JSON.stringify(cellKey)} is malformed or out of order`)
    if (!Array.isArray(flat) || flat.length === 0 || flat.length % 2 !== 0) return E.left(`balances of ${cellKey} are not a list of days with their amounts`)
    const days: Array<DayNumber> = []
    const amounts: Array<bigint> = []
    for (let at = 0; at < flat.length; at += 2) {
      const day: unknown = flat[at]
      const amount: unknown = flat[at + 1]
      if (!isDayNumber(day) || typeof amount !== 'string' || !NON_ZERO_WHOLE_NUMBER.test(amount) || (days.length > 0 && (days[days.length - 1] ?? 0) >= day))
        return E.left(`balances of ${cellKey}: ${JSON.stringify([day, amount])} is not a later day with a non-zero whole amount`)
      days.push(day)
      amounts.push(BigInt(amount))
    }
    decoded.push(cellBalance(cellKey, days, amounts))
  }
  return E.right({ kind: 'balances', cells: decoded })
}

/**
 * `{ kind: 'borrowers', cells: ["<cell key>", …], households: ["<household>", …], intervals: [[cell, from, to or null, …], …] }`:
 * each cell key written once and named by its index, days as day numbers, households in id order with
 * their intervals at the same index. A query parses every commune's document: a cell key repeated in every
 * interval was most of its JSON, and an object keyed by household took three times as long to parse as two lists.
 */
export const encodeBorrowers = (borrowers: Borrowers): unknown => {
  const cellKeys = [...new Set([...borrowers.households.values()].flatMap((intervals) => intervals.map(({ cellKey }) => cellKey)))].sort()
  const indexOf = new Map(cellKeys.map((cellKey, index) => [cellKey, index] as const))
  const householdIds = [...borrowers.households.keys()].sort()
  return {
    kind: 'borrowers',
    cells: cellKeys,
    households: householdIds,
    intervals: householdIds.map((householdId) => (borrowers.households.get(householdId) ?? []).flatMap(({ cellKey, from, to }) => [indexOf.get(cellKey), from, to])),
  }
}

export const decodeBorrowers = (json: Readonly<Record<string, unknown>>): E.Either<string, Borrowers> => {
  const { cells, households, intervals: flatIntervals } = json
  if (!Array.isArray(cells) || !cells.every((cellKey) => typeof cellKey === 'string' && isWellFormedKey('cells', cellKey))) return E.left('borrowers: cells are not a list of cell keys')
  if (!Array.isArray(households) || !Array.isArray(flatIntervals) || households.length !== flatIntervals.length)
    return E.left('borrowers: households and their intervals are not two lists of one length')
  const decoded = new Map<string, ReadonlyArray<BorrowingInterval>>()
  let previous = ''
  for (let index = 0; index < households.length; index += 1) {
    const householdId: unknown = households[index]
    const flat: unknown = flatIntervals[index]
    // In strictly increasing order, so no household is listed twice.
    if (typeof householdId !== 'string' || !isWellFormedPart(householdId) || householdId <= previous)
      return E.left(`borrowers: household ${JSON.stringify(householdId)} is malformed or out of order`)
    previous = householdId
    if (!Array.isArray(flat) || flat.length === 0 || flat.length % 3 !== 0) return E.left(`borrowers of ${householdId} are not a list of intervals`)
    const intervals: Array<BorrowingInterval> = []
    for (let at = 0; at < flat.length; at += 3) {
      const cell: unknown = flat[at]
      const from: unknown = flat[at + 1]
      const to: unknown = flat[at + 2]
      const cellKey = Number.isSafeInteger(cell) ? (cells[cell as number] as string | undefined) : undefined
      if (cellKey === undefined || !isDayNumber(from) || !(to === null || (isDayNumber(to) && from < to)))
        return E.left(`borrowers of ${householdId}: ${JSON.stringify([cell, from, to])} is not [cell, from, to or null]`)
      intervals.push({ cellKey, from, to })
    }
    decoded.set(householdId, intervals)
  }
  return E.right({ kind: 'borrowers', households: decoded })
}
