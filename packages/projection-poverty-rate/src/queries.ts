/**
 * The questions a district office asks of the poverty-rate read model, over `readModel` of
 * @policy-credit/projections (so readers see the active version only): one unit and year under a
 * standard, a series over years, the change over a year, a town by commune, and the figures on any past
 * day. Each reads a few documents (the communes' dated tallies, a town's communes, the plan) and sums
 * the tallies on the asked days; nothing is replayed from the event store and no household is read.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { dateOfDayNumber, standardInForceOn, type AdministrativeUnit, type CommuneId, type LocalDate, type Plan, type PovertyStandardId, type TownId } from '@policy-credit/core'
import { readModel, type ReadModelQueries, type ReadModelQueryError, type ReadModelStore } from '@policy-credit/projections'
import { documentId, type PovertyRateDocument } from './documents.ts'
import {
  changeOf,
  communesOfUnitOn,
  figuresOf,
  nationalReportContext,
  standardsOfYear,
  targetOf,
  unitId,
  yearListsOf,
  type ClassCounts,
  type Exits,
  type PovertyChange,
  type PovertyFigures,
  type PovertyYear,
  type ReportContext,
  type ReportingUnit,
} from './figures.ts'
import { povertyRateProjection, povertyRateProjectionName } from './projection.ts'
import { noTallies, tallyCountsOn, tallyExitsBetween, type CommuneTallies } from './tally.ts'

export type PovertyRateReadModel = ReadModelQueries<PovertyRateDocument>

/** Queries through the active version of the poverty-rate read model in `store`. */
export const povertyRateReadModel = (store: ReadModelStore): PovertyRateReadModel => readModel(store, povertyRateProjectionName, [povertyRateProjection])

export type PovertyQueryError =
  | ReadModelQueryError
  /** No household ever lived in the commune and it was never declared; or no commune ever joined the town. */
  | { readonly _tag: 'UnitNotInReadModel'; readonly unit: ReportingUnit }
  /** Neither list of the year is measured under the standard: `measuredUnder` names those that are. */
  | { readonly _tag: 'YearNotMeasuredUnderStandard'; readonly year: number; readonly standardId: PovertyStandardId; readonly measuredUnder: ReadonlyArray<PovertyStandardId> }
  /** The change needs both the opening and the closing list under the standard. */
  | { readonly _tag: 'YearChangeNotMeasuredUnderStandard'; readonly year: number; readonly standardId: PovertyStandardId }
  | { readonly _tag: 'NoStandardInForce'; readonly on: LocalDate }
  | { readonly _tag: 'InvalidYearRange'; readonly fromYear: number; readonly toYear: number }

/** What a unit's figures are counted from: every commune's dated counts and, for a town, its communes' membership over time. */
export interface UnitHistory {
  readonly unit: ReportingUnit
  /** For a town, every commune that ever joined it; empty for a commune. */
  readonly townCommunes: ReadonlyMap<CommuneId, AdministrativeUnit.Commune>
  readonly tallies: CommuneTallies
}

// A bounded number of ids per read, so no store meets a statement with too many parameters.
const READ_CHUNK = 500

const getAll = async (queries: PovertyRateReadModel, ids: ReadonlyArray<string>): Promise<E.Either<PovertyQueryError, ReadonlyMap<string, PovertyRateDocument>>> => {
  const all = new Map<string, PovertyRateDocument>()
  for (let start = 0; start < ids.length; start += READ_CHUNK) {
    const chunk = await queries.getMany(ids.slice(start, start + READ_CHUNK))()
    if (E.isLeft(chunk)) return chunk
    for (const [id, document] of chunk.right) all.set(id, document)
  }
  return E.right(all)
}

const talliesOf = (document: PovertyRateDocument | undefined): CommuneTallies => (document?.kind === 'communeTallies' ? document.tallies : noTallies)

