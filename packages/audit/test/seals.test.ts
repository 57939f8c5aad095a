import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { loanLifecycle } from '@policy-credit/core/testing'
import { createInMemoryStorage, inMemoryEventStore, type InMemoryStorage, type RecordedEvent } from '@policy-credit/event-store'
import { AUDIT_SEALS_STREAM, chainOf, history, eventDigest, GENESIS_CHAIN_HASH, problemOrdinal, sealLog, verifyLog, type VerifyProblem } from '../src/index.ts'
import { expectLeft, expectRight, recordLifecycle, validatingStore } from './scenario.ts'

const SEALED_ON = '2026-06-30'

const namedOrdinal = (problem: VerifyProblem | null): number | undefined => (problem === null ? undefined : problemOrdinal(problem))

type JsonLeafPath = ReadonlyArray<string | number>

const leafPaths = (value: unknown, path: JsonLeafPath = []): ReadonlyArray<JsonLeafPath> => {
  if (Array.isArray(value)) return value.flatMap((item: unknown, index) => leafPaths(item, [...path, index]))
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, field]) => leafPaths(field, [...path, key]))
  return [path]
}

const alteredLeaf = (leaf: unknown): unknown =>
  typeof leaf === 'string' ? `${leaf}!` : typeof leaf === 'number' ? leaf + 1 : typeof leaf === 'boolean' ? !leaf : leaf === null ? 'something' : null

const withLeafAltered = (value: unknown, path: JsonLeafPath): unknown => {
  const [head, ...rest] = path
  if (head === undefined) return alteredLeaf(value)
  if (Array.isArray(value)) return value.map((item: unknown, index) => (index === head ? withLeafAltered(item, rest) : item))
  const object = value as Record<string, unknown>
  return { ...object, [head]: withLeafAltered(object[head], rest) }
}

/** One change to one field of a stored event, as someone editing the storage would make it. */
const FIELDS = ['eventId', 'streamId', 'version', 'type', 'data', 'occurredOn', 'recordedAt', 'schemaVersion', 'actor', 'correlationId', 'causationId'] as const
type Field = (typeof FIELDS)[number]

const alter = (event: RecordedEvent, field: Field, pick: number): RecordedEvent => {
  const { metadata } = event
  switch (field) {
    case 'eventId':
      return { ...event, eventId: `${event.eventId.slice(0, -1)}${event.eventId.endsWith('0') ? '1' : '0'}` }
    case 'streamId':
      return { ...event, streamId: `${event.streamId}x` }
    case 'version':
      return { ...event, version: event.version + 1n }
    case 'type':
      return { ...event, type: `${event.type}Altered` }
    case 'data': {
      const paths = leafPaths(event.data)
      const path = paths[pick % paths.length] ?? []
      return { ...event, data: withLeafAltered(event.data, path) }
    }
    case 'occurredOn':
      return { ...event, metadata: { ...metadata, occurredOn: metadata.occurredOn === '2001-01-01' ? '2001-01-02' : '2001-01-01' } }
    case 'recordedAt':
      return { ...event, metadata: { ...metadata, recordedAt: new Date(Date.parse(metadata.recordedAt) + 1).toISOString() } }
    case 'schemaVersion':
      return { ...event, metadata: { ...metadata, schemaVersion: metadata.schemaVersion + 1 } }
    case 'actor':
    case 'correlationId':
    case 'causationId':
      return { ...event, metadata: { ...metadata, [field]: `${metadata[field] ?? ''}someone-else` } }
  }
}

/** Replaces the event at `ordinal` behind the store's back, in the log and in its stream. */
const tamper = (storage: InMemoryStorage, ordinal: number, change: (event: RecordedEvent) => RecordedEvent): RecordedEvent => {
  const original = storage.log[ordinal - 1]
  if (original === undefined) throw new Error(`no event at ordinal ${ordinal}`)
  const altered = change(original)
  storage.log[ordinal - 1] = altered
  const stream = storage.streams.get(original.streamId) ?? []
  stream[stream.indexOf(original)] = altered
  return altered
}

/** Several loans recorded, sealed in runs of `eventsPerSeal`, more recorded and sealed again. */
const sealedLog = async (lifecycles: ReadonlyArray<Parameters<typeof recordLifecycle>[1]>, eventsPerSeal: number) => {
  const storage = createInMemoryStorage()
  const store = validatingStore({ storage })
  const half = Math.ceil(lifecycles.length / 2)
  for (const lifecycle of lifecycles.slice(0, half)) await recordLifecycle(store, lifecycle)
  expectRight(await sealLog(store, { sealedOn: SEALED_ON, eventsPerSeal })())
  for (const lifecycle of lifecycles.slice(half)) await recordLifecycle(store, lifecycle)
  const last = expectRight(await sealLog(store, { sealedOn: SEALED_ON, eventsPerSeal, actor: 'auditor-1' })())
  return { storage, store, last }
}

