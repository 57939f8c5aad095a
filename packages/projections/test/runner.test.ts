import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EventStore, Position, RecordedEvent } from '@policy-credit/event-store'
import {
  catchUpProjection,
  foldProjection,
  inMemoryReadModelStore,
  projectionNamespace,
  rebuildProjection,
  runProjection,
  skipEvent,
  type Projection,
  type ReadModelStore,
  type RunnerError,
} from '../src/index.ts'
import {
  accountTotals,
  appendAll,
  failingEntry,
  grandTotalId,
  newEventStore,
  readEverything,
  validEntry,
  type AccountEvent,
  type AccountTotal,
  type LogEntry,
} from './accountTotals.ts'

const projection = accountTotals()

/** The read model as stored, decoded, in id order. */
const storedModel = async (store: ReadModelStore, of: Projection<AccountTotal, AccountEvent> = projection) => {
  const scanned = await store.scanDocuments(projectionNamespace(of), { _tag: 'All' })()
  if (E.isLeft(scanned)) throw new Error('scan failed')
  return scanned.right.map(({ id, document }) => [id, E.getOrElseW(() => 'undecodable')(of.documentCodec.decode(document))] as const)
}

const foldedModel = (events: ReadonlyArray<RecordedEvent>, skipped: ReadonlySet<Position> = new Set()) => {
  const folded = foldProjection(projection, events, skipped)
  if (E.isLeft(folded)) throw new Error(`fold failed at ${JSON.stringify(folded.left.event)}`)
  return [...folded.right.entries()]
}

/** Catches up, stopping after `batchesBeforeStop` batches (a restart point); returns whether it reached the end. */
const catchUpFor = async (eventStore: EventStore, readModelStore: ReadModelStore, batchSize: number, batchesBeforeStop: number) => {
  const controller = new AbortController()
  let batches = 0
  const result = await catchUpProjection(
    { eventStore, readModelStore, projection },
    { batchSize, signal: controller.signal, onProgress: () => (++batches >= batchesBeforeStop ? controller.abort() : undefined) },
  )()
  if (E.isLeft(result)) throw new Error(`runner failed: ${result.left._tag}`)
  return result.right
}

const catchUpFully = async (eventStore: EventStore, readModelStore: ReadModelStore, batchSize: number) => catchUpFor(eventStore, readModelStore, batchSize, Number.POSITIVE_INFINITY)

const expectFailure = (result: E.Either<RunnerError, unknown>) => {
  if (E.isRight(result) || result.left._tag !== 'ProjectionFailed') throw new Error(`expected a ProjectionFailed report, got ${JSON.stringify(E.isRight(result) ? 'success' : result.left._tag)}`)
  return result.left
}

/** A log cut into parts appended at different times, each followed by a partial run of so many batches. */
const chunkedLog = fc.array(fc.record({ entries: fc.array(validEntry, { maxLength: 12 }), batchesBeforeStop: fc.integer({ min: 1, max: 4 }) }), {
  minLength: 1,
  maxLength: 5,
})

