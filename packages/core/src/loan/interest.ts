/**
 * Interest (lãi) accrues by day on the principal held at the end of each day (Circular 14/2017: the
 * period includes its first day and excludes its last, on the end-of-day balance), at the programme
 * rate in force that day, on the day-count basis in force that day. Overdue principal accrues at the
 * overdue share of the rate (130 %); frozen principal accrues nothing (domain.md §3, §4, §4b). Rates
 * change for outstanding loans on the day a new terms version takes effect, so a period is split
 * wherever the balance, the terms version or the interest convention changes. The sum stays exact
 * until it is rounded, once, by `roundToWholeDong`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import {
  addExact,
  exactAmount,
  interestConventionOn,
  interestConventions,
  roundToWholeDong,
  zeroAmount,
  type ExactAmount,
  type InterestConvention,
  type NoInterestConventionInForce,
} from '../reference/interest.ts'
import type { ProgrammeId, ProgrammeTerms } from '../reference/types.ts'
import { addDays, daysBetween, isInForceOn, minDate, type LocalDate } from '../values/dates.ts'
import type { Vnd } from '../values/money.ts'

/** Finds the programme terms in force on a day; `termsOn` from the programme catalogue is one. */
export type TermsLookup = (programme: ProgrammeId, date: LocalDate) => E.Either<unknown, ProgrammeTerms>

/** The principal held from `from` (end of that day) until the next segment starts. */
export interface BalanceSegment {
  readonly from: LocalDate
  readonly inTerm: Vnd
  readonly overdue: Vnd
  readonly frozen: Vnd
}

/** What interest is computed from: the loan's programme and its balance history, oldest first. */
export interface InterestBasis {
  readonly programme: ProgrammeId
  readonly balanceHistory: ReadonlyArray<BalanceSegment>
}

export type InterestRejection =
  | { readonly _tag: 'NoTermsInForce'; readonly programme: ProgrammeId; readonly date: LocalDate }
  | NoInterestConventionInForce

const PARTS_PER_MILLION = 1_000_000n
const BASIS_POINTS_PER_WHOLE = 10_000n

const noBalance = (from: LocalDate): BalanceSegment => ({ from, inTerm: 0n as Vnd, overdue: 0n as Vnd, frozen: 0n as Vnd })

const segmentOn = (history: ReadonlyArray<BalanceSegment>, date: LocalDate): BalanceSegment =>
  history.reduce<BalanceSegment>((found, segment) => (segment.from <= date ? segment : found), noBalance(date))

const nextChangeAfter = (history: ReadonlyArray<BalanceSegment>, date: LocalDate): LocalDate | undefined =>
  history.find((segment) => segment.from > date)?.from

/** Interest for `days` days of one balance under one terms version and one convention, exact. */
const interestOfStretch = (balance: BalanceSegment, terms: ProgrammeTerms, convention: InterestConvention, days: number): ExactAmount =>
  exactAmount(
    BigInt(days) *
      BigInt(terms.yearlyRate) *
      (balance.inTerm * BASIS_POINTS_PER_WHOLE + balance.overdue * BigInt(terms.overdueRateShare)),
    PARTS_PER_MILLION * BASIS_POINTS_PER_WHOLE * BigInt(convention.daysInYear),
  )

/** Interest accrued over the days [from, to), exact (not rounded); additive over any split of the period. */
export const accruedInterest = (
  loan: InterestBasis,
  from: LocalDate,
  to: LocalDate,
  termsLookup: TermsLookup,
  conventions: ReadonlyArray<InterestConvention> = interestConventions,
): E.Either<InterestRejection, ExactAmount> => {
  let total = zeroAmount
  let cursor = from
  while (cursor < to) {
    const balance = segmentOn(loan.balanceHistory, cursor)
    const stretchEnd = minDate(to, nextChangeAfter(loan.balanceHistory, cursor) ?? to)
    if (balance.inTerm === 0n && balance.overdue === 0n) {
      cursor = stretchEnd
      continue
    }
    const terms = termsLookup(loan.programme, cursor)
    if (E.isLeft(terms)) return E.left({ _tag: 'NoTermsInForce', programme: loan.programme, date: cursor })
    const convention = interestConventionOn(cursor, conventions)
    if (E.isLeft(convention)) return convention
    const end = [terms.right.validTo, convention.right.validTo].reduce<LocalDate>((earliest, limit) => (limit === undefined ? earliest : minDate(earliest, limit)), stretchEnd)
    total = addExact(total, interestOfStretch(balance, terms.right, convention.right, daysBetween(cursor, end)))
    cursor = end
  }
  return E.right(total)
}

/** Interest due over the days [from, to), in whole đồng: rounded once, by the rule in force on the last day. */
export const interestDue = (
  loan: InterestBasis,
  from: LocalDate,
  to: LocalDate,
  termsLookup: TermsLookup,
  conventions: ReadonlyArray<InterestConvention> = interestConventions,
): E.Either<InterestRejection, Vnd> =>
  from >= to
    ? E.right(0n as Vnd)
    : pipe(
        accruedInterest(loan, from, to, termsLookup, conventions),
        E.flatMap((exact) =>
          pipe(
            interestConventionOn(addDays(to, -1), conventions),
            E.map((convention) => roundToWholeDong(exact, convention.rounding)),
          ),
        ),
      )

/** A terms lookup over the versions of one programme the handler loaded (for tests and fixed catalogues). */
export const termsLookupFrom =
  (versions: ReadonlyArray<ProgrammeTerms>): TermsLookup =>
  (programme, date) => {
    const found = versions.find((terms) => terms.programme === programme && isInForceOn(terms, date))
    return found === undefined ? E.left({ _tag: 'NoTermsInForce', programme, date }) : E.right(found)
  }
