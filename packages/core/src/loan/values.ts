/** Plain values carried by loan, capital and inspection messages: counts (workers, months of study, instalment numbers) and free text. */
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { brand, union } from '../shared/codecs.ts'
import { fieldErrors, type DecodeFailure } from '../shared/message.ts'

export interface CountBrand {
  readonly Count: unique symbol
}
/** A non-negative whole number. */
export const Count = brand(t.number, (n): n is t.Branded<number, CountBrand> => Number.isSafeInteger(n) && n >= 0, 'Count')
export type Count = t.TypeOf<typeof Count>

export interface PositiveCountBrand {
  readonly PositiveCount: unique symbol
}
/** A whole number of at least one. */
export const PositiveCount = brand(t.number, (n): n is t.Branded<number, PositiveCountBrand> => Number.isSafeInteger(n) && n >= 1, 'PositiveCount')
export type PositiveCount = t.TypeOf<typeof PositiveCount>

/** For trusted arithmetic results and test literals. */
export const count = (n: number): Count => {
  if (!Count.is(n)) throw new RangeError(`not a count: ${n}`)
  return n
}
export const positiveCount = (n: number): PositiveCount => {
  if (!PositiveCount.is(n)) throw new RangeError(`not a positive count: ${n}`)
  return n
}

export interface TextBrand {
  readonly Text: unique symbol
}
/** Free text that says something: not empty, not only spaces. */
export const Text = brand(t.string, (s): s is t.Branded<string, TextBrand> => s.trim().length > 0, 'Text')
export type Text = t.TypeOf<typeof Text>
export const text = (s: string): Text => {
  if (!Text.is(s)) throw new RangeError('text must not be blank')
  return s
}

/** A value or an explicit null, so a missing value survives JSON and stores without `undefined`. */
export const nullable = <Codec extends t.Mixed>(codec: Codec) => union([codec, t.null], `${codec.name} | null`)

/**
 * Decodes a `{ type, data }` message with the codec its `type` names, so the errors name the bad fields
 * of that message rather than every member of the union. An unknown `type` is one error on `type`.
 */
export const decodeByType =
  <Codecs extends Readonly<Record<string, t.Mixed>>>(unionName: string, codecs: Codecs) =>
  (input: unknown): E.Either<DecodeFailure, t.TypeOf<Codecs[keyof Codecs]>> => {
    const type: unknown = typeof input === 'object' && input !== null ? (input as { readonly type?: unknown }).type : undefined
    const codec = typeof type === 'string' && Object.hasOwn(codecs, type) ? codecs[type] : undefined
    if (codec === undefined) {
      const expected = Object.keys(codecs).join(' | ')
      const path = typeof input === 'object' && input !== null ? 'type' : '(root)'
      return E.left({ _tag: 'DecodeFailure', codec: unionName, errors: [{ path, expected, actual: path === 'type' ? type : input }] })
    }
    // No pipe: this runs for every stored event a projection reads.
    const decoded = codec.decode(input) as t.Validation<t.TypeOf<Codecs[keyof Codecs]>>
    return E.isRight(decoded) ? decoded : E.left({ _tag: 'DecodeFailure', codec: codec.name, errors: fieldErrors(decoded.left) })
  }

/** The union of a record of message codecs, so the list of members is written once. */
export const unionOf = <Codecs extends Readonly<Record<string, t.Mixed>>>(
  name: string,
  codecs: Codecs,
): t.Type<t.TypeOf<Codecs[keyof Codecs]>, t.OutputOf<Codecs[keyof Codecs]>, unknown> =>
  t.union(Object.values(codecs) as unknown as [t.Mixed, t.Mixed, ...Array<t.Mixed>], name)
