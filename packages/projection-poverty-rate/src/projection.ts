/**
 * The poverty-rate projection: household, commune and plan events folded into dated facts per
 * household, commune, town and plan, and into every commune's counts kept as dated deltas (see
 * documents.ts). A household's class and commune on a past day depend on its whole history (a move
 * carries no class, a late decision may take effect before an earlier-recorded one), so the counts do
 * not change by the event: they change by the difference the event made to the household's document,
 * which is listed before them (`earlier` of the projection contract).
 */
import { AdministrativeUnit, Plan } from '@policy-credit/core'
import { deleted, type EarlierDocuments, type Projection } from '@policy-credit/projections'
import { decodePovertyRateEvent, followedEventTypes, type CommuneFact, type HouseholdFact, type PovertyRateEvent } from './events.ts'
import {
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
import { addChange, draftTallies, noTallies, talliesWith } from './tally.ts'
import { timelineOf, timelineWith, type HouseholdFacts } from './timeline.ts'

export const povertyRateProjectionName = 'poverty-rate'

export { followedEventTypes, type PovertyRateEvent } from './events.ts'

const decode = decodePovertyRateEvent(povertyRateProjectionName)

/** The tallies after the household: they change by what the event did to its document. */
const householdIds = (householdId: string): ReadonlyArray<string> => [documentId.household(householdId), documentId.communeTallies()]

// Switches, not ts-pattern's `match`: these run for every event of a rebuild, and a match builds its matcher each time.
const documentIds = (event: PovertyRateEvent): ReadonlyArray<string> => {
  switch (event.type) {
    case 'HouseholdRegistered':
    case 'HouseholdMovedCommune':
    case 'HouseholdClassRecognised':
    case 'HouseholdExitedPoverty':
    case 'HouseholdDissolved':
      return householdIds(event.data.householdId)
    case 'CommuneJoinedTown':
      return [documentId.commune(event.data.communeId), documentId.townCommunes(event.data.townId)]
    case 'CommuneDeclared':
    case 'CommuneReclassified':
    case 'CommuneLeftTown':
    case 'CommuneMerged':
      return [documentId.commune(event.data.communeId)]
    case 'PovertyReductionTargetSet':
      return [documentId.plan(event.data.unitId, event.data.year)]
  }
}

const unregistered: HouseholdFacts = { registeredOn: null, dissolvedOn: null, places: [], recognitions: [], exits: [] }

const init = (id: string): PovertyRateDocument => {
  const kind = id.slice(0, id.indexOf(':'))
  switch (kind) {
    case 'household':
      return { kind: 'household', ...unregistered, timeline: [] }
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

/**
 * The facts after a household event, as the core's `evolve` changes its state: a registration starts
 * them afresh, and before one there is no record to change.
 */
/** The facts' list with one more at its end (slice and push: a spread walks the iterator, and this runs per event). */
const withLast = <Fact,>(facts: ReadonlyArray<Fact>, fact: Fact): ReadonlyArray<Fact> => {
  const next = facts.slice()
  next.push(fact)
  return next
}

const factsAfter = (facts: HouseholdFacts, event: HouseholdFact): HouseholdFacts => {
  if (event.type === 'HouseholdRegistered') return { ...unregistered, registeredOn: event.data.registeredOn, places: [{ from: event.data.registeredOn, communeId: event.data.communeId }] }
  // Field by field, not `...facts`: the facts given may be a whole document.
  const { registeredOn, dissolvedOn, places, recognitions, exits } = facts
  if (registeredOn === null) return facts
  switch (event.type) {
    case 'HouseholdClassRecognised': {
      const { effectiveFrom, standardId, householdClass } = event.data
      return { registeredOn, dissolvedOn, places, recognitions: withLast(recognitions, { effectiveFrom, standardId, householdClass }), exits }
    }
    case 'HouseholdExitedPoverty': {
      const { standardId, exitedFrom, escapedClass, exitedOn, escapedStatusEndsOn } = event.data
      return { registeredOn, dissolvedOn, places, recognitions, exits: withLast(exits, { standardId, exitedFrom, escapedClass, exitedOn, escapedStatusEndsOn }) }
    }
    case 'HouseholdMovedCommune':
      return { registeredOn, dissolvedOn, places: withLast(places, { from: event.data.movedOn, communeId: event.data.toCommuneId }), recognitions, exits }
    case 'HouseholdDissolved':
      return { registeredOn, dissolvedOn: event.data.dissolvedOn, places, recognitions, exits }
  }
}

const applyToHousehold = (document: HouseholdDocument, event: HouseholdFact): HouseholdDocument => {
  const after = factsAfter(document, event)
  if (after === document) return document
  const { registeredOn, dissolvedOn, places, recognitions, exits } = after
  const timeline = event.type === 'HouseholdClassRecognised' ? timelineWith(document, document.timeline, after, event.data.effectiveFrom) : timelineOf(after)
  return { kind: 'household', registeredOn, dissolvedOn, places, recognitions, exits, timeline }
}

const isHouseholdFact = (event: PovertyRateEvent): event is HouseholdFact => event.type.startsWith('Household')
const isCommuneFact = (event: PovertyRateEvent): event is CommuneFact => event.type.startsWith('Commune')

const asHousehold = (document: PovertyRateDocument | typeof deleted): HouseholdDocument | undefined => (document !== deleted && document.kind === 'household' ? document : undefined)

/** The household's document before and after the event, listed before the tallies. */
const householdChange = (householdId: string, earlier: EarlierDocuments<PovertyRateDocument>): { readonly before: HouseholdDocument | undefined; readonly after: HouseholdDocument | undefined } => {
  const household = earlier(documentId.household(householdId))
  if (household === undefined) throw new Error(`the tallies need household:${householdId}, listed before them`)
  return { before: asHousehold(household.before), after: asHousehold(household.after) }
}

const applyToTallies = (document: CommuneTalliesDocument, event: PovertyRateEvent, earlier: EarlierDocuments<PovertyRateDocument>): CommuneTalliesDocument => {
  if (!isHouseholdFact(event)) return document
  const { before, after } = householdChange(event.data.householdId, earlier)
  const tallies = talliesWith(document.tallies, before, after)
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

const apply = (document: PovertyRateDocument, event: PovertyRateEvent, _id: string, earlier: EarlierDocuments<PovertyRateDocument>): PovertyRateDocument => {
  switch (document.kind) {
    case 'household':
      return isHouseholdFact(event) ? applyToHousehold(document, event) : document
    case 'communeTallies':
      return applyToTallies(document, event, earlier)
    case 'commune':
      return isCommuneFact(event) ? applyToCommune(document, event) : document
    case 'townCommunes':
      return applyToTownCommunes(document, event)
    case 'plan':
      return applyToPlan(document, event)
  }
}

export const povertyRateProjection: Projection<PovertyRateDocument, PovertyRateEvent> = {
  name: povertyRateProjectionName,
  // 2: the counts are kept as dated tallies, and the per-commune household lists are gone.
  // 3: a household document keeps only the facts its timeline depends on, and not the timeline.
  // 4: a household document's facts are stored as flat lists with standards and classes as indices
  //    (storedHousehold.ts): half the JSON a rebuild writes and the store parses.
  version: 4,
  filter: { eventTypes: followedEventTypes },
  decode,
  documentIds,
  init,
  apply,
  documentCodec: povertyRateDocumentCodec,
  // The tallies change with nearly every event, so a runner drafts them once per batch and changes the
  // draft (tally.ts, `draftTallies`); every other document stays with `apply`.
  inPlace: {
    draft: (document) => (document.kind === 'communeTallies' ? { kind: 'communeTallies', tallies: draftTallies(document.tallies) } : undefined),
    apply: (draft, event, _id, earlier) => {
      if (draft.kind !== 'communeTallies') throw new Error(`only the tallies are drafted, not a ${draft.kind} document`)
      if (!isHouseholdFact(event)) return
      const { before, after } = householdChange(event.data.householdId, earlier)
      addChange(draft.tallies, before, after)
    },
  },
}
