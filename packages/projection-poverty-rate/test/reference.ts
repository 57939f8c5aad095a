/**
 * The reference the properties compare the read model with, written plainly over the events: who lived
 * where on a day, which class was in force, which communes belonged to which town. It shares no code
 * with the projection or the core's dated queries.
 */
import type { DomainEvent, LocalDate, PovertyStandardId } from '@policy-credit/core'
import type { ClassCounts, Exits, ReportingUnit } from '../src/index.ts'

interface ReferenceHousehold {
  registeredOn: string
  places: Array<{ from: string; communeId: string }>
  dissolvedOn?: string
  recognitions: Array<{ standardId: string; householdClass: string; effectiveFrom: string }>
  exits: Array<{ standardId: string; exitedFrom: string; escapedClass: string; exitedOn: string; endsOn: string }>
}

interface ReferenceCommune {
  declaredOn?: string
  mergedOn?: string
  towns: Array<{ townId: string; from: string; to?: string }>
}

export interface ReferenceModel {
  readonly households: ReadonlyMap<string, ReferenceHousehold>
  readonly communes: ReadonlyMap<string, ReferenceCommune>
}

export const referenceModel = (events: ReadonlyArray<DomainEvent>): ReferenceModel => {
  const households = new Map<string, ReferenceHousehold>()
  const communes = new Map<string, ReferenceCommune>()
  const commune = (id: string): ReferenceCommune => {
    const found = communes.get(id) ?? { towns: [] }
    communes.set(id, found)
    return found
  }
  for (const event of events) {
    switch (event.type) {
      case 'HouseholdRegistered':
        households.set(event.data.householdId, { registeredOn: event.data.registeredOn, places: [{ from: event.data.registeredOn, communeId: event.data.communeId }], recognitions: [], exits: [] })
        break
      case 'HouseholdMovedCommune':
        households.get(event.data.householdId)?.places.push({ from: event.data.movedOn, communeId: event.data.toCommuneId })
        break
      case 'HouseholdClassRecognised':
        households.get(event.data.householdId)?.recognitions.push({ standardId: event.data.standardId, householdClass: event.data.householdClass, effectiveFrom: event.data.effectiveFrom })
        break
      case 'HouseholdExitedPoverty':
        households.get(event.data.householdId)?.exits.push({
          standardId: event.data.standardId,
          exitedFrom: event.data.exitedFrom,
          escapedClass: event.data.escapedClass,
          exitedOn: event.data.exitedOn,
          endsOn: event.data.escapedStatusEndsOn,
        })
        break
      case 'HouseholdDissolved': {
        const household = households.get(event.data.householdId)
        if (household !== undefined) household.dissolvedOn = event.data.dissolvedOn
        break
      }
      case 'CommuneDeclared':
        commune(event.data.communeId).declaredOn = event.data.declaredOn
        break
      case 'CommuneJoinedTown':
        commune(event.data.communeId).towns.push({ townId: event.data.townId, from: event.data.joinedOn })
        break
      case 'CommuneLeftTown':
        for (const period of commune(event.data.communeId).towns) if (period.townId === event.data.townId && period.to === undefined) period.to = event.data.leftOn
        break
      case 'CommuneMerged':
        commune(event.data.communeId).mergedOn = event.data.mergedOn
        break
      default:
        break
    }
  }
  return { households, communes }
}

const latestOnOrBefore = <Item>(items: ReadonlyArray<Item>, dateOf: (item: Item) => string, day: string): Item | undefined => {
  let latest: Item | undefined
  for (const item of items) if (dateOf(item) <= day && (latest === undefined || dateOf(item) >= dateOf(latest))) latest = item
  return latest
}

export const referenceCommuneInTownOn = (model: ReferenceModel, communeId: string, townId: string, day: string): boolean => {
  const commune = model.communes.get(communeId)
  if (commune?.declaredOn === undefined || commune.declaredOn > day || (commune.mergedOn !== undefined && commune.mergedOn <= day)) return false
  return commune.towns.some((period) => period.townId === townId && period.from <= day && (period.to === undefined || day < period.to))
}

const existedOn = (household: ReferenceHousehold, day: string): boolean => household.registeredOn <= day && (household.dissolvedOn === undefined || day < household.dissolvedOn)

const inUnit = (model: ReferenceModel, unit: ReportingUnit, communeId: string, day: string): boolean =>
  unit.kind === 'COMMUNE' ? communeId === unit.communeId : referenceCommuneInTownOn(model, communeId, unit.townId, day)

export const referenceCounts = (model: ReferenceModel, unit: ReportingUnit, standardId: PovertyStandardId, day: LocalDate): ClassCounts => {
  const counts = { households: 0, poor: 0, nearPoor: 0, averageLiving: 0, otherClass: 0, notReviewedUnderStandard: 0, newlyEscapedPoverty: 0, newlyEscapedNearPoverty: 0 }
  for (const household of model.households.values()) {
    if (!existedOn(household, day)) continue
    const place = latestOnOrBefore(household.places, (candidate) => candidate.from, day)
    if (place === undefined || !inUnit(model, unit, place.communeId, day)) continue
    counts.households += 1
    const recognition = latestOnOrBefore(household.recognitions, (candidate) => candidate.effectiveFrom, day)
    if (recognition === undefined || recognition.standardId !== standardId) {
      counts.notReviewedUnderStandard += 1
      continue
    }
    if (recognition.householdClass === 'POOR') counts.poor += 1
    else if (recognition.householdClass === 'NEAR_POOR') counts.nearPoor += 1
    else {
      if (recognition.householdClass === 'AVERAGE_LIVING') counts.averageLiving += 1
      else counts.otherClass += 1
      const escapedNow = household.exits.filter((exit) => exit.exitedOn <= day && day < exit.endsOn)
      if (escapedNow.some((exit) => exit.escapedClass === 'ESCAPED_POVERTY')) counts.newlyEscapedPoverty += 1
      if (escapedNow.some((exit) => exit.escapedClass === 'ESCAPED_NEAR_POVERTY')) counts.newlyEscapedNearPoverty += 1
    }
  }
  return counts
}

/** Exits under the standard effective in (after, through], where the household lived that day, while in the unit. */
export const referenceExits = (model: ReferenceModel, unit: ReportingUnit, standardId: PovertyStandardId, after: string, through: string): Exits => {
  let fromPoor = 0
  let fromNearPoor = 0
  for (const household of model.households.values())
    for (const exit of household.exits) {
      if (exit.standardId !== standardId || exit.exitedOn <= after || exit.exitedOn > through || !existedOn(household, exit.exitedOn)) continue
      const place = latestOnOrBefore(household.places, (candidate) => candidate.from, exit.exitedOn)
      if (place === undefined || !inUnit(model, unit, place.communeId, exit.exitedOn)) continue
      if (exit.exitedFrom === 'POOR') fromPoor += 1
      else fromNearPoor += 1
    }
  return { fromPoor, fromNearPoor }
}

/** Households that existed on the day, wherever they lived. */
export const referenceHouseholdsOn = (model: ReferenceModel, day: string): number => [...model.households.values()].filter((household) => existedOn(household, day)).length
