/**
 * Business dates are calendar days in Vietnam (UTC+7, no DST) as 'YYYY-MM-DD', which sort correctly as
 * strings. Recorded instants are ISO-8601 UTC strings set by the store, never by the core. The core
 * never reads a clock: every command carries its business date.
 */
import * as t from 'io-ts'

export interface LocalDateBrand {
  readonly LocalDate: unique symbol
}

// Date.parse('2025-02-30') rolls over to 2 March, so compare the round trip.
const isCalendarDay = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const time = Date.parse(`${s}T00:00:00Z`)
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(s)
}

export const LocalDate = t.brand(t.string, (s): s is t.Branded<string, LocalDateBrand> => isCalendarDay(s), 'LocalDate')
export type LocalDate = t.TypeOf<typeof LocalDate>

/** For literals and trusted values; untrusted input goes through `LocalDate.decode`. */
export const day = (s: string): LocalDate => {
  if (!isCalendarDay(s)) throw new RangeError(`not a calendar day: ${s}`)
  return s as LocalDate
}

const toUtcMillis = (date: LocalDate): number => Date.parse(`${date}T00:00:00Z`)
const fromUtcMillis = (millis: number): LocalDate => new Date(millis).toISOString().slice(0, 10) as LocalDate
const MILLIS_PER_DAY = 86_400_000

export const addDays = (date: LocalDate, days: number): LocalDate => fromUtcMillis(toUtcMillis(date) + days * MILLIS_PER_DAY)

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => Math.round((toUtcMillis(to) - toUtcMillis(from)) / MILLIS_PER_DAY)

/** Same day `months` later; a day past the end of the target month clamps to its last day (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (date: LocalDate, months: number): LocalDate => {
  const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number]
  const monthIndex = year * 12 + (month - 1) + months
  const targetYear = Math.floor(monthIndex / 12)
  const targetMonth = monthIndex - targetYear * 12 + 1
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate()
  return day(`${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(Math.min(dayOfMonth, lastDay)).padStart(2, '0')}`)
}

export const addYears = (date: LocalDate, years: number): LocalDate => addMonths(date, years * 12)

export const yearOf = (date: LocalDate): number => Number(date.slice(0, 4))
export const startOfYear = (year: number): LocalDate => day(`${String(year).padStart(4, '0')}-01-01`)
export const endOfYear = (year: number): LocalDate => day(`${String(year).padStart(4, '0')}-12-31`)

export const isOnOrBefore = (a: LocalDate, b: LocalDate): boolean => a <= b
export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b)
export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b)

/** A half-open validity period [from, to): `to` undefined means still in force. */
export interface DatedPeriod {
  readonly validFrom: LocalDate
  readonly validTo?: LocalDate
}
export const isInForceOn = (period: DatedPeriod, date: LocalDate): boolean =>
  period.validFrom <= date && (period.validTo === undefined || date < period.validTo)
