/**
 * Events and commands share one shape, `{ type, data }`, which every store understands. The codec is
 * declared once and the TypeScript type is derived from it; `strict` drops unknown fields, as `t.strict` does.
 */
import * as t from 'io-ts'
import { strict } from './codecs.ts'

export const message = <Type extends string, Data extends t.Props>(type: Type, data: Data) =>
  strict({ type: t.literal(type), data: strict(data) }, type)

/** A decoding failure, one entry per bad field, with its dotted path (`data.amount`) and what was expected. */
export interface FieldError {
  readonly path: string
  readonly expected: string
  readonly actual: unknown
  readonly message?: string
}

type Tagged = { readonly _tag?: string; readonly type?: Tagged } | undefined

// Wrappers that validate through their inner codec without a context entry of their own.
const WRAPPERS = new Set(['ReadonlyType', 'ExactType', 'RefinementType'])

/** Unions and intersections (also inside `readonly` or `exact`) key their members by index in the context; those indexes name no field. */
const keysMembers = (type: t.Decoder<unknown, unknown> | undefined): boolean => {
  let inner = type as Tagged
  while (inner?._tag !== undefined && WRAPPERS.has(inner._tag)) inner = inner.type
  return inner?._tag === 'UnionType' || inner?._tag === 'IntersectionType'
}

/** Turns io-ts errors into one entry per bad field; for unions, the deepest match is kept. A member's index (of a union or an intersection) is not part of the path. */
export const fieldErrors = (errors: t.Errors): ReadonlyArray<FieldError> => {
  const byPath = new Map<string, FieldError>()
  for (const error of errors) {
    const keys = error.context
      .filter((entry, index) => entry.key !== '' && !keysMembers(error.context[index - 1]?.type))
      .map((entry) => entry.key)
    const path = keys.join('.')
    const last = error.context[error.context.length - 1]
    const entry: FieldError = {
      path: path === '' ? '(root)' : path,
      expected: last?.type.name ?? 'unknown',
      actual: error.value,
      ...(error.message === undefined ? {} : { message: error.message }),
    }
    if (!byPath.has(entry.path)) byPath.set(entry.path, entry)
  }
  return [...byPath.values()]
}

const LONGEST_SHOWN_VALUE = 60

/** A bad value as a message shows it: JSON with bigint as its digits, cut at 60 characters. */
const shownValue = (value: unknown): string => {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)) ?? String(value))
  return text.length > LONGEST_SHOWN_VALUE ? `${text.slice(0, LONGEST_SHOWN_VALUE)}…` : text
}

/**
 * Field errors in words, one clause per field: `data.amount: expected Vnd, got 12.5`. Every edge that
 * reports a decoding failure (a store refusing an event, an import refusing a line, an audit reading a
 * stored event) words it so.
 */
export const describeFieldErrors = (errors: ReadonlyArray<FieldError>): string =>
  errors.map((error) => `${error.path}: expected ${error.expected}, got ${shownValue(error.actual)}${error.message === undefined ? '' : ` (${error.message})`}`).join('; ')

export interface DecodeFailure {
  readonly _tag: 'DecodeFailure'
  readonly codec: string
  readonly errors: ReadonlyArray<FieldError>
}
