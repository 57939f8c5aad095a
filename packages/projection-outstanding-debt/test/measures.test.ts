import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addMeasures, addMeasuresInPlace, cellFields, isWellFormedKey, subtractMeasures, type BucketKind, type Measures } from '../src/index.ts'

const partsOf: Readonly<Record<BucketKind, number>> = { cells: 7, capital: 4 }

const sparseMeasures: fc.Arbitrary<Measures> = fc
  .dictionary(fc.constantFrom(...cellFields), fc.oneof(fc.constant(0n), fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n })))
  .map((fields) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== 0n)))

describe('measures', () => {
  it('a key is well formed exactly when it splits into its kind’s number of non-empty parts', () => {
    fc.assert(
      fc.property(fc.constantFrom<BucketKind>('cells', 'capital'), fc.array(fc.constantFrom('', 'C01', 'a', '|', 'SG-1'), { maxLength: 10 }), (kind, pieces) => {
        const key = pieces.join('')
        const parts = key.split('|')
        expect(isWellFormedKey(kind, key)).toBe(parts.length === partsOf[kind] && parts.every((part) => part.length > 0))
      }),
    )
  })

  it('adding and subtracting vectors is field-wise, with zero fields left out and nothing at all when every field is zero', () => {
    fc.assert(
      fc.property(fc.option(sparseMeasures, { nil: undefined }), sparseMeasures, (left, right) => {
        const expected = Object.fromEntries(
          cellFields.map((field) => [field, (left?.[field] ?? 0n) + (right[field] ?? 0n)] as const).filter(([, value]) => value !== 0n),
        )
        const sum = addMeasures(left, right)
        expect(sum).toStrictEqual(Object.keys(expected).length === 0 ? undefined : expected)
        expect(subtractMeasures(sum, right) ?? {}).toStrictEqual(left ?? {})
      }),
    )
  })

  it('adding in place gives the sum, or changes nothing and says so when a field would become zero', () => {
    fc.assert(
      // Some of the right's fields cancel the left's, as a repayment of overdue principal cancels its transfer.
      fc.property(sparseMeasures, sparseMeasures, fc.subarray([...cellFields]), (left, random, cancelled) => {
        const right: Measures = { ...random, ...Object.fromEntries(cancelled.filter((field) => left[field] !== undefined).map((field) => [field, -(left[field] ?? 0n)])) }
        const sum = { ...left }
        const added = addMeasuresInPlace(sum, right)
        const zeroed = cellFields.some((field) => left[field] !== undefined && right[field] !== undefined && (left[field] ?? 0n) + (right[field] ?? 0n) === 0n)
        expect(added).toBe(!zeroed)
        expect(sum).toStrictEqual(added ? (addMeasures(left, right) ?? {}) : left)
      }),
    )
  })
})
