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
  accountTotalsInPlace,
  appendAll,
  failingEntry,
  eventCountId,
  grandTotalId,
  newEventStore,
  readEverything,
  validEntry,
  type AccountEvent,
  type AccountTotal,
  type LogEntry,
} from './accountTotals.ts'

const projection = accountTotals()
const inPlace = accountTotalsInPlace()

/** The read model as stored, decoded, in id order. */
const storedModel = async (store: ReadModelStore, of: Projection<AccountTotal, AccountEvent> = projection) => {
  const scanned = await store.scanDocuments(projectionNamespace(of), { _tag: 'All' })()
  if (E.isLeft(scanned)) throw new Error('scan failed')
  return scanned.right.map(({ id, document }) => [id, E.getOrElseW(() => 'undecodable')(of.documentCodec.decode(document))] as const)
}

const foldedModel = (events: ReadonlyArray<RecordedEvent>, skipped: ReadonlySet<Position> = new Set(), of: Projection<AccountTotal, AccountEvent> = projection) => {
  const folded = foldProjection(of, events, skipped)
  if (E.isLeft(folded)) throw new Error(`fold failed at ${JSON.stringify(folded.left.event)}`)
  return [...folded.right.entries()]
}

/**
 * The account totals, except that a deposit of a multiple of 3 leaves the account's document as it was
 * (`apply` gives back the document it was given), which the runner need not write again.
 */
const sometimesUnchanged: Projection<AccountTotal, AccountEvent> = {
  ...projection,
  apply: (document, event, id, earlier) =>
    id !== grandTotalId && event.type === 'Deposited' && event.amount % 3n === 0n ? document : projection.apply(document, event, id, earlier),
}

interface RunnerSetup {
  readonly of?: Projection<AccountTotal, AccountEvent>
  readonly cachedDocuments?: number
  readonly readPageSize?: number
}

/** Catches up, stopping after `batchesBeforeStop` batches (a restart point); returns whether it reached the end. */
const catchUpFor = async (eventStore: EventStore, readModelStore: ReadModelStore, batchSize: number, batchesBeforeStop: number, setup: RunnerSetup = {}) => {
  const controller = new AbortController()
  let batches = 0
  const result = await catchUpProjection(
    { eventStore, readModelStore, projection: setup.of ?? projection },
    {
      batchSize,
      signal: controller.signal,
      onProgress: () => (++batches >= batchesBeforeStop ? controller.abort() : undefined),
      ...(setup.cachedDocuments === undefined ? {} : { cachedDocuments: setup.cachedDocuments }),
      ...(setup.readPageSize === undefined ? {} : { readPageSize: setup.readPageSize }),
    },
  )()
  if (E.isLeft(result)) throw new Error(`runner failed: ${result.left._tag}`)
  return result.right
}

const catchUpFully = async (eventStore: EventStore, readModelStore: ReadModelStore, batchSize: number, setup: RunnerSetup = {}) =>
  catchUpFor(eventStore, readModelStore, batchSize, Number.POSITIVE_INFINITY, setup)

/**
 * A read-model store whose commits land a few turns of the event loop late, as a server's do: the runner
 * reads and applies the next batch meanwhile, and must find there the documents the late commit writes.
 */
const laggingCommits = (store: ReadModelStore): ReadModelStore => ({
  ...store,
  commit: (namespace, request) => async () => {
    await new Promise((resolve) => setTimeout(resolve, 0))
    return store.commit(namespace, request)()
  },
})

/** Few enough kept documents to evict some (4 accounts and a total), none, or the default (the batch size). */
const cachedDocuments = fc.constantFrom<number | undefined>(0, 1, 2, 3, undefined)

const expectFailure = (result: E.Either<RunnerError, unknown>) => {
  if (E.isRight(result) || result.left._tag !== 'ProjectionFailed') throw new Error(`expected a ProjectionFailed report, got ${JSON.stringify(E.isRight(result) ? 'success' : result.left._tag)}`)
  return result.left
}

/** Pages smaller than a batch (a batch then reads several and commits once), or the default. */
const readPageSize = fc.constantFrom<number | undefined>(1, 2, 3, undefined)

