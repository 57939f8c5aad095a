/**
 * The events the poverty-rate projection follows, and how it decodes them. A household event is read
 * for the few fields the projection uses, each decoded with the core's codec for it (`usedFieldsDecoder`
 * of @policy-credit/projections), instead of the whole event through the domain codec: the store
 * validated every event with that codec when it was appended, and a rebuild decodes about 124,000
 * household events (the domain codec took about a tenth of it). A household event whose used field is missing or malformed is still refused, naming the field
 * as the domain codec does (`HouseholdDissolved: data.dissolvedOn expected LocalDate`); one malformed
 * only in a field the projection does not read is accepted, since nothing here would read it.
 * test/events.test.ts holds the two decoders to the same decision on intact and damaged events.
 * Commune and plan events (a few per commune) go through the domain codec: their facts are kept as
 * the core's states, which read every field.
 */
import * as E from 'fp-ts/lib/Either.js'
import { AdministrativeUnit, CommuneId, decodeDomainEvent, Household, HouseholdId, LocalDate, PovertyStandardId, ReviewClass, type DomainEvent } from '@policy-credit/core'
import type { RecordedEvent } from '@policy-credit/event-store'
import { usedFieldsDecoder, type FactOf, type UsedFields } from '@policy-credit/projections'
import { describeDecodeFailure } from './documents.ts'

/** The event types this projection follows; the store filters out every other type. */
export const followedEventTypes = [
  'HouseholdRegistered',
  'HouseholdClassRecognised',
  'HouseholdExitedPoverty',
  'HouseholdMovedCommune',
  'HouseholdDissolved',
  'CommuneDeclared',
  'CommuneReclassified',
  'CommuneJoinedTown',
  'CommuneLeftTown',
  'CommuneMerged',
  'PovertyReductionTargetSet',
] as const satisfies ReadonlyArray<DomainEvent['type']>

type Followed = Extract<DomainEvent, { readonly type: (typeof followedEventTypes)[number] }>
type DomainHouseholdEvent = Extract<Followed, Household.HouseholdEvent>

/** The fields of each household event the projection reads, with the core's codec of each. */
const usedFields = {
  HouseholdRegistered: { householdId: HouseholdId, communeId: CommuneId, registeredOn: LocalDate },
  HouseholdClassRecognised: { householdId: HouseholdId, standardId: PovertyStandardId, householdClass: ReviewClass, effectiveFrom: LocalDate },
  HouseholdExitedPoverty: {
    householdId: HouseholdId,
    standardId: PovertyStandardId,
    exitedFrom: Household.ExitedList,
    escapedClass: Household.EscapedClass,
    exitedOn: LocalDate,
    escapedStatusEndsOn: LocalDate,
  },
  HouseholdMovedCommune: { householdId: HouseholdId, toCommuneId: CommuneId, movedOn: LocalDate },
  HouseholdDissolved: { householdId: HouseholdId, dissolvedOn: LocalDate },
} as const satisfies { readonly [Type in DomainHouseholdEvent['type']]: UsedFields[string] }

/** A household event as the projection reads it: the domain event's type and the fields it uses (a whole domain event is one). */
export type HouseholdFact = FactOf<typeof usedFields>

export type CommuneFact = Extract<Followed, AdministrativeUnit.AdministrativeUnitEvent>

export type PovertyRateEvent = HouseholdFact | CommuneFact | Extract<Followed, { readonly type: 'PovertyReductionTargetSet' }>

const decodeUsedFields = usedFieldsDecoder(usedFields)

const isFollowed = (type: string): boolean => (followedEventTypes as ReadonlyArray<string>).includes(type)

export const decodePovertyRateEvent =
  (projectionName: string) =>
  (recorded: RecordedEvent): E.Either<string, PovertyRateEvent> => {
    const fact = decodeUsedFields(recorded.type, recorded.data)
    if (fact !== undefined) return fact
    if (!isFollowed(recorded.type)) return E.left(`${recorded.type} is not followed by ${projectionName}`)
    const decoded = decodeDomainEvent({ type: recorded.type, data: recorded.data })
    return E.isLeft(decoded) ? E.left(describeDecodeFailure(decoded.left)) : E.right(decoded.right as PovertyRateEvent)
  }