/** Reads what the unit's figures are counted from: a few documents, however many households the unit has. */
export const loadUnitHistory =
  (queries: PovertyRateReadModel, unit: ReportingUnit): TE.TaskEither<PovertyQueryError, UnitHistory> =>
  async () => {
    if (unit.kind === 'COMMUNE') {
      const known = await queries.getMany([documentId.communeTallies(), documentId.commune(unit.communeId)])()
      if (E.isLeft(known)) return known
      const tallies = talliesOf(known.right.get(documentId.communeTallies()))
      if (!known.right.has(documentId.commune(unit.communeId)) && !tallies.communes.has(unit.communeId)) return E.left({ _tag: 'UnitNotInReadModel', unit })
      return E.right({ unit, townCommunes: new Map(), tallies })
    }
    const town = await queries.get(documentId.townCommunes(unit.townId))()
    if (E.isLeft(town)) return town
    if (town.right?.kind !== 'townCommunes') return E.left({ _tag: 'UnitNotInReadModel', unit })
    const communeIds = town.right.communeIds
    const documents = await getAll(queries, [documentId.communeTallies(), ...communeIds.map(documentId.commune)])
    if (E.isLeft(documents)) return documents
    const townCommunes = new Map(
      communeIds.flatMap((communeId) => {
        const document = documents.right.get(documentId.commune(communeId))
        return document?.kind === 'commune' ? [[communeId, document.commune] as const] : []
      }),
    )
    return E.right({ unit, townCommunes, tallies: talliesOf(documents.right.get(documentId.communeTallies())) })
  }

/** The communes whose counts a unit's figures may need: the commune, or every commune that ever joined the town. */
const communesOfHistory = (history: UnitHistory): ReadonlyArray<CommuneId> => (history.unit.kind === 'COMMUNE' ? [history.unit.communeId] : [...history.townCommunes.keys()])

const countsByCommuneOn = (history: UnitHistory, standardId: PovertyStandardId, on: LocalDate): ReadonlyMap<CommuneId, ClassCounts> =>
  new Map(communesOfHistory(history).map((communeId) => [communeId, tallyCountsOn(history.tallies, communeId, standardId, on)] as const))

/** Which communes count for the row on a day; none means the row has no figures that day. */
type CommunesOn = (on: LocalDate) => ReadonlyArray<CommuneId>

const communesOfHistoryOn =
  (history: UnitHistory): CommunesOn =>
  (on) =>
    communesOfUnitOn(history.unit, history.townCommunes, on)

/** The unit's figures on a day under a standard. */
export const figuresOn = (history: UnitHistory, standardId: PovertyStandardId, on: LocalDate): PovertyFigures =>
  figuresOf(history.unit, standardId, on, communesOfHistoryOn(history)(on), countsByCommuneOn(history, standardId, on))

/** Exits under the standard after `after` and on or before `through`, each counted where the household lived while that commune counted for the row. */
const exitsOver = (history: UnitHistory, communesOn: CommunesOn, standardId: PovertyStandardId, after: LocalDate, through: LocalDate): Exits =>
  communesOfHistory(history).reduce(
    (total: Exits, communeId) => {
      const exits = tallyExitsBetween(history.tallies, communeId, standardId, after, through, (day) => communesOn(dateOfDayNumber(day)).includes(communeId))
      return { fromPoor: total.fromPoor + exits.fromPoor, fromNearPoor: total.fromNearPoor + exits.fromNearPoor }
    },
    { fromPoor: 0, fromNearPoor: 0 },
  )

const yearOver = (
  history: UnitHistory,
  unit: ReportingUnit,
  communesOn: CommunesOn,
  year: number,
  standardId: PovertyStandardId,
  plan: Plan.Plan | undefined,
  context: ReportContext,
): PovertyYear | undefined => {
  const lists = yearListsOf(year, standardId, context)
  if (lists.opening === undefined && lists.closing === undefined) return undefined
  const figuresAt = (on: LocalDate | undefined): PovertyFigures | null => {
    if (on === undefined) return null
    const communeIds = communesOn(on)
    return unit.kind === 'COMMUNE' && communeIds.length === 0 ? null : figuresOf(unit, standardId, on, communeIds, countsByCommuneOn(history, standardId, on))
  }
  const opening = figuresAt(lists.opening?.takesEffectOn)
  const closing = figuresAt(lists.closing?.takesEffectOn)
  const exited =
    lists.opening === undefined || lists.closing === undefined || opening === null || closing === null
      ? null
      : exitsOver(history, communesOn, standardId, lists.opening.takesEffectOn, lists.closing.takesEffectOn)
  return { unit, year, standardId, opening, closing, exited, target: targetOf(plan, opening) }
}

