import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { positionFromSequence } from '@policy-credit/event-store'
import { compareDocumentIds } from '@policy-credit/projections'
import { openReadModelStore, temporaryDirectory } from './fixtures.ts'

const files = temporaryDirectory()
const debt = { name: 'outstanding-debt', version: 1 }

describe('the SQLite read-model store', () => {
  it('lets one of two runners on separate connections commit from a checkpoint, and refuses the other', async () => {
    const filename = files.newFile()
    const [first, second] = [await openReadModelStore(filename), await openReadModelStore(filename)]
    const from = positionFromSequence(4n)
    expect(await first.commit(debt, { changes: [], expectedCheckpoint: undefined, checkpoint: from })()).toStrictEqual(E.right(undefined))
    const outcomes = await Promise.all(
      [first, second].map((store, index) =>
        store.commit(debt, { changes: [{ _tag: 'Put', id: 'commune:C01', document: { runner: index } }], expectedCheckpoint: from, checkpoint: positionFromSequence(9n) })(),
      ),
    )
    expect(outcomes.filter(E.isRight)).toHaveLength(1)
    expect(outcomes.filter(E.isLeft).map((outcome) => outcome.left)).toStrictEqual([
      { _tag: 'CheckpointConflict', namespace: debt, expected: from, actual: positionFromSequence(9n) },
    ])
    const winner = outcomes.findIndex(E.isRight)
    expect(await second.getDocuments(debt, ['commune:C01'])()).toStrictEqual(E.right(new Map([['commune:C01', { runner: winner }]])))
    await Promise.all([first.close(), second.close()])
  })

  it('keeps documents, checkpoint, skips and the active version when the file is reopened', async () => {
    const filename = files.newFile()
    const store = await openReadModelStore(filename)
    const skip = { position: positionFromSequence(2n), reason: 'duplicate import', actor: 'operator', skippedAt: '2026-03-01T08:00:00.000Z' }
    await store.commit(debt, { changes: [{ _tag: 'Put', id: 'a', document: [1, 'hai', null] }], expectedCheckpoint: undefined, checkpoint: positionFromSequence(3n) })()
    await store.recordSkip(debt, skip)()
    await store.activateVersion(debt)()
    await store.close()
    const reopened = await openReadModelStore(filename)
    expect(await reopened.scanDocuments(debt, { _tag: 'All' })()).toStrictEqual(E.right([{ id: 'a', document: [1, 'hai', null] }]))
    expect(await reopened.readCheckpoint(debt)()).toStrictEqual(E.right(positionFromSequence(3n)))
    expect(await reopened.listSkips(debt)()).toStrictEqual(E.right([skip]))
    expect(await reopened.activeVersion(debt.name)()).toStrictEqual(E.right(1))
    await reopened.close()
  })

  it('reports every operation of a closed store as unavailable', async () => {
    const store = await openReadModelStore(files.newFile())
    await store.close()
    const outcome = await store.readCheckpoint(debt)()
    expect(E.isLeft(outcome) && outcome.left._tag).toBe('ReadModelStoreUnavailable')
  })
})
