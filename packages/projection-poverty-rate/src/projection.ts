/**
 * The poverty-rate projection: household, commune and plan events folded into dated facts per
 * household, commune, town and plan (see documents.ts). It keeps no counts: a household's class and
 * commune on a past day depend on its whole history (a move carries no class, a late decision may take
 * effect before an earlier-recorded one), and a document sees only itself, so counts are taken at query
 * time from the households of the unit (figures.ts), each on the asked day.
 */
import * as E from 'fp-ts/lib/Either.js'
import { match } from 'ts-pattern'
import { AdministrativeUnit, decodeDomainEvent, Household, Plan, type DomainEvent } from '@policy-credit/core'
import type { Projection } from '@policy-credit/projections'
import type { RecordedEvent } from '@policy-credit/event-store'
import {
  describeDecodeFailure,
  documentId,
  povertyRateDocumentCodec,
  withId,
  type CommuneDocument,
  type CommuneHouseholdsDocument,
  type HouseholdDocument,
  type PlanDocument,
  type PovertyRateDocument,
  type TownCommunesDocument,
} from './documents.ts'
import { exitFactsOf, timelineOf, type Place } from './timeline.ts'

export const povertyRateProjectionName = 'poverty-rate'

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

export type PovertyRateEvent = Extract<DomainEvent, { readonly type: (typeof followedEventTypes)[number] }>
type HouseholdFact = Extract<PovertyRateEvent, Household.HouseholdEvent>
type CommuneFact = Extract<PovertyRateEvent, AdministrativeUnit.AdministrativeUnitEvent>

const isFollowed = (event: DomainEvent): event is PovertyRateEvent => (followedEventTypes as ReadonlyArray<string>).includes(event.type)

const decode = (recorded: RecordedEvent): E.Either<string, PovertyRateEvent> => {
  const decoded = decodeDomainEvent({ type: recorded.type, data: recorded.data })
  if (E.isLeft(decoded)) return E.left(describeDecodeFailure(decoded.left))
  return isFollowed(decoded.right) ? E.right(decoded.right) : E.left(`${recorded.type} is not followed by ${povertyRateProjectionName}`)
}

const documentIds = (event: PovertyRateEvent): ReadonlyArray<string> =>
  match(event)
    .returnType<ReadonlyArray<string>>()
    .with({ type: 'HouseholdRegistered' }, ({ data }) => [documentId.household(data.householdId), documentId.communeHouseholds(data.communeId)])
    .with({ type: 'HouseholdMovedCommune' }, ({ data }) => [documentId.household(data.householdId), documentId.communeHouseholds(data.toCommuneId)])
    .with({ type: 'HouseholdClassRecognised' }, { type: 'HouseholdExitedPoverty' }, { type: 'HouseholdDissolved' }, ({ data }) => [documentId.household(data.householdId)])
    .with({ type: 'CommuneJoinedTown' }, ({ data }) => [documentId.commune(data.communeId), documentId.townCommunes(data.townId)])
    .with({ type: 'CommuneDeclared' }, { type: 'CommuneReclassified' }, { type: 'CommuneLeftTown' }, { type: 'CommuneMerged' }, ({ data }) => [documentId.commune(data.communeId)])
    .with({ type: 'PovertyReductionTargetSet' }, ({ data }) => [documentId.plan(data.unitId, data.year)])
    .exhaustive()

const init = (id: string): PovertyRateDocument => {
  const kind = id.slice(0, id.indexOf(':'))
  switch (kind) {
    case 'household':
      return { kind: 'household', household: Household.householdDecider.initialState, places: [], timeline: [], exits: [] }
    case 'commune-households':
      return { kind: 'communeHouseholds', householdIds: [] }
    case 'commune':
      return { kind: 'commune', commune: AdministrativeUnit.administrativeUnitDecider.initialState }
    case 'town-communes':
      return { kind: 'townCommunes', communeIds: [] }
    case 'plan':
      return { kind: 'plan', plan: Plan.planDecider.initialState }
    default:
      throw new Error(`not a poverty-rate document id: ${id}`)
  }
}

const placesAfter = (places: ReadonlyArray<Place>, event: HouseholdFact): ReadonlyArray<Place> =>
  match(event)
    .returnType<ReadonlyArray<Place>>()
    .with({ type: 'HouseholdRegistered' }, ({ data }) => [{ from: data.registeredOn, communeId: data.communeId }])
    .with({ type: 'HouseholdMovedCommune' }, ({ data }) => [...places, { from: data.movedOn, communeId: data.toCommuneId }])
    .otherwise(() => places)

const applyToHousehold = (document: HouseholdDocument, event: HouseholdFact): HouseholdDocument => {
  const household = Household.householdDecider.evolve(document.household, event)
  const places = placesAfter(document.places, event)
  return { kind: 'household', household, places, timeline: timelineOf(household, places), exits: exitFactsOf(household) }
}

const applyToCommuneHouseholds = (document: CommuneHouseholdsDocument, event: PovertyRateEvent): CommuneHouseholdsDocument =>
  event.type === 'HouseholdRegistered' || event.type === 'HouseholdMovedCommune' ? { ...document, householdIds: withId(document.householdIds, event.data.householdId) } : document

const applyToCommune = (document: CommuneDocument, event: CommuneFact): CommuneDocument => ({
  ...document,
  commune: AdministrativeUnit.administrativeUnitDecider.evolve(document.commune, event),
})

const applyToTownCommunes = (document: TownCommunesDocument, event: PovertyRateEvent): TownCommunesDocument =>
  event.type === 'CommuneJoinedTown' ? { ...document, communeIds: withId(document.communeIds, event.data.communeId) } : document

const applyToPlan = (document: PlanDocument, event: PovertyRateEvent): PlanDocument =>
  event.type === 'PovertyReductionTargetSet' ? { ...document, plan: Plan.planDecider.evolve(document.plan, event) } : document

const isHouseholdFact = (event: PovertyRateEvent): event is HouseholdFact => event.type.startsWith('Household')
const isCommuneFact = (event: PovertyRateEvent): event is CommuneFact => event.type.startsWith('Commune')

const apply = (document: PovertyRateDocument, event: PovertyRateEvent): PovertyRateDocument =>
  match(document)
    .returnType<PovertyRateDocument>()
    .with({ kind: 'household' }, (household) => (isHouseholdFact(event) ? applyToHousehold(household, event) : household))
    .with({ kind: 'communeHouseholds' }, (households) => applyToCommuneHouseholds(households, event))
    .with({ kind: 'commune' }, (commune) => (isCommuneFact(event) ? applyToCommune(commune, event) : commune))
    .with({ kind: 'townCommunes' }, (communes) => applyToTownCommunes(communes, event))
    .with({ kind: 'plan' }, (plan) => applyToPlan(plan, event))
    .exhaustive()

export const povertyRateProjection: Projection<PovertyRateDocument, PovertyRateEvent> = {
  name: povertyRateProjectionName,
  version: 1,
  filter: { eventTypes: followedEventTypes },
  decode,
  documentIds,
  init,
  apply,
  documentCodec: povertyRateDocumentCodec,
}
