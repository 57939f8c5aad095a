import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dateOfDayNumber, dayNumberOf, isDayNumber, LocalDate } from '../../src/index.ts'

const asDateString = (value: number): string => {
  const digits = String(value).padStart(8, '0')
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`
}

const localDates = fc
  .date({ min: new Date(Date.UTC(0, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((date) => {
    const year = String(date.getUTCFullYear()).padStart(4, '0')
    return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}` as LocalDate
  })

describe('day numbers (yyyymmdd)', () => {
  it('orders as the dates do, is always a day number and reads back as the date', () => {
    fc.assert(
      fc.property(localDates, localDates, (a, b) => {
        expect(isDayNumber(dayNumberOf(a))).toBe(true)
        expect(dateOfDayNumber(dayNumberOf(a))).toBe(a)
        expect(Math.sign(dayNumberOf(a) - dayNumberOf(b))).toBe(a < b ? -1 : a > b ? 1 : 0)
      }),
    )
  })
  it('accepts exactly the integers whose yyyymmdd spelling is a calendar day', () => {
    const nearDays = fc.oneof(fc.integer({ min: -5, max: 100_000_000 }), fc.tuple(localDates, fc.integer({ min: -3, max: 3 })).map(([date, offset]) => dayNumberOf(date) + offset))
    fc.assert(
      fc.property(nearDays, (value) => {
        expect(isDayNumber(value)).toBe(value >= 0 && value <= 99_991_231 && LocalDate.is(asDateString(value)))
      }),
      { numRuns: 2_000 },
    )
    expect([isDayNumber(20240229), isDayNumber(20230229), isDayNumber(19000229), isDayNumber(20000229), isDayNumber(20221.5), isDayNumber('20220101')]).toStrictEqual([true, false, false, true, false, false])
  })
})
