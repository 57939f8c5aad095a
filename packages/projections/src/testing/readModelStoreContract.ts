/**
 * The conformance suite every read-model store passes, with no per-store options: the SQLite and
 * PostgreSQL stores call it exactly as the in-memory store does. Each test makes a fresh store.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { positionFromSequence, type Position } from '@policy-credit/event-store'
import {
  compareDocumentIds,
  idInRange,
  type DocumentChange,
  type IdRange,
  type ReadModelNamespace,
  type ReadModelStore,
  type ReadModelStoreError,
  type ScanOptions,
  type SkippedEvent,
} from '../readModelStore.ts'

export type MakeReadModelStore = () => Promise<ReadModelStore>

const debt: ReadModelNamespace = { name: 'outstanding-debt', version: 1 }
const debtVersion2: ReadModelNamespace = { name: 'outstanding-debt', version: 2 }
const povertyRate: ReadModelNamespace = { name: 'poverty-rate', version: 1 }
const at = (sequence: number): Position => positionFromSequence(BigInt(sequence))
const put = (id: string, document: unknown): DocumentChange => ({ _tag: 'Put', id, document })
const remove = (id: string): DocumentChange => ({ _tag: 'Delete', id })

const expectRight = async <Value>(task: () => Promise<E.Either<ReadModelStoreError, Value>>): Promise<Value> => {
  const result = await task()
  if (E.isLeft(result)) expect.fail(`expected success, got ${JSON.stringify(result.left, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`)
  return result.right
}

const withStore = (makeStore: MakeReadModelStore, body: (store: ReadModelStore) => Promise<void>) => async () => {
  const store = await makeStore()
  try {
    await body(store)
  } finally {
    await store.close()
  }
}

const skip = (position: Position, reason: string): SkippedEvent => ({
  position,
  event: { streamId: 'loan-LN-1', version: 3n, type: 'PrincipalRepaid' },
  reason,
  actor: 'operator@vbsp.example',
  skippedAt: '2026-03-01T08:00:00.000Z',
})

/**
 * Ids mixing ASCII, Vietnamese letters, the last BMP characters and astral ones, where UTF-16 order and
 * code-point order differ, and characters JSON escapes (a store may send ids inside JSON).
 */
const documentId = fc
  .array(fc.constantFrom('a', 'b', ':', '-', '0', '9', 'ệ', 'Đ', '\uFFFD', '\uFF5E', '\u{1F600}', '\u{10437}', '"', '\\', '\n', '\u0001', '\u2028'), { minLength: 1, maxLength: 5 })
  .map((characters) => characters.join(''))

const idRange: fc.Arbitrary<IdRange> = fc.oneof(
  fc.constant<IdRange>({ _tag: 'All' }),
  // Cut by code points: `slice` would split a surrogate pair into a string no UTF-8 store can hold.
  documentId.map((prefix): IdRange => ({ _tag: 'Prefix', prefix: [...prefix].slice(0, 2).join('') })),
  fc.record({ from: fc.option(documentId, { nil: undefined }), to: fc.option(documentId, { nil: undefined }) }).map(
    ({ from, to }): IdRange => ({ _tag: 'Between', ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }),
  ),
)

const expectedScan = (ids: ReadonlyArray<string>, range: IdRange, options: ScanOptions): ReadonlyArray<string> => {
  const inRange = ids.filter((id) => idInRange(range, id))
  const ordered = [...inRange].sort(compareDocumentIds)
  if (options.direction === 'backwards') ordered.reverse()
  return options.limit === undefined ? ordered : ordered.slice(0, options.limit)
}

