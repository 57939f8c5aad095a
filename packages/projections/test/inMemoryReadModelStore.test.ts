import fc from 'fast-check'
import { test } from '@fast-check/vitest'
import { expect } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { positionFromSequence, type Position } from '@policy-credit/event-store'
import { compareDocumentIds, inMemoryReadModelStore, type IdRange } from '../src/index.ts'
import { describeReadModelStoreContract } from '../src/testing/index.ts'

describeReadModelStoreContract('in memory', async () => inMemoryReadModelStore())

test.prop([fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })])(
  'document ids compare as their UTF-8 bytes do, which is how SQLite and PostgreSQL (COLLATE "C") order them',
  (left, right) => {
    expect(Math.sign(compareDocumentIds(left, right))).toBe(Math.sign(Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'))))
  },
)

// The store keeps its ids sorted between commits; a commit that adds or removes ids must be seen by the next scan.
const id = fc.array(fc.constantFrom('a', 'b', ':', '0', 'ệ', '\uFFFD', '\u{1F600}'), { minLength: 1, maxLength: 4 }).map((characters) => characters.join(''))
const range: fc.Arbitrary<IdRange> = fc.oneof(
  fc.constant<IdRange>({ _tag: 'All' }),
  // Cut by code points: a lone surrogate is refused (the contract tests that), not scanned.
  id.map((prefix): IdRange => ({ _tag: 'Prefix', prefix: [...prefix].slice(0, 2).join('') })),
  fc.record({ from: fc.option(id, { nil: undefined }), to: fc.option(id, { nil: undefined }) }).map(
    ({ from, to }): IdRange => ({ _tag: 'Between', ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }),
  ),
)
const naiveScan = (ids: Iterable<string>, scanned: IdRange): ReadonlyArray<string> =>
  [...ids]
    .filter((candidate) =>
      scanned._tag === 'All'
        ? true
        : scanned._tag === 'Prefix'
          ? candidate.startsWith(scanned.prefix)
          : (scanned.from === undefined || compareDocumentIds(scanned.from, candidate) <= 0) && (scanned.to === undefined || compareDocumentIds(candidate, scanned.to) <= 0),
    )
    .sort(compareDocumentIds)

test.prop([fc.array(fc.record({ puts: fc.array(id, { maxLength: 6 }), deletes: fc.array(id, { maxLength: 4 }), scans: fc.array(range, { maxLength: 3 }) }), { minLength: 1, maxLength: 8 })])(
  'scans after every commit see exactly the ids then stored, in id order, whether the commit added, removed or only rewrote ids',
  async (commits) => {
    const store = inMemoryReadModelStore()
    const namespace = { name: 'scan-index', version: 1 }
    const stored = new Set<string>()
    let checkpoint: Position | undefined
    for (const [index, { puts, deletes, scans }] of commits.entries()) {
      const next = positionFromSequence(BigInt(index + 1))
      const changes = [...puts.map((put) => ({ _tag: 'Put' as const, id: put, document: put })), ...deletes.map((gone) => ({ _tag: 'Delete' as const, id: gone }))]
      expect(E.isRight(await store.commit(namespace, { changes, expectedCheckpoint: checkpoint, checkpoint: next })())).toBe(true)
      checkpoint = next
      for (const put of puts) stored.add(put)
      for (const gone of deletes) stored.delete(gone)
      for (const scanned of [{ _tag: 'All' } as const, ...scans]) {
        const answer = await store.scanDocuments(namespace, scanned)()
        expect(E.isRight(answer) ? answer.right.map((document) => document.id) : answer).toStrictEqual(naiveScan(stored, scanned))
      }
    }
  },
)
