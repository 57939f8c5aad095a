/**
 * io-ts combinators that accept, decode and refuse exactly as `t.strict`, `t.readonlyArray`, `t.union`
 * and `t.brand` do, with the same results and the same errors, but cheaper: every stored event is
 * decoded on append and again by each projection. They build the io-ts codec and keep its `is`,
 * `encode`, `_tag` and parts (`props`, `type`, `types`), so code that walks codecs sees no difference.
 *
 * A successful validation never reads its context; only a failure records it. So the fast path hands
 * a child the parent's context instead of a new one per field, element or union member, and at the
 * first failure it runs io-ts's own `validate`, which builds the contexts the errors report (children
 * made here do the same in turn). Decoding is pure, so running the failing value twice changes nothing.
 */
import type { Refinement } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'

const hasOwn = Object.prototype.hasOwnProperty

/** io-ts's `stripKeys`, without building the stripped copy when there is nothing to strip. */
const stripKeys = (value: object, props: t.Props): object => {
  const keys = Object.getOwnPropertyNames(value)
  let strip = false
  for (const key of keys) {
    if (!hasOwn.call(props, key)) {
      strip = true
      break
    }
  }
  if (!strip) return value
  const stripped: Record<string, unknown> = {}
  for (const key of keys) if (hasOwn.call(props, key)) stripped[key] = (value as Record<string, unknown>)[key]
  return stripped
}

/** `t.strict(props, name)`: the fields of `props`, decoded, and no other. */
export const strict = <P extends t.Props>(props: P, name?: string): t.ExactC<t.TypeC<P>> => {
  const reference = t.strict(props, name)
  const keys = Object.keys(props)
  const types: ReadonlyArray<t.Mixed> = keys.map((key) => props[key] as t.Mixed)
  const validate = (input: unknown, context: t.Context): t.Validation<t.TypeOf<t.TypeC<P>>> => {
    // Not a record, as t.UnknownRecord tells it.
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return reference.validate(input, context)
    // As io-ts's `type`: the input itself while no field decodes to another value, else one copy.
    let decoded = input as Record<string, unknown>
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string
      const field = decoded[key]
      const result = (types[index] as t.Mixed).validate(field, context)
      if (result._tag === 'Left') return reference.validate(input, context)
      const value: unknown = result.right
      if (value !== field || (value === undefined && !hasOwn.call(decoded, key))) {
        if (decoded === input) decoded = Object.assign({}, decoded)
        decoded[key] = value
      }
    }
    return t.success(stripKeys(decoded, props) as t.TypeOf<t.TypeC<P>>)
  }
  return new t.ExactType(reference.name, reference.is, validate, reference.encode, reference.type)
}

/** `t.readonlyArray(item, name)`. */
export const readonlyArray = <C extends t.Mixed>(item: C, name?: string): t.ReadonlyArrayC<C> => {
  const reference = t.readonlyArray(item, name)
  const validate = (input: unknown, context: t.Context): t.Validation<ReadonlyArray<t.TypeOf<C>>> => {
    if (!Array.isArray(input)) return reference.validate(input, context)
    // As io-ts's `array`: the input itself while no element decodes to another value, else one copy.
    let decoded: Array<unknown> = input
    for (let index = 0; index < input.length; index++) {
      const element: unknown = input[index]
      const result = item.validate(element, context)
      if (result._tag === 'Left') return reference.validate(input, context)
      if (result.right !== element) {
        if (decoded === input) decoded = input.slice()
        decoded[index] = result.right
      }
    }
    return t.success(decoded)
  }
  return new t.ReadonlyArrayType(reference.name, reference.is, validate, reference.encode, item)
}

/** `t.union(codecs, name)` of members with no common tag (a value or null, one of two identifiers). */
export const union = <CS extends [t.Mixed, t.Mixed, ...Array<t.Mixed>]>(codecs: CS, name?: string): t.UnionC<CS> => {
  const reference = t.union(codecs, name)
  // io-ts dispatches a tagged union on its tag: already cheap, and not what the fast path below does.
  if (reference instanceof t.TaggedUnionType) throw new Error(`${reference.name} is a tagged union: use t.union`)
  const validate = (input: unknown, context: t.Context): t.Validation<t.TypeOf<CS[number]>> => {
    for (const codec of codecs) {
      const result = codec.validate(input, context)
      if (result._tag === 'Right') return t.success(result.right)
    }
    return reference.validate(input, context)
  }
  return new t.UnionType(reference.name, reference.is, validate, reference.encode, codecs)
}

const fail = (message: string): never => {
  throw new Error(message)
}

/**
 * `t.brand(codec, predicate, name)` over `t.string`, `t.number` or `t.Int`, whose `validate` returns
 * its input or fails on it: one check instead of the base codec's validation and then the predicate.
 */
export const brand = <C extends t.Any, N extends string, B extends { readonly [K in N]: symbol }>(
  codec: C,
  predicate: Refinement<t.TypeOf<C>, t.Branded<t.TypeOf<C>, B>>,
  name: N,
): t.BrandC<C, B> => {
  const reference = t.brand(codec, predicate, name)
  // The base codec's `is` inlined: it was a tenth of decoding an event through a call per field.
  const is: t.Is<t.Branded<t.TypeOf<C>, B>> =
    (codec as t.Any) === t.string
      ? (input): input is t.Branded<t.TypeOf<C>, B> => typeof input === 'string' && predicate(input)
      : (codec as t.Any) === t.number
        ? (input): input is t.Branded<t.TypeOf<C>, B> => typeof input === 'number' && predicate(input)
        : (codec as t.Any) === t.Int
          ? reference.is
          : fail(`brand ${name}: only over t.string, t.number or t.Int`)
  const validate = (input: unknown, context: t.Context): t.Validation<t.Branded<t.TypeOf<C>, B>> => (is(input) ? t.success(input) : t.failure(input, context))
  return new t.RefinementType<C, t.Branded<t.TypeOf<C>, B>, t.OutputOf<C>, t.InputOf<C>>(reference.name, is, validate, reference.encode, codec, predicate)
}