const logs = fc.tuple(fc.array(loanLifecycle(6), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 12 }))

describe('sealing and verifying the log', () => {
  test.prop([logs], { numRuns: 25 })('verify passes on any untouched log, however it was sealed', async ([lifecycles, eventsPerSeal]) => {
    const { store, last } = await sealedLog(lifecycles, eventsPerSeal)
    const report = expectRight(await verifyLog(store)())

    expect(report.problem).toBeNull()
    expect(report.ok).toBe(true)
    expect(last._tag).toBe('Sealed')
    if (last._tag !== 'Sealed') return
    expect(report.sealedThroughOrdinal).toBe(last.throughOrdinal)
    // Only the last seal's own events are left for a later seal to cover.
    expect(report.unsealedEvents).toBe(last.seals)
    expect(report.eventsInLog).toBe(last.throughOrdinal + last.seals)
  })

  test.prop([logs, fc.nat(), fc.constantFrom(...FIELDS), fc.nat()], { numRuns: 60 })(
    'verify fails on any single-field alteration of a sealed event, and names that event',
    async ([lifecycles, eventsPerSeal], pickEvent, field, pickLeaf) => {
      const { storage, store } = await sealedLog(lifecycles, eventsPerSeal)
      const { sealedThroughOrdinal } = expectRight(await verifyLog(store)())
      const ordinal = 1 + (pickEvent % sealedThroughOrdinal)
      tamper(storage, ordinal, (event) => alter(event, field, pickLeaf))

      const report = expectRight(await verifyLog(store)())

      expect(report.ok).toBe(false)
      expect(namedOrdinal(report.problem)).toBe(ordinal)
    },
  )

  it('names the event an edit changed and tells it from a removed or an inserted one', async () => {
    const [lifecycle] = fc.sample(loanLifecycle(4), { numRuns: 1, seed: 42 })
    if (lifecycle === undefined) throw new Error('no sample')
    const make = async () => {
      const storage = createInMemoryStorage()
      const store = validatingStore({ storage })
      await recordLifecycle(store, lifecycle)
      expectRight(await sealLog(store, { sealedOn: SEALED_ON })())
      return { storage, store }
    }

    const edited = await make()
    const altered = tamper(edited.storage, 3, (event) => ({ ...event, data: { ...(event.data as object), savingsGroupId: 'SG-ELSEWHERE' } }))
    expect(expectRight(await verifyLog(edited.store)()).problem).toMatchObject({
      _tag: 'EventAltered',
      event: { ordinal: 3, streamId: altered.streamId, version: '3', position: altered.position, eventId: altered.eventId },
      seal: { streamId: AUDIT_SEALS_STREAM },
    })

    const removed = await make()
    const afterRemoved = removed.storage.log[2]
    removed.storage.log.splice(1, 1)
    expect(expectRight(await verifyLog(removed.store)()).problem).toMatchObject({ _tag: 'EventMissing', ordinal: 2, foundInstead: { eventId: afterRemoved?.eventId } })

    const inserted = await make()
    const intruder = { ...(inserted.storage.log[0] as RecordedEvent), eventId: '00000000-0000-4000-8000-000000000000', version: 99n }
    inserted.storage.log.splice(1, 0, intruder)
    expect(expectRight(await verifyLog(inserted.store)()).problem).toMatchObject({ _tag: 'EventInserted', event: { ordinal: 2, eventId: intruder.eventId } })
  })

  it('catches an edited newest seal by its own chain, and a cut-off end only against an anchor kept elsewhere', async () => {
    const [lifecycle] = fc.sample(loanLifecycle(4), { numRuns: 1, seed: 3 })
    if (lifecycle === undefined) throw new Error('no sample')
    const storage = createInMemoryStorage()
    const store = validatingStore({ storage })
    await recordLifecycle(store, lifecycle)
    const sealed = expectRight(await sealLog(store, { sealedOn: SEALED_ON })())
    if (sealed._tag !== 'Sealed') throw new Error('expected a seal')
    const head = expectRight(await verifyLog(store)())
    const anchor = { throughOrdinal: head.eventsInLog, chainHash: head.chainHash }
    expect(expectRight(await verifyLog(store, { anchor })()).ok).toBe(true)

    const sealOrdinal = storage.log.length
    tamper(storage, sealOrdinal, (seal) => ({ ...seal, data: { ...(seal.data as object), chainHash: 'f'.repeat(64) } }))
    expect(expectRight(await verifyLog(store)()).problem).toMatchObject({ _tag: 'SealInconsistent', reason: 'DigestsDoNotGiveChainHash', seal: { ordinal: sealOrdinal } })

    // Remove the seal and the last event with it: the chain that is left is consistent, and only the anchor knows.
    storage.log.splice(-2, 2)
    expect(expectRight(await verifyLog(store)()).ok).toBe(true)
    expect(expectRight(await verifyLog(store, { anchor })()).problem).toStrictEqual({ _tag: 'AnchorBeyondLog', throughOrdinal: anchor.throughOrdinal, eventsInLog: anchor.throughOrdinal - 2 })
  })

  it('records in each seal the digests and the chain anyone can recompute with sha256sum', async () => {
    const [lifecycle] = fc.sample(loanLifecycle(2), { numRuns: 1, seed: 11 })
    if (lifecycle === undefined) throw new Error('no sample')
    const storage = createInMemoryStorage()
    const store = validatingStore({ storage })
    await recordLifecycle(store, lifecycle)
    const events = [...storage.log]
    expectRight(await sealLog(store, { sealedOn: SEALED_ON, eventsPerSeal: 3 })())

    const seals = storage.streams.get(AUDIT_SEALS_STREAM) ?? []
    expect(seals).toHaveLength(Math.ceil(events.length / 3))
    const digests = seals.flatMap((seal) => (seal.data as { readonly eventDigests: ReadonlyArray<string> }).eventDigests)
    expect(digests).toStrictEqual(events.map(eventDigest))
    const last = seals.at(-1)?.data as { readonly chainHash: string; readonly throughOrdinal: number }
    expect(last.throughOrdinal).toBe(events.length)
    expect(last.chainHash).toBe(chainOf(GENESIS_CHAIN_HASH, events.map(eventDigest)))
    expect(seals[0]?.metadata).toMatchObject({ occurredOn: SEALED_ON })
    // The seals stream reads like any other: its history decodes every seal.
    const rows = expectRight(await history(store, AUDIT_SEALS_STREAM)())
    expect(rows.map((row) => [row.type, row.decoding._tag])).toStrictEqual(seals.map(() => ['AuditSealed', 'Decoded']))
  })

  it('seals nothing in an empty log, and refuses a sealing date that is no calendar day', async () => {
    const store = validatingStore()
    expect(expectRight(await sealLog(store, { sealedOn: SEALED_ON })())).toStrictEqual({ _tag: 'NothingToSeal', throughOrdinal: 0, chainHash: GENESIS_CHAIN_HASH })
    expect(expectLeft(await sealLog(store, { sealedOn: '30/06/2026' })())).toMatchObject({ _tag: 'InvalidQuery', field: 'sealedOn' })
    expect(expectRight(await verifyLog(store)())).toMatchObject({ ok: true, eventsInLog: 0, seals: 0 })
  })

  it('keeps one unbroken chain when two sealers race, and writes one seal when both would write the same', async () => {
    const [lifecycle] = fc.sample(loanLifecycle(6), { numRuns: 1, seed: 5 })
    if (lifecycle === undefined) throw new Error('no sample')
    const race = async (firstActor: string, secondActor: string) => {
      const storage = createInMemoryStorage()
      const store = validatingStore({ storage })
      await recordLifecycle(store, lifecycle)
      const other = inMemoryEventStore({ storage })
      const outcomes = await Promise.all([sealLog(store, { sealedOn: SEALED_ON, actor: firstActor })(), sealLog(other, { sealedOn: SEALED_ON, actor: secondActor })()])
      return { outcomes: outcomes.map((outcome) => expectRight(outcome)._tag), report: expectRight(await verifyLog(store)()) }
    }

    const differing = await race('auditor-1', 'auditor-2')
    expect(differing.outcomes).toStrictEqual(['Sealed', 'Sealed'])
    // The loser read the winner's seal and sealed it in turn.
    expect(differing.report).toMatchObject({ ok: true, seals: 2, unsealedEvents: 1 })

    const same = await race('auditor-1', 'auditor-1')
    expect(same.outcomes).toStrictEqual(['Sealed', 'Sealed'])
    expect(same.report).toMatchObject({ ok: true, seals: 1 })
  })
})
