/**
 * The documents of the poverty-rate read model and their codec. Ids are `<kind>:<key>`:
 *
 * - `household:<householdId>`: the household's dated facts (its registration and dissolution, where it
 *   lived from which day, each recognition's class and exit, with their effective dates), and its
 *   timeline derived from them (timeline.ts). Stored as flat lists, without the timeline (storedHousehold.ts).
 * - `commune-tallies:all`: every commune's counts as dated deltas (tally.ts), changed by each household
 *   event by the difference it made to the household's contribution; what the queries count from.
 * - `commune:<communeId>`: the commune's dated facts as the core's Commune state (town membership over time).
 * - `town-communes:<townId>`: every commune that ever joined the town.
 * - `plan:<unitId>:<year>`: the unit's plan for the year as the core's Plan state (the poverty target).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { AdministrativeUnit, CommuneId, DecisionNumber, fieldErrors, LocalDate, Loan, Plan, PovertyStandardId, TownId, type DecodeFailure } from '@policy-credit/core'
import type { DocumentCodec } from '@policy-credit/projections'
import type { HouseholdFacts, Segment } from './timeline.ts'
import { decodeHouseholdDocument, encodeHouseholdDocument } from './storedHousehold.ts'
import { decodeTallies, encodeTallies, insertionPoint, type CommuneTallies } from './tally.ts'

/** The household's facts, stored as flat lists and read back by storedHousehold.ts. */
export interface HouseholdDocument extends HouseholdFacts {
  readonly kind: 'household'
  /** Derived from the facts (timeline.ts), for the tallies; not stored. */
  readonly timeline: ReadonlyArray<Segment>
}

const communeRecord = {
  communeId: CommuneId,
  name: t.string,
  declaredOn: LocalDate,
  kinds: t.readonlyArray(t.type({ unitKind: AdministrativeUnit.UnitKind, validFrom: LocalDate })),
  towns: t.readonlyArray(t.intersection([t.type({ townId: TownId, validFrom: LocalDate }), t.partial({ validTo: LocalDate })])),
  latestChangeOn: LocalDate,
}

const CommuneState: t.Type<AdministrativeUnit.Commune, unknown, unknown> = t.union(
  [
    t.type({ status: t.literal('Undeclared') }),
    t.type({ status: t.literal('Active'), ...communeRecord }),
    t.type({ status: t.literal('Merged'), mergedInto: CommuneId, mergedOn: LocalDate, ...communeRecord }),
  ],
  'CommuneState',
) as unknown as t.Type<AdministrativeUnit.Commune, unknown, unknown>

export const CommuneDocument = t.type({ kind: t.literal('commune'), commune: CommuneState }, 'CommuneDocument')
export type CommuneDocument = t.TypeOf<typeof CommuneDocument>

const plannedFigure = { value: Loan.PositiveCount, decisionNumber: DecisionNumber, decisionDate: LocalDate }

const PlanState: t.Type<Plan.Plan, unknown, unknown> = t.union(
  [
    t.type({ status: t.literal('Unopened') }),
    t.intersection([
      t.type({ status: t.literal('Open'), unitId: Plan.PlanUnitId, year: Loan.PositiveCount }),
      t.partial({ povertyReduction: t.type({ ...plannedFigure, standardId: PovertyStandardId }), jobCreation: t.type(plannedFigure) }),
    ]),
  ],
  'PlanState',
) as unknown as t.Type<Plan.Plan, unknown, unknown>

export const PlanDocument = t.type({ kind: t.literal('plan'), plan: PlanState }, 'PlanDocument')
export type PlanDocument = t.TypeOf<typeof PlanDocument>

/** Stored as flat arrays of integers and read back by tally.ts. */
export interface CommuneTalliesDocument {
  readonly kind: 'communeTallies'
  readonly tallies: CommuneTallies
}

/** Ids in ascending order, each once. */
export const TownCommunesDocument = t.type({ kind: t.literal('townCommunes'), communeIds: t.readonlyArray(CommuneId) }, 'TownCommunesDocument')
export type TownCommunesDocument = t.TypeOf<typeof TownCommunesDocument>

export type PovertyRateDocument = HouseholdDocument | CommuneTalliesDocument | CommuneDocument | TownCommunesDocument | PlanDocument

type CheckedKind = Exclude<PovertyRateDocument['kind'], 'household' | 'communeTallies'>

/** Decoding by `kind` tries one codec, not every kind in turn. */
const codecByKind: { readonly [Kind in CheckedKind]: t.Type<Extract<PovertyRateDocument, { readonly kind: Kind }>, unknown, unknown> } = {
  commune: CommuneDocument,
  townCommunes: TownCommunesDocument,
  plan: PlanDocument,
}

const isCheckedKind = (kind: unknown): kind is CheckedKind => typeof kind === 'string' && Object.hasOwn(codecByKind, kind)

/** A decoding failure in one line: the codec and each bad field. */
export const describeDecodeFailure = (failure: DecodeFailure): string =>
  `${failure.codec}: ${failure.errors.map((error) => `${error.path} expected ${error.expected}`).join('; ')}`

const decodeChecked = <Kind extends CheckedKind>(kind: Kind, json: unknown): E.Either<string, PovertyRateDocument> => {
  const codec = codecByKind[kind] as t.Type<PovertyRateDocument, unknown, unknown>
  return pipe(
    codec.decode(json),
    E.mapLeft((errors) => `not a document: ${describeDecodeFailure({ _tag: 'DecodeFailure', codec: codec.name, errors: fieldErrors(errors) })}`),
  )
}

export const povertyRateDocumentCodec: DocumentCodec<PovertyRateDocument> = {
  // Every field is a string, a number or null (no bigint): the encoded form is plain JSON already.
  encode: (document) =>
    document.kind === 'household'
      ? encodeHouseholdDocument(document)
      : document.kind === 'communeTallies'
        ? { kind: document.kind, ...(encodeTallies(document.tallies) as object) }
        : codecByKind[document.kind].encode(document as never),
  decode: (json) => {
    const kind = typeof json === 'object' && json !== null ? (json as { readonly kind?: unknown }).kind : undefined
    if (kind === 'household') return decodeHouseholdDocument(json)
    if (kind === 'communeTallies') return E.map((tallies: CommuneTallies): PovertyRateDocument => ({ kind: 'communeTallies', tallies }))(decodeTallies(json))
    return isCheckedKind(kind) ? decodeChecked(kind, json) : E.left(`not a poverty-rate document: kind ${JSON.stringify(kind)}`)
  },
}

export const documentId = {
  household: (householdId: string): string => `household:${householdId}`,
  /** One document for every commune: an event may change the counts of a commune it does not name (docs/poverty-rate.md). */
  communeTallies: (): string => 'commune-tallies:all',
  commune: (communeId: string): string => `commune:${communeId}`,
  townCommunes: (townId: string): string => `town-communes:${townId}`,
  plan: (unitId: string, year: number): string => `plan:${unitId}:${year}`,
} as const

/** An id added to an ascending list of ids, each once (binary search: a commune's list holds thousands). */
export const withId = <Id extends string>(ids: ReadonlyArray<Id>, id: Id): ReadonlyArray<Id> => {
  const at = insertionPoint(ids, id)
  return ids[at] === id ? ids : [...ids.slice(0, at), id, ...ids.slice(at)]
}
