import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { noEntries, withDelta, type BucketEntries } from '../src/bucketEntries.ts'
import { addMeasures, type Measures } from '../src/measures.ts'

const key = fc.string({ minLength: 1, maxLength: 12 })
const delta = fc.record({ outstanding: fc.bigInt({ min: -5n, max: 5n }), overdue: fc.bigInt({ min: -5n, max: 5n }) }, { requiredKeys: [] })

describe('bucket entries', () => {
  it('adding deltas one at a time gives the entries of a plain map summed the same way, and copies instead of changing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, delta), { maxLength: 60 }), (changes) => {
        const plain = new Map<string, Measures>()
        let entries: BucketEntries = noEntries
        for (const [at, change] of changes) {
          const sum = addMeasures(plain.get(at), change)
          if (sum === undefined) plain.delete(at)
          else plain.set(at, sum)
          const before = [...entries]
          const next = withDelta(entries, at, change)
          // The entries passed in are left as they were: apply stays pure.
          expect([...entries]).toStrictEqual(before)
          entries = next
        }
        expect(new Map(entries)).toStrictEqual(plain)
        for (const [at, measures] of plain) expect(entries.get(at)).toStrictEqual(measures)
        // A decoded bucket changed once keeps every entry it held.
        const [first] = changes
        if (first !== undefined) {
          const changedOnce = withDelta(new Map(plain), first[0], first[1])
          const expected = new Map(plain)
          const sum = addMeasures(expected.get(first[0]), first[1])
          if (sum === undefined) expected.delete(first[0])
          else expected.set(first[0], sum)
          expect(new Map(changedOnce)).toStrictEqual(expected)
        }
      }),
    )
  })
})
