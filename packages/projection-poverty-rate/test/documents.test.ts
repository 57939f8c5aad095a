import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { CommuneId, day, Household, HouseholdId, idOf, PovertyStandardId, ReviewClass, type DomainEvent } from '@policy-credit/core'
import { catchUpProjection, inMemoryReadModelStore, projectionNamespace } from '@policy-credit/projections'
import { povertyAsOf, povertyRateProjection, povertyRateReadModel } from '../src/index.ts'
import { ESCAPED, LISTS, REVIEW_CLASSES, STANDARDS } from '../src/storedHousehold.ts'
import { appendEvents, buildReadModel, catchUpFor, newEventStore, readEverything } from './fixtures.ts'

const communeId = idOf(CommuneId, 'XA-NGHIA-AN')
const householdId = idOf(HouseholdId, 'HH-1')
const registered: DomainEvent = { type: 'HouseholdRegistered', data: { householdId, communeId, areaType: 'RURAL', members: 2 as never, registeredOn: day('2016-02-01') } }

describe('stored documents', () => {
  it('the tallies damaged in the store are reported by the query that reads them, naming the document', async () => {
    const eventStore = newEventStore()
    await appendEvents(eventStore, [registered])
    const store = inMemoryReadModelStore()
    await buildReadModel(eventStore, store)
    const namespace = projectionNamespace(povertyRateProjection)
    const stored = await store.getDocuments(namespace, ['commune-tallies:all'])()
    const document = E.isRight(stored) ? stored.right.get('commune-tallies:all') : undefined
    // One household registered on 2016-02-01: +1 to counter 0 ('households') that day.
    expect(document).toStrictEqual({ kind: 'communeTallies', counters: ['households'], communes: [['XA-NGHIA-AN', [20160201, 1, 0, 1]]] })
    const checkpoint = await store.readCheckpoint(namespace)()
    const damaged = { kind: 'communeTallies', counters: ['households'], communes: [['XA-NGHIA-AN', [20160201, 1, 3, 1]]] }
    await store.commit(namespace, { changes: [{ _tag: 'Put', id: 'commune-tallies:all', document: damaged }], expectedCheckpoint: E.isRight(checkpoint) ? checkpoint.right : undefined, checkpoint: '~' as never })()
    const answer = await povertyAsOf(povertyRateReadModel(store), { unit: { kind: 'COMMUNE', communeId }, on: day('2017-01-01') })()
    expect(E.isLeft(answer) && answer.left._tag === 'InvalidStoredDocument' && answer.left.id === 'commune-tallies:all').toBe(true)
  })
  it('a household document damaged in the store is reported by the runner when the next event of the household needs it', async () => {
    const eventStore = newEventStore()
    const other: DomainEvent = { type: 'HouseholdRegistered', data: { ...registered.data, householdId: idOf(HouseholdId, 'HH-2') } } as DomainEvent
    await appendEvents(eventStore, [registered, other, { type: 'HouseholdDissolved', data: { householdId, communeId, dissolvedOn: day('2018-03-01') } }])
    const positions = (await readEverything(eventStore)).map((event) => event.position)
    const store = inMemoryReadModelStore()
    await catchUpFor(eventStore, store, 1, 1)
    const namespace = projectionNamespace(povertyRateProjection)
    const stored = await store.getDocuments(namespace, ['household:HH-1'])()
    const document = E.isRight(stored) ? stored.right.get('household:HH-1') : undefined
    // Its facts only, as flat lists; the timeline is derived again when it is read.
    expect(document).toStrictEqual({ kind: 'household', registeredOn: '2016-02-01', dissolvedOn: null, places: ['2016-02-01', 'XA-NGHIA-AN'], recognitions: [], exits: [] })
    // Damaged in place of the second event's commit, so the runner resumes at the dissolution.
    const damaged = { ...(document as object), places: ['2016-02-30x', 'XA-NGHIA-AN'] }
    await store.commit(namespace, { changes: [{ _tag: 'Put', id: 'household:HH-1', document: damaged }], expectedCheckpoint: positions[0], checkpoint: positions[1] as never })()
    const caughtUp = await catchUpProjection({ eventStore, readModelStore: store, projection: povertyRateProjection })()
    expect(E.isLeft(caughtUp) && caughtUp.left._tag === 'InvalidStoredDocument' && caughtUp.left.id === 'household:HH-1').toBe(true)
  })
  it('a stored household document of any other shape is refused, not read', () => {
    // Recognised poor (class 0) under QD-59-2015 (standard 1) from 2017; exited the poor list (0), escaped poverty (0), in 2018 until 2021.
    const stored = { kind: 'household', registeredOn: '2016-02-01', dissolvedOn: null, places: ['2016-02-01', 'XA-NGHIA-AN'], recognitions: ['2017-01-01', 1, 0], exits: [1, 0, 0, '2018-01-01', '2021-01-01'] }
    const decoded = povertyRateProjection.documentCodec.decode(stored)
    expect(E.isRight(decoded) && decoded.right.kind === 'household' ? [decoded.right.recognitions, decoded.right.exits] : decoded).toStrictEqual([
      [{ effectiveFrom: '2017-01-01', standardId: 'QD-59-2015', householdClass: 'POOR' }],
      [{ standardId: 'QD-59-2015', exitedFrom: 'POOR', escapedClass: 'ESCAPED_POVERTY', exitedOn: '2018-01-01', escapedStatusEndsOn: '2021-01-01' }],
    ])
    const damaged: ReadonlyArray<unknown> = [
      { kind: 'household' },
      { ...stored, places: null },
      { ...stored, places: [['2016-02-01', 'XA-NGHIA-AN']] },
      { ...stored, recognitions: ['2017-01-01', 1] },
      { ...stored, recognitions: ['2017-01-01', 1, 4] },
      { ...stored, recognitions: ['2017-01-01', 'QD-59-2015', 'POOR'] },
      { ...stored, recognitions: ['2017-01-01', 3, 0] },
      { ...stored, recognitions: ['2017-01-01', 1.5, 0] },
      { ...stored, exits: [1, 0, 0, '2018-01-01', 2021] },
      { ...stored, exits: [1, 2, 0, '2018-01-01', '2021-01-01'] },
      { ...stored, dissolvedOn: '' },
      // Nothing is kept of a household before its registration.
      { ...stored, registeredOn: null },
      { ...stored, registeredOn: null, places: [], recognitions: [], dissolvedOn: '2018-03-01' },
    ]
    for (const document of damaged) expect(E.isLeft(povertyRateProjection.documentCodec.decode(document))).toBe(true)
  })
  it('the stored indices of standards, classes and lists cover every value of the core’s codecs', () => {
    expect([...STANDARDS].sort()).toStrictEqual(Object.keys(PovertyStandardId.keys).sort())
    expect([...REVIEW_CLASSES].sort()).toStrictEqual(Object.keys(ReviewClass.keys).sort())
    expect([...LISTS].sort()).toStrictEqual(Object.keys(Household.ExitedList.keys).sort())
    expect([...ESCAPED].sort()).toStrictEqual(Object.keys(Household.EscapedClass.keys).sort())
  })

  it('every other kind of document is checked field by field, with the field named', () => {
    const decoded = povertyRateProjection.documentCodec.decode({ kind: 'townCommunes', communeIds: ['XA NGHIA AN'] })
    expect(E.isLeft(decoded) && decoded.left.includes('communeIds')).toBe(true)
  })
})
