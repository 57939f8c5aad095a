/**
 * The events the poverty-rate projection follows, and how it decodes them. A household event is read
 * for the few fields the projection uses, each checked with the core's codec for it (`is`), instead of
 * the whole event through the domain codec: the store validated every event with that codec when it was
 * appended, and a rebuild decodes about 124,000 household events (the domain codec took about a tenth of
 * it). A household event whose used field is missing or malformed is still refused, naming the field
 * as the domain codec does (`HouseholdDissolved: data.dissolvedOn expected LocalDate`); one malformed
 * only in a field the projection does not read is accepted, since nothing here would read it.
 * test/events.test.ts holds the two decoders to the same decision on intact and damaged events.
 * Commune and plan events (a few per commune) go through the domain codec: their facts are kept as
 * the core's states, which read every field.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { AdministrativeUnit, CommuneId, decodeDomainEvent, Household, HouseholdId, LocalDate, PovertyStandardId, ReviewClass, type DomainEvent } from '@policy-credit/core'
import type { RecordedEvent } from '@policy-credit/event-store'
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

/** The fields of each household event the projection reads. */
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
} as const satisfies { readonly [Type in DomainHouseholdEvent['type']]: Readonly<Record<string, t.Mixed>> }

type UsedFields = typeof usedFields

/** A household event as the projection reads it: the domain event's type and the fields it uses (a whole domain event is one). */
export type HouseholdFact = {
  readonly [Type in keyof UsedFields]: { readonly type: Type; readonly data: DataOf<UsedFields[Type]> }
}[keyof UsedFields]

type DataOf<Fields> = { readonly [Field in keyof Fields]: Fields[Field] extends t.Mixed ? t.TypeOf<Fields[Field]> : never }

export type CommuneFact = Extract<Followed, AdministrativeUnit.AdministrativeUnitEvent>

export type PovertyRateEvent = HouseholdFact | CommuneFact | Extract<Followed, { readonly type: 'PovertyReductionTargetSet' }>

type FieldCodec = { readonly is: (value: unknown) => boolean; readonly name: string }

/** Each household event type's used fields as [name, codec] pairs, listed once rather than walked per event. */
const checksByType: ReadonlyMap<string, ReadonlyArray<readonly [string, FieldCodec]>> = new Map(Object.entries(usedFields).map(([type, fields]) => [type, Object.entries(fields)]))

const isFollowed = (type: string): boolean => (followedEventTypes as ReadonlyArray<string>).includes(type)

/** Checks the used fields of a household event; Left names each field that is missing or malformed. */
const checkedFact = (type: string, checks: ReadonlyArray<readonly [string, FieldCodec]>, data: unknown): E.Either<string, HouseholdFact> => {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return E.left(`${type}: data expected an object`)
  let problems: Array<string> | undefined
  for (const [name, codec] of checks) if (!codec.is((data as Readonly<Record<string, unknown>>)[name])) (problems ??= []).push(`data.${name} expected ${codec.name}`)
  // The data as stored: the projection reads only the fields checked above.
  return problems === undefined ? E.right({ type, data } as HouseholdFact) : E.left(`${type}: ${problems.join('; ')}`)
}

export const decodePovertyRateEvent =
  (projectionName: string) =>
  (recorded: RecordedEvent): E.Either<string, PovertyRateEvent> => {
    const checks = checksByType.get(recorded.type)
    if (checks !== undefined) return checkedFact(recorded.type, checks, recorded.data)
    if (!isFollowed(recorded.type)) return E.left(`${recorded.type} is not followed by ${projectionName}`)
    const decoded = decodeDomainEvent({ type: recorded.type, data: recorded.data })
    return E.isLeft(decoded) ? E.left(describeDecodeFailure(decoded.left)) : E.right(decoded.right as PovertyRateEvent)
  }
