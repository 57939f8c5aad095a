/**
 * What a commune official asks of a household's record. A command never states the class: the class
 * comes from classifying the assessment under its standard. Commands are decoded once, at the edge,
 * into a typed command or an error naming each bad field.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { fieldErrors, message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { CommuneId, HouseholdId } from '../values/identifiers.ts'
import { AreaType } from '../reference/types.ts'
import { decisionFields, findingFields, registrationFields, reviewFields } from './fields.ts'

export const RegisterHousehold = message('RegisterHousehold', registrationFields)
export type RegisterHousehold = t.TypeOf<typeof RegisterHousehold>

export const AssessHousehold = message('AssessHousehold', { ...reviewFields, ...findingFields })
export type AssessHousehold = t.TypeOf<typeof AssessHousehold>

export const RecogniseHouseholdClass = message('RecogniseHouseholdClass', { ...reviewFields, ...decisionFields })
export type RecogniseHouseholdClass = t.TypeOf<typeof RecogniseHouseholdClass>

export const MoveHouseholdToCommune = message('MoveHouseholdToCommune', {
  householdId: HouseholdId,
  toCommuneId: CommuneId,
  areaType: AreaType,
  movedOn: LocalDate,
})
export type MoveHouseholdToCommune = t.TypeOf<typeof MoveHouseholdToCommune>

export const DissolveHousehold = message('DissolveHousehold', {
  householdId: HouseholdId,
  dissolvedOn: LocalDate,
})
export type DissolveHousehold = t.TypeOf<typeof DissolveHousehold>

const COMMANDS = {
  RegisterHousehold,
  AssessHousehold,
  RecogniseHouseholdClass,
  MoveHouseholdToCommune,
  DissolveHousehold,
} as const

export const HouseholdCommand = t.union(
  [RegisterHousehold, AssessHousehold, RecogniseHouseholdClass, MoveHouseholdToCommune, DissolveHousehold],
  'HouseholdCommand',
)
export type HouseholdCommand = t.TypeOf<typeof HouseholdCommand>

const isCommandType = (type: unknown): type is keyof typeof COMMANDS => typeof type === 'string' && Object.hasOwn(COMMANDS, type)

/**
 * Decodes with the codec its `type` names, so the errors speak of that command's fields only, not of
 * every member of the union.
 */
export const decodeHouseholdCommand = (u: unknown): E.Either<DecodeFailure, HouseholdCommand> => {
  const type = typeof u === 'object' && u !== null ? (u as { readonly type?: unknown }).type : undefined
  if (!isCommandType(type))
    return E.left({ _tag: 'DecodeFailure', codec: HouseholdCommand.name, errors: [{ path: 'type', expected: Object.keys(COMMANDS).join(' | '), actual: type }] })
  const codec: t.Decoder<unknown, HouseholdCommand> = COMMANDS[type]
  return pipe(
    codec.decode(u),
    E.mapLeft((errors) => ({ _tag: 'DecodeFailure', codec: codec.name, errors: fieldErrors(errors) }) as const),
  )
}
