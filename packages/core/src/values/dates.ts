/**
 * Business dates are calendar days in Vietnam (UTC+7, no DST) as 'YYYY-MM-DD', which sort correctly as
 * strings. Recorded instants are ISO-8601 UTC strings set by the store, never by the core. The core
 * never reads a clock: every command carries its business date.
 */
import * as t from 'io-ts'
import { brand } from '../shared/codecs.ts'

export interface LocalDateBrand {
  readonly LocalDate: unique symbol
}

/** Days in a month of the proleptic Gregorian calendar, as `Date` counts them. */
const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

const ZERO = 48
const HYPHEN = 45

/** The digit at `index` (0–9), or -1 when it is not an ASCII digit. */
const digitAt = (s: string, index: number): number => {
  const digit = s.charCodeAt(index) - ZERO
  return digit >= 0 && digit <= 9 ? digit : -1
}

/** The number written by the ASCII digits from `start` to `end` (exclusive), or -1 when one is not a digit. */
const numberAt = (s: string, start: number, end: number): number => {
  let value = 0
  for (let index = start; index < end; index++) {
    const digit = digitAt(s, index)
    if (digit < 0) return -1
    value = value * 10 + digit
  }
  return value
}

// By arithmetic, not through `Date`: every stored event's dates are checked on read, and building a Date
// and its ISO string for each was a tenth of a projection's rebuild. By character codes, as
// /^(\d{4})-(\d{2})-(\d{2})$/ would match, without the regular expression's match array.
const isCalendarDay = (s: string): boolean => {
  if (s.length !== 10 || s.charCodeAt(4) !== HYPHEN || s.charCodeAt(7) !== HYPHEN) return false
  const year = numberAt(s, 0, 4)
  const month = numberAt(s, 5, 7)
  const dayOfMonth = numberAt(s, 8, 10)
  return year >= 0 && month >= 1 && month <= 12 && dayOfMonth >= 1 && dayOfMonth <= daysInMonth(year, month)
}

/**
 * A calendar day as the number yyyymmdd (2022-06-30 is 20220630). It orders as the date does, is half
 * the JSON of a quoted date and is checked by arithmetic: read models keep days so where a query reads
 * many of them.
 */
export type DayNumber = number

export const dayNumberOf = (date: LocalDate): DayNumber => Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))

/** The date of a day number: 20210101 → 2021-01-01; for a number `isDayNumber` accepts. */
export const dateOfDayNumber = (day: DayNumber): LocalDate =>
  `${String(Math.floor(day / 10_000)).padStart(4, '0')}-${String(Math.floor(day / 100) % 100).padStart(2, '0')}-${String(day % 100).padStart(2, '0')}` as LocalDate

/** Whether `value` is the day number of a calendar day in years 0000–9999, as `LocalDate` allows. */
export const isDayNumber = (value: unknown): value is DayNumber => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 101 || value > 99_991_231) return false
  const month = Math.floor(value / 100) % 100
  const dayOfMonth = value % 100
  return month >= 1 && month <= 12 && dayOfMonth >= 1 && dayOfMonth <= daysInMonth(Math.floor(value / 10_000), month)
}

export const LocalDate = brand(t.string, (s): s is t.Branded<string, LocalDateBrand> => isCalendarDay(s), 'LocalDate')
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
