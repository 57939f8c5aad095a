/**
 * The PostgreSQL part of `pnpm bench` (docs/benchmarks-postgres.md): the synthetic town appended
 * through the store (per stream with 1 and 4 writers, through command handling, in bulk) and replayed
 * into both projections' PostgreSQL read models, each beside the machine's limit for the same rows
 * and the same transaction shapes in plain SQL. Everything runs in a database of its own, dropped at
 * the end.
 */
import * as E from 'fp-ts/lib/Either.js'
import { createApplication, executeAll, type CommandEnvelope } from '@policy-credit/application'
import type { AppendValidator } from '@policy-credit/event-store'
import { postgresEventStore, postgresReadModelStore, type PostgresEventStore } from '@policy-credit/postgres'
import { rebuildProjection, type Projection } from '@policy-credit/projections'
import { outstandingDebtProjection } from '@policy-credit/projection-outstanding-debt'
import { povertyRateProjection } from '@policy-credit/projection-poverty-rate'
import { measure as measureWith } from './measure.ts'
import type { BenchReport } from './report.ts'
import { domainValidator, townCommands, townStreams, type TownSize } from './syntheticTown.ts'
import { batchAppends, dealToWriters, eventCount, expectedVersionOf, planAppends, toStreamAppend, type PlannedAppend } from './postgres/plan.ts'
import { copyEach, createEventsTable, insertEach, readInOrder } from './postgres/rawSql.ts'
import { withThrowawayDatabase } from './postgres/throwawayDatabase.ts'

/** Commands executed through command handling: a prefix of the town's, since each waits for its reads and its commit in turn. */
export const COMMAND_PREFIX = 1_000
/** Appends made one stream per transaction: a prefix of the town's, since each waits for its own commit (fsync). */
export const PER_STREAM_PREFIX = 2_000
/** Events per bulk transaction (whole streams, so a batch holds at least this many). */
export const BULK_BATCH_EVENTS = 1_000
/**
 * Events per replay batch (read, applied and committed together) and per FETCH of the raw reads: a
 * rebuild's batch, as `policy-credit project --batch-size` sets it. The runner's default (500) makes
 * ten times the commits, each rewriting the period buckets the batch touched (docs/benchmarks-postgres.md).
 */
export const REPLAY_BATCH_EVENTS = 5_000
const CONCURRENT_WRITERS = 4

const orThrow = <L, A>(what: string, result: E.Either<L, A>): A => {
  if (E.isLeft(result)) throw new Error(`${what} failed: ${JSON.stringify(result.left, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`)
  return result.right
}

/** Times `work` with the bench's shared measure: wall time, peak RSS and heap. */
const measure = async <A>(work: () => Promise<A>) => {
  const { result, measured } = await measureWith(({ timed }) => timed(work))
  return { value: result, ...measured }
}

const take = function* <A>(items: Iterable<A>, count: number): Iterable<A> {
  if (count <= 0) return
  let taken = 0
  for (const item of items) {
    yield item
    if (++taken >= count) return
  }
}

/** What the benchmarks run on: the town's appends in order, a prefix of its commands, and the store's validator. */
export interface PostgresBenchInput {
  readonly appends: ReadonlyArray<PlannedAppend>
  readonly commands: Iterable<CommandEnvelope>
  readonly validate: AppendValidator
}

export const postgresBenchmarks = async (size: TownSize, report: BenchReport): Promise<void> =>
  runPostgresBenchmarks({ appends: planAppends(townStreams(size)), commands: take(townCommands(size), COMMAND_PREFIX), validate: domainValidator }, report)

const plural = (count: number, noun: string): string => `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`

