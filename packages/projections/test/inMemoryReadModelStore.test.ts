import fc from 'fast-check'
import { test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { compareDocumentIds, inMemoryReadModelStore } from '../src/index.ts'
import { describeReadModelStoreContract } from '../src/testing/index.ts'

describeReadModelStoreContract('in memory', async () => inMemoryReadModelStore())

test.prop([fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })])(
  'document ids compare as their UTF-8 bytes do, which is how SQLite and PostgreSQL (COLLATE "C") order them',
  (left, right) => {
    expect(Math.sign(compareDocumentIds(left, right))).toBe(Math.sign(Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'))))
  },
)
