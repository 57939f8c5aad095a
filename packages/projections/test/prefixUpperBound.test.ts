import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { compareDocumentIds, prefixUpperBound } from '../src/index.ts'

/** Code points at the edges that matter: ASCII, both sides of the surrogate gap, and the last two code points. */
const codePoint = fc.oneof(fc.integer({ min: 0x20, max: 0x7f }), fc.integer({ min: 0xd700, max: 0xe001 }), fc.integer({ min: 0x10fffe, max: 0x10ffff }))
const text = fc.array(codePoint, { maxLength: 4 }).map((codePoints) => String.fromCodePoint(...codePoints.filter((point) => point < 0xd800 || point > 0xdfff)))

test.prop([text, text])('an id starts with the prefix exactly when it lies in [prefix, upper bound) (the stores scan a prefix so)', (prefix, id) => {
  const upper = prefixUpperBound(prefix)
  const inRange = compareDocumentIds(prefix, id) <= 0 && (upper === undefined || compareDocumentIds(id, upper) < 0)
  expect(inRange).toBe(id.startsWith(prefix))
})
