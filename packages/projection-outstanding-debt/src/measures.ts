/**
 * What the outstanding-debt read model counts, and along which dimensions. Every figure is kept as
 * additive deltas (whole đồng or whole counts, as bigint) so that buckets of any period can be summed in
 * any order: an event recorded late for an earlier business date only adds to that date's buckets.
 */
import type { CapitalSourceKind, MassOrganisationKind, ProgrammeId } from '@policy-credit/core'

/**
 * One cell of the report: a programme lent in a commune through a mass organisation's savings-and-loan
 * group from one capital source (domain.md §7.5). Every monetary loan event carries all of these.
 */
export interface CellDimensions {
  readonly programme: ProgrammeId
  readonly communeId: string
  readonly massOrganisationKind: MassOrganisationKind
  readonly massOrganisationId: string
  readonly savingsGroupId: string
  readonly capitalSourceKind: CapitalSourceKind
  readonly capitalSourceId: string
}

/** The dimensions a report may group by (`--by programme,commune,...`). */
export const dimensions = [
  'programme',
  'commune',
  'massOrganisationKind',
  'massOrganisation',
  'savingsGroup',
  'capitalSourceKind',
  'capitalSource',
] as const
export type Dimension = (typeof dimensions)[number]

/** The capital events' dimensions: a fund has no mass organisation or group. */
export const capitalDimensions = ['programme', 'commune', 'capitalSourceKind', 'capitalSource'] as const satisfies ReadonlyArray<Dimension>
export type CapitalDimension = (typeof capitalDimensions)[number]

export const dimensionValue = (cell: CellDimensions, dimension: Dimension): string => {
  switch (dimension) {
    case 'programme':
      return cell.programme
    case 'commune':
      return cell.communeId
    case 'massOrganisationKind':
      return cell.massOrganisationKind
    case 'massOrganisation':
      return cell.massOrganisationId
    case 'savingsGroup':
      return cell.savingsGroupId
    case 'capitalSourceKind':
      return cell.capitalSourceKind
    case 'capitalSource':
      return cell.capitalSourceId
  }
}

/** The fund capital events move: a programme's capital from one source in one commune. */
export type FundDimensions = Pick<CellDimensions, 'programme' | 'communeId' | 'capitalSourceKind' | 'capitalSourceId'>

// Identifiers never contain '|' (core identifiers.ts), so it separates the parts of a key unambiguously.
export const KEY_SEPARATOR = '|'

// The parts spelled out rather than mapped over a list of names: a key is built for every event of a rebuild.
export const cellKey = (cell: CellDimensions): string =>
  [cell.programme, cell.communeId, cell.massOrganisationKind, cell.massOrganisationId, cell.savingsGroupId, cell.capitalSourceKind, cell.capitalSourceId].join(KEY_SEPARATOR)
export const fundKey = (fund: FundDimensions): string => [fund.programme, fund.communeId, fund.capitalSourceKind, fund.capitalSourceId].join(KEY_SEPARATOR)
/** Whether `part` can be one part of a key: not empty, no separator. */
export const isWellFormedPart = (part: string): boolean => part.length > 0 && !part.includes(KEY_SEPARATOR)

const split = (key: string, parts: number): ReadonlyArray<string> | undefined => {
  const fields = key.split(KEY_SEPARATOR)
  return fields.length === parts && fields.every((field) => field.length > 0) ? fields : undefined
}

// Keys are written only by `cellKey`/`fundKey` and checked by the document codecs on read.
export const cellOfKey = (key: string): CellDimensions => {
  const [programme, communeId, massOrganisationKind, massOrganisationId, savingsGroupId, capitalSourceKind, capitalSourceId] = split(key, 7) ?? []
  return {
    programme: programme as ProgrammeId,
    communeId: communeId ?? '',
    massOrganisationKind: massOrganisationKind as MassOrganisationKind,
    massOrganisationId: massOrganisationId ?? '',
    savingsGroupId: savingsGroupId ?? '',
    capitalSourceKind: capitalSourceKind as CapitalSourceKind,
    capitalSourceId: capitalSourceId ?? '',
  }
}

export const fundOfKey = (key: string): FundDimensions => {
  const [programme, communeId, capitalSourceKind, capitalSourceId] = split(key, 4) ?? []
  return { programme: programme as ProgrammeId, communeId: communeId ?? '', capitalSourceKind: capitalSourceKind as CapitalSourceKind, capitalSourceId: capitalSourceId ?? '' }
}

