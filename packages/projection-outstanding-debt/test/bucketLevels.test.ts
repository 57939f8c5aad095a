/**
 * The dated buckets, exhaustively over a span of days: a movement on any day lands in exactly one
 * bucket that a question about any later day (or the same day) reads, and in none that a question about
 * an earlier day reads. The question days are every bucket edge: the first and last day of every month
 * (so of every quarter, half block and block) and the days a week ends or starts.
 */
import { describe, expect, it } from 'vitest'
import { addDays, addMonths, day, type LocalDate } from '@policy-credit/core'
import { idInRange } from '@policy-credit/projections'
import { outstandingDebtProjection, rangesThrough, type DebtMovement } from '../src/index.ts'

const daysFrom = (first: LocalDate, last: LocalDate): ReadonlyArray<LocalDate> => {
  const days: Array<LocalDate> = []
  for (let on = first; on <= last; on = addDays(on, 1)) days.push(on)
  return days
}

/** A repayment in one cell of commune C01 on the day. */
const movementOn = (on: LocalDate): DebtMovement => ({ type: 'Movement', on, communeId: 'C01', changes: [{ kind: 'cells', key: 'cell', delta: { collected: 1n } }] })

const bucketsOf = (on: LocalDate): ReadonlyArray<string> => outstandingDebtProjection.documentIds(movementOn(on)).filter((id) => id.startsWith('cells:'))

describe('outstanding-debt: dated buckets', () => {
  it('a movement is read exactly once by every question on or after its day, and never before, across a half and a block edge', () => {
    // Mid-2019 to mid-2024: the end of a block's first half (2016–2019), its second half, and the next block (2024).
    const movementDays = daysFrom(day('2019-06-01'), day('2024-06-30'))
    const questionDays = new Set<LocalDate>()
    for (let month = day('2019-06-01'); month <= day('2024-06-01'); month = addMonths(month, 1)) {
      for (const dayOfMonth of [1, 7, 8, 14, 15, 21, 22, 28]) questionDays.add(day(`${month.slice(0, 8)}${String(dayOfMonth).padStart(2, '0')}`))
      // The day after the last whole week (29th, or 1 March), and the last of the month.
      questionDays.add(addDays(month, 28))
      questionDays.add(addDays(addMonths(month, 1), -1))
    }
    const bucketsByDay = new Map(movementDays.map((on) => [on, bucketsOf(on)] as const))
    const everyBucket = [...new Set([...bucketsByDay.values()].flat())]
    let checked = 0
    for (const through of questionDays) {
      const ranges = rangesThrough('cells', through)
      const read = new Set(everyBucket.filter((id) => ranges.some((range) => idInRange(range, id))))
      for (const [on, ids] of bucketsByDay) {
        let times = 0
        for (const id of ids) if (read.has(id)) times += 1
        if (times !== (on <= through ? 1 : 0)) throw new Error(`a movement on ${on} is read ${times} times as of ${through}`)
        checked += 1
      }
    }
    expect(checked).toBe(movementDays.length * questionDays.size)
  })
})
