/**
 * How a yearly rate becomes interest in đồng (quy đổi lãi suất): the day-count basis and the rounding
 * rule, as dated versions, because the State Bank changed the basis from 360 to 365 days on
 * 1 Jan 2018 (domain.md §4b) and a loan's interest for 2017 and for 2018 uses different bases.
 * Rounding to whole đồng happens here and nowhere else.
 */
import * as E from 'fp-ts/lib/Either.js'
import { isInForceOn, type DatedPeriod, type LocalDate, day } from '../values/dates.ts'
import { vnd, type Vnd } from '../values/money.ts'

/** Round half up: no VBSP guidance on rounding was found, so the common rule is assumed [GK]. */
export type RoundingRule = 'HALF_UP'

export interface InterestConvention extends DatedPeriod {
  /** Days in the year the yearly rate is divided by. */
  readonly daysInYear: number
  readonly rounding: RoundingRule
  readonly legalBasis: string
  readonly evidence: string
}

/** The national conventions. Earlier days have none: policy credit under Decree 78/2002 starts later. */
export const interestConventions: ReadonlyArray<InterestConvention> = [
  {
    validFrom: day('2001-05-17'),
    validTo: day('2018-01-01'),
    daysInYear: 360,
    rounding: 'HALF_UP',
    legalBasis: 'Decision 652/2001/QĐ-NHNN',
    evidence: '360-day year before 2018 [V: moj.gov.vn, lawnet.vn summaries of Circular 14/2017]; in force from signature on 17 May 2001 [GK]; rounding half up [GK]',
  },
  {
    validFrom: day('2018-01-01'),
    daysInYear: 365,
    rounding: 'HALF_UP',
    legalBasis: 'Circular 14/2017/TT-NHNN',
    evidence: '365-day year from 1 Jan 2018 [V: moj.gov.vn, lawnet.vn summaries; Bank of China HCMC notice of 22 Dec 2017]; rounding half up [GK]',
  },
]

export interface NoInterestConventionInForce {
  readonly _tag: 'NoInterestConventionInForce'
  readonly date: LocalDate
}

export const interestConventionOn = (
  date: LocalDate,
  conventions: ReadonlyArray<InterestConvention> = interestConventions,
): E.Either<NoInterestConventionInForce, InterestConvention> => {
  const found = conventions.find((convention) => isInForceOn(convention, date))
  return found === undefined ? E.left({ _tag: 'NoInterestConventionInForce', date }) : E.right(found)
}

/** An exact amount of đồng as a fraction, kept exact until the one rounding. */
export interface ExactAmount {
  readonly numerator: bigint
  readonly denominator: bigint
}

const greatestCommonDivisor = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : greatestCommonDivisor(b, a % b))

export const exactAmount = (numerator: bigint, denominator: bigint): ExactAmount => {
  if (denominator <= 0n) throw new RangeError(`an exact amount needs a positive denominator: ${denominator}`)
  const divisor = greatestCommonDivisor(numerator, denominator)
  return divisor <= 1n ? { numerator, denominator } : { numerator: numerator / divisor, denominator: denominator / divisor }
}

export const zeroAmount: ExactAmount = { numerator: 0n, denominator: 1n }

export const addExact = (a: ExactAmount, b: ExactAmount): ExactAmount =>
  exactAmount(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)

/** The only place interest becomes whole đồng. */
export const roundToWholeDong = (amount: ExactAmount, rule: RoundingRule): Vnd => {
  if (amount.numerator < 0n) throw new RangeError('interest is never negative; a negative exact amount is a defect')
  switch (rule) {
    case 'HALF_UP':
      return vnd((2n * amount.numerator + amount.denominator) / (2n * amount.denominator))
  }
}
