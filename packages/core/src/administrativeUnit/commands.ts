/** What a deployment declares about its communes; the area type follows from the kind of unit. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { fieldErrors, message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CommuneId, TownId } from '../values/identifiers.ts'
import { UnitKind, UnitName } from './events.ts'

export const DeclareCommune = message('DeclareCommune', { communeId: CommuneId, name: UnitName, unitKind: UnitKind, declaredOn: LocalDate })
export type DeclareCommune = t.TypeOf<typeof DeclareCommune>
export const ReclassifyCommune = message('ReclassifyCommune', { communeId: CommuneId, unitKind: UnitKind, reclassifiedOn: LocalDate })
export type ReclassifyCommune = t.TypeOf<typeof ReclassifyCommune>
export const JoinTown = message('JoinTown', { communeId: CommuneId, townId: TownId, joinedOn: LocalDate })
export type JoinTown = t.TypeOf<typeof JoinTown>
export const LeaveTown = message('LeaveTown', { communeId: CommuneId, townId: TownId, leftOn: LocalDate })
export type LeaveTown = t.TypeOf<typeof LeaveTown>
export const MergeCommune = message('MergeCommune', { communeId: CommuneId, mergedInto: CommuneId, mergedOn: LocalDate })
export type MergeCommune = t.TypeOf<typeof MergeCommune>

export const AdministrativeUnitCommand = t.union([DeclareCommune, ReclassifyCommune, JoinTown, LeaveTown, MergeCommune], 'AdministrativeUnitCommand')
export type AdministrativeUnitCommand = t.TypeOf<typeof AdministrativeUnitCommand>

export const decodeAdministrativeUnitCommand = (u: unknown): E.Either<DecodeFailure, AdministrativeUnitCommand> =>
  pipe(
    AdministrativeUnitCommand.decode(u),
    E.mapLeft((errors) => ({ _tag: 'DecodeFailure', codec: AdministrativeUnitCommand.name, errors: fieldErrors(errors) }) as const),
  )
