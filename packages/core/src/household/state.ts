/**
 * A household's state, keyed by status. It keeps every assessment, recognition and exit, so the
 * class in force on any past day can be answered from the stream alone.
 */
import type { LocalDate } from '../values/dates.ts'
import type { CommuneId, HouseholdId } from '../values/identifiers.ts'
import type { AreaType } from '../reference/types.ts'
import type { HouseholdAssessed, HouseholdClassRecognised, HouseholdExitedPoverty } from './events.ts'
import type { MemberCount } from './fields.ts'

export type AssessmentRecord = HouseholdAssessed['data']
export type RecognitionRecord = HouseholdClassRecognised['data']
export type ExitRecord = HouseholdExitedPoverty['data']

export interface HouseholdRecord {
  readonly householdId: HouseholdId
  readonly communeId: CommuneId
  readonly areaType: AreaType
  readonly members: MemberCount
  readonly registeredOn: LocalDate
  readonly assessments: ReadonlyArray<AssessmentRecord>
  /** In the order decided, which breaks ties between recognitions taking effect on the same day. */
  readonly recognitions: ReadonlyArray<RecognitionRecord>
  readonly exits: ReadonlyArray<ExitRecord>
}

export type Household =
  | { readonly status: 'Unregistered' }
  | ({ readonly status: 'Registered' } & HouseholdRecord)
  | ({ readonly status: 'Dissolved'; readonly dissolvedOn: LocalDate } & HouseholdRecord)

export type HouseholdStatus = Household['status']

export const unregistered: Household = { status: 'Unregistered' }
