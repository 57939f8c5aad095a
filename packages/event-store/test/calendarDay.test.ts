import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isCalendarDay } from '../src/requests.ts'

// The reference: a day is real when the calendar gives it back unchanged.
const byDateRoundTrip = (text: string): boolean => {
  const time = Date.parse(`${text}T00:00:00Z`)
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text)
}

const digits = (length: number) => fc.integer({ min: 0, max: 10 ** length - 1 }).map((n) => String(n).padStart(length, '0'))

test.prop([digits(4), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })])(
  'accepts exactly the YYYY-MM-DD texts that name a real day (leap years included)',
  (year, month, dayOfMonth) => {
    const text = `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`
    fc.pre(Number(year) >= 1)
    expect(isCalendarDay(text)).toBe(byDateRoundTrip(text))
  },
)

test.each(['2024-02-29', '2000-02-29', '2023-12-31'])('accepts %s', (text) => expect(isCalendarDay(text)).toBe(true))
test.each(['2023-02-29', '1900-02-29', '2023-04-31', '2023-1-01', '2023-01-01T00:00:00Z', 20230101, null])('refuses %j', (value) =>
  expect(isCalendarDay(value)).toBe(false))
