/**
 * The event store on one SQLite file (better-sqlite3, synchronous). Every append is one `BEGIN
 * IMMEDIATE` transaction: SQLite has a single writer, so the stream versions read inside it cannot
 * change before the commit, and the `position` SQLite gives each row (`AUTOINCREMENT`) grows in
 * commit order — a reader of the global order can never see a hole that fills in later.
 *
 * Fast path: the events are written straight away and the UNIQUE (event_id) index catches a reused
 * id; only then, or when the expected version does not hold, are the stored events under the
 * requested ids looked up and the append planned with `planAppend` (repeat or duplicate), the rule
 * every store shares.
 */
import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import {
  catchUpSubscription,
  checkAppend,
  checkReadAllOptions,
  checkReadStreamOptions,
  laterPosition,
  planAppend,
  positionFromSequence,
  satisfiesExpectedVersion,
  sequenceFromPosition,
  type AppendResult,
  type EventFilter,
  type EventStore,
  type EventStoreError,
  type EventStoreOptions,
  type ExpectedVersion,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type RecordedEventMetadata,
  type Subscription,
} from '@policy-credit/event-store'
import { classifySqliteError } from './errors.ts'
import { openSqliteFile, type SqliteFileOptions, type SqliteOpenError } from './schema.ts'
import { appendNotifier } from './appendNotifier.ts'
import { transactionsOn } from './transactions.ts'
import { readAheadOn, type ReadAheadOptions } from './readAhead.ts'

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string
  readonly expected: ExpectedVersion
  readonly events: ReadonlyArray<NewEvent>
}

export interface SqliteEventStore extends EventStore {
  /**
   * Appends to several streams in one transaction: all of them or none (the first refusal is
   * returned). Each stream's append follows the same rules as `appendToStream`, in order, so a
   * later entry sees the versions an earlier one wrote. The bulk path of imports and benchmarks.
   */
  readonly appendMany: (appends: ReadonlyArray<StreamAppend>) => TE.TaskEither<EventStoreError, ReadonlyArray<AppendResult>>
  /** Pages of `readAll` read by the read-ahead worker so far (docs/sqlite.md, "Read-ahead"); 0 while it is off or idle. */
  readonly pagesReadAhead: () => number
}

export interface SqliteEventStoreOptions extends EventStoreOptions, SqliteFileOptions {
  /** How often a live subscription looks for events appended by other connections; 100 ms when absent. */
  readonly pollIntervalMilliseconds?: number
  /**
   * Sequential reads of the whole log (a projection catching up) have their next pages read by a worker
   * thread on its own connection, while the caller works on the current one (readAhead.ts); `false` reads
   * every page on the caller's thread. Never for an in-memory or temporary database, which no other
   * connection can open.
   */
  readonly readAhead?: false | ReadAheadOptions
}

const DEFAULT_POLL_INTERVAL_MILLISECONDS = 100
/** Rows per multi-row INSERT: 11 parameters each, far below SQLite's 32 766-parameter limit. */
const ROWS_PER_INSERT = 100
const SUBSCRIPTION_BATCH_SIZE = 1_000
/**
 * WAL pages after which a commit checkpoints (SQLite's default is 1,000: 4 MiB). A bulk append dirties
 * pages all over the random `event_id` index, so at the default every commit of a few thousand events
 * also copies its pages into the file and syncs it; at 40 MiB a page rewritten by several commits is
 * copied once. The 421,711 events of the 20,000-household bench town, in commits of 5,000: about 85 commits
 * in 4.5–5.6 s instead of 7.7–8.4 s. The price: a WAL file of about 40 MiB.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000

const COLUMNS = 'position, stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version, correlation_id, causation_id, actor'
const INSERTED_COLUMNS = 'stream_id, version, event_id, type, data, occurred_on, recorded_at, schema_version, correlation_id, causation_id, actor'
const INSERTED_PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
const PARAMETERS_PER_ROW = 11

/** A row as `raw()` returns it, in `COLUMNS` order. */
type EventRow = readonly [
  position: number,
  streamId: string,
  version: number,
  eventId: string,
  type: string,
  data: string,
  occurredOn: string,
  recordedAt: string,
  schemaVersion: number,
  correlationId: string | null,
  causationId: string | null,
  actor: string | null,
]

