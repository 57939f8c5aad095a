import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { CommuneId, day, HouseholdId, idOf, type DomainEvent } from '@policy-credit/core'
import { inMemoryReadModelStore, projectionNamespace } from '@policy-credit/projections'
import { povertyAsOf, povertyRateProjection, povertyRateReadModel } from '../src/index.ts'
import { appendEvents, buildReadModel, newEventStore } from './fixtures.ts'

const communeId = idOf(CommuneId, 'XA-NGHIA-AN')
const householdId = idOf(HouseholdId, 'HH-1')
const registered: DomainEvent = { type: 'HouseholdRegistered', data: { householdId, communeId, areaType: 'RURAL', members: 2 as never, registeredOn: day('2016-02-01') } }

describe('stored documents', () => {
  it('a household document damaged in the store is reported by the query that reads it, naming the document', async () => {
    const eventStore = newEventStore()
    await appendEvents(eventStore, [registered])
    const store = inMemoryReadModelStore()
    await buildReadModel(eventStore, store)
    const namespace = projectionNamespace(povertyRateProjection)
    const stored = await store.getDocuments(namespace, ['household:HH-1'])()
    const document = E.isRight(stored) ? (stored.right.get('household:HH-1') as { readonly timeline: ReadonlyArray<ReadonlyArray<unknown>> }) : undefined
    expect(document?.timeline).toStrictEqual([['2016-02-01', 'XA-NGHIA-AN', null, null, 0, 0]])
    const checkpoint = await store.readCheckpoint(namespace)()
    const damaged = { ...document, timeline: [['2016-02-30x', 'XA-NGHIA-AN', null, null, 0, 0]] }
    await store.commit(namespace, { changes: [{ _tag: 'Put', id: 'household:HH-1', document: damaged }], expectedCheckpoint: E.isRight(checkpoint) ? checkpoint.right : undefined, checkpoint: '~' as never })()
    const answer = await povertyAsOf(povertyRateReadModel(store), { unit: { kind: 'COMMUNE', communeId }, on: day('2017-01-01') })()
    expect(E.isLeft(answer) && answer.left._tag === 'InvalidStoredDocument' && answer.left.id === 'household:HH-1').toBe(true)
  })
  it('every other kind of document is checked field by field, with the field named', () => {
    const decoded = povertyRateProjection.documentCodec.decode({ kind: 'townCommunes', communeIds: ['XA NGHIA AN'] })
    expect(E.isLeft(decoded) && decoded.left.includes('communeIds')).toBe(true)
  })
})
