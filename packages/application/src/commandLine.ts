/**
 * One command per line of JSON (JSONL), the format `policy-credit import` reads and example
 * generators write (docs/commands.md):
 *   {"commandId": "…", "occurredOn"?: "YYYY-MM-DD", "actor"?: "…", "correlationId"?: "…",
 *    "command": {"type": "<CommandType>", "data": {…}}}
 * The command is decoded with the core's own codecs. `occurredOn`, the business date the events
 * record, defaults to the command's own date field. Unknown envelope fields are refused, so a
 * misspelt `occuredOn` is an error rather than silently ignored.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { fieldErrors, LocalDate, type FieldError } from '@policy-credit/core'
import type { CommandEnvelope as StoreCommandEnvelope } from '@policy-credit/event-store'
import { businessDateOf, commandTypes, decodeDomainCommand, encodeDomainCommand, isDomainCommandType, type DomainCommand, type DomainCommandType } from './commands.ts'

/** A command with what the store records beside its events: id (idempotence), business date, actor, correlation. */
export type CommandEnvelope = StoreCommandEnvelope<DomainCommand>

export type CommandLineError =
  /** The line is not JSON. */
  | { readonly _tag: 'InvalidJson'; readonly message: string }
  /** The envelope around the command is wrong: a missing `commandId`, a bad `occurredOn`, an unknown field. */
  | { readonly _tag: 'InvalidEnvelope'; readonly errors: ReadonlyArray<FieldError> }
  | { readonly _tag: 'UnknownCommandType'; readonly type: unknown; readonly knownTypes: ReadonlyArray<DomainCommandType> }
  /** The command's fields, as its codec reports them (paths start at `command`, e.g. `command.data.amount`). */
  | { readonly _tag: 'InvalidCommand'; readonly commandType: DomainCommandType; readonly errors: ReadonlyArray<FieldError> }

const NonBlank = t.refinement(t.string, (text) => text.trim().length > 0, 'NonBlankString')

// Two codecs rather than an intersection, whose member indices would show in the error paths.
const RequiredFields = t.type({ commandId: NonBlank, command: t.UnknownRecord })
const OptionalFields = t.partial({ occurredOn: LocalDate, actor: NonBlank, correlationId: NonBlank })

const ENVELOPE_FIELDS: ReadonlyArray<string> = ['commandId', 'occurredOn', 'actor', 'correlationId', 'command']

const invalidEnvelope = (errors: ReadonlyArray<FieldError>): CommandLineError => ({ _tag: 'InvalidEnvelope', errors })

/** Decodes an already-parsed line. */
export const decodeCommandEnvelope = (input: unknown): E.Either<CommandLineError, CommandEnvelope> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return E.left(invalidEnvelope([{ path: '(root)', expected: 'an object { commandId, command, occurredOn?, actor?, correlationId? }', actual: input }]))
  const unknownFields = Object.keys(input).filter((field) => !ENVELOPE_FIELDS.includes(field))
  if (unknownFields.length > 0)
    return E.left(invalidEnvelope(unknownFields.map((field) => ({ path: field, expected: `one of ${ENVELOPE_FIELDS.join(', ')}`, actual: (input as Record<string, unknown>)[field] }))))
  const required = RequiredFields.decode(input)
  const optional = OptionalFields.decode(input)
  if (E.isLeft(required) || E.isLeft(optional))
    return E.left(invalidEnvelope([...(E.isLeft(required) ? fieldErrors(required.left) : []), ...(E.isLeft(optional) ? fieldErrors(optional.left) : [])]))
  const { commandId, command } = required.right
  const { occurredOn, actor, correlationId } = optional.right
  if (!isDomainCommandType(command.type)) return E.left({ _tag: 'UnknownCommandType', type: command.type, knownTypes: commandTypes })
  const commandType = command.type
  const decoded = decodeDomainCommand(command)
  if (E.isLeft(decoded))
    return E.left({ _tag: 'InvalidCommand', commandType, errors: decoded.left.errors.map((error) => ({ ...error, path: `command.${error.path}` })) })
  return E.right({
    commandId,
    command: decoded.right,
    occurredOn: occurredOn ?? businessDateOf(decoded.right),
    ...(actor === undefined ? {} : { actor }),
    ...(correlationId === undefined ? {} : { correlationId }),
  })
}

/** Decodes one line of a JSONL command file. The caller adds the line number to an error. */
export const decodeCommandLine = (text: string): E.Either<CommandLineError, CommandEnvelope> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return E.left({ _tag: 'InvalidJson', message: error instanceof Error ? error.message : String(error) })
  }
  return decodeCommandEnvelope(parsed)
}

/** The JSON object of a command line; `occurredOn` is left out when it is the command's own date. */
export const encodeCommandEnvelope = (envelope: CommandEnvelope): Readonly<Record<string, unknown>> => ({
  commandId: envelope.commandId,
  ...(envelope.occurredOn === businessDateOf(envelope.command) ? {} : { occurredOn: envelope.occurredOn }),
  ...(envelope.actor === undefined ? {} : { actor: envelope.actor }),
  ...(envelope.correlationId === undefined ? {} : { correlationId: envelope.correlationId }),
  command: encodeDomainCommand(envelope.command),
})

/** One line of a JSONL command file (without the newline): what `decodeCommandLine` reads back. */
export const encodeCommandLine = (envelope: CommandEnvelope): string => JSON.stringify(encodeCommandEnvelope(envelope))
