/**
 * Errors and values in words, for the lines the command prints: a malformed command line names its
 * bad fields, a refusal names the aggregate, the rule and the figures it compared. The domain keeps
 * rejections as data without prose (STYLE.md §5); this is the edge where they are worded.
 */
import type { CommandLineError, ExecutionError } from '@policy-credit/application'
import { describeFieldErrors } from '@policy-credit/core'

/** JSON with bigint written as its digits (money), for values inside messages. */
export const compactJson = (value: unknown): string =>
  JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)) ?? String(value)

const MAXIMUM_SHOWN_VALUE = 60

const shown = (value: unknown): string => {
  const text = value === undefined ? 'nothing' : compactJson(value)
  return text.length > MAXIMUM_SHOWN_VALUE ? `${text.slice(0, MAXIMUM_SHOWN_VALUE)}…` : text
}

export const describeCommandLineError = (error: CommandLineError): string => {
  switch (error._tag) {
    case 'InvalidJson':
      return `not JSON: ${error.message}`
    case 'InvalidEnvelope':
      return `not a command line: ${describeFieldErrors(error.errors)}`
    case 'UnknownCommandType':
      return `unknown command type ${shown(error.type)} (docs/commands.md lists the ${error.knownTypes.length} types)`
    case 'InvalidCommand':
      return `${error.commandType}: ${describeFieldErrors(error.errors)}`
  }
}

/** `{ _tag: 'X', a: 1n, b: 'c' }` → `X (a 1, b "c")`. */
export const describeTagged = (value: { readonly _tag: string }): string => {
  const fields = Object.entries(value).filter(([key]) => key !== '_tag')
  return fields.length === 0 ? value._tag : `${value._tag} (${fields.map(([key, field]) => `${key} ${typeof field === 'string' ? field : shown(field)}`).join(', ')})`
}

export const describeExecutionError = (error: ExecutionError): string => {
  switch (error._tag) {
    case 'Rejected':
      return `${error.commandType} rejected by the ${error.aggregate} rules: ${describeTagged(error.rejection)}`
    case 'ContextMissing':
      return `${error.commandType} cannot be decided: ${describeTagged(error.missing)}`
    case 'ReservationReleased':
      return `refused after reserving capital; the reservation was released (send a new command, not ${error.commandId} again)`
    case 'ConcurrencyRetriesExhausted':
      return `other writers kept changing ${error.conflict.streamId} (${error.attempts} attempts); run the import again`
    case 'StoreFailed':
      return `the store failed: ${describeTagged(error.error)}`
  }
}
