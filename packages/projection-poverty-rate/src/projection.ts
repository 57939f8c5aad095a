/**
 * The poverty-rate projection: household, commune and plan events folded into dated facts per
 * household, commune, town and plan, and into every commune's counts kept as dated deltas (see
 * documents.ts). A household's class and commune on a past day depend on its whole history (a move
 * carries no class, a late decision may take effect before an earlier-recorded one), so the counts do
 * not change by the event: they change by the difference the event made to the household's document,
 * which is listed before them (`earlier` of the projection contract).
 */
import * as E from 'fp-ts/lib/Either.js'
import { match } from 'ts-pattern'
import { AdministrativeUnit, decodeDomainEvent, Household, Plan, type DomainEvent } from '@policy-credit/core'
import { deleted, type EarlierDocuments, type Projection } from '@policy-credit/projections'
import type { RecordedEvent } from '@policy-credit/event-store'
import {
  describeDecodeFailure,
  documentId,
  povertyRateDocumentCodec,
  withId,
  type CommuneDocument,
  type CommuneTalliesDocument,
  type HouseholdDocument,
  type PlanDocument,
  type PovertyRateDocument,
  type TownCommunesDocument,
} from './documents.ts'
import { noTallies, talliesWith } from './tally.ts'
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
    // The tallies after the household: they change by what the event did to its document.
    .with(
      { type: 'HouseholdRegistered' },
      { type: 'HouseholdMovedCommune' },
      { type: 'HouseholdClassRecognised' },
      { type: 'HouseholdExitedPoverty' },
      { type: 'HouseholdDissolved' },
      ({ data }) => [documentId.household(data.householdId), documentId.communeTallies()],
    )
    .with({ type: 'CommuneJoinedTown' }, ({ data }) => [documentId.commune(data.communeId), documentId.townCommunes(data.townId)])
    .with({ type: 'CommuneDeclared' }, { type: 'CommuneReclassified' }, { type: 'CommuneLeftTown' }, { type: 'CommuneMerged' }, ({ data }) => [documentId.commune(data.communeId)])
    .with({ type: 'PovertyReductionTargetSet' }, ({ data }) => [documentId.plan(data.unitId, data.year)])
    .exhaustive()

const init = (id: string): PovertyRateDocument => {
  const kind = id.slice(0, id.indexOf(':'))
  switch (kind) {
    case 'household':
      return { kind: 'household', household: Household.householdDecider.initialState, places: [], timeline: [], exits: [] }
    case 'commune-tallies':
      return { kind: 'communeTallies', tallies: noTallies }
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

const isHouseholdFact = (event: PovertyRateEvent): event is HouseholdFact => event.type.startsWith('Household')
const isCommuneFact = (event: PovertyRateEvent): event is CommuneFact => event.type.startsWith('Commune')

const asHousehold = (document: PovertyRateDocument | typeof deleted): HouseholdDocument | undefined => (document !== deleted && document.kind === 'household' ? document : undefined)

const applyToTallies = (document: CommuneTalliesDocument, event: PovertyRateEvent, earlier: EarlierDocuments<PovertyRateDocument>): CommuneTalliesDocument => {
  if (!isHouseholdFact(event)) return document
  const household = earlier(documentId.household(event.data.householdId))
  if (household === undefined) throw new Error(`the tallies need household:${event.data.householdId}, listed before them`)
  const tallies = talliesWith(document.tallies, asHousehold(household.before), asHousehold(household.after))
  return tallies === document.tallies ? document : { kind: 'communeTallies', tallies }
}

const applyToCommune = (document: CommuneDocument, event: CommuneFact): CommuneDocument => ({
  ...document,
  commune: AdministrativeUnit.administrativeUnitDecider.evolve(document.commune, event),
})

const applyToTownCommunes = (document: TownCommunesDocument, event: PovertyRateEvent): TownCommunesDocument =>
  event.type === 'CommuneJoinedTown' ? { ...document, communeIds: withId(document.communeIds, event.data.communeId) } : document

const applyToPlan = (document: PlanDocument, event: PovertyRateEvent): PlanDocument =>
  event.type === 'PovertyReductionTargetSet' ? { ...document, plan: Plan.planDecider.evolve(document.plan, event) } : document

const apply = (document: PovertyRateDocument, event: PovertyRateEvent, _id: string, earlier: EarlierDocuments<PovertyRateDocument>): PovertyRateDocument =>
  match(document)
    .returnType<PovertyRateDocument>()
    .with({ kind: 'household' }, (household) => (isHouseholdFact(event) ? applyToHousehold(household, event) : household))
    .with({ kind: 'communeTallies' }, (tallies) => applyToTallies(tallies, event, earlier))
    .with({ kind: 'commune' }, (commune) => (isCommuneFact(event) ? applyToCommune(commune, event) : commune))
    .with({ kind: 'townCommunes' }, (communes) => applyToTownCommunes(communes, event))
    .with({ kind: 'plan' }, (plan) => applyToPlan(plan, event))
    .exhaustive()

export const povertyRateProjection: Projection<PovertyRateDocument, PovertyRateEvent> = {
  name: povertyRateProjectionName,
  // 2: the counts are kept as dated tallies, and the per-commune household lists are gone.
  version: 2,
  filter: { eventTypes: followedEventTypes },
  decode,
  documentIds,
  init,
  apply,
  documentCodec: povertyRateDocumentCodec,
}
