/**
 * Events and commands share one shape, `{ type, data }`, which every store understands. The codec is
 * declared once and the TypeScript type is derived from it; `t.strict` drops unknown fields.
 */
import * as t from 'io-ts'

export const message = <Type extends string, Data extends t.Props>(type: Type, data: Data) =>
  t.strict({ type: t.literal(type), data: t.strict(data) }, type)

/** A decoding failure, one entry per bad field, with its dotted path (`data.amount`) and what was expected. */
export interface FieldError {
  readonly path: string
  readonly expected: string
  readonly actual: unknown
  readonly message?: string
}

const isUnion = (type: t.Decoder<unknown, unknown> | undefined): boolean =>
  type !== undefined && (type as { readonly _tag?: string })._tag === 'UnionType'

/** Turns io-ts errors into one entry per bad field; for unions, the deepest match is kept. */
export const fieldErrors = (errors: t.Errors): ReadonlyArray<FieldError> => {
  const byPath = new Map<string, FieldError>()
  for (const error of errors) {
    // A union's members appear in the context keyed by their index; they are not part of the field's path.
    const keys = error.context
      .filter((entry, index) => entry.key !== '' && !isUnion(error.context[index - 1]?.type))
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

export interface DecodeFailure {
  readonly _tag: 'DecodeFailure'
  readonly codec: string
  readonly errors: ReadonlyArray<FieldError>
}