/** The year under a standard, or undefined when neither of its lists is measured under it. */
export const yearFrom = (history: UnitHistory, year: number, standardId: PovertyStandardId, plan: Plan.Plan | undefined, context: ReportContext = nationalReportContext): PovertyYear | undefined =>
  yearOver(history, history.unit, communesOfHistoryOn(history), year, standardId, plan, context)

const planOf = async (queries: PovertyRateReadModel, unit: ReportingUnit, year: number): Promise<E.Either<PovertyQueryError, Plan.Plan | undefined>> =>
  E.map((document: PovertyRateDocument | undefined) => (document?.kind === 'plan' ? document.plan : undefined))(await queries.get(documentId.plan(unitId(unit), year))())

const notMeasured = (year: number, standardId: PovertyStandardId, context: ReportContext): PovertyQueryError => ({
  _tag: 'YearNotMeasuredUnderStandard',
  year,
  standardId,
  measuredUnder: standardsOfYear(year, context),
})

export interface YearQuery {
  readonly unit: ReportingUnit
  readonly year: number
  readonly standardId: PovertyStandardId
}

/** One unit and year under a standard: the list it opened and closed with, the year's exits and the target. */
export const povertyYear =
  (queries: PovertyRateReadModel, { unit, year, standardId }: YearQuery, context: ReportContext = nationalReportContext): TE.TaskEither<PovertyQueryError, PovertyYear> =>
  async () => {
    const history = await loadUnitHistory(queries, unit)()
    if (E.isLeft(history)) return history
    const plan = await planOf(queries, unit, year)
    if (E.isLeft(plan)) return plan
    const found = yearFrom(history.right, year, standardId, plan.right, context)
    return found === undefined ? E.left(notMeasured(year, standardId, context)) : E.right(found)
  }

/** The year's change under a standard (domain.md §7.3): the rate's fall in percentage points and the households that exited. */
export const povertyChange =
  (queries: PovertyRateReadModel, query: YearQuery, context: ReportContext = nationalReportContext): TE.TaskEither<PovertyQueryError, PovertyChange> =>
  async () => {
    const year = await povertyYear(queries, query, context)()
    if (E.isLeft(year)) return year
    const change = changeOf(year.right)
    return change === undefined ? E.left({ _tag: 'YearChangeNotMeasuredUnderStandard', year: query.year, standardId: query.standardId }) : E.right(change)
  }

export interface SeriesQuery {
  readonly unit: ReportingUnit
  readonly fromYear: number
  readonly toYear: number
  /** Only this standard; every standard a year is measured under when absent (2015 then gives two rows). */
  readonly standardId?: PovertyStandardId
}

/** Years in order; within a year, one row per standard, the older standard first. */
export const povertySeries =
  (queries: PovertyRateReadModel, { unit, fromYear, toYear, standardId }: SeriesQuery, context: ReportContext = nationalReportContext): TE.TaskEither<PovertyQueryError, ReadonlyArray<PovertyYear>> =>
  async () => {
    if (!Number.isSafeInteger(fromYear) || !Number.isSafeInteger(toYear) || fromYear > toYear || toYear - fromYear > 200) return E.left({ _tag: 'InvalidYearRange', fromYear, toYear })
    const history = await loadUnitHistory(queries, unit)()
    if (E.isLeft(history)) return history
    const years = Array.from({ length: toYear - fromYear + 1 }, (_, index) => fromYear + index)
    const plans = await getAll(queries, years.map((year) => documentId.plan(unitId(unit), year)))
    if (E.isLeft(plans)) return plans
    return E.right(
      years.flatMap((year) => {
        const planDocument = plans.right.get(documentId.plan(unitId(unit), year))
        const plan = planDocument?.kind === 'plan' ? planDocument.plan : undefined
        const standards = standardId === undefined ? standardsOfYear(year, context) : [standardId]
        return standards.flatMap((standard) => yearFrom(history.right, year, standard, plan, context) ?? [])
      }),
    )
  }

