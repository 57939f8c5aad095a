/**
 * The SQLite event store against the machine's limits on the same data, in one run:
 * - bulk append (`appendMany`, thousands of events per transaction) and append through the port
 *   (`appendToStream`, one stream per transaction), against a raw multi-row INSERT of the same rows
 *   into an equivalent table in one transaction;
 * - read everything in order and decode (`readAll` in batches), against a raw ordered SELECT with
 *   JSON.parse of each event's data;
 * - append through command handling (the application, a command at a time), for scale.
 * Every store validates appends with the domain's registry, as in production, and syncs every commit
 * (`synchronous = FULL`, the store's default); the raw limits use the same settings.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { createApplication, domainEventCodec, eventsAppendedBy } from '@policy-credit/application'
import { noStream, type EventStore, type NewEvent, type Position } from '@policy-credit/event-store'
import { sqliteEventStore, WAL_AUTOCHECKPOINT_PAGES, type SqliteEventStore, type StreamAppend } from '@policy-credit/sqlite'
import { fastestOf, measure, type Measured } from './measure.ts'
import type { BenchReport } from './report.ts'
import { domainValidator, townCommands, townStreams, type StreamEvents, type TownSize } from './syntheticTown.ts'

/** Events per `appendMany` transaction. */
const BULK_EVENTS = 5_000
/** Rows per multi-row INSERT in the raw limit, as the store writes them. */
const RAW_ROWS_PER_INSERT = 100
/** Rows per page of the raw read limit. */
const RAW_READ_PAGE = 1_000
/** Events per `readAll` page: the store's own subscription batch. */
const READ_BATCH = 1_000
/**
 * The slow measures run on a time-boxed prefix of the town, so the whole run stays within minutes:
 * command handling (a transaction and several reads per command), one transaction per stream (a sync
 * of the log per commit) and decoding every event with io-ts.
 */
const COMMAND_SECONDS = 15
const PREFIX_SECONDS = 20
const VALIDATION_SECONDS = 10
/** Turns of the two full reads (the limit and the store), the fastest of each kept. */
const READ_TURNS = 3
/** How often the loops record memory, in events. */
const SAMPLE_EVERY = 500

export interface SqliteTown {
  /** The file holding the whole town, appended with `appendMany`: the projections rebuild from it. */
  readonly filename: string
  readonly events: number
  /** The raw ordered SELECT + JSON.parse limit measured on it, in events per second. */
  readonly rawReadEventsPerSecond: number
}

const openStore = async (filename: string): Promise<SqliteEventStore> => {
  const opened = await sqliteEventStore({ filename, validate: domainValidator })()
  if (E.isLeft(opened)) throw new Error(`cannot open ${filename}: ${JSON.stringify(opened.left)}`)
  return opened.right
}

