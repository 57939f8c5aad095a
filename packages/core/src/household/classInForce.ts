/**
 * Which class a household held on a day, and the decision that says so: the evidence a loan approval
 * records. A recognised class holds from its effective date until a later one replaces it; a household
 * that left the poor or near-poor list also counts as newly escaped for the years the review rules
 * give, unless it is back on a list.
 */
import * as O from 'fp-ts/lib/Option.js'
import type { LocalDate } from '../values/dates.ts'
import type { DecisionNumber } from '../values/identifiers.ts'
import type { ReviewKind } from '../reference/reviewRules.ts'
import type { HouseholdClass, PovertyStandardId, ReviewClass } from '../reference/types.ts'
import type { ExitRecord, Household, RecognitionRecord } from './state.ts'

export interface ClassEvidence {
  readonly standardId: PovertyStandardId
  readonly reviewYear: number
  readonly reviewKind: ReviewKind
  readonly decisionNumber: DecisionNumber
  readonly decisionDate: LocalDate
  readonly effectiveFrom: LocalDate
}

export interface ClassInForce {
  readonly householdClass: HouseholdClass
  readonly evidence: ClassEvidence
  /** For a newly-escaped status: the first day it no longer holds. */
  readonly escapedStatusEndsOn?: LocalDate
}

/** When a household holds several statuses, the first of these is its class. */
const PRECEDENCE: ReadonlyArray<HouseholdClass> = ['POOR', 'NEAR_POOR', 'ESCAPED_POVERTY', 'ESCAPED_NEAR_POVERTY', 'AVERAGE_LIVING', 'NONE']

export const isOnAList = (reviewClass: ReviewClass): boolean => reviewClass === 'POOR' || reviewClass === 'NEAR_POOR'

const existedOn = (household: Household, date: LocalDate): household is Exclude<Household, { readonly status: 'Unregistered' }> =>
  household.status !== 'Unregistered' && (household.status !== 'Dissolved' || date < household.dissolvedOn)

/** The recognition in force on a day: the latest effective one, and of those the latest decided. */
export const recognitionInForceOn = (household: Household, date: LocalDate): O.Option<RecognitionRecord> =>
  existedOn(household, date)
    ? O.fromNullable(
        household.recognitions.reduce<RecognitionRecord | undefined>(
          (latest, recognition) =>
            recognition.effectiveFrom <= date && (latest === undefined || recognition.effectiveFrom >= latest.effectiveFrom) ? recognition : latest,
          undefined,
        ),
      )
    : O.none

const recognised = (recognition: RecognitionRecord): ClassInForce => ({
  householdClass: recognition.householdClass,
  evidence: {
    standardId: recognition.standardId,
    reviewYear: recognition.reviewYear,
    reviewKind: recognition.reviewKind,
    decisionNumber: recognition.decisionNumber,
    decisionDate: recognition.decisionDate,
    effectiveFrom: recognition.effectiveFrom,
  },
})

const escaped = (exit: ExitRecord): ClassInForce => ({
  householdClass: exit.escapedClass,
  evidence: {
    standardId: exit.standardId,
    reviewYear: exit.reviewYear,
    reviewKind: exit.reviewKind,
    decisionNumber: exit.decisionNumber,
    decisionDate: exit.decisionDate,
    effectiveFrom: exit.exitedOn,
  },
  escapedStatusEndsOn: exit.escapedStatusEndsOn,
})

/** Every status the household holds on a day, in order of precedence (at most one per class). */
export const classesInForceOn = (household: Household, date: LocalDate): ReadonlyArray<ClassInForce> => {
  if (!existedOn(household, date)) return []
  return O.match(
    (): ReadonlyArray<ClassInForce> => [],
    (recognition: RecognitionRecord) => {
      const escapes = isOnAList(recognition.householdClass)
        ? []
        : household.exits.filter((exit) => exit.exitedOn <= date && date < exit.escapedStatusEndsOn).map(escaped)
      const statuses = [recognised(recognition), ...escapes.reverse()]
      return PRECEDENCE.flatMap((householdClass) => statuses.filter((status) => status.householdClass === householdClass).slice(0, 1))
    },
  )(recognitionInForceOn(household, date))
}

/** The household's class on a day with the decision behind it; none before its first recognition. */
export const classInForceOn = (household: Household, date: LocalDate): O.Option<ClassInForce> => O.fromNullable(classesInForceOn(household, date)[0])