type Outcome<A> = E.Either<EventStoreError, A>

type Mutable<Record> = { -readonly [Key in keyof Record]: Record[Key] }

const invalidStoredEvent = (row: EventRow, message: string): EventStoreError => ({
  _tag: 'InvalidStoredEvent',
  streamId: String(row[1]),
  version: typeof row[2] === 'number' ? BigInt(row[2]) : 0n,
  position: positionFromSequence(BigInt(row[0])),
  type: String(row[4]),
  message,
})

/** A stored row as an event; a row whose data is not JSON (edited behind the store's back) is `InvalidStoredEvent`. */
const decodeRow = (row: EventRow): Outcome<RecordedEvent> => {
  let data: unknown
  try {
    data = JSON.parse(row[5])
  } catch (cause) {
    return E.left(invalidStoredEvent(row, `data is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`))
  }
  if (typeof row[8] !== 'number' || typeof row[6] !== 'string' || typeof row[7] !== 'string') {
    return E.left(invalidStoredEvent(row, 'metadata columns hold values of the wrong type'))
  }
  // Assigned field by field: absent metadata stays absent, and this is the hot path of every read.
  const metadata: Mutable<RecordedEventMetadata> = { occurredOn: row[6], schemaVersion: row[8], recordedAt: row[7] }
  if (row[9] !== null) metadata.correlationId = row[9]
  if (row[10] !== null) metadata.causationId = row[10]
  if (row[11] !== null) metadata.actor = row[11]
  return E.right({
    streamId: row[1],
    version: BigInt(row[2]),
    position: positionFromSequence(BigInt(row[0])),
    eventId: row[3],
    type: row[4],
    data,
    metadata,
  })
}

const decodeRows = (rows: ReadonlyArray<EventRow>): Outcome<ReadonlyArray<RecordedEvent>> => {
  const events: Array<RecordedEvent> = new Array<RecordedEvent>(rows.length)
  for (let index = 0; index < rows.length; index++) {
    const decoded = decodeRow(rows[index] as EventRow)
    if (E.isLeft(decoded)) return decoded
    events[index] = decoded.right
  }
  return E.right(events)
}

const isSequencePosition = (position: string): boolean => E.isRight(sequenceFromPosition(position))

/** Thrown inside an append transaction to roll it back and plan every append against what is stored. */
class ClashWithStoredEvents extends Error {}

/** Opens the file (creating and migrating it if needed) and returns the store on it. */
export const sqliteEventStore = (options: SqliteEventStoreOptions): TE.TaskEither<SqliteOpenError, SqliteEventStore> => async () => {
  const opened = openSqliteFile(options)
  return E.isLeft(opened) ? opened : E.right(eventStoreOn(opened.right, options))
}

