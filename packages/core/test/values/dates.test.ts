import { describe, expect, it } from 'vitest'
import { addMonths, day, daysBetween, LocalDate } from '@policy-credit/core'
import { isLeft, isRight } from 'fp-ts/lib/Either.js'
import fc from 'fast-check'

/** What a calendar day is, by the JavaScript Date: its UTC round trip gives the same day back. */
const isDayByDate = (text: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const time = Date.parse(`${text}T00:00:00Z`)
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text)
}

describe('LocalDate', () => {
  it('refuses a day that Date.parse would roll over', () => expect(isLeft(LocalDate.decode('2025-02-30'))).toBe(true))
  it('accepts exactly the days the Date calendar has, from year 0000 to 9999', () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, dayOfMonth) => {
        const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`
        expect(isRight(LocalDate.decode(text))).toBe(isDayByDate(text))
      }),
      { numRuns: 2_000 },
    ))
  it('refuses what is not written YYYY-MM-DD', () => {
    for (const text of ['2024-2-29', '2024-02-29T00:00:00Z', ' 2024-02-29', '+02024-02-29', '２０２４-02-29']) expect(isLeft(LocalDate.decode(text))).toBe(true)
  })
  it('accepts a leap day', () => expect(LocalDate.decode('2024-02-29')).toStrictEqual({ _tag: 'Right', right: '2024-02-29' }))
  it('clamps month arithmetic to the end of a shorter month', () => expect(addMonths(day('2023-01-31'), 1)).toBe('2023-02-28'))
  it('counts days across a leap year', () => expect(daysBetween(day('2024-01-01'), day('2025-01-01'))).toBe(366))
})
