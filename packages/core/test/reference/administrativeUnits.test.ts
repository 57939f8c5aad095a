import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import {
  AdministrativeUnit,
  addDays,
  areaTypeOn,
  CommuneId,
  communesOfTownOn,
  day,
  foldHistory,
  idOf,
  TownId,
  townOfCommuneOn,
  type LocalDate,
} from '@policy-credit/core'
import { deciderSpec } from '@policy-credit/core/testing'

const given = deciderSpec(AdministrativeUnit.administrativeUnitDecider)
const nghiaLo = idOf(TownId, 'TX-NGHIA-LO')
const vanChan = idOf(TownId, 'H-VAN-CHAN')
const nghiaLoi = idOf(CommuneId, 'XA-NGHIA-LOI')
const tanAn = idOf(CommuneId, 'PHUONG-TAN-AN')

const declared: AdministrativeUnit.AdministrativeUnitEvent = {
  type: 'CommuneDeclared',
  data: { communeId: nghiaLoi, name: 'Xã Nghĩa Lợi', unitKind: 'COMMUNE', areaType: 'RURAL', declaredOn: day('2010-01-01') },
}
const joinedNghiaLo: AdministrativeUnit.AdministrativeUnitEvent = { type: 'CommuneJoinedTown', data: { communeId: nghiaLoi, townId: nghiaLo, joinedOn: day('2020-02-01') } }
const join = (townId = nghiaLo, joinedOn = '2020-02-01'): AdministrativeUnit.AdministrativeUnitCommand => ({ type: 'JoinTown', data: { communeId: nghiaLoi, townId, joinedOn: day(joinedOn) } })
const leave = (townId = nghiaLo, leftOn = '2024-07-01'): AdministrativeUnit.AdministrativeUnitCommand => ({ type: 'LeaveTown', data: { communeId: nghiaLoi, townId, leftOn: day(leftOn) } })
const reclassify = (unitKind: AdministrativeUnit.UnitKind, reclassifiedOn = '2021-01-01'): AdministrativeUnit.AdministrativeUnitCommand => ({
  type: 'ReclassifyCommune',
  data: { communeId: nghiaLoi, unitKind, reclassifiedOn: day(reclassifiedOn) },
})
const merge = (mergedInto = tanAn): AdministrativeUnit.AdministrativeUnitCommand => ({ type: 'MergeCommune', data: { communeId: nghiaLoi, mergedInto, mergedOn: day('2025-07-01') } })

describe('AdministrativeUnit decider', () => {
  it('declares a commune, rural because it is a xã', () =>
    given([]).when({ type: 'DeclareCommune', data: { communeId: nghiaLoi, name: 'Xã Nghĩa Lợi', unitKind: 'COMMUNE', declaredOn: day('2010-01-01') } }).thenEvents([declared]))
  it('rejects declaring a commune twice', () =>
    given([declared])
      .when({ type: 'DeclareCommune', data: { communeId: nghiaLoi, name: 'Xã Nghĩa Lợi', unitKind: 'COMMUNE', declaredOn: day('2010-01-01') } })
      .thenRejects({ _tag: 'CommuneStatusDisallowsCommand', command: 'DeclareCommune', status: 'Active' }))
  it('reclassifies a xã as a phường, which makes it urban', () =>
    given([declared]).when(reclassify('WARD')).thenEvents([{ type: 'CommuneReclassified', data: { communeId: nghiaLoi, unitKind: 'WARD', areaType: 'URBAN', reclassifiedOn: day('2021-01-01') } }]))
  it('records nothing when the kind does not change', () => given([declared]).when(reclassify('COMMUNE')).thenNothing())
  it('joins a town', () => given([declared]).when(join()).thenEvents([joinedNghiaLo]))
  it('records nothing when the commune is already in that town', () => given([declared, joinedNghiaLo]).when(join()).thenNothing())
  it('rejects joining a second town before leaving the first', () =>
    given([declared, joinedNghiaLo]).when(join(vanChan, '2021-01-01')).thenRejects({ _tag: 'CommuneAlreadyInTown', townId: nghiaLo }))
  it('rejects a change dated before the latest recorded one', () =>
    given([declared, joinedNghiaLo]).when(reclassify('WARD', '2020-01-31')).thenRejects({ _tag: 'ChangeBeforeLatestChange', latestChangeOn: day('2020-02-01'), date: day('2020-01-31') }))
  it('leaves the town it is in', () =>
    given([declared, joinedNghiaLo]).when(leave()).thenEvents([{ type: 'CommuneLeftTown', data: { communeId: nghiaLoi, townId: nghiaLo, leftOn: day('2024-07-01') } }]))
  it('rejects leaving a town it is not in', () =>
    given([declared, joinedNghiaLo]).when(leave(vanChan)).thenRejects({ _tag: 'CommuneNotInTown', townId: vanChan, currentTownId: nghiaLo }))
  it('merges into another unit', () =>
    given([declared]).when(merge()).thenEvents([{ type: 'CommuneMerged', data: { communeId: nghiaLoi, mergedInto: tanAn, mergedOn: day('2025-07-01') } }]))
  it('rejects merging a unit into itself', () => given([declared]).when(merge(nghiaLoi)).thenRejects({ _tag: 'CommuneMergedIntoItself', communeId: nghiaLoi }))
  it('rejects changes to a merged unit', () =>
    given([declared, { type: 'CommuneMerged', data: { communeId: nghiaLoi, mergedInto: tanAn, mergedOn: day('2025-07-01') } }])
      .when(join())
      .thenRejects({ _tag: 'CommuneStatusDisallowsCommand', command: 'JoinTown', status: 'Merged' }))
  it('names each bad field of a malformed command', () =>
    expect(
      E.mapLeft((failure: { readonly errors: ReadonlyArray<{ readonly path: string }> }) => failure.errors.map((error) => error.path))(
        AdministrativeUnit.decodeAdministrativeUnitCommand({ type: 'DeclareCommune', data: { communeId: 'XA NGHIA', name: ' ', unitKind: 'VILLAGE', declaredOn: '2010-13-01' } }),
      ),
    ).toStrictEqual(E.left(['data.communeId', 'data.name', 'data.unitKind', 'data.declaredOn'])))
})

