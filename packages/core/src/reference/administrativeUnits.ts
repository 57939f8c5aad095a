/**
 * Pure questions over the communes a deployment declared (folded from their `commune-<id>` streams):
 * which communes belonged to a town on a day, a commune's area type on a day. Reports recompute rates
 * on the boundary valid at each date, so these never answer with today's map for a past day.
 */
import * as O from 'fp-ts/lib/Option.js'
import { isInForceOn, type LocalDate } from '../values/dates.ts'
import type { CommuneId, TownId } from '../values/identifiers.ts'
import { areaTypeOfUnitKind, type UnitKind } from '../administrativeUnit/events.ts'
import type { Commune, CommuneRecord } from '../administrativeUnit/state.ts'
import type { AreaType } from './types.ts'

type Declared = Exclude<Commune, { readonly status: 'Undeclared' }>

/** Declared by that day and not yet merged into another unit. */
export const communeExistsOn = (commune: Commune, date: LocalDate): commune is Declared =>
  commune.status !== 'Undeclared' && commune.declaredOn <= date && (commune.status !== 'Merged' || date < commune.mergedOn)

export const unitKindOn = (commune: Commune, date: LocalDate): O.Option<UnitKind> =>
  communeExistsOn(commune, date) ? O.fromNullable(commune.kinds.filter((period) => period.validFrom <= date).at(-1)?.unitKind) : O.none

export const areaTypeOn = (commune: Commune, date: LocalDate): O.Option<AreaType> => O.map(areaTypeOfUnitKind)(unitKindOn(commune, date))

export const townOfCommuneOn = (commune: Commune, date: LocalDate): O.Option<TownId> =>
  communeExistsOn(commune, date) ? O.fromNullable(commune.towns.find((membership) => isInForceOn(membership, date))?.townId) : O.none

/** The communes that belonged to a town on a day, in the order given. */
export const communesOfTownOn = (communes: ReadonlyArray<Commune>, townId: TownId, date: LocalDate): ReadonlyArray<CommuneId> =>
  communes
    .filter((commune): commune is Declared => O.exists((town: TownId) => town === townId)(townOfCommuneOn(commune, date)))
    .map((commune: CommuneRecord) => commune.communeId)
