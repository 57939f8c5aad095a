/**
 * Decoding an event for the fields a projection reads, not the whole event. The store validated every
 * event with the domain codec when it was appended; a rebuild reads every followed event again, and the
 * whole domain codec was a tenth of a rebuild's time. A projection lists, per event type, the fields it
 * reads with a decoder for each (the core's codec of that field: anything with `name` and `decode`). A missing
 * or malformed field it reads is still refused, by name; a field it does not read is not looked at,
 * since nothing here would read it. Each projection's tests hold its decoder to the domain codec's
 * decision on intact and damaged events.
 */
import * as E from 'fp-ts/lib/Either.js'

/** The decoder of one field, from its stored JSON (a decimal string of đồng to a bigint, say): an io-ts codec is one. */
export interface FieldDecoder<A = unknown> {
  readonly name: string
  readonly decode: (value: unknown) => E.Either<unknown, A>
  /**
   * An io-ts codec's: called, when present, with a context made once per field instead of `decode`,
   * which makes a new context (an array and an object) on every call: 200 of the 1,420 MB allocated by
   * a rebuild of outstanding-debt, where each event decodes about eight fields.
   */
  validate?(value: unknown, context: ReadonlyArray<unknown>): E.Either<unknown, A>
}

/** Per event type, the fields read and their decoders. */
export type UsedFields = { readonly [type: string]: { readonly [field: string]: FieldDecoder } }

type CheckedData<Fields> = { readonly [Field in keyof Fields]: Fields[Field] extends FieldDecoder<infer A> ? A : never }

/** An event as the projection reads it: its type and the decoded fields (a whole domain event of that type is one). */
export type FactOf<Used extends UsedFields> = {
  readonly [Type in keyof Used & string]: { readonly type: Type; readonly data: CheckedData<Used[Type]> }
}[keyof Used & string]

/** The field's decoder, through `validate` with one context when it has one (io-ts reports failures through it; here only the name is). */
const decoderOf = (decoder: FieldDecoder): FieldDecoder => {
  const { validate } = decoder
  if (validate === undefined) return decoder
  const context: ReadonlyArray<unknown> = [{ key: '', type: decoder, actual: undefined }]
  return { name: decoder.name, decode: (value) => validate.call(decoder, value, context) }
}

/**
 * A decoder for the listed types: undefined for a type not listed (the caller decides), `Left` naming
 * every field read that is missing or malformed (`PrincipalRepaid: data.repaidOn expected LocalDate`),
 * or the event with those fields decoded (and no other).
 */
export const usedFieldsDecoder = <Used extends UsedFields>(used: Used): ((type: string, data: unknown) => E.Either<string, FactOf<Used>> | undefined) => {
  // Listed once as [name, decoder] pairs rather than walked per event.
  const decodersByType = new Map(Object.entries(used).map(([type, fields]) => [type, Object.entries(fields).map(([name, decoder]) => [name, decoderOf(decoder)] as const)] as const))
  return (type, data) => {
    const decoders = decodersByType.get(type)
    if (decoders === undefined) return undefined
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return E.left(`${type}: data expected an object`)
    const decoded: Record<string, unknown> = {}
    let problems: Array<string> | undefined
    for (const [name, decoder] of decoders) {
      const field = decoder.decode((data as Readonly<Record<string, unknown>>)[name])
      if (E.isRight(field)) decoded[name] = field.right
      else (problems ??= []).push(`data.${name} expected ${decoder.name}`)
    }
    return problems === undefined ? E.right({ type, data: decoded } as FactOf<Used>) : E.left(`${type}: ${problems.join('; ')}`)
  }
}
