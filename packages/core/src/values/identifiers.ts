/**
 * Identifiers are branded non-empty strings, so a LoanId cannot be passed where a HouseholdId is
 * expected. They name things in stream ids (`loan-<id>`), so they may not contain whitespace.
 */
import * as t from 'io-ts'
import { brand } from '../shared/codecs.ts'

const LONGEST_IDENTIFIER = 128

const isLetterOrDigit = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
/** '.', '_', ':', '/' and '-'. */
const isSeparator = (code: number): boolean => code === 46 || code === 95 || code === 58 || code === 47 || code === 45

// As /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, by character codes: several identifiers are checked in every stored event.
const isIdentifier = (s: string): boolean => {
  if (s.length === 0 || s.length > LONGEST_IDENTIFIER || !isLetterOrDigit(s.charCodeAt(0))) return false
  for (let index = 1; index < s.length; index++) {
    const code = s.charCodeAt(index)
    if (!isLetterOrDigit(code) && !isSeparator(code)) return false
  }
  return true
}

const identifier = <Brand extends symbol, Name extends string>(name: Name) =>
  brand(t.string, (s): s is t.Branded<string, { readonly [K in Name]: Brand }> => isIdentifier(s), name)

export const HouseholdId = identifier<symbol, 'HouseholdId'>('HouseholdId')
export type HouseholdId = t.TypeOf<typeof HouseholdId>
export const LoanId = identifier<symbol, 'LoanId'>('LoanId')
export type LoanId = t.TypeOf<typeof LoanId>
export const InspectionId = identifier<symbol, 'InspectionId'>('InspectionId')
export type InspectionId = t.TypeOf<typeof InspectionId>
export const CommuneId = identifier<symbol, 'CommuneId'>('CommuneId')
export type CommuneId = t.TypeOf<typeof CommuneId>
export const TownId = identifier<symbol, 'TownId'>('TownId')
export type TownId = t.TypeOf<typeof TownId>
export const MassOrganisationId = identifier<symbol, 'MassOrganisationId'>('MassOrganisationId')
export type MassOrganisationId = t.TypeOf<typeof MassOrganisationId>
export const SavingsGroupId = identifier<symbol, 'SavingsGroupId'>('SavingsGroupId')
export type SavingsGroupId = t.TypeOf<typeof SavingsGroupId>
export const TransactionPointId = identifier<symbol, 'TransactionPointId'>('TransactionPointId')
export type TransactionPointId = t.TypeOf<typeof TransactionPointId>
export const CapitalSourceId = identifier<symbol, 'CapitalSourceId'>('CapitalSourceId')
export type CapitalSourceId = t.TypeOf<typeof CapitalSourceId>
/**
 * An official document number as written on it ("15/2022/QĐ-UBND", "Quyết định số 09/2011/QĐ-TTg"):
 * Vietnamese letters and single spaces are allowed, because it names no stream.
 */
export const DecisionNumber = brand(
  t.string,
  (s): s is t.Branded<string, { readonly DecisionNumber: symbol }> =>
    s.length <= 128 && /^[\p{L}\p{N}](?:[\p{L}\p{N}._:/-]| (?! ))*$/u.test(s) && !s.endsWith(' '),
  'DecisionNumber',
)
export type DecisionNumber = t.TypeOf<typeof DecisionNumber>
export const ActorId = identifier<symbol, 'ActorId'>('ActorId')
export type ActorId = t.TypeOf<typeof ActorId>

/** Turn a literal into an identifier of the given codec, throwing on a defect (tests and trusted data only). */
export const idOf = <A>(codec: t.Type<A, string, unknown>, s: string): A => {
  if (!codec.is(s)) throw new RangeError(`not a valid ${codec.name}: ${JSON.stringify(s)}`)
  return s
}