describe('runner: batches, stops and restarts', () => {
  it('any split of the log into batches, with stops and restarts anywhere, gives the read model of one fold over all events', async () => {
    await fc.assert(
      fc.asyncProperty(chunkedLog, fc.integer({ min: 1, max: 7 }), async (chunks, batchSize) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        for (const chunk of chunks) {
          await appendAll(eventStore, chunk.entries)
          await catchUpFor(eventStore, readModelStore, batchSize, chunk.batchesBeforeStop)
        }
        const progress = await catchUpFully(eventStore, readModelStore, batchSize)
        const events = await readEverything(eventStore)
        const stored = await storedModel(readModelStore)
        expect(stored).toStrictEqual(foldedModel(events))
        // The total is kept from what each event did to an account's document (`earlier`), so it is the sum of the open accounts only when every batch saw each account as the batch before left it.
        const accounts = stored.filter(([id]) => id !== grandTotalId).map(([, total]) => total as AccountTotal)
        const sum = accounts.reduce((total, account) => ({ movements: total.movements + account.movements, balance: total.balance + account.balance }), { movements: 0, balance: 0n })
        expect(stored.find(([id]) => id === grandTotalId)?.[1] ?? { movements: 0, balance: 0n }).toStrictEqual(sum)
        expect(progress.caughtUp).toBe(true)
        // Filtered events move the checkpoint too: it reaches the head even when the last event is not followed.
        expect(progress.checkpoint).toBe(events.at(-1)?.position)
        expect(progress.headPosition).toBe(events.at(-1)?.position)
      }),
      { numRuns: 60 },
    )
  })

  it('reports progress after each batch, counting every followed event once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validEntry, { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), async (entries, batchSize) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        await appendAll(eventStore, entries)
        const reports: Array<{ readonly checkpoint: Position | undefined; readonly processed: number }> = []
        const result = await catchUpProjection(
          { eventStore, readModelStore, projection },
          { batchSize, onProgress: (progress) => reports.push({ checkpoint: progress.checkpoint, processed: progress.eventsProcessed }) },
        )()
        const followed = entries.filter((entry) => entry.type !== 'NoteAdded').length
        expect(E.isRight(result) && result.right.eventsProcessed).toBe(followed)
        expect(reports.at(-1)?.processed ?? 0).toBe(followed)
        reports.forEach((report, index) => {
          const previous = reports[index - 1] ?? { checkpoint: undefined, processed: 0 }
          expect(report.processed - previous.processed).toBeGreaterThanOrEqual(0)
          expect(report.processed - previous.processed).toBeLessThanOrEqual(batchSize)
          expect(previous.checkpoint === undefined || (report.checkpoint !== undefined && report.checkpoint >= previous.checkpoint)).toBe(true)
        })
      }),
      { numRuns: 40 },
    )
  })

  it('refuses a batch size that is not a positive integer, and changes nothing', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '5' } }])
    for (const batchSize of [0, -3, 2.5]) {
      const result = await catchUpProjection({ eventStore, readModelStore, projection }, { batchSize })()
      expect(E.isLeft(result) && result.left._tag).toBe('InvalidRunnerOptions')
    }
    expect(await storedModel(readModelStore)).toStrictEqual([])
  })
})

describe('runner: failure and skip', () => {
  const logWithFailures = fc.tuple(
    fc.array(validEntry, { maxLength: 15 }),
    fc.array(fc.tuple(failingEntry, fc.array(validEntry, { maxLength: 8 })), { minLength: 1, maxLength: 3 }),
  )

  it('stops at a failing event with a report naming it; events before it are committed, nothing after it is applied', async () => {
    await fc.assert(
      fc.asyncProperty(logWithFailures, fc.integer({ min: 1, max: 6 }), async ([before, rest], batchSize) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        await appendAll(eventStore, [...before, ...rest.flatMap(([failing, after]) => [failing, ...after])])
        const events = await readEverything(eventStore)
        const failing = events[before.length]
        if (failing === undefined) throw new Error('test setup: no failing event')
        const report = expectFailure(await catchUpProjection({ eventStore, readModelStore, projection }, { batchSize })())
        expect(report.event).toStrictEqual({ streamId: failing.streamId, version: failing.version, position: failing.position, type: failing.type })
        expect(report.reason._tag).toBe(failing.type === 'Defective' ? 'ProjectionThrew' : 'EventDecodeFailed')
        expect(await storedModel(readModelStore)).toStrictEqual(foldedModel(events.slice(0, before.length)))
        const lastFollowedBefore = events.slice(0, before.length).filter((event) => event.type !== 'NoteAdded').at(-1)
        const checkpoint = await readModelStore.readCheckpoint(projectionNamespace(projection))()
        // The checkpoint stays before the failing event, so a restart meets it again.
        expect(E.isRight(checkpoint) && (checkpoint.right === undefined || checkpoint.right < failing.position)).toBe(true)
        expect(E.isRight(checkpoint) && lastFollowedBefore !== undefined ? checkpoint.right !== undefined && checkpoint.right >= lastFollowedBefore.position : true).toBe(true)
        // Restarting without a skip stops at the same event again.
        expect(expectFailure(await catchUpProjection({ eventStore, readModelStore, projection }, { batchSize })()).event.position).toBe(failing.position)
      }),
      { numRuns: 60 },
    )
  })

  it('an operator skip is recorded and listed, and the runner continues past the skipped event', async () => {
    await fc.assert(
      fc.asyncProperty(logWithFailures, fc.integer({ min: 1, max: 6 }), async ([before, rest], batchSize) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        await appendAll(eventStore, [...before, ...rest.flatMap(([failing, after]) => [failing, ...after])])
        const skipped = new Set<Position>()
        for (;;) {
          const result = await catchUpProjection({ eventStore, readModelStore, projection }, { batchSize })()
          if (E.isRight(result)) break
          const report = expectFailure(result)
          const recorded = await skipEvent(readModelStore, { projection: report.projection, position: report.event.position, event: report.event, reason: 'amount typed with a decimal point at the commune', actor: 'operator-1' })()
          expect(E.isRight(recorded)).toBe(true)
          skipped.add(report.event.position)
        }
        expect(skipped.size).toBe(rest.length)
        const events = await readEverything(eventStore)
        expect(await storedModel(readModelStore)).toStrictEqual(foldedModel(events, skipped))
        const listed = await readModelStore.listSkips(projectionNamespace(projection))()
        expect(E.isRight(listed) && listed.right.map((skip) => [skip.position, skip.event?.type, skip.actor])).toStrictEqual(
          events.filter((event) => skipped.has(event.position)).map((event) => [event.position, event.type, 'operator-1']),
        )
      }),
      { numRuns: 40 },
    )
  })

  it('refuses to skip an event whose effect is already committed, or a skip without a reason', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '5' } }])
    await catchUpFully(eventStore, readModelStore, 10)
    const [applied] = await readEverything(eventStore)
    if (applied === undefined) throw new Error('test setup')
    const namespace = projectionNamespace(projection)
    for (const request of [{ position: applied.position, reason: 'too late' }, { position: 'ffffffffffffffffffff' as Position, reason: '  ' }]) {
      const refused = await skipEvent(readModelStore, { projection: namespace, actor: 'operator-1', ...request })()
      expect(E.isLeft(refused) && refused.left._tag).toBe('InvalidReadModelRequest')
    }
    expect(await readModelStore.listSkips(namespace)()).toStrictEqual(E.right([]))
  })

  it('reports a stored document its codec cannot read, and commits nothing of the batch', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    const namespace = projectionNamespace(projection)
    await readModelStore.commit(namespace, { changes: [{ _tag: 'Put', id: 'account:A', document: { balance: 'lots' } }], expectedCheckpoint: undefined, checkpoint: '00000000000000000000' as Position })()
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '5' } }])
    const result = await catchUpProjection({ eventStore, readModelStore, projection }, { batchSize: 10 })()
    expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidStoredDocument', id: 'account:A' })
    expect(await readModelStore.readCheckpoint(namespace)()).toStrictEqual(E.right('00000000000000000000'))
  })
})

