/**
 * What happens to a household (hộ gia đình) in the poverty review: it is registered in a commune,
 * assessed in a review, recognised in a class by the commune's decision, leaves the poor or near-poor
 * list, moves, and dissolves. Each event carries what a report needs (commune, area type, standard,
 * review year, class, the class it replaces), so projections never join.
 */
import * as t from 'io-ts'
import { union } from '../shared/codecs.ts'
import { message } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CommuneId, HouseholdId } from '../values/identifiers.ts'
import { AreaType, ReviewClass } from '../reference/types.ts'
import { decisionFields, EscapedClass, ExitedList, findingFields, placeFields, registrationFields, reviewFields } from './fields.ts'

export const HouseholdRegistered = message('HouseholdRegistered', registrationFields)
export type HouseholdRegistered = t.TypeOf<typeof HouseholdRegistered>

/** The review's findings, with the class `classify` gave them and whose income lines it used. */
export const HouseholdAssessed = message('HouseholdAssessed', {
  ...reviewFields,
  ...placeFields,
  ...findingFields,
  assessedClass: ReviewClass,
  incomeLinesSource: t.string,
})
export type HouseholdAssessed = t.TypeOf<typeof HouseholdAssessed>

/**
 * The commune People's Committee chairman's decision (quyết định công nhận). `previousClass` is the
 * class this one replaces for the same standard and review year, so a count can move a household
 * from one column to another; null when it is the first.
 */
export const HouseholdClassRecognised = message('HouseholdClassRecognised', {
  ...reviewFields,
  ...placeFields,
  ...decisionFields,
  householdClass: ReviewClass,
  previousClass: union([ReviewClass, t.null]),
  effectiveFrom: LocalDate,
})
export type HouseholdClassRecognised = t.TypeOf<typeof HouseholdClassRecognised>

/** Left the poor or near-poor list: newly escaped (hộ mới thoát nghèo) from `exitedOn` until `escapedStatusEndsOn` (exclusive). */
export const HouseholdExitedPoverty = message('HouseholdExitedPoverty', {
  ...reviewFields,
  ...placeFields,
  ...decisionFields,
  exitedFrom: ExitedList,
  escapedClass: EscapedClass,
  exitedOn: LocalDate,
  escapedStatusEndsOn: LocalDate,
})
export type HouseholdExitedPoverty = t.TypeOf<typeof HouseholdExitedPoverty>

export const HouseholdMovedCommune = message('HouseholdMovedCommune', {
  householdId: HouseholdId,
  fromCommuneId: CommuneId,
  toCommuneId: CommuneId,
  areaType: AreaType,
  movedOn: LocalDate,
})
export type HouseholdMovedCommune = t.TypeOf<typeof HouseholdMovedCommune>

export const HouseholdDissolved = message('HouseholdDissolved', {
  householdId: HouseholdId,
  communeId: CommuneId,
  dissolvedOn: LocalDate,
})
export type HouseholdDissolved = t.TypeOf<typeof HouseholdDissolved>

export const HouseholdEvent = t.union(
  [HouseholdRegistered, HouseholdAssessed, HouseholdClassRecognised, HouseholdExitedPoverty, HouseholdMovedCommune, HouseholdDissolved],
  'HouseholdEvent',
)
export type HouseholdEvent = t.TypeOf<typeof HouseholdEvent>