/** Whether `key` is `parts` non-empty fields joined by the separator; by scanning, not splitting, as it runs for every stored entry a query reads. */
const hasParts = (key: string, parts: number): boolean => {
  let fields = 0
  let start = 0
  for (;;) {
    const at = key.indexOf(KEY_SEPARATOR, start)
    const end = at === -1 ? key.length : at
    if (end === start) return false
    fields += 1
    if (at === -1) return fields === parts
    start = at + 1
  }
}

/** The number of parts of a key of each kind: a cell's seven dimensions, a fund's four. */
export const keyPartsOf: { readonly [Kind in BucketKind]: number } = { cells: 7, capital: 4 }

export const isWellFormedKey = (kind: BucketKind, key: string): boolean => hasParts(key, keyPartsOf[kind])

/** The two kinds of dated bucket. `cells`: the report figures per cell. `capital`: capital received per fund. Borrowers are counted apart (borrowers.ts). */
export type BucketKind = 'cells' | 'capital'
export const bucketKinds: ReadonlyArray<BucketKind> = ['cells', 'capital']

/**
 * Per cell, the movements of a period. `overdue` and `frozen` are net changes of the balances (negative
 * in a period that reduced them); every other field is a flow and never negative. Outstanding principal
 * is not kept: it is `disbursed − collected − writtenOff`, which is the balance identity.
 */
export const cellFields = [
  'disbursed',
  'collected',
  'writtenOff',
  'overdue',
  'frozen',
  'interestCollected',
  'interestWrittenOff',
  'loansDisbursed',
  'jobsCreated',
] as const
export type CellField = (typeof cellFields)[number]

/** Capital a commune's fund received: central allocations, local budget entrusted, and the mid-year reallocation both ways. */
export const capitalFields = ['centralAllocated', 'localEntrusted', 'reallocatedIn', 'reallocatedOut'] as const
export type CapitalField = (typeof capitalFields)[number]

export const fieldsOf: { readonly [Kind in BucketKind]: ReadonlyArray<string> } = { cells: cellFields, capital: capitalFields }

/** A stored amount: a whole number in decimal, never zero (a zero amount is left out). */
export const NON_ZERO_WHOLE_NUMBER = /^-?[1-9][0-9]*$/

/** A sparse vector of measures: an absent field is zero. */
export type Measures<Field extends string = string> = Readonly<Partial<Record<Field, bigint>>>

export const measure = <Field extends string>(measures: Measures<Field> | undefined, field: Field): bigint => measures?.[field] ?? 0n

/** The sum of two vectors, with zero fields left out; undefined when every field is zero. */
export const addMeasures = <Field extends string>(left: Measures<Field> | undefined, right: Measures<Field>): Measures<Field> | undefined => {
  // Built field by field, never by deleting from a copy: this runs for every event and every bucket it touches.
  const sum: Partial<Record<Field, bigint>> = {}
  let nonZero = false
  const put = (field: Field, value: bigint): void => {
    if (value === 0n) return
    sum[field] = value
    nonZero = true
  }
  if (left !== undefined) for (const field of Object.keys(left) as Array<Field>) put(field, (left[field] ?? 0n) + (right[field] ?? 0n))
  for (const field of Object.keys(right) as Array<Field>) if (left?.[field] === undefined) put(field, right[field] ?? 0n)
  return nonZero ? sum : undefined
}

/**
 * Adds `delta` to `sum` in place and returns true, unless a field would become zero: then it changes
 * nothing and returns false, for the caller to build the sum anew (deleting a property would leave the
 * object slow to read, and the sum may be zero altogether).
 */
export const addMeasuresInPlace = <Field extends string>(sum: Partial<Record<Field, bigint>>, delta: Measures<Field>): boolean => {
  for (const field in delta) {
    const value: bigint | undefined = delta[field]
    const current: bigint | undefined = sum[field]
    // Only amounts of opposite signs can cancel (overdue and frozen; flows only grow), so most fields are not summed twice.
    if (value !== undefined && current !== undefined && current < 0n !== value < 0n && current + value === 0n) return false
  }
  for (const field in delta) {
    const value: bigint | undefined = delta[field]
    if (value !== undefined && value !== 0n) sum[field] = (sum[field] ?? 0n) + value
  }
  return true
}

export const subtractMeasures = <Field extends string>(left: Measures<Field> | undefined, right: Measures<Field> | undefined): Measures<Field> | undefined => {
  const negated: Partial<Record<Field, bigint>> = {}
  for (const field of Object.keys(right ?? {}) as Array<Field>) negated[field] = -(right?.[field] ?? 0n)
  return addMeasures(left, negated)
}