/** A log cut into parts appended at different times, each followed by a partial run of so many batches. */
const chunkedLog = fc.array(fc.record({ entries: fc.array(validEntry, { maxLength: 12 }), batchesBeforeStop: fc.integer({ min: 1, max: 4 }) }), {
  minLength: 1,
  maxLength: 5,
})

describe('runner: batches, stops and restarts', () => {
  it('any split of the log into batches, with stops and restarts anywhere, gives the read model of one fold over all events', async () => {
    await fc.assert(
      fc.asyncProperty(chunkedLog, fc.integer({ min: 1, max: 7 }), cachedDocuments, fc.constantFrom(projection, sometimesUnchanged, inPlace), readPageSize, fc.boolean(), async (chunks, batchSize, cached, of, page, lagging) => {
        const eventStore = newEventStore()
        const stored = inMemoryReadModelStore()
        const readModelStore = lagging ? laggingCommits(stored) : stored
        const setup: RunnerSetup = { of, ...(cached === undefined ? {} : { cachedDocuments: cached }), ...(page === undefined ? {} : { readPageSize: page }) }
        for (const chunk of chunks) {
          await appendAll(eventStore, chunk.entries)
          await catchUpFor(eventStore, readModelStore, batchSize, chunk.batchesBeforeStop, setup)
        }
        const progress = await catchUpFully(eventStore, readModelStore, batchSize, setup)
        const events = await readEverything(eventStore)
        const model = await storedModel(readModelStore, of)
        expect(model).toStrictEqual(foldedModel(events, new Set(), setup.of))
        // The total is kept from what each event did to an account's document (`earlier`), so it is the sum of the open accounts only when every batch saw each account as the batch before left it.
        const accounts = model.filter(([id]) => id !== grandTotalId && id !== eventCountId).map(([, total]) => total as AccountTotal)
        const sum = accounts.reduce((total, account) => ({ movements: total.movements + account.movements, balance: total.balance + account.balance }), { movements: 0, balance: 0n })
        expect(model.find(([id]) => id === grandTotalId)?.[1] ?? { movements: 0, balance: 0n }).toStrictEqual(sum)
        expect(progress.caughtUp).toBe(true)
        // Filtered events move the checkpoint too: it reaches the head even when the last event is not followed.
        expect(progress.checkpoint).toBe(events.at(-1)?.position)
        expect(progress.headPosition).toBe(events.at(-1)?.position)
      }),
      { numRuns: 100 },
    )
  })

  it('reports progress after each batch, counting every followed event once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validEntry, { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), async (entries, batchSize) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        await appendAll(eventStore, entries)
        const reports: Array<{ readonly checkpoint: Position | undefined; readonly processed: number; readonly caughtUp: boolean }> = []
        const result = await catchUpProjection(
          { eventStore, readModelStore: laggingCommits(readModelStore), projection },
          { batchSize, onProgress: (progress) => reports.push({ checkpoint: progress.checkpoint, processed: progress.eventsProcessed, caughtUp: progress.caughtUp }) },
        )()
        const followed = entries.filter((entry) => entry.type !== 'NoteAdded').length
        expect(E.isRight(result) && result.right.eventsProcessed).toBe(followed)
        expect(reports.at(-1)?.processed ?? 0).toBe(followed)
        // The last report says the runner caught up, also when the last batch found nothing new.
        expect(reports.at(-1)?.caughtUp).toBe(true)
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

  it('reports that it caught up, also when its last batch holds only an event it does not follow', async () => {
    const eventStore = newEventStore()
    const readModelStore = laggingCommits(inMemoryReadModelStore())
    // A full batch of two deposits, then a note: the batch after it only moves the checkpoint past the note.
    await appendAll(eventStore, [
      { streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '5' } },
      { streamId: 'account-B', type: 'Deposited', data: { account: 'B', amount: '7' } },
      { streamId: 'account-A', type: 'NoteAdded', data: { account: 'A', note: 'called at the commune' } },
    ])
    const reports: Array<boolean> = []
    const result = await catchUpProjection({ eventStore, readModelStore, projection }, { batchSize: 2, onProgress: (progress) => reports.push(progress.caughtUp) })()
    expect(E.isRight(result) && result.right.caughtUp).toBe(true)
    expect(reports.at(-1)).toBe(true)
  })

  it('refuses a batch size or read page size that is not a positive integer, or a negative or fractional number of kept documents, and changes nothing', async () => {
    const eventStore = newEventStore()
    const readModelStore = inMemoryReadModelStore()
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '5' } }])
    for (const options of [{ batchSize: 0 }, { batchSize: -3 }, { batchSize: 2.5 }, { cachedDocuments: -1 }, { cachedDocuments: 0.5 }, { cachedDocuments: Number.POSITIVE_INFINITY }, { readPageSize: 0 }, { readPageSize: 1.5 }]) {
      const result = await catchUpProjection({ eventStore, readModelStore, projection }, options)()
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
      // With the in-place projection, a failing event has changed a draft before it throws: none of that may land.
      fc.asyncProperty(logWithFailures, fc.integer({ min: 1, max: 6 }), fc.constantFrom(projection, inPlace), readPageSize, async ([before, rest], batchSize, of, page) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        await appendAll(eventStore, [...before, ...rest.flatMap(([failing, after]) => [failing, ...after])])
        const events = await readEverything(eventStore)
        const failing = events[before.length]
        if (failing === undefined) throw new Error('test setup: no failing event')
        const report = expectFailure(await catchUpProjection({ eventStore, readModelStore, projection: of }, { batchSize, ...(page === undefined ? {} : { readPageSize: page }) })())
        expect(report.event).toStrictEqual({ streamId: failing.streamId, version: failing.version, position: failing.position, type: failing.type })
        expect(report.reason._tag).toBe(failing.type === 'Defective' ? 'ProjectionThrew' : 'EventDecodeFailed')
        expect(await storedModel(readModelStore, of)).toStrictEqual(foldedModel(events.slice(0, before.length), new Set(), of))
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

  it('an event whose in-place apply throws where the pure apply does not stops the runner at it: the two disagree', async () => {
    // Withdrawals from account C throw in place (after counting them), and apply purely.
    const disagreeing: Projection<AccountTotal, AccountEvent> = {
      ...inPlace,
      inPlace: {
        draft: (document, id) => inPlace.inPlace?.draft(document, id),
        apply: (draft, event, id, earlier) => {
          const outcome = inPlace.inPlace?.apply(draft, event, id, earlier)
          if (event.type === 'Withdrawn' && event.account === 'C') throw new Error('in place only')
          return outcome
        },
      },
    }
    const withdrawalFromC: LogEntry = { streamId: 'account-C', type: 'Withdrawn', data: { account: 'C', amount: '1' } }
    await fc.assert(
      fc.asyncProperty(fc.array(validEntry, { maxLength: 15 }), fc.array(validEntry, { maxLength: 8 }), fc.integer({ min: 1, max: 6 }), readPageSize, async (before, after, batchSize, page) => {
        const firstFromC = before.findIndex((entry) => entry.type === 'Withdrawn' && (entry.data as { account: string }).account === 'C')
        const log = [...(firstFromC === -1 ? before : before.slice(0, firstFromC)), withdrawalFromC, ...after]
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        await appendAll(eventStore, log)
        const events = await readEverything(eventStore)
        const failing = events.find((event) => event.type === 'Withdrawn' && event.streamId === 'account-C')
        const report = expectFailure(await catchUpProjection({ eventStore, readModelStore, projection: disagreeing }, { batchSize, ...(page === undefined ? {} : { readPageSize: page }) })())
        expect(report.event.position).toBe(failing?.position)
        expect(await storedModel(readModelStore, inPlace)).toStrictEqual(foldedModel(events.filter((event) => failing === undefined || event.position < failing.position), new Set(), inPlace))
      }),
      { numRuns: 40 },
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
      fc.asyncProperty(fc.array(validEntry, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), cachedDocuments, async (entries, firstBatchSize, secondBatchSize, lagging, cached) => {
        const eventStore = newEventStore()
        const readModelStore = inMemoryReadModelStore()
        // With late commits, each runner applies its next batch while its commit is under way, and the two interleave.
        const store = lagging ? laggingCommits(readModelStore) : readModelStore
        const options = cached === undefined ? {} : { cachedDocuments: cached }
        await appendAll(eventStore, entries)
        const results = await Promise.all([
          catchUpProjection({ eventStore, readModelStore: store, projection }, { batchSize: firstBatchSize, ...options })(),
          catchUpProjection({ eventStore, readModelStore: store, projection }, { batchSize: secondBatchSize, ...options })(),
        ])
        expect(results.every(E.isRight)).toBe(true)
        expect(await storedModel(readModelStore)).toStrictEqual(foldedModel(await readEverything(eventStore)))
      }),
      { numRuns: 40 },
    )
  })
})

