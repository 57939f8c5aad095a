/** The AdministrativeUnit aggregate (stream `commune-<id>`) as a decider. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { match, P } from 'ts-pattern'
import type { Decider } from '../shared/decider.ts'
import type { LocalDate } from '../values/dates.ts'
import type { AdministrativeUnitCommand, JoinTown, LeaveTown, MergeCommune, ReclassifyCommune } from './commands.ts'
import { areaTypeOfUnitKind, type AdministrativeUnitEvent } from './events.ts'
import type { AdministrativeUnitRejection } from './rejections.ts'
import { undeclared, type Commune, type CommuneRecord, type TownMembership } from './state.ts'

type Active = Extract<Commune, { readonly status: 'Active' }>
type Decision = E.Either<AdministrativeUnitRejection, ReadonlyArray<AdministrativeUnitEvent>>

const notBeforeLatestChange = (commune: Active, date: LocalDate): E.Either<AdministrativeUnitRejection, LocalDate> =>
  date < commune.latestChangeOn ? E.left({ _tag: 'ChangeBeforeLatestChange', latestChangeOn: commune.latestChangeOn, date }) : E.right(date)

const currentTown = (commune: CommuneRecord): TownMembership | undefined => commune.towns.find((membership) => membership.validTo === undefined)

const reclassify = ({ data }: ReclassifyCommune, commune: Active): Decision =>
  pipe(
    notBeforeLatestChange(commune, data.reclassifiedOn),
    E.map((): ReadonlyArray<AdministrativeUnitEvent> =>
      commune.kinds.at(-1)?.unitKind === data.unitKind ? [] : [{ type: 'CommuneReclassified', data: { ...data, areaType: areaTypeOfUnitKind(data.unitKind) } }],
    ),
  )

const join = ({ data }: JoinTown, commune: Active): Decision =>
  pipe(
    notBeforeLatestChange(commune, data.joinedOn),
    E.flatMap((): Decision => {
      const town = currentTown(commune)
      if (town === undefined) return E.right([{ type: 'CommuneJoinedTown', data }])
      return town.townId === data.townId ? E.right([]) : E.left({ _tag: 'CommuneAlreadyInTown', townId: town.townId })
    }),
  )

const leave = ({ data }: LeaveTown, commune: Active): Decision =>
  pipe(
    notBeforeLatestChange(commune, data.leftOn),
    E.flatMap((): Decision => {
      const town = currentTown(commune)
      return town?.townId === data.townId
        ? E.right([{ type: 'CommuneLeftTown', data }])
        : E.left({ _tag: 'CommuneNotInTown', townId: data.townId, currentTownId: town?.townId ?? null })
    }),
  )

const merge = ({ data }: MergeCommune, commune: Active): Decision =>
  data.mergedInto === commune.communeId
    ? E.left({ _tag: 'CommuneMergedIntoItself', communeId: commune.communeId })
    : pipe(
        notBeforeLatestChange(commune, data.mergedOn),
        E.map((): ReadonlyArray<AdministrativeUnitEvent> => [{ type: 'CommuneMerged', data }]),
      )

const decide = (command: AdministrativeUnitCommand, commune: Commune): Decision =>
  match([command, commune])
    .returnType<Decision>()
    .with([{ type: 'DeclareCommune' }, { status: 'Undeclared' }], ([{ data }]) =>
      E.right([{ type: 'CommuneDeclared', data: { ...data, areaType: areaTypeOfUnitKind(data.unitKind) } }]),
    )
    .with([{ type: 'ReclassifyCommune' }, { status: 'Active' }], ([reclassifyCommand, active]) => reclassify(reclassifyCommand, active))
    .with([{ type: 'JoinTown' }, { status: 'Active' }], ([joinCommand, active]) => join(joinCommand, active))
    .with([{ type: 'LeaveTown' }, { status: 'Active' }], ([leaveCommand, active]) => leave(leaveCommand, active))
    .with([{ type: 'MergeCommune' }, { status: 'Active' }], ([mergeCommand, active]) => merge(mergeCommand, active))
    .with(
      [{ type: 'DeclareCommune' }, P._],
      [{ type: 'ReclassifyCommune' }, P._],
      [{ type: 'JoinTown' }, P._],
      [{ type: 'LeaveTown' }, P._],
      [{ type: 'MergeCommune' }, P._],
      ([rejected, other]) => E.left({ _tag: 'CommuneStatusDisallowsCommand', command: rejected.type, status: other.status }),
    )
    .exhaustive()

const onRecord = (commune: Commune, changedOn: LocalDate, change: (record: CommuneRecord) => Partial<CommuneRecord>): Commune =>
  commune.status === 'Undeclared' ? commune : { ...commune, ...change(commune), latestChangeOn: changedOn }

const evolve = (commune: Commune, event: AdministrativeUnitEvent): Commune =>
  match(event)
    .returnType<Commune>()
    .with({ type: 'CommuneDeclared' }, ({ data }) => ({
      status: 'Active',
      communeId: data.communeId,
      name: data.name,
      declaredOn: data.declaredOn,
      kinds: [{ unitKind: data.unitKind, validFrom: data.declaredOn }],
      towns: [],
      latestChangeOn: data.declaredOn,
    }))
    .with({ type: 'CommuneReclassified' }, ({ data }) =>
      onRecord(commune, data.reclassifiedOn, (record) => ({ kinds: [...record.kinds, { unitKind: data.unitKind, validFrom: data.reclassifiedOn }] })),
    )
    .with({ type: 'CommuneJoinedTown' }, ({ data }) =>
      onRecord(commune, data.joinedOn, (record) => ({ towns: [...record.towns, { townId: data.townId, validFrom: data.joinedOn }] })),
    )
    .with({ type: 'CommuneLeftTown' }, ({ data }) =>
      onRecord(commune, data.leftOn, (record) => ({
        towns: record.towns.map((membership) => (membership.townId === data.townId && membership.validTo === undefined ? { ...membership, validTo: data.leftOn } : membership)),
      })),
    )
    .with({ type: 'CommuneMerged' }, ({ data }) =>
      commune.status === 'Undeclared' ? commune : { ...commune, status: 'Merged', mergedInto: data.mergedInto, mergedOn: data.mergedOn, latestChangeOn: data.mergedOn },
    )
    .exhaustive()

export const administrativeUnitDecider: Decider<AdministrativeUnitCommand, AdministrativeUnitEvent, Commune, AdministrativeUnitRejection> = {
  initialState: undeclared,
  evolve,
  decide,
}

export const communeStreamId = (communeId: string): string => `commune-${communeId}`