export const runPostgresBenchmarks = (input: PostgresBenchInput, report: BenchReport): Promise<void> =>
  withThrowawayDatabase(CONCURRENT_WRITERS * 2, async ({ pool }) => {
    const { appends, validate } = input
    const events = eventCount(appends)
    const openStore = async (schema: string): Promise<PostgresEventStore> => orThrow('opening the event store', await postgresEventStore({ pool, schema, validate })())
    const dropSchema = (schema: string) => pool.query(`DROP SCHEMA ${schema} CASCADE`)
    // Each step starts without the previous one's dirty pages and WAL to write out.
    const settle = () => pool.query('CHECKPOINT').catch(() => undefined)
    const figures = (measured: { readonly seconds: number; readonly peakRssBytes: number; readonly peakHeapBytes: number }) => ({
      seconds: measured.seconds,
      peakRssBytes: measured.peakRssBytes,
      peakHeapBytes: measured.peakHeapBytes,
    })

    // Each stream's events in one call, one transaction each, with 1 and 4 writers: on a prefix of the
    // town, since every append waits for its own commit.
    const perStream = appends.slice(0, PER_STREAM_PREFIX)
    const perStreamEvents = eventCount(perStream)
    for (const writers of [1, CONCURRENT_WRITERS]) {
      const dealt = dealToWriters(perStream, writers)
      const shape = `first ${plural(perStream.length, 'append')} of the town, ${plural(writers, 'writer')}, one transaction each`
      const rawSchema = `raw_per_stream_${writers}`
      await createEventsTable(pool, rawSchema)
      await settle()
      const raw = await measure(() => Promise.all(dealt.map((writerAppends) => insertEach(pool, rawSchema, writerAppends.map((append) => [append])))))
      report.line(`limit: INSERT per stream, ${plural(writers, 'writer')}`, { events: perStreamEvents, ...figures(raw), note: `${shape}; one multi-row INSERT` })
      await dropSchema(rawSchema)

      const storeSchema = `store_per_stream_${writers}`
      const store = await openStore(storeSchema)
      await settle()
      const appended = await measure(() =>
        Promise.all(
          dealt.map(async (writerAppends) => {
            for (const append of writerAppends) orThrow('appendToStream', await store.appendToStream(append.streamId, expectedVersionOf(append), append.events)())
          }),
        ),
      )
      report.line(`appendToStream per stream, ${plural(writers, 'writer')}`, {
        events: perStreamEvents,
        ...figures(appended),
        limitEventsPerSecond: perStreamEvents / raw.seconds,
        note: `${shape}; validated; target >= 75 % of the INSERT`,
      })
      await store.close()
      await dropSchema(storeSchema)
    }

    // Command handling: each command loads its stream(s), decides, and appends.
    {
      const store = await openStore('store_commands')
      const application = createApplication({ store })
      await settle()
      const handled = await measure(() => executeAll(application, input.commands)())
      const summary = handled.value
      if (summary.stoppedBy !== undefined) throw new Error(`command handling stopped at command ${summary.stoppedBy.index}: ${summary.stoppedBy.error._tag}`)
      report.line('command handling (createApplication, executeAll)', {
        events: summary.eventsAppended,
        ...figures(handled),
        note: `first ${plural(summary.executed, 'command')} of the town, ${(summary.executed / handled.seconds).toFixed(0)} commands/s, ${summary.refused} refused; validated`,
      })
      await store.close()
      await dropSchema('store_commands')
    }

    // Bulk: many streams' appends per transaction, beside a batched INSERT and COPY of the same batches.
    const batches = batchAppends(appends, BULK_BATCH_EVENTS)
    const batchShape = `whole town, ${plural(batches.length, 'transaction')} of >= ${BULK_BATCH_EVENTS.toLocaleString('en-US')} events`
    await createEventsTable(pool, 'raw_batched')
    await settle()
    const rawBatched = await measure(() => insertEach(pool, 'raw_batched', batches))
    report.line('limit: INSERT in batches', { events, ...figures(rawBatched), note: `${batchShape}; one multi-row INSERT each` })
    await dropSchema('raw_batched')

    await createEventsTable(pool, 'raw_copy')
    await settle()
    const copied = await measure(() => copyEach(pool, 'raw_copy', batches))
    report.line('limit: COPY in batches', { events, ...figures(copied), note: `${batchShape}; one COPY FROM STDIN each` })
    await dropSchema('raw_copy')

    const bulkStore = await openStore('store_bulk')
    await settle()
    const bulk = await measure(async () => {
      for (const batch of batches) orThrow('appendMany', await bulkStore.appendMany(batch.map(toStreamAppend))())
    })
    report.line('appendMany (bulk)', {
      events,
      ...figures(bulk),
      limitEventsPerSecond: events / rawBatched.seconds,
      note: `${batchShape}; validated; target >= 50 % of the batched INSERT`,
    })

    // Replay of the bulk-loaded town. Vacuumed first, so that the raw reads and the replays find the
    // table in the same state (hint bits set, statistics current).
    await pool.query('VACUUM ANALYZE store_bulk.events')
    await settle()
    const rawRead = await measure(() => readInOrder(pool, 'store_bulk', REPLAY_BATCH_EVENTS))
    if (rawRead.value.events !== events) throw new Error(`the raw read found ${rawRead.value.events} events, not ${events}`)
    report.line('limit: ordered cursor read + JSON.parse, all events', { events, ...figures(rawRead), note: `FETCH ${REPLAY_BATCH_EVENTS} per round trip` })

    const readModelStore = orThrow('opening the read-model store', await postgresReadModelStore({ pool, schema: 'read_models' })())
    const replay = async <Document, Event>(projection: Projection<Document, Event>): Promise<void> => {
      const eventTypes = projection.filter.eventTypes
      const limit = await measure(() => readInOrder(pool, 'store_bulk', REPLAY_BATCH_EVENTS, eventTypes))
      report.line(`limit: ordered cursor read + JSON.parse, ${projection.name}`, {
        events: limit.value.events,
        ...figures(limit),
        note: `the event types the projection follows; FETCH ${REPLAY_BATCH_EVENTS} per round trip`,
      })
      await settle()
      const rebuilt = await measure(() => rebuildProjection({ eventStore: bulkStore, readModelStore, projection }, { batchSize: REPLAY_BATCH_EVENTS })())
      const progress = orThrow(`rebuilding ${projection.name}`, rebuilt.value)
      report.line(`replay ${projection.name} into PostgreSQL`, {
        events: progress.eventsProcessed,
        ...figures(rebuilt),
        limitEventsPerSecond: limit.value.events / limit.seconds,
        note: `rebuildProjection, ${progress.batchesCommitted} batches of ${REPLAY_BATCH_EVENTS}; target >= 30 % of the read`,
      })
    }
    await replay(povertyRateProjection)
    await replay(outstandingDebtProjection)
    await readModelStore.close()
    await bulkStore.close()
  })
