/**
 * Event logs for the properties: communes declared, joining and leaving towns and merged; households
 * registered, reviewed, moving and dissolved; town and commune poverty targets. Every event is made by
 * the core's deciders from generated commands (rejected commands leave nothing), so the logs are ones
 * the system can produce; the streams are interleaved at random.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import fc from 'fast-check'
import {
  AdministrativeUnit,
  CommuneId,
  day,
  DecisionNumber,
  idOf,
  Loan,
  Plan,
  standardInForceOn,
  startOfYear,
  TownId,
  type DomainEvent,
  type LocalDate,
  type PovertyStandardId,
} from '@policy-credit/core'
import { communeIds, daysBetweenInclusive, householdHistories } from '@policy-credit/core/testing'

export const nghiaLo = idOf(TownId, 'NGHIA-LO')
export const vanChan = idOf(TownId, 'VAN-CHAN')
/** The communes the core's household arbitraries place households in. */
export const allCommunes: ReadonlyArray<CommuneId> = ['XA-NGHIA-AN', 'XA-NGHIA-LOI', 'XA-NGHIA-PHUC', 'PHUONG-TAN-AN', 'PHUONG-PU-TRANG'].map((id) => idOf(CommuneId, id))
export const standards: ReadonlyArray<PovertyStandardId> = ['QD-09-2011', 'QD-59-2015', 'ND-07-2021']

const towns = fc.constantFrom(nghiaLo, nghiaLo, vanChan)
const changeDays = daysBetweenInclusive(day('2009-01-01'), day('2026-12-31'))

const decideAll = <Command, Event, State, Rejection, Context>(
  decider: { readonly initialState: State; readonly evolve: (state: State, event: Event) => State; readonly decide: (command: Command, state: State, context: Context) => E.Either<Rejection, ReadonlyArray<Event>> },
  commands: ReadonlyArray<Command>,
  context: Context,
): ReadonlyArray<Event> =>
  commands.reduce<{ readonly state: State; readonly events: ReadonlyArray<Event> }>(
    ({ state, events }, command) =>
      E.match(
        () => ({ state, events }),
        (decided: ReadonlyArray<Event>) => ({ state: decided.reduce(decider.evolve, state), events: [...events, ...decided] }),
      )(decider.decide(command, state, context)),
    { state: decider.initialState, events: [] },
  ).events

/** A commune's history: usually declared early, then joining and leaving towns, rarely merged. */
const communeHistory = (communeId: CommuneId): fc.Arbitrary<ReadonlyArray<DomainEvent>> =>
  fc
    .record({
      declared: fc.option(daysBetweenInclusive(day('2009-01-01'), day('2016-12-31')), { freq: 8 }),
      changes: fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ kind: fc.constant('join' as const), townId: towns, on: changeDays }) },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), townId: towns, on: changeDays }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), into: fc.constantFrom(...allCommunes), on: changeDays }) },
        ),
        { maxLength: 4 },
      ),
    })
    .map(({ declared, changes }) => {
      const commands: Array<AdministrativeUnit.AdministrativeUnitCommand> = declared === null ? [] : [{ type: 'DeclareCommune', data: { communeId, name: communeId, unitKind: 'COMMUNE', declaredOn: declared } }]
      for (const change of [...changes].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))) {
        if (change.kind === 'join') commands.push({ type: 'JoinTown', data: { communeId, townId: change.townId, joinedOn: change.on } })
        else if (change.kind === 'leave') commands.push({ type: 'LeaveTown', data: { communeId, townId: change.townId, leftOn: change.on } })
        else commands.push({ type: 'MergeCommune', data: { communeId, mergedInto: change.into, mergedOn: change.on } })
      }
      return decideAll(AdministrativeUnit.administrativeUnitDecider, commands, undefined)
    })

/** Poverty targets of the town or a commune for years, under the standard of the year. */
const planEvents: fc.Arbitrary<ReadonlyArray<DomainEvent>> = fc
  .array(fc.record({ unitId: fc.constantFrom<Plan.PlanUnitId>(nghiaLo, ...allCommunes), year: fc.integer({ min: 2011, max: 2026 }), reduction: fc.integer({ min: 1, max: 5 }) }), { maxLength: 3 })
  .map((targets) =>
    targets.flatMap(({ unitId, year, reduction }) => {
      const standard = O.toUndefined(standardInForceOn(startOfYear(year)))
      if (standard === undefined) return []
      const command: Plan.PlanCommand = {
        type: 'SetPovertyReductionTarget',
        data: { unitId, year: Loan.positiveCount(year), standardId: standard.id, reductionHouseholds: Loan.positiveCount(reduction), decisionNumber: idOf(DecisionNumber, `NQ-${year}`), decisionDate: day(`${year - 1}-12-20`) },
      }
      return decideAll(Plan.planDecider, [command], Plan.nationalPlanContext)
    }),
  )

/** Interleaves streams at random, keeping each stream's order. */
const interleaved = (streams: ReadonlyArray<ReadonlyArray<DomainEvent>>): fc.Arbitrary<ReadonlyArray<DomainEvent>> => {
  const total = streams.reduce((sum, stream) => sum + stream.length, 0)
  return fc.array(fc.nat(), { minLength: total, maxLength: total }).map((picks) => {
    const remaining = streams.filter((stream) => stream.length > 0).map((stream) => [...stream])
    return picks.map((pick) => {
      const index = pick % remaining.length
      const stream = remaining[index] as Array<DomainEvent>
      const event = stream.shift() as DomainEvent
      if (stream.length === 0) remaining.splice(index, 1)
      return event
    })
  })
}

const householdIdOf = (events: ReadonlyArray<DomainEvent>): string | undefined => (events[0]?.data as { readonly householdId?: string } | undefined)?.householdId

/** A whole log: the five communes, up to `maxHouseholds` households, a few targets. */
export const eventLogs = (maxHouseholds = 8): fc.Arbitrary<ReadonlyArray<DomainEvent>> =>
  fc
    .tuple(
      fc.tuple(...allCommunes.map(communeHistory)),
      fc.uniqueArray(householdHistories().map((history) => history.events as ReadonlyArray<DomainEvent>), { maxLength: maxHouseholds, selector: householdIdOf }),
      planEvents,
    )
    .chain(([communes, households, plans]) => interleaved([...communes, ...households, ...plans.map((event) => [event])]))

/** Days to ask about: often a 1 January (when periodic lists take effect), otherwise any day. */
export const askedDays: fc.Arbitrary<LocalDate> = fc.oneof(fc.integer({ min: 2009, max: 2028 }).map(startOfYear), daysBetweenInclusive(day('2009-01-01'), day('2028-12-31')))

export { communeIds }