export const describeReadModelStoreContract = (storeName: string, makeStore: MakeReadModelStore): void => {
  describe(`ReadModelStore contract: ${storeName}`, () => {
    it(
      'a namespace nothing was committed to has no documents, no checkpoint, no skips and no active version',
      withStore(makeStore, async (store) => {
        expect((await expectRight(store.getDocuments(debt, ['commune:C01']))).size).toBe(0)
        expect(await expectRight(store.scanDocuments(debt, { _tag: 'All' }))).toStrictEqual([])
        expect(await expectRight(store.readCheckpoint(debt))).toBeUndefined()
        expect(await expectRight(store.listSkips(debt))).toStrictEqual([])
        expect(await expectRight(store.activeVersion(debt.name))).toBeUndefined()
      }),
    )

    it(
      'commits documents and the checkpoint together, and gives the JSON back as written',
      withStore(makeStore, async (store) => {
        const document = { outstanding: '123456789012345678901234567890', loans: 3, names: ['Lò Văn A', 'Đinh Thị B'], closed: null, active: true }
        await expectRight(store.commit(debt, { changes: [put('commune:C01', document), put('commune:C02', { outstanding: '0' })], expectedCheckpoint: undefined, checkpoint: at(7) }))
        const found = await expectRight(store.getDocuments(debt, ['commune:C01', 'commune:C02', 'commune:C03']))
        expect(found).toStrictEqual(new Map<string, unknown>([['commune:C01', document], ['commune:C02', { outstanding: '0' }]]))
        expect(await expectRight(store.readCheckpoint(debt))).toBe(at(7))
      }),
    )

    it(
      'applies the changes of a commit in order: a delete removes, a later change to the same id wins',
      withStore(makeStore, async (store) => {
        await expectRight(store.commit(debt, { changes: [put('a', 1), put('b', 2), put('c', 3)], expectedCheckpoint: undefined, checkpoint: at(1) }))
        await expectRight(store.commit(debt, { changes: [remove('a'), put('b', 20), put('b', 21), put('c', 30), remove('c'), put('d', 4)], expectedCheckpoint: at(1), checkpoint: at(2) }))
        expect(await expectRight(store.scanDocuments(debt, { _tag: 'All' }))).toStrictEqual([
          { id: 'b', document: 21 },
          { id: 'd', document: 4 },
        ])
      }),
    )

    it(
      'deleting an id that holds no document is not an error',
      withStore(makeStore, async (store) => {
        await expectRight(store.commit(debt, { changes: [remove('never-written'), put('a', 1)], expectedCheckpoint: undefined, checkpoint: at(1) }))
        expect(await expectRight(store.scanDocuments(debt, { _tag: 'All' }))).toStrictEqual([{ id: 'a', document: 1 }])
      }),
    )

    it(
      'refuses a commit whose expected checkpoint is not the stored one, and writes nothing of it',
      withStore(makeStore, async (store) => {
        await expectRight(store.commit(debt, { changes: [put('a', 1)], expectedCheckpoint: undefined, checkpoint: at(5) }))
        for (const expectedCheckpoint of [undefined, at(4), at(6)]) {
          const refused = await store.commit(debt, { changes: [put('a', 2), put('z', 9)], expectedCheckpoint, checkpoint: at(9) })()
          expect(refused).toStrictEqual(E.left({ _tag: 'CheckpointConflict', namespace: debt, expected: expectedCheckpoint, actual: at(5) }))
        }
        expect(await expectRight(store.scanDocuments(debt, { _tag: 'All' }))).toStrictEqual([{ id: 'a', document: 1 }])
        expect(await expectRight(store.readCheckpoint(debt))).toBe(at(5))
      }),
    )

    it(
      'refuses a checkpoint that does not move forward, and writes nothing of the commit',
      withStore(makeStore, async (store) => {
        await expectRight(store.commit(debt, { changes: [put('a', 1)], expectedCheckpoint: undefined, checkpoint: at(5) }))
        for (const checkpoint of [at(5), at(4)]) {
          const refused = await store.commit(debt, { changes: [put('a', 2)], expectedCheckpoint: at(5), checkpoint })()
          expect(E.isLeft(refused) && refused.left._tag).toBe('InvalidReadModelRequest')
        }
        expect(await expectRight(store.getDocuments(debt, ['a']))).toStrictEqual(new Map([['a', 1]]))
        expect(await expectRight(store.readCheckpoint(debt))).toBe(at(5))
      }),
    )

    it(
      'refuses a document that is not plain JSON (an unencoded bigint), and writes nothing of the commit',
      withStore(makeStore, async (store) => {
        const refused = await store.commit(debt, { changes: [put('a', { outstanding: '1' }), put('b', { outstanding: 1n })], expectedCheckpoint: undefined, checkpoint: at(1) })()
        expect(E.isLeft(refused) && refused.left._tag).toBe('InvalidReadModelRequest')
        expect(await expectRight(store.scanDocuments(debt, { _tag: 'All' }))).toStrictEqual([])
        expect(await expectRight(store.readCheckpoint(debt))).toBeUndefined()
      }),
    )

    it(
      'keeps each projection version apart: documents, checkpoints and skips',
      withStore(makeStore, async (store) => {
        await expectRight(store.commit(debt, { changes: [put('a', 'debt v1')], expectedCheckpoint: undefined, checkpoint: at(3) }))
        await expectRight(store.commit(debtVersion2, { changes: [put('a', 'debt v2')], expectedCheckpoint: undefined, checkpoint: at(1) }))
        await expectRight(store.commit(povertyRate, { changes: [put('b', 'rate')], expectedCheckpoint: undefined, checkpoint: at(2) }))
        await expectRight(store.recordSkip(debt, skip(at(2), 'a corrupt import')))
        expect(await expectRight(store.getDocuments(debt, ['a', 'b']))).toStrictEqual(new Map([['a', 'debt v1']]))
        expect(await expectRight(store.getDocuments(debtVersion2, ['a', 'b']))).toStrictEqual(new Map([['a', 'debt v2']]))
        expect(await expectRight(store.scanDocuments(povertyRate, { _tag: 'All' }))).toStrictEqual([{ id: 'b', document: 'rate' }])
        expect([await expectRight(store.readCheckpoint(debt)), await expectRight(store.readCheckpoint(debtVersion2)), await expectRight(store.readCheckpoint(povertyRate))]).toStrictEqual([at(3), at(1), at(2)])
        expect(await expectRight(store.listSkips(debtVersion2))).toStrictEqual([])
      }),
    )

    it('scans ids in code-point order (UTF-8 byte order), by prefix or inclusive range, forwards or backwards, up to a limit', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(documentId, { maxLength: 25 }),
          idRange,
          fc.record({ direction: fc.constantFrom<'forwards' | 'backwards'>('forwards', 'backwards'), limit: fc.option(fc.nat({ max: 30 }), { nil: undefined }) }),
          async (ids, range, { direction, limit }) => {
            const options: ScanOptions = { direction, ...(limit === undefined ? {} : { limit }) }
            const store = await makeStore()
            try {
              if (ids.length > 0) await expectRight(store.commit(debt, { changes: ids.map((id) => put(id, { id })), expectedCheckpoint: undefined, checkpoint: at(1) }))
              const scanned = await expectRight(store.scanDocuments(debt, range, options))
              expect(scanned.map(({ id }) => id)).toStrictEqual(expectedScan(ids, range, options))
              expect(scanned.every(({ id, document }) => JSON.stringify(document) === JSON.stringify({ id }))).toBe(true)
            } finally {
              await store.close()
            }
          },
        ),
        { numRuns: 40 },
      )
    })

    it(
      'refuses a scan limit that is not a non-negative integer',
      withStore(makeStore, async (store) => {
        for (const limit of [-1, 1.5, Number.NaN]) {
          const refused = await store.scanDocuments(debt, { _tag: 'All' }, { limit })()
          expect(E.isLeft(refused) && refused.left._tag).toBe('InvalidReadModelRequest')
        }
      }),
    )

    it(
      'refuses an id, prefix or bound holding a lone surrogate (not text in UTF-8) or a NUL, and writes nothing of the commit',
      withStore(makeStore, async (store) => {
        const lone = 'commune:\uD83D'
        const refused = await store.commit(debt, { changes: [put('a', 1), put(lone, 2)], expectedCheckpoint: undefined, checkpoint: at(1) })()
        expect(E.isLeft(refused) && refused.left._tag).toBe('InvalidReadModelRequest')
        const withNul = await store.commit(debt, { changes: [put('a', 1), put('commune:\u0000', 2)], expectedCheckpoint: undefined, checkpoint: at(1) })()
        expect(E.isLeft(withNul) && withNul.left._tag).toBe('InvalidReadModelRequest')
        expect(await expectRight(store.scanDocuments(debt, { _tag: 'All' }))).toStrictEqual([])
        expect(await expectRight(store.readCheckpoint(debt))).toBeUndefined()
        const asked = [
          store.getDocuments(debt, ['a', lone]),
          store.scanDocuments(debt, { _tag: 'Prefix', prefix: lone }),
          store.scanDocuments(debt, { _tag: 'Between', from: 'a', to: lone }),
        ]
        for (const answer of asked) {
          const result = await answer()
          expect(E.isLeft(result) && result.left._tag).toBe('InvalidReadModelRequest')
        }
        // A surrogate pair is one code point, and fine.
        await expectRight(store.commit(debt, { changes: [put('commune:\u{1F600}', 3)], expectedCheckpoint: undefined, checkpoint: at(2) }))
        expect(await expectRight(store.getDocuments(debt, ['commune:\u{1F600}']))).toStrictEqual(new Map([['commune:\u{1F600}', 3]]))
      }),
    )

    it(
      'records skips, lists them in position order, and refuses a second skip of the same event',
      withStore(makeStore, async (store) => {
        const later = skip(at(12), 'duplicate import of the 2015 inspection')
        const earlier = skip(at(3), 'commune code that never existed')
        await expectRight(store.recordSkip(debt, later))
        await expectRight(store.recordSkip(debt, earlier))
        expect(await store.recordSkip(debt, { ...earlier, reason: 'again' })()).toStrictEqual(E.left({ _tag: 'SkipAlreadyRecorded', namespace: debt, position: at(3) }))
        expect(await expectRight(store.listSkips(debt))).toStrictEqual([earlier, later])
        const { event: _omitted, ...withoutEvent } = skip(at(20), 'skipped before the runner reached it')
        await expectRight(store.recordSkip(debt, withoutEvent))
        expect((await expectRight(store.listSkips(debt)))[2]).toStrictEqual(withoutEvent)
      }),
    )

    it(
      'switches the active version, and refuses to drop it',
      withStore(makeStore, async (store) => {
        await expectRight(store.activateVersion(debt))
        expect(await expectRight(store.activeVersion(debt.name))).toBe(1)
        expect(await expectRight(store.activeVersion(povertyRate.name))).toBeUndefined()
        await expectRight(store.activateVersion(debtVersion2))
        expect(await expectRight(store.activeVersion(debt.name))).toBe(2)
        expect(await store.dropVersion(debtVersion2)()).toStrictEqual(E.left({ _tag: 'ActiveVersionCannotBeDropped', namespace: debtVersion2 }))
      }),
    )

    it(
      'drops a retired version: its documents, checkpoint and skips, and nothing of the others',
      withStore(makeStore, async (store) => {
        await expectRight(store.commit(debt, { changes: [put('a', 1)], expectedCheckpoint: undefined, checkpoint: at(4) }))
        await expectRight(store.recordSkip(debt, skip(at(2), 'bad')))
        await expectRight(store.commit(debtVersion2, { changes: [put('a', 2)], expectedCheckpoint: undefined, checkpoint: at(4) }))
        await expectRight(store.activateVersion(debtVersion2))
        await expectRight(store.dropVersion(debt))
        expect(await expectRight(store.scanDocuments(debt, { _tag: 'All' }))).toStrictEqual([])
        expect(await expectRight(store.readCheckpoint(debt))).toBeUndefined()
        expect(await expectRight(store.listSkips(debt))).toStrictEqual([])
        expect(await expectRight(store.getDocuments(debtVersion2, ['a']))).toStrictEqual(new Map([['a', 2]]))
        expect(await expectRight(store.readCheckpoint(debtVersion2))).toBe(at(4))
      }),
    )
  })
}