const orThrow = <A>(what: string, result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`${what} failed: ${JSON.stringify(result.left, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
  return result.right
}

const COLUMNS = 'stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version, correlation_id, causation_id, actor'
type Row = readonly [string, number, string, string, string, string, string, number, string | null, string | null, string | null]

/** The stored events as the streams they were appended as: each stream's events are contiguous in a store filled stream by stream. */
function* storedStreams(filename: string): Generator<StreamEvents> {
  const database = new Database(filename, { readonly: true })
  try {
    const rows = database.prepare<[], Row>(`SELECT ${COLUMNS} FROM events ORDER BY position`).raw(true).iterate()
    let streamId: string | undefined
    let events: Array<NewEvent> = []
    for (const [rowStream, , eventId, type, data, occurredOn, , schemaVersion, correlationId, causationId, actor] of rows) {
      if (rowStream !== streamId) {
        if (streamId !== undefined) yield { streamId, events }
        streamId = rowStream
        events = []
      }
      events.push({
        eventId,
        type,
        data: JSON.parse(data) as unknown,
        metadata: {
          occurredOn,
          schemaVersion,
          ...(correlationId === null ? {} : { correlationId }),
          ...(causationId === null ? {} : { causationId }),
          ...(actor === null ? {} : { actor }),
        },
      })
    }
    if (streamId !== undefined) yield { streamId, events }
  } finally {
    database.close()
  }
}

/** The same columns and constraints as the store's `events` table, without the store around it. */
const RAW_TABLE = `
  CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT NOT NULL CHECK (typeof(stream_id) = 'text' AND stream_id <> ''),
    version INTEGER NOT NULL CHECK (typeof(version) = 'integer' AND version >= 1),
    event_id TEXT NOT NULL UNIQUE CHECK (typeof(event_id) = 'text'),
    type TEXT NOT NULL CHECK (typeof(type) = 'text' AND type <> ''),
    data TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    correlation_id TEXT,
    causation_id TEXT,
    actor TEXT,
    UNIQUE (stream_id, version)
  )`

const rawDatabase = (filename: string): Database.Database => {
  const database = new Database(filename)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = FULL')
  database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
  return database
}

/**
 * The insert limit: every event of the town, multi-row INSERTs in one transaction (JSON.stringify of
 * the data counted, as the store must). With `eventsPerCommit`, a commit after whole streams of at
 * least that many events, as `appendMany` is called here: what the store's commits cost, for diagnosis.
 */
const rawInsert = async (source: string, target: string, eventsPerCommit = Number.POSITIVE_INFINITY): Promise<{ readonly events: number; readonly measured: Measured }> => {
  const database = rawDatabase(target)
  database.exec(RAW_TABLE)
  const placeholders = (rows: number) => Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')
  const full = database.prepare(`INSERT INTO events (${COLUMNS}) VALUES ${placeholders(RAW_ROWS_PER_INSERT)}`)
  const recordedAt = new Date().toISOString()
  const { result, measured } = await measure(async ({ timed, sample }) => {
    let events = 0
    await timed(() => database.exec('BEGIN IMMEDIATE'))
    let rows: Array<readonly [string, number, NewEvent]> = []
    const flush = () => {
      const parameters = rows.flatMap(([streamId, version, { eventId, type, data, metadata }]) => [
        streamId,
        version,
        eventId,
        type,
        JSON.stringify(data),
        metadata.occurredOn,
        recordedAt,
        metadata.schemaVersion,
        metadata.correlationId ?? null,
        metadata.causationId ?? null,
        metadata.actor ?? null,
      ])
      ;(rows.length === RAW_ROWS_PER_INSERT ? full : database.prepare(`INSERT INTO events (${COLUMNS}) VALUES ${placeholders(rows.length)}`)).run(parameters)
      rows = []
    }
    let uncommitted = 0
    for (const { streamId, events: streamEvents } of storedStreams(source)) {
      for (const [index, event] of streamEvents.entries()) {
        rows.push([streamId, index + 1, event])
        if (rows.length === RAW_ROWS_PER_INSERT) await timed(flush)
      }
      events += streamEvents.length
      uncommitted += streamEvents.length
      if (uncommitted >= eventsPerCommit) {
        await timed(() => {
          if (rows.length > 0) flush()
          database.exec('COMMIT')
          database.exec('BEGIN IMMEDIATE')
        })
        uncommitted = 0
      }
      if (events % SAMPLE_EVERY < streamEvents.length) sample()
    }
    if (rows.length > 0) await timed(flush)
    await timed(() => database.exec('COMMIT'))
    return events
  })
  database.close()
  return { events: result, measured }
}

/**
 * The read limit: every event in position order (or only those of `eventTypes`, as a projection's
 * filtered read returns them), each event's data parsed. Fetched in pages by position (`.all()` per
 * page): better-sqlite3 returns a page of rows faster than it steps a cursor row by row, so this is the
 * fastest plain SELECT, and it holds one page at a time.
 */
export const rawReadLimit = async (
  filename: string,
  { eventTypes, pageSize = RAW_READ_PAGE }: { readonly eventTypes?: ReadonlyArray<string>; readonly pageSize?: number } = {},
): Promise<{ readonly events: number; readonly measured: Measured }> => {
  const database = new Database(filename, { readonly: true })
  const byType = eventTypes === undefined ? '' : ' AND type IN (SELECT value FROM json_each(?))'
  const page = database.prepare<Array<number | string>, readonly [number, ...Row]>(`SELECT position, ${COLUMNS} FROM events WHERE position > ?${byType} ORDER BY position LIMIT ?`).raw(true)
  const types = eventTypes === undefined ? [] : [JSON.stringify(eventTypes)]
  const { result, measured } = await measure(({ timed, sample }) =>
    timed(() => {
      let events = 0
      let parsed = 0
      let after = 0
      let pages = 0
      for (;;) {
        const rows = page.all(after, ...types, pageSize)
        for (const row of rows) {
          // Counted below, so the parse cannot be optimised away.
          parsed += JSON.parse(row[5]) === null ? 0 : 1
        }
        events += rows.length
        pages += 1
        // Reading the memory is a system call: rarely, as it is inside the timed work here.
        if (pages % 50 === 0) sample()
        const last = rows.at(-1)
        if (last === undefined || rows.length < pageSize) break
        after = last[0]
      }
      if (parsed !== events) throw new Error('an event without data')
      return Promise.resolve(events)
    }),
  )
  database.close()
  return { events: result, measured }
}

/** Everything through the port, page by page; with `decode`, each event also decoded by the domain's codec (io-ts). */
const readEverything = async (store: EventStore, decode: boolean, timeBoxSeconds = Number.POSITIVE_INFINITY): Promise<{ readonly events: number; readonly measured: Measured }> => {
  const { result, measured } = await measure(async ({ timed, sample }) => {
    let events = 0
    let after: Position | undefined
    const started = performance.now()
    for (;;) {
      const page = orThrow(
        'readAll',
        await timed(async () => {
          const read = await store.readAll({ maxCount: READ_BATCH, ...(after === undefined ? {} : { after }) })()
          if (decode && E.isRight(read)) for (const recorded of read.right.events) orThrow('decoding', domainEventCodec.decode(recorded))
          return read
        }),
      )
      events += page.events.length
      sample()
      if (page.isEnd || page.checkpoint === undefined || performance.now() - started > timeBoxSeconds * 1_000) break
      after = page.checkpoint
    }
    return events
  })
  return { events: result, measured }
}

const rate = (events: number, seconds: number): number => events / seconds

export const sqliteBenchmarks = async (size: TownSize, report: BenchReport, directory: string): Promise<SqliteTown> => {
  const bulkFile = join(directory, 'bulk.sqlite')
  const perStreamFile = join(directory, 'per-stream.sqlite')
  const rawFile = join(directory, 'raw.sqlite')
  const rawCommitsFile = join(directory, 'raw-commits.sqlite')
  const commandsFile = join(directory, 'commands.sqlite')

  // 1. The town, generated and appended in bulk: the one pass through the generator.
  const bulkStore = await openStore(bulkFile)
  let generatingSeconds = 0
  let streams = 0
  const bulk = await measure(async ({ timed, sample }) => {
    let events = 0
    let batch: Array<StreamAppend> = []
    let batchEvents = 0
    const flush = async () => {
      orThrow('appendMany', await timed(() => bulkStore.appendMany(batch)()))
      batch = []
      batchEvents = 0
      sample()
    }
    const started = performance.now()
    for (const { streamId, events: streamEvents } of townStreams(size)) {
      batch.push({ streamId, expected: noStream, events: streamEvents })
      batchEvents += streamEvents.length
      events += streamEvents.length
      streams++
      if (batchEvents >= BULK_EVENTS) await flush()
    }
    if (batch.length > 0) await flush()
    generatingSeconds = (performance.now() - started) / 1_000
    return events
  })
  await bulkStore.close()
  const events = bulk.result
  generatingSeconds -= bulk.measured.seconds
  report.say(
    `synthetic town: ${size.households.toLocaleString('en-US')} households in ${size.communes} communes, ${size.reviews} reviews, ${Math.round(size.loanShare * 100)} % borrowing (seed ${size.seed}): ${events.toLocaleString('en-US')} events in ${streams.toLocaleString('en-US')} streams`,
  )
  report.line('generate the town (core deciders, encode)', { events, seconds: generatingSeconds, note: 'not counted in the store figures' })

  // 2. The machine's insert limit on the same rows.
  const insertLimit = await rawInsert(bulkFile, rawFile)
  const insertLimitRate = rate(insertLimit.events, insertLimit.measured.seconds)
  report.line('LIMIT raw multi-row INSERT, one transaction', { events: insertLimit.events, ...insertLimit.measured })
  report.line(`SQLite appendMany, ~${BULK_EVENTS.toLocaleString('en-US')} events per transaction`, {
    events,
    ...bulk.measured,
    limitEventsPerSecond: insertLimitRate,
    note: 'target ≥ 50 % of the insert limit',
  })
  // Diagnosis: the limit again, committing as often as appendMany does above.
  const committingLimit = await rawInsert(bulkFile, rawCommitsFile, BULK_EVENTS)
  report.line(`raw multi-row INSERT, a commit per ~${BULK_EVENTS.toLocaleString('en-US')} events`, {
    events: committingLimit.events,
    ...committingLimit.measured,
    limitEventsPerSecond: insertLimitRate,
    note: "diagnosis: appendMany's commits without the store",
  })

  // What validating with the domain registry (io-ts) costs alone, every store paying it on every append.
  const validation = await measure(async ({ timed, sample }) => {
    let validated = 0
    let spent = 0
    for (const { streamId, events: streamEvents } of storedStreams(bulkFile)) {
      const started = performance.now()
      await timed(() => {
        for (const event of streamEvents) {
          const refusal = domainValidator(streamId, event)
          if (refusal !== undefined) throw new Error(`${streamId}: ${refusal}`)
        }
      })
      spent += performance.now() - started
      validated += streamEvents.length
      if (validated % SAMPLE_EVERY < streamEvents.length) sample()
      if (spent > VALIDATION_SECONDS * 1_000) break
    }
    return validated
  })
  report.line('domain validation alone (io-ts decode of each event), no store', {
    events: validation.result,
    ...validation.measured,
    note: `part of every validated append${validation.result < events ? `; the first ${VALIDATION_SECONDS} s of the town` : ''}`,
  })

  // 3. The port's own append: one stream per call and transaction.
  const perStreamStore = await openStore(perStreamFile)
  const perStream = await measure(async ({ timed, sample }) => {
    let appended = 0
    let transactions = 0
    let spent = 0
    for (const { streamId, events: streamEvents } of storedStreams(bulkFile)) {
      const started = performance.now()
      orThrow('appendToStream', await timed(() => perStreamStore.appendToStream(streamId, noStream, streamEvents)()))
      spent += performance.now() - started
      appended += streamEvents.length
      transactions++
      if (appended % SAMPLE_EVERY < streamEvents.length) sample()
      if (spent > PREFIX_SECONDS * 1_000) break
    }
    return { appended, transactions }
  })
  await perStreamStore.close()
  report.line('SQLite appendToStream, one whole stream per transaction', {
    events: perStream.result.appended,
    ...perStream.measured,
    limitEventsPerSecond: insertLimitRate,
    note: `${(perStream.result.appended / perStream.result.transactions).toFixed(1)} events per transaction; ${perStream.result.transactions.toLocaleString('en-US')} of ${streams.toLocaleString('en-US')} streams (${PREFIX_SECONDS} s box)`,
  })

  // 4. Reading everything back: the limit and the store taking turns, best of three each, as reads are short and the machine is shared.
  const readStore = await openStore(bulkFile)
  const limitRuns: Array<{ readonly events: number; readonly measured: Measured }> = []
  const readRuns: Array<{ readonly events: number; readonly measured: Measured }> = []
  for (let turn = 0; turn < READ_TURNS; turn++) {
    limitRuns.push(await rawReadLimit(bulkFile))
    readRuns.push(await readEverything(readStore, false))
  }
  const readLimit = fastestOf(limitRuns)
  const read = fastestOf(readRuns)
  const readLimitRate = rate(readLimit.events, readLimit.measured.seconds)
  report.line('LIMIT raw ordered SELECT + JSON.parse', { events: readLimit.events, ...readLimit.measured, note: `best of ${READ_TURNS}` })
  report.line(`SQLite readAll, ${READ_BATCH.toLocaleString('en-US')} per page, rows decoded to RecordedEvent`, {
    events: read.events,
    ...read.measured,
    limitEventsPerSecond: readLimitRate,
    note: `best of ${READ_TURNS}; target ≥ 50 % of the read limit`,
  })
  const decoded = await readEverything(readStore, true, PREFIX_SECONDS)
  report.line('SQLite readAll + the domain codec (io-ts) on every event', {
    events: decoded.events,
    ...decoded.measured,
    limitEventsPerSecond: readLimitRate,
    note: decoded.events < events ? `the first ${PREFIX_SECONDS} s of the town` : 'what a consumer decoding every event gets',
  })
  await readStore.close()

  // 5. Command handling, for scale: a prefix of the town, a command at a time.
  const commandStore = await openStore(commandsFile)
  const application = createApplication({ store: commandStore })
  const commands = await measure(async ({ timed, sample }) => {
    let executed = 0
    let appended = 0
    let spent = 0
    for (const envelope of townCommands(size)) {
      const started = performance.now()
      const outcome = orThrow(`command ${envelope.commandId}`, await timed(() => application.execute(envelope)()))
      spent += performance.now() - started
      appended += eventsAppendedBy(outcome)
      executed++
      if (executed % 100 === 0) sample()
      if (spent > COMMAND_SECONDS * 1_000) break
    }
    return { executed, appended }
  })
  await commandStore.close()
  report.line('SQLite through command handling (application.execute)', {
    events: commands.result.appended,
    ...commands.measured,
    limitEventsPerSecond: insertLimitRate,
    note: `${commands.result.executed.toLocaleString('en-US')} commands, ${Math.round(commands.result.executed / commands.measured.seconds)} commands/s (the first ${COMMAND_SECONDS} s of the town)`,
  })

  return { filename: bulkFile, events, rawReadEventsPerSecond: readLimitRate }
}
