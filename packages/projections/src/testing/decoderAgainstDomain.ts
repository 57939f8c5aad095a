/**
 * A property for a projection's decoder that reads only the fields it uses (`usedFieldsDecoder`): held
 * to the domain codec's decision. For a stored event and one field the projection reads, damaged (a value
 * from `damage`) or removed: the projection's decoder accepts exactly when the domain codec does, and a
 * refusal names the field. Each projection lists the fields it reads in its own test, apart from its code.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'

/** An event as stored: its type and its data as JSON. */
export interface StoredEventData {
  readonly type: string
  readonly data: Readonly<Record<string, unknown>>
}

export interface DecoderAgainstDomain {
  /** Followed events as stored, intact. */
  readonly events: fc.Arbitrary<StoredEventData>
  /** The fields the projection reads, per followed type. */
  readonly readFields: Readonly<Record<string, ReadonlyArray<string>>>
  readonly projectionDecode: (type: string, data: unknown) => E.Either<string, unknown>
  readonly domainDecode: (type: string, data: unknown) => E.Either<unknown, unknown>
  readonly damage: fc.Arbitrary<unknown>
}

export const damagedFieldProperty = ({ events, readFields, projectionDecode, domainDecode, damage }: DecoderAgainstDomain) =>
  fc.property(
    events.chain((event) => fc.record({ event: fc.constant(event), field: fc.constantFrom(...(readFields[event.type] ?? [])) })),
    damage,
    fc.boolean(),
    ({ event: { type, data }, field }, value, removed) => {
      const damaged: Record<string, unknown> = { ...data, [field]: value }
      if (removed) delete damaged[field]
      const decoded = projectionDecode(type, damaged)
      expect(E.isRight(decoded)).toBe(E.isRight(domainDecode(type, damaged)))
      if (E.isLeft(decoded)) expect(decoded.left).toContain(`${type}: data.${field} expected `)
    },
  )