describe('runner: documents kept between batches', () => {
  /** A read-model store that runs `interfere` once, just before or just after the runner's n-th commit (the interference's own commits go to `store` and are not counted). */
  const interferingAt = (store: ReadModelStore, commitNumber: number, when: 'before' | 'after', interfere: () => Promise<void>): ReadModelStore => {
    let commits = 0
    return {
      ...store,
      commit: (namespace, request) => async () => {
        commits += 1
        if (commits !== commitNumber) return store.commit(namespace, request)()
        if (when === 'before') await interfere()
        const committed = await store.commit(namespace, request)()
        if (when === 'after') await interfere()
        return committed
      },
    }
  }

  it('a runner whose checkpoint another runner moved between its batches never applies events on the documents it kept', async () => {
    let interferences = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(validEntry, { minLength: 1, maxLength: 20 }),
        fc.array(validEntry, { maxLength: 8 }),
        fc.array(validEntry, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<'before' | 'after'>('before', 'after'),
        cachedDocuments,
        async (first, second, third, batchSize, commitNumber, when, cached) => {
          const eventStore = newEventStore()
          const durable = inMemoryReadModelStore()
          await appendAll(eventStore, first)
          const readModelStore = interferingAt(durable, commitNumber, when, async () => {
            interferences += 1
            // Another runner takes the projection past this one's checkpoint, changing documents this one
            // keeps (the total, at least); then more events arrive, which this one goes on to apply.
            await appendAll(eventStore, second)
            await catchUpFully(eventStore, durable, 3)
            await appendAll(eventStore, third)
          })
          await catchUpFully(eventStore, readModelStore, batchSize, cached === undefined ? {} : { cachedDocuments: cached })
          // It caught up with what it last read, which may be before `third` when it had no commit left to conflict.
          const checkpoint = await durable.readCheckpoint(projectionNamespace(projection))()
          if (E.isLeft(checkpoint) || checkpoint.right === undefined) throw new Error('no checkpoint')
          const stored = checkpoint.right
          expect(await storedModel(durable)).toStrictEqual(foldedModel((await readEverything(eventStore)).filter((event) => event.position <= stored)))
        },
      ),
      { numRuns: 100 },
    )
    // Most runs have enough commits for the interference to happen.
    expect(interferences).toBeGreaterThan(50)
  })

  it('after a commit by someone else (an operator correcting a document), the runner builds on the stored document, not on the one it kept', async () => {
    const eventStore = newEventStore()
    const durable = inMemoryReadModelStore()
    const namespace = projectionNamespace(projection)
    await appendAll(eventStore, [5, 7, 11].map((amount) => ({ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: amount.toString() } })))
    const [first, second] = await readEverything(eventStore)
    if (first === undefined || second === undefined) throw new Error('test setup')
    const readModelStore = interferingAt(durable, 1, 'after', async () => {
      // The correction takes the place of the second deposit.
      const corrected = await durable.commit(namespace, {
        changes: [{ _tag: 'Put', id: 'account:A', document: { movements: 100, balance: '1000' } }],
        expectedCheckpoint: first.position,
        checkpoint: second.position,
      })()
      expect(E.isRight(corrected)).toBe(true)
    })
    const progress = await catchUpFully(eventStore, readModelStore, 1)
    expect(progress.eventsProcessed).toBe(2)
    expect(await storedModel(durable)).toStrictEqual([
      ['account:A', { movements: 101, balance: 1011n }],
      [grandTotalId, { movements: 2, balance: 16n }],
    ])
  })

  it('reads no document in a rebuild from nothing, each at most once after a restart, and writes none that apply gave back unchanged', async () => {
    const eventStore = newEventStore()
    const durable = inMemoryReadModelStore()
    const reads: Array<ReadonlyArray<string>> = []
    const writes: Array<ReadonlyArray<string>> = []
    const readModelStore: ReadModelStore = {
      ...durable,
      getDocuments: (namespace, ids) => {
        reads.push([...ids])
        return durable.getDocuments(namespace, ids)
      },
      commit: (namespace, request) => {
        writes.push(request.changes.map((change) => change.id))
        return durable.commit(namespace, request)
      },
    }
    const movement = (account: string, type: 'Deposited' | 'Withdrawn', amount: number): LogEntry => ({ streamId: `account-${account}`, type, data: { account, amount: amount.toString() } })
    // More documents kept than the batch size (the default), which would keep one here.
    const run = async (entries: ReadonlyArray<LogEntry>, cached = 10) => {
      reads.length = 0
      writes.length = 0
      await appendAll(eventStore, entries)
      await catchUpFully(eventStore, readModelStore, 1, { of: sometimesUnchanged, cachedDocuments: cached })
    }

    await run([movement('A', 'Deposited', 5), movement('B', 'Deposited', 7), movement('A', 'Deposited', 9), movement('B', 'Withdrawn', 2)])
    expect(reads).toStrictEqual([])
    expect(writes).toStrictEqual([['account:A', grandTotalId], ['account:B', grandTotalId], [grandTotalId], ['account:B', grandTotalId]])

    await run([movement('A', 'Deposited', 1), movement('A', 'Deposited', 2), movement('B', 'Deposited', 4)])
    expect(reads).toStrictEqual([['account:A', grandTotalId], ['account:B']])

    // None kept: the first batch reads them; the second finds them in the first, whose commit it follows.
    await run([movement('A', 'Deposited', 4), movement('A', 'Deposited', 5)], 0)
    expect(reads).toStrictEqual([['account:A', grandTotalId]])
    await run([movement('A', 'Deposited', 6)], 0)
    expect(reads).toStrictEqual([['account:A', grandTotalId]])
    expect(await storedModel(durable)).toStrictEqual(foldedModel(await readEverything(eventStore), new Set(), sometimesUnchanged))
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

  it('polling an idle store reads no skips; the first batch with events after it does, and passes an event skipped while the runner waited', async () => {
    const eventStore = newEventStore()
    const store = inMemoryReadModelStore()
    const namespace = projectionNamespace(projection)
    let reads = 0
    let skipReads = 0
    let gate: Promise<void> | undefined
    const gatedStore: EventStore = {
      ...eventStore,
      readAll: (options) => async () => {
        reads += 1
        await gate
        return eventStore.readAll(options)()
      },
    }
    const readModelStore: ReadModelStore = {
      ...store,
      listSkips: (of) => {
        skipReads += 1
        return store.listSkips(of)
      },
    }
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '5' } }])
    const running = runProjection({ eventStore: gatedStore, readModelStore, projection }, { pollInterval: 1 })
    await waitUntil(() => running.progress().caughtUp)
    const skipReadsCaughtUp = skipReads
    const readsCaughtUp = reads
    await waitUntil(() => reads >= readsCaughtUp + 10)
    expect(skipReads).toBe(skipReadsCaughtUp)

    // The runner's next read waits while a defective event is appended and an operator skips it.
    let open: () => void = () => undefined
    gate = new Promise((resolve) => (open = resolve))
    const readsBefore = reads
    await waitUntil(() => reads > readsBefore)
    await appendAll(eventStore, [{ streamId: 'account-A', type: 'Defective', data: { account: 'A' } }, { streamId: 'account-A', type: 'Deposited', data: { account: 'A', amount: '7' } }])
    const defective = (await readEverything(eventStore)).find((event) => event.type === 'Defective')
    if (defective === undefined) throw new Error('test setup: no defective event')
    expect(E.isRight(await skipEvent(store, { projection: namespace, position: defective.position, reason: 'bad data', actor: 'operator' })())).toBe(true)
    gate = undefined
    open()
    await waitUntil(() => running.progress().eventsProcessed === 2 && running.progress().eventsSkipped === 1)
    // Two reads of the skips: the batch that found the events, and the poll after it (events were coming then).
    const readsAfterEvents = reads
    await waitUntil(() => reads >= readsAfterEvents + 10)
    expect(skipReads).toBe(skipReadsCaughtUp + 2)
    running.stop()
    expect(E.isRight(await running.done)).toBe(true)
    expect(await storedModel(store)).toStrictEqual(foldedModel(await readEverything(eventStore), new Set([defective.position])))
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
