/**
 * Communes and wards (đơn vị hành chính cấp xã) are declared by a deployment as events, not code: a
 * unit is declared with its kind, may be reclassified (a xã becomes a phường), joins and leaves a town
 * on dated days (Nghĩa Lộ took in communes of Văn Chấn district around 2019–2020), and may be merged
 * into another. Stream: `commune-<id>`.
 */
import * as t from 'io-ts'
import { message } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CommuneId, TownId } from '../values/identifiers.ts'
import { match, P } from 'ts-pattern'
import { AreaType } from '../reference/types.ts'

/** Xã is rural; phường and thị trấn are urban (domain.md §2). */
export const UnitKind = t.keyof({ COMMUNE: null, WARD: null, TOWNSHIP: null }, 'UnitKind')
export type UnitKind = t.TypeOf<typeof UnitKind>

export const UnitName = t.refinement(t.string, (name) => name.trim().length > 0 && name.length <= 200, 'UnitName')

export const CommuneDeclared = message('CommuneDeclared', { communeId: CommuneId, name: UnitName, unitKind: UnitKind, areaType: AreaType, declaredOn: LocalDate })
export type CommuneDeclared = t.TypeOf<typeof CommuneDeclared>
export const CommuneReclassified = message('CommuneReclassified', { communeId: CommuneId, unitKind: UnitKind, areaType: AreaType, reclassifiedOn: LocalDate })
export type CommuneReclassified = t.TypeOf<typeof CommuneReclassified>
export const CommuneJoinedTown = message('CommuneJoinedTown', { communeId: CommuneId, townId: TownId, joinedOn: LocalDate })
export type CommuneJoinedTown = t.TypeOf<typeof CommuneJoinedTown>
export const CommuneLeftTown = message('CommuneLeftTown', { communeId: CommuneId, townId: TownId, leftOn: LocalDate })
export type CommuneLeftTown = t.TypeOf<typeof CommuneLeftTown>
export const CommuneMerged = message('CommuneMerged', { communeId: CommuneId, mergedInto: CommuneId, mergedOn: LocalDate })
export type CommuneMerged = t.TypeOf<typeof CommuneMerged>

export const AdministrativeUnitEvent = t.union([CommuneDeclared, CommuneReclassified, CommuneJoinedTown, CommuneLeftTown, CommuneMerged], 'AdministrativeUnitEvent')
export type AdministrativeUnitEvent = t.TypeOf<typeof AdministrativeUnitEvent>

export const areaTypeOfUnitKind = (unitKind: UnitKind): AreaType =>
  match(unitKind)
    .returnType<AreaType>()
    .with('COMMUNE', () => 'RURAL')
    .with(P.union('WARD', 'TOWNSHIP'), () => 'URBAN')
    .exhaustive()
