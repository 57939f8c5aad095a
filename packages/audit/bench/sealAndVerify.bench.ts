/**
 * How fast the hash chain is sealed and verified: `pnpm exec vitest bench --run packages/audit/bench`.
 * The log is 20 000 events of generated loan lifecycles (decided by the core's loan decider, encoded
 * as the store keeps them), in memory and in a SQLite file; each figure is for the whole log.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, bench, describe } from 'vitest'
import { loanLifecycle } from '@policy-credit/core/testing'
import { createInMemoryStorage, deterministicEventId, inMemoryEventStore, type EventStore, type InMemoryStorage, type NewEvent } from '@policy-credit/event-store'
import { sqliteEventStore } from '@policy-credit/sqlite'
import { sealLog, verifyLog } from '../src/index.ts'
import { auditedCodec, loanStreamId } from '../test/scenario.ts'

const EVENTS = 20_000

/** Loans' events, encoded, grouped per stream, until there are EVENTS of them. */
const streams = (): ReadonlyArray<readonly [string, ReadonlyArray<NewEvent>]> => {
  const result: Array<readonly [string, ReadonlyArray<NewEvent>]> = []
  let count = 0
  for (let seed = 0; count < EVENTS; seed++) {
    const [lifecycle] = fc.sample(loanLifecycle(20), { numRuns: 1, seed })
    if (lifecycle === undefined) break
    const streamId = loanStreamId(`BENCH-${seed}`)
    const events = lifecycle.events.slice(0, EVENTS - count).map((event, index): NewEvent => {
      const { type, data, schemaVersion } = auditedCodec.encode({ ...event, data: { ...event.data, loanId: `BENCH-${seed}` } } as never)
      return { eventId: deterministicEventId(`bench-${seed}`, streamId, index), type, data, metadata: { occurredOn: '2024-01-01', schemaVersion, actor: 'bench' } }
    })
    count += events.length
    result.push([streamId, events])
  }
  return result
}

const fill = async (store: EventStore, log: ReturnType<typeof streams>): Promise<void> => {
  for (const [streamId, events] of log) {
    const appended = await store.appendToStream(streamId, { _tag: 'NoStream' }, events)()
    if (E.isLeft(appended)) throw new Error(`fill failed: ${appended.left._tag}`)
  }
}

const log = streams()
const memory = createInMemoryStorage()
await fill(inMemoryEventStore({ storage: memory }), log)
const copyOf = (storage: InMemoryStorage): InMemoryStorage => ({ ...createInMemoryStorage(), log: [...storage.log], streams: new Map([...storage.streams].map(([id, events]) => [id, [...events]])), eventsById: new Map(storage.eventsById) })
const sealedMemory = copyOf(memory)
await sealLog(inMemoryEventStore({ storage: sealedMemory }), { sealedOn: '2026-06-30' })()

const directory = mkdtempSync(join(tmpdir(), 'policy-credit-audit-bench-'))
afterAll(() => rmSync(directory, { recursive: true, force: true }))
const opened = await sqliteEventStore({ filename: join(directory, 'bench.sqlite') })()
if (E.isLeft(opened)) throw new Error('could not open SQLite')
const sqlite = opened.right
await fill(sqlite, log)
await sealLog(sqlite, { sealedOn: '2026-06-30' })()

describe(`hash chain over ${EVENTS} events`, () => {
  bench('sealLog, in memory (a fresh copy of the unsealed log each time)', async () => {
    await sealLog(inMemoryEventStore({ storage: copyOf(memory) }), { sealedOn: '2026-06-30' })()
  }, { iterations: 5, warmupIterations: 1 })

  bench('verifyLog, in memory', async () => {
    await verifyLog(inMemoryEventStore({ storage: sealedMemory }))()
  }, { iterations: 5, warmupIterations: 1 })

  bench('verifyLog, SQLite file', async () => {
    await verifyLog(sqlite)()
  }, { iterations: 5, warmupIterations: 1 })
})