type CommitFault = 'beforeWrite' | 'afterWrite'

/** A read-model store whose n-th commit fails: before writing (a crash) or after (a lost acknowledgement). */
const failingOnce = (store: ReadModelStore, failingCommit: number, fault: CommitFault): ReadModelStore => {
  let commits = 0
  return {
    ...store,
    commit: (namespace, request) => async () => {
      commits += 1
      if (commits !== failingCommit) return store.commit(namespace, request)()
      if (fault === 'afterWrite') await store.commit(namespace, request)()
      return E.left({ _tag: 'ReadModelStoreUnavailable', cause: new Error(`injected ${fault} failure`) })
    },
  }
}

describe('runner: exactly-once effect', () => {
  it('a commit that fails once (before or after writing) never applies an event twice after a restart', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validEntry, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom<CommitFault>('beforeWrite', 'afterWrite'),
        async (entries, batchSize, failingCommit, fault) => {
          const eventStore = newEventStore()
          const durable = inMemoryReadModelStore()
          const readModelStore = failingOnce(durable, failingCommit, fault)
          await appendAll(eventStore, entries)
          let failures = 0
          for (;;) {
            const result = await catchUpProjection({ eventStore, readModelStore, projection }, { batchSize })()
            if (E.isRight(result)) break
            expect(result.left._tag).toBe('ReadModelStoreFailed')
            failures += 1
            expect(failures).toBe(1)
          }
          expect(await storedModel(durable)).toStrictEqual(foldedModel(await readEverything(eventStore)))
        },
      ),
      { numRuns: 80 },
    )
  })

  it('two runners on the same projection at once never apply an event twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validEntry, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), async (entries, firstBatchSize, secondBatchSize) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        await appendAll(eventStore, entries)
        const results = await Promise.all([
          catchUpProjection({ eventStore, readModelStore, projection }, { batchSize: firstBatchSize })(),
          catchUpProjection({ eventStore, readModelStore, projection }, { batchSize: secondBatchSize })(),
        ])
        expect(results.every(E.isRight)).toBe(true)
        expect(await storedModel(readModelStore)).toStrictEqual(foldedModel(await readEverything(eventStore)))
      }),
      { numRuns: 40 },
    )
  })
})

