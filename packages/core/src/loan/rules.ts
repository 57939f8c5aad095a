/**
 * Dated lending rules the programme terms do not carry: how far a due date may be extended, and the
 * loss that opens a risk extension. (How long a household counts as newly escaped is a review rule:
 * the household's class in force says until when.) Each version names its source; the [GK] ones must
 * be checked against the legal text (domain.md §10).
 */
import * as E from 'fp-ts/lib/Either.js'
import { day, isInForceOn, type DatedPeriod, type LocalDate } from '../values/dates.ts'
import type { BasisPoints } from '../values/money.ts'

export interface LendingRules extends DatedPeriod {
  /** Loans of at most this many months are short-term: an ordinary extension may add up to `shortTermExtensionMonths`. */
  readonly shortTermMaxMonths: number
  readonly shortTermExtensionMonths: number
  /** Medium- and long-term loans may be extended by this share of their original term. */
  readonly longerTermExtensionShare: BasisPoints
  /** The borrower's loss of capital from which a risk extension is allowed. */
  readonly riskExtensionMinimumLoss: BasisPoints
  readonly legalBasis: string
  readonly evidence: string
}

export const lendingRules: ReadonlyArray<LendingRules> = [
  {
    validFrom: day('2002-10-04'),
    shortTermMaxMonths: 12,
    shortTermExtensionMonths: 12,
    longerTermExtensionShare: 5_000 as BasisPoints,
    riskExtensionMinimumLoss: 4_000 as BasisPoints,
    legalBasis: 'Decree 78/2002/NĐ-CP and VBSP rules (extension); Decision 50/2010/QĐ-TTg as amended (risk)',
    evidence:
      'from Decree 78/2002 of 4 Oct 2002 [GK]; extension ≤ 12 months for short-term loans and ≤ half the original term otherwise [GK] (domain.md §10 question 2); risk extension from a 40 % loss [V:S23b]',
  },
]

export interface NoLendingRulesInForce {
  readonly _tag: 'NoLendingRulesInForce'
  readonly date: LocalDate
}

export const lendingRulesOn = (date: LocalDate, rules: ReadonlyArray<LendingRules> = lendingRules): E.Either<NoLendingRulesInForce, LendingRules> => {
  const found = rules.find((version) => isInForceOn(version, date))
  return found === undefined ? E.left({ _tag: 'NoLendingRulesInForce', date }) : E.right(found)
}

/** How many months an ordinary extension may add to a loan of `termMonths`. */
export const extensionLimitMonths = (rules: LendingRules, termMonths: number): number =>
  termMonths <= rules.shortTermMaxMonths ? rules.shortTermExtensionMonths : Math.floor((termMonths * rules.longerTermExtensionShare) / 10_000)
