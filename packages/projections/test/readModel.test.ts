import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { positionFromSequence } from '@policy-credit/event-store'
import { inMemoryReadModelStore, projectionNamespace, readModel, type ReadModelStore } from '../src/index.ts'
import { accountTotals } from './accountTotals.ts'

const version1 = accountTotals(1)
const version2 = accountTotals(2)

const put = async (store: ReadModelStore, version: number, documents: ReadonlyArray<readonly [string, bigint]>) => {
  const committed = await store.commit(projectionNamespace(accountTotals(version)), {
    changes: documents.map(([id, balance]) => ({ _tag: 'Put', id, document: { movements: 1, balance: balance.toString() } })),
    expectedCheckpoint: undefined,
    checkpoint: positionFromSequence(1n),
  })()
  expect(E.isRight(committed)).toBe(true)
}

describe('read-model queries', () => {
  it('read the active version only, and say so when none has been built', async () => {
    const store = inMemoryReadModelStore()
    const queries = readModel(store, version1.name, [version1, version2])
    expect(await queries.get('account:A')()).toStrictEqual(E.left({ _tag: 'ReadModelNotBuilt', name: 'account-totals' }))
    await put(store, 1, [['account:A', 100n]])
    await put(store, 2, [['account:A', 200n]])
    await store.activateVersion(projectionNamespace(version1))()
    expect(await queries.get('account:A')()).toStrictEqual(E.right({ movements: 1, balance: 100n }))
    await store.activateVersion(projectionNamespace(version2))()
    expect(await queries.get('account:A')()).toStrictEqual(E.right({ movements: 1, balance: 200n }))
    expect(await queries.get('account:Z')()).toStrictEqual(E.right(undefined))
    await store.activateVersion({ name: version1.name, version: 7 })()
    expect(await queries.getMany(['account:A'])()).toStrictEqual(E.left({ _tag: 'ActiveVersionUnknown', name: 'account-totals', version: 7 }))
  })

  it('answer "as of a past date" with one backwards range scan over dated ids', async () => {
    const store = inMemoryReadModelStore()
    await put(store, 1, [
      ['balance:A:2021-12-31', 10n],
      ['balance:A:2022-03-31', 30n],
      ['balance:A:2022-09-30', 90n],
      ['balance:B:2022-01-31', 5n],
    ])
    await store.activateVersion(projectionNamespace(version1))()
    const queries = readModel(store, version1.name, [version1])
    const asOf = (account: string, day: string) => queries.scan({ _tag: 'Between', from: `balance:${account}:`, to: `balance:${account}:${day}` }, { direction: 'backwards', limit: 1 })()
    expect(await asOf('A', '2022-06-30')).toStrictEqual(E.right([{ id: 'balance:A:2022-03-31', document: { movements: 1, balance: 30n } }]))
    expect(await asOf('A', '2022-09-30')).toStrictEqual(E.right([{ id: 'balance:A:2022-09-30', document: { movements: 1, balance: 90n } }]))
    expect(await asOf('B', '2021-12-31')).toStrictEqual(E.right([]))
    const prefix = await queries.scan({ _tag: 'Prefix', prefix: 'balance:A:2022' })()
    expect(E.isRight(prefix) && prefix.right.map(({ id }) => id)).toStrictEqual(['balance:A:2022-03-31', 'balance:A:2022-09-30'])
  })

  it('report a stored document the codec cannot read', async () => {
    const store = inMemoryReadModelStore()
    await store.commit(projectionNamespace(version1), { changes: [{ _tag: 'Put', id: 'account:A', document: { balance: 'x' } }], expectedCheckpoint: undefined, checkpoint: positionFromSequence(1n) })()
    await store.activateVersion(projectionNamespace(version1))()
    const scanned = await readModel(store, version1.name, [version1]).scan({ _tag: 'All' })()
    expect(E.isLeft(scanned) && scanned.left).toMatchObject({ _tag: 'InvalidStoredDocument', id: 'account:A' })
  })
})