const eventStoreOn = (database: Database.Database, options: SqliteEventStoreOptions): SqliteEventStore => {
  const clock = options.clock ?? (() => new Date())
  const pollInterval = options.pollIntervalMilliseconds ?? DEFAULT_POLL_INTERVAL_MILLISECONDS
  const notifier = appendNotifier(options.filename)
  const subscriptions = new Set<Subscription>()
  let closed = false

  database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
  const statement = <Row>(sql: string) => database.prepare<unknown[], Row>(sql)
  const { writing, reading } = transactionsOn(database)
  const streamVersion = statement<{ version: number | null }>('SELECT max(version) AS version FROM events WHERE stream_id = ?')
  const eventsWithIds = statement<EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY position`).raw(true)
  const head = statement<{ position: number | null }>('SELECT max(position) AS position FROM events')
  const streamForwards = statement<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?`,
  ).raw(true)
  const streamBackwards = statement<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT ?`,
  ).raw(true)

  // One statement per filter shape; the lists travel as one JSON parameter, so any length fits.
  const readAllStatements = new Map<string, { readonly sql: string; readonly prepared: Database.Statement<unknown[], EventRow> }>()
  const readAllStatement = (filter: EventFilter | undefined): { readonly sql: string; readonly prepared: Database.Statement<unknown[], EventRow> } => {
    const byPrefix = filter?.streamPrefixes !== undefined
    const byType = filter?.eventTypes !== undefined
    const key = `${byPrefix}:${byType}`
    const cached = readAllStatements.get(key)
    if (cached !== undefined) return cached
    const conditions = [
      'position > ?',
      // substr and length count characters, as startsWith does for well-formed strings.
      ...(byPrefix ? ['EXISTS (SELECT 1 FROM json_each(?) AS prefix WHERE substr(stream_id, 1, length(prefix.value)) = prefix.value)'] : []),
      ...(byType ? ['type IN (SELECT value FROM json_each(?))'] : []),
    ]
    const sql = `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT ?`
    const made = { sql, prepared: statement<EventRow>(sql).raw(true) }
    readAllStatements.set(key, made)
    return made
  }
  // Another connection on the same file reads the next pages of a sequential reader (readAhead.ts).
  const readAhead = options.readAhead === false || database.memory || database.name === '' ? undefined : readAheadOn(resolve(database.name), options.readAhead)

  const insertStatements = new Map<number, Database.Statement<unknown[]>>()
  const insertStatement = (rowCount: number): Database.Statement<unknown[]> => {
    const cached = insertStatements.get(rowCount)
    if (cached !== undefined) return cached
    const prepared = database.prepare(`INSERT INTO events (${INSERTED_COLUMNS}) VALUES ${Array(rowCount).fill(INSERTED_PLACEHOLDERS).join(', ')}`)
    insertStatements.set(rowCount, prepared)
    return prepared
  }

  const closedError = (): EventStoreError => ({ _tag: 'EventStoreUnavailable', cause: new Error('the SQLite event store is closed') })

  /** Runs a store operation when its task runs, mapping anything the driver throws to `EventStoreUnavailable`. */
  const operation =
    <A>(body: () => Outcome<A> | Promise<Outcome<A>>): TE.TaskEither<EventStoreError, A> =>
    async () => {
      if (closed) return E.left(closedError())
      try {
        return await body()
      } catch (cause) {
        return E.left({ _tag: 'EventStoreUnavailable', cause: classifySqliteError(cause).cause })
      }
    }

  /**
   * Writes the appends inside the open write transaction. `careful`: look up the requested ids
   * before each stream's write (after a clash); otherwise only when the expected version fails.
   */
  const writeAppends = (appends: ReadonlyArray<StreamAppend>, recordedAt: string, careful: boolean): Outcome<ReadonlyArray<AppendResult>> => {
    /** Each stream's version as this transaction leaves it. */
    const currentVersions = new Map<string, number>()
    const results: Array<AppendResult> = []
    /** Parameters of the rows not inserted yet: at most `ROWS_PER_INSERT` rows. */
    let chunk: Array<unknown> = []
    /** The appends whose last row is in `chunk`: [index in results, index of the row in chunk]. */
    let unresolved: Array<readonly [number, number]> = []

    const flush = (): void => {
      const rows = chunk.length / PARAMETERS_PER_ROW
      if (rows === 0) return
      let lastPosition: number
      try {
        lastPosition = Number(insertStatement(rows).run(chunk).lastInsertRowid)
      } catch (cause) {
        const failure = classifySqliteError(cause)._tag
        if (!careful && (failure === 'EventIdTaken' || failure === 'StreamVersionTaken')) throw new ClashWithStoredEvents()
        throw cause
      }
      // Under the write lock the rows of one INSERT get consecutive positions, the last one `lastPosition`.
      for (const [resultIndex, rowIndex] of unresolved) {
        const result = results[resultIndex] as AppendResult
        results[resultIndex] = { ...result, position: positionFromSequence(BigInt(lastPosition - (rows - 1 - rowIndex))) }
      }
      chunk = []
      unresolved = []
    }

    for (const { streamId, expected, events } of appends) {
      const currentVersion = currentVersions.get(streamId) ?? streamVersion.get(streamId)?.version ?? 0
      let firstVersion = currentVersion + 1
      if (careful || !satisfiesExpectedVersion(expected, BigInt(currentVersion))) {
        flush()
        const stored = decodeRows(eventsWithIds.all(JSON.stringify(events.map((event) => event.eventId))))
        if (E.isLeft(stored)) return stored
        const plan = planAppend(streamId, expected, events, BigInt(currentVersion), stored.right)
        if (E.isLeft(plan)) return plan
        if (plan.right._tag === 'AlreadyWritten') {
          results.push(plan.right.result)
          continue
        }
        firstVersion = Number(plan.right.firstVersion)
      }
      const lastVersion = firstVersion + events.length - 1
      currentVersions.set(streamId, lastVersion)
      const resultIndex = results.length
      // `flush` fills in the position once the last row is inserted.
      results.push({ nextExpectedVersion: BigInt(lastVersion), position: '' as Position, written: true })
      for (let index = 0; index < events.length; index++) {
        const { eventId, type, data, metadata } = events[index] as NewEvent
        chunk.push(
          streamId,
          firstVersion + index,
          eventId,
          type,
          JSON.stringify(data),
          metadata.occurredOn,
          recordedAt,
          metadata.schemaVersion,
          metadata.correlationId ?? null,
          metadata.causationId ?? null,
          metadata.actor ?? null,
        )
        if (index === events.length - 1) unresolved.push([resultIndex, chunk.length / PARAMETERS_PER_ROW - 1])
        if (chunk.length === ROWS_PER_INSERT * PARAMETERS_PER_ROW) flush()
      }
    }
    flush()
    return E.right(results)
  }

  const appendInTransaction = (appends: ReadonlyArray<StreamAppend>, careful: boolean): Outcome<ReadonlyArray<AppendResult>> => {
    const recordedAt = clock().toISOString()
    return writing(() => writeAppends(appends, recordedAt, careful))
  }

  const append = (appends: ReadonlyArray<StreamAppend>): Outcome<ReadonlyArray<AppendResult>> => {
    for (const { streamId, expected, events } of appends) {
      const checked = checkAppend(streamId, expected, events, options.validate)
      if (E.isLeft(checked)) return checked
    }
    let outcome: Outcome<ReadonlyArray<AppendResult>>
    try {
      outcome = appendInTransaction(appends, false)
    } catch (cause) {
      if (!(cause instanceof ClashWithStoredEvents)) throw cause
      outcome = appendInTransaction(appends, true)
    }
    if (E.isRight(outcome) && outcome.right.some((result) => result.written)) notifier.notify()
    return outcome
  }

  const readStream = (streamId: string, readOptions: ReadStreamOptions): Outcome<ReadonlyArray<RecordedEvent>> => {
    const checked = checkReadStreamOptions(streamId, readOptions)
    if (E.isLeft(checked)) return checked
    const limit = readOptions.maxCount ?? -1
    return readOptions.direction === 'backwards'
      ? decodeRows(streamBackwards.all(streamId, readOptions.fromVersion ?? Number.MAX_SAFE_INTEGER, limit))
      : decodeRows(streamForwards.all(streamId, readOptions.fromVersion ?? 1n, limit))
  }

  const headPosition = (): Position | undefined => {
    const position = head.get()?.position
    return position === null || position === undefined ? undefined : positionFromSequence(BigInt(position))
  }

  const readAll = async (readOptions: ReadAllOptions): Promise<Outcome<ReadAllResult>> => {
    const checked = checkReadAllOptions(readOptions, isSequencePosition)
    if (E.isLeft(checked)) return checked
    const { after, maxCount, filter } = readOptions
    const filterParameters: Array<string> = []
    if (filter?.streamPrefixes !== undefined) filterParameters.push(JSON.stringify(filter.streamPrefixes))
    if (filter?.eventTypes !== undefined) filterParameters.push(JSON.stringify(filter.eventTypes))
    const { sql, prepared } = readAllStatement(filter)
    const page = { sql, filterParameters, pageSize: maxCount }
    const afterSequence = after === undefined ? 0n : BigInt(after)
    // Read ahead by position as a number: SQLite's positions never pass 2^53 in practice, but a caller may ask beyond.
    const followed = readAhead !== undefined && afterSequence <= BigInt(Number.MAX_SAFE_INTEGER) ? readAhead : undefined
    const ahead = await followed?.take(page, Number(afterSequence))
    if (closed) return E.left(closedError())
    if (ahead !== undefined) {
      // A full page read ahead, with events after it: it is not the end, and its last event is the checkpoint.
      // The head is asked now (one step down the rowid tree), not the worker's, which may be pages old.
      const events = decodeRows(ahead.rows as ReadonlyArray<EventRow>)
      if (E.isLeft(events)) return events
      const last = events.right.at(-1) as RecordedEvent
      const currentHead = headPosition()
      return E.right({ events: events.right, checkpoint: last.position, isEnd: false, ...(currentHead === undefined ? {} : { head: currentHead }) })
    }
    return reading(() => {
      const events = decodeRows(prepared.all(afterSequence, ...filterParameters, maxCount))
      if (E.isLeft(events)) return events
      const last = events.right.at(-1)
      const full = events.right.length === maxCount && last !== undefined
      const currentHead = headPosition()
      const checkpoint = full ? last.position : laterPosition(after, currentHead)
      if (full && last.position !== currentHead) followed?.readBy(page, Number(afterSequence), Number(last.position))
      return E.right({
        events: events.right,
        ...(checkpoint === undefined ? {} : { checkpoint }),
        isEnd: !full || last.position === currentHead,
        ...(currentHead === undefined ? {} : { head: currentHead }),
      })
    })
  }

  const waitForEvents = (checkpoint: Position | undefined, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted || closed) return resolve()
      // Polling finds what other processes append; the notifier wakes at once for this process's appends.
      const done = (): void => {
        clearTimeout(timer)
        stopListening()
        signal.removeEventListener('abort', done)
        resolve()
      }
      const stopListening = notifier.listen(done)
      const timer = setTimeout(done, pollInterval)
      signal.addEventListener('abort', done, { once: true })
      // An append that committed between the subscription's read and now woke no one: look once.
      try {
        const current = headPosition()
        if (current !== undefined && (checkpoint === undefined || current > checkpoint)) done()
      } catch {
        // The subscription's next read reports what went wrong.
        done()
      }
    })

  const store: SqliteEventStore = {
    appendToStream: (streamId, expected, events) =>
      operation(() => {
        const outcome = append([{ streamId, expected, events }])
        return E.isLeft(outcome) ? outcome : E.right(outcome.right[0] as AppendResult)
      }),
    appendMany: (appends) =>
      operation(() =>
        appends.length === 0 ? E.left({ _tag: 'InvalidRequest', message: 'appendMany needs at least one stream append' }) : append(appends),
      ),
    pagesReadAhead: () => readAhead?.served() ?? 0,
    readStream: (streamId, readOptions = {}) => operation(() => readStream(streamId, readOptions)),
    readAll: (readOptions) => operation(() => readAll(readOptions)),
    subscribeToAll: (subscribeOptions = {}) => {
      const subscription = catchUpSubscription({ readAll: store.readAll, waitForEvents, batchSize: SUBSCRIPTION_BATCH_SIZE }, subscribeOptions)
      if (closed) void subscription.close()
      subscriptions.add(subscription)
      return subscription
    },
    headPosition: () => operation(() => reading(() => E.right(headPosition()))),
    close: async () => {
      if (closed) return
      closed = true
      await Promise.all([...subscriptions].map((subscription) => subscription.close()))
      subscriptions.clear()
      await readAhead?.close()
      database.close()
    },
  }
  return store
}
