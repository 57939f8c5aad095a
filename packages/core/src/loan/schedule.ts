/**
 * How a movement of principal is split across instalments. A repayment settles the earliest
 * instalments first; a freeze or a write-off takes the latest first, so what is due soonest stays due.
 */
import { minVnd, sumVnd, vnd, type Vnd } from '../values/money.ts'
import type { LocalDate } from '../values/dates.ts'
import type { InstalmentPart } from './events.ts'
import type { InstalmentBalance } from './state.ts'

const byDueDate = (a: InstalmentBalance, b: InstalmentBalance): number => (a.dueOn === b.dueOn ? a.number - b.number : a.dueOn < b.dueOn ? -1 : 1)

const take = (ordered: ReadonlyArray<InstalmentBalance>, amount: Vnd): ReadonlyArray<InstalmentPart> =>
  ordered.reduce<{ readonly left: bigint; readonly parts: ReadonlyArray<InstalmentPart> }>(
    ({ left, parts }, instalment) => {
      const part = minVnd(vnd(left), instalment.remaining)
      return part === 0n ? { left, parts } : { left: left - part, parts: [...parts, { number: instalment.number, amount: part }] }
    },
    { left: amount, parts: [] },
  ).parts

export const takeEarliestFirst = (instalments: ReadonlyArray<InstalmentBalance>, amount: Vnd): ReadonlyArray<InstalmentPart> =>
  take([...instalments].sort(byDueDate), amount)

export const takeLatestFirst = (instalments: ReadonlyArray<InstalmentBalance>, amount: Vnd): ReadonlyArray<InstalmentPart> =>
  take([...instalments].sort(byDueDate).reverse(), amount)

/** The unpaid part of every instalment that fell due before `date`. */
export const unpaidDueBefore = (instalments: ReadonlyArray<InstalmentBalance>, date: LocalDate): ReadonlyArray<InstalmentPart> =>
  [...instalments]
    .sort(byDueDate)
    .filter((instalment) => instalment.dueOn < date && instalment.remaining > 0n)
    .map((instalment) => ({ number: instalment.number, amount: instalment.remaining }))

export const totalOf = (parts: ReadonlyArray<InstalmentPart>): Vnd => sumVnd(parts.map((part) => part.amount))

/** Removes the parts from the instalments they were taken from. */
export const withoutParts = (instalments: ReadonlyArray<InstalmentBalance>, parts: ReadonlyArray<InstalmentPart>): ReadonlyArray<InstalmentBalance> =>
  instalments.map((instalment) => {
    const taken = totalOf(parts.filter((part) => part.number === instalment.number))
    return taken === 0n ? instalment : { ...instalment, remaining: vnd(instalment.remaining - taken) }
  })