export interface AsOfQuery {
  readonly unit: ReportingUnit
  readonly on: LocalDate
  /** The standard in force on the day when absent. */
  readonly standardId?: PovertyStandardId
}

const standardOn = (on: LocalDate, standardId: PovertyStandardId | undefined, context: ReportContext): E.Either<PovertyQueryError, PovertyStandardId> =>
  standardId !== undefined
    ? E.right(standardId)
    : E.fromOption((): PovertyQueryError => ({ _tag: 'NoStandardInForce', on }))(O.map((standard: { readonly id: PovertyStandardId }) => standard.id)(standardInForceOn(on, context.standards)))

/** The figures on any past business day: the classes in force that day, in the communes households lived in that day. */
export const povertyAsOf =
  (queries: PovertyRateReadModel, { unit, on, standardId }: AsOfQuery, context: ReportContext = nationalReportContext): TE.TaskEither<PovertyQueryError, PovertyFigures> =>
  async () => {
    const standard = standardOn(on, standardId, context)
    if (E.isLeft(standard)) return standard
    const history = await loadUnitHistory(queries, unit)()
    return E.map((loaded: UnitHistory) => figuresOn(loaded, standard.right, on))(history)
  }

/** A town and each of its communes: a commune's list is shown only on the days it belonged to the town, so the communes add up to the town. */
export interface TownBreakdown<Row> {
  readonly town: Row
  readonly communes: ReadonlyArray<Row>
}

/** The town's year and, beside it, each commune's, for `--by commune`. */
export const povertyYearByCommune =
  (queries: PovertyRateReadModel, { townId, year, standardId }: { readonly townId: TownId; readonly year: number; readonly standardId: PovertyStandardId }, context: ReportContext = nationalReportContext): TE.TaskEither<PovertyQueryError, TownBreakdown<PovertyYear>> =>
  async () => {
    const unit: ReportingUnit = { kind: 'TOWN', townId }
    const history = await loadUnitHistory(queries, unit)()
    if (E.isLeft(history)) return history
    const communeIds = [...history.right.townCommunes.keys()]
    const plans = await getAll(queries, [unitId(unit), ...communeIds].map((id) => documentId.plan(id, year)))
    if (E.isLeft(plans)) return plans
    const planFor = (id: string) => {
      const document = plans.right.get(documentId.plan(id, year))
      return document?.kind === 'plan' ? document.plan : undefined
    }
    const town = yearFrom(history.right, year, standardId, planFor(unitId(unit)), context)
    if (town === undefined) return E.left(notMeasured(year, standardId, context))
    const inTownOn = communesOfHistoryOn(history.right)
    const communes = communeIds.flatMap((communeId) => {
      const whileInTown: CommunesOn = (on) => (inTownOn(on).includes(communeId) ? [communeId] : [])
      const row = yearOver(history.right, { kind: 'COMMUNE', communeId }, whileInTown, year, standardId, planFor(communeId), context)
      return row === undefined || (row.opening === null && row.closing === null) ? [] : [row]
    })
    return E.right({ town, communes })
  }

/** The town's figures on a day and those of each commune that belonged to it that day. */
export const povertyAsOfByCommune =
  (queries: PovertyRateReadModel, { townId, on, standardId }: { readonly townId: TownId; readonly on: LocalDate; readonly standardId?: PovertyStandardId }, context: ReportContext = nationalReportContext): TE.TaskEither<PovertyQueryError, TownBreakdown<PovertyFigures>> =>
  async () => {
    const standard = standardOn(on, standardId, context)
    if (E.isLeft(standard)) return standard
    const history = await loadUnitHistory(queries, { kind: 'TOWN', townId })()
    if (E.isLeft(history)) return history
    const town = figuresOn(history.right, standard.right, on)
    const counts = countsByCommuneOn(history.right, standard.right, on)
    return E.right({ town, communes: town.communeIds.map((communeId) => figuresOf({ kind: 'COMMUNE', communeId }, standard.right, on, [communeId], counts)) })
  }