describe('rebuild and the active version', () => {
  it('a rebuilt version equals the incrementally built one, and readers switch only once it has caught up', async () => {
    await fc.assert(
      fc.asyncProperty(chunkedLog, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), async (chunks, batchSize, rebuildBatchSize) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        for (const chunk of chunks) {
          await appendAll(eventStore, chunk.entries)
          await catchUpFor(eventStore, readModelStore, batchSize, chunk.batchesBeforeStop)
        }
        await rebuildProjection({ eventStore, readModelStore, projection }, { batchSize })()
        expect(await readModelStore.activeVersion(projection.name)()).toStrictEqual(E.right(1))

        const version2 = accountTotals(2)
        const controller = new AbortController()
        const interrupted = await rebuildProjection(
          { eventStore, readModelStore, projection: version2 },
          { batchSize: rebuildBatchSize, signal: controller.signal, onProgress: () => controller.abort() },
        )()
        if (E.isRight(interrupted) && !interrupted.right.caughtUp) expect(await readModelStore.activeVersion(projection.name)()).toStrictEqual(E.right(1))
        const rebuilt = await rebuildProjection({ eventStore, readModelStore, projection: version2 }, { batchSize: rebuildBatchSize })()
        expect(E.isRight(rebuilt) && rebuilt.right.caughtUp).toBe(true)
        expect(await readModelStore.activeVersion(projection.name)()).toStrictEqual(E.right(2))
        expect(await storedModel(readModelStore, version2)).toStrictEqual(await storedModel(readModelStore))
        expect(E.isRight(await readModelStore.dropVersion(projectionNamespace(projection))())).toBe(true)
      }),
      { numRuns: 40 },
    )
  })
})

describe('runner: live following', () => {
  const waitUntil = async (condition: () => boolean) => {
    for (let attempt = 0; attempt < 400 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(condition()).toBe(true)
  }

  it('follows events appended after it caught up, activates its version, and stops cleanly on stop()', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '700' } }])
    const running = runProjection({ eventStore, readModelStore, projection }, { batchSize: 2, pollInterval: 5 })
    await waitUntil(() => running.progress().caughtUp)
    expect(await readModelStore.activeVersion(projection.name)()).toStrictEqual(E.right(1))
    await appendAll(eventStore, [
      { streamId: 'account-A', type: 'Withdrawn', data: { account: 'A', amount: '200' } },
      { streamId: 'account-B', type: 'Deposited', data: { account: 'B', amount: '90000000000000000000' } },
      { streamId: 'account-B', type: 'NoteAdded', data: { account: 'B' } },
    ])
    await waitUntil(() => running.progress().eventsProcessed === 3 && running.progress().caughtUp)
    running.stop()
    const stopped = await running.done
    expect(E.isRight(stopped) && stopped.right.eventsProcessed).toBe(3)
    expect(await storedModel(readModelStore)).toStrictEqual(foldedModel(await readEverything(eventStore)))
    expect((await storedModel(readModelStore)).find(([id]) => id === 'account:B')?.[1]).toStrictEqual({ movements: 1, balance: 90000000000000000000n })
  })

  it('a live runner of a newer version takes readers over when it catches up; an older one never takes them back', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '1' } }])
    const newer = runProjection({ eventStore, readModelStore, projection: accountTotals(3) }, { pollInterval: 5 })
    await waitUntil(() => newer.progress().caughtUp)
    newer.stop()
    await newer.done
    const older = runProjection({ eventStore, readModelStore, projection }, { pollInterval: 5 })
    await waitUntil(() => older.progress().caughtUp)
    older.stop()
    await older.done
    expect(await readModelStore.activeVersion(projection.name)()).toStrictEqual(E.right(3))
  })

  it('a live runner stops at a failing event with the report', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    const running = runProjection({ eventStore, readModelStore, projection }, { pollInterval: 5 })
    await appendAll(eventStore, [
      { streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '1' } },
      { streamId: 'account-A', type: 'Defective', data: { account: 'A' } },
    ])
    const stopped = await running.done
    expect(E.isLeft(stopped) && stopped.left).toMatchObject({ _tag: 'ProjectionFailed', event: { streamId: 'account-A', version: 2n, type: 'Defective' } })
  })
})