describe('communes of a town on a day', () => {
  const ward: AdministrativeUnit.AdministrativeUnitEvent = {
    type: 'CommuneDeclared',
    data: { communeId: tanAn, name: 'Phường Tân An', unitKind: 'WARD', areaType: 'URBAN', declaredOn: day('2010-01-01') },
  }
  const wardInTown: AdministrativeUnit.AdministrativeUnitEvent = { type: 'CommuneJoinedTown', data: { communeId: tanAn, townId: nghiaLo, joinedOn: day('2010-01-01') } }
  const communes = [
    foldHistory(AdministrativeUnit.administrativeUnitDecider, [ward, wardInTown]),
    foldHistory(AdministrativeUnit.administrativeUnitDecider, [declared, { type: 'CommuneJoinedTown', data: { communeId: nghiaLoi, townId: vanChan, joinedOn: day('2010-01-01') } }, { type: 'CommuneLeftTown', data: { communeId: nghiaLoi, townId: vanChan, leftOn: day('2020-02-01') } }, joinedNghiaLo]),
  ]
  it('a commune that joins the town counts for it from the day it joins, not before', () => {
    expect(communesOfTownOn(communes, nghiaLo, day('2020-01-31'))).toStrictEqual([tanAn])
    expect(communesOfTownOn(communes, nghiaLo, day('2020-02-01'))).toStrictEqual([tanAn, nghiaLoi])
    expect(communesOfTownOn(communes, vanChan, day('2020-01-31'))).toStrictEqual([nghiaLoi])
    expect(communesOfTownOn(communes, vanChan, day('2020-02-01'))).toStrictEqual([])
  })
  it('a commune does not count before it is declared', () => expect(communesOfTownOn(communes, nghiaLo, day('2009-12-31'))).toStrictEqual([]))
  it('answers the area type a unit had on a day', () => {
    const upgraded = foldHistory(AdministrativeUnit.administrativeUnitDecider, [declared, { type: 'CommuneReclassified', data: { communeId: nghiaLoi, unitKind: 'WARD', areaType: 'URBAN', reclassifiedOn: day('2021-01-01') } }])
    expect([areaTypeOn(upgraded, day('2020-12-31')), areaTypeOn(upgraded, day('2021-01-01'))]).toStrictEqual([O.some('RURAL'), O.some('URBAN')])
  })
  it('a merged unit belongs to no town from the merger', () => {
    const merged = foldHistory(AdministrativeUnit.administrativeUnitDecider, [declared, joinedNghiaLo, { type: 'CommuneMerged', data: { communeId: nghiaLoi, mergedInto: tanAn, mergedOn: day('2025-07-01') } }])
    expect([townOfCommuneOn(merged, day('2025-06-30')), townOfCommuneOn(merged, day('2025-07-01'))]).toStrictEqual([O.some(nghiaLo), O.none])
  })

  /** Moves of one commune between two towns (or none) on increasing days, and the town it is in on any day. */
  const moves = fc.array(fc.tuple(fc.integer({ min: 1, max: 900 }), fc.constantFrom<TownId | null>(nghiaLo, vanChan, null)), { maxLength: 12 })
  test.prop([moves, fc.integer({ min: 0, max: 12_000 })])('the town a commune belongs to on a day is the last one it moved to by then', (steps, probeOffset) => {
    const start = day('2010-01-01')
    const timeline = steps.reduce<ReadonlyArray<{ readonly on: LocalDate; readonly townId: TownId | null }>>(
      (sofar, [gap, townId]) => [...sofar, { on: addDays(sofar.at(-1)?.on ?? start, gap), townId }],
      [],
    )
    const history = timeline.reduce<ReadonlyArray<AdministrativeUnit.AdministrativeUnitEvent>>((events, { on, townId }) => {
      const state = foldHistory(AdministrativeUnit.administrativeUnitDecider, events)
      const current = O.toNullable(townOfCommuneOn(state, on))
      const commands: ReadonlyArray<AdministrativeUnit.AdministrativeUnitCommand> = [
        ...(current !== null && current !== townId ? [leave(current, on)] : []),
        ...(townId !== null ? [join(townId, on)] : []),
      ]
      return commands.reduce(
        (sofar, command) =>
          [...sofar, ...E.getOrElseW((rejection) => { throw new Error(JSON.stringify(rejection)) })(AdministrativeUnit.administrativeUnitDecider.decide(command, foldHistory(AdministrativeUnit.administrativeUnitDecider, sofar)))],
        events,
      )
    }, [declared])
    const probe = addDays(start, probeOffset)
    const expected = timeline.filter((step) => step.on <= probe).at(-1)?.townId ?? null
    const commune = foldHistory(AdministrativeUnit.administrativeUnitDecider, history)
    expect(O.toNullable(townOfCommuneOn(commune, probe))).toBe(expected)
    for (const event of history) expect(AdministrativeUnit.AdministrativeUnitEvent.decode(JSON.parse(JSON.stringify(AdministrativeUnit.AdministrativeUnitEvent.encode(event))))).toStrictEqual(E.right(event))
  })
})
