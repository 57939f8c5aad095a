/**
 * The event store on PostgreSQL: the port, plus `appendMany` for bulk loads. An append is one round
 * trip: to `append_to_stream` for one stream (check the version, multi-row insert, no lock: the
 * primary key catches a concurrent writer), to `append_events` for several (lock the streams, check
 * versions, multi-row insert). Only when an event id is already stored, or a concurrent writer got
 * there first, does it fall back to a transaction that plans the append with the port's `planAppend`. The global order is (transaction id, sequence), and readers only pass
 * rows whose transaction is older than every transaction still running, so an event that commits
 * late with a lower position is never skipped (docs/postgres.md explains why this is sound).
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type pg from 'pg'
import {
  type AppendResult,
  catchUpSubscription,
  checkAppend,
  checkReadAllOptions,
  checkReadStreamOptions,
  type EventStore,
  type EventStoreError,
  type EventStoreOptions,
  type ExpectedVersion,
  laterPosition,
  type NewEvent,
  type NewEventMetadata,
  planAppend,
  type Position,
  type ReadAllOptions,
  type ReadAllResult,
  type RecordedEvent,
  type Subscription,
} from '@policy-credit/event-store'
import { type ConnectionOptions, inTransaction, namedStatement, type NamedStatement, openConnection, type QuotedSchema, quoteSchema } from './connection.ts'
import { isOvertaken, needsPlanning, toAppendError, unavailable } from './errors.ts'
import { eventStoreMigrations, notificationChannel, STREAM_LOCK_CLASS } from './eventStoreSchema.ts'
import { migrate } from './migrations.ts'
import { notificationListener, notificationSender } from './notificationListener.ts'
import { decodePosition, encodePosition, isPostgresPosition, ORIGIN, type PositionParts } from './position.ts'

export const DEFAULT_SCHEMA = 'policy_credit'

export interface PostgresEventStoreOptions extends EventStoreOptions {
  /** The schema holding the events; created, and migrated, on open. */
  readonly schema?: string
  /** How often a live subscription looks for events when no notification came (a lost notification, a broken listener). */
  readonly pollIntervalMs?: number
  /**
   * How long a read waits for older transactions to finish when committed events sit behind them,
   * before it returns what is safe to pass with `isEnd: false`.
   */
  readonly lateCommitWaitMs?: number
  /**
   * The least time between two notifications of this store's appends (live subscribers' wake-ups):
   * an append after a quiet spell is notified at once, the appends of a busy spell within this.
   */
  readonly notifyIntervalMs?: number
  /** Events per read of a subscription. */
  readonly subscriptionBatchSize?: number
}

export type PostgresEventStoreConfig = ConnectionOptions & PostgresEventStoreOptions

export interface StreamAppend {
  readonly streamId: string
  readonly expected: ExpectedVersion
  readonly events: ReadonlyArray<NewEvent>
}

export interface PostgresEventStore extends EventStore {
  /**
   * Appends to many streams in one round trip and one transaction: all or nothing. Each append has the
   * semantics of `appendToStream`, applied in order (a stream may appear twice); results come back in
   * the order of `appends`.
   */
  readonly appendMany: (appends: ReadonlyArray<StreamAppend>) => TE.TaskEither<EventStoreError, ReadonlyArray<AppendResult>>
}

/**
 * An event as its statements return it, as an array (`rowMode: 'array'`, in `EVENT_COLUMNS` order): an
 * object per row, keyed by column name, cost a quarter more client CPU in reading the bench town's loans.
 */
type EventRow = readonly [
  transactionId: string,
  sequence: string,
  streamId: string,
  version: string,
  eventId: string,
  type: string,
  data: unknown,
  metadata: NewEventMetadata,
  recordedAt: string,
]

interface AppendedRow {
  readonly o_last_version: string
  readonly o_transaction_id: string
  readonly o_last_sequence: string
}

/** A readAll row: the page's event (all null when the page is empty), then the head and whether events sit behind a running transaction. */
type PageRow = readonly [
  ...event: EventRow | readonly [null, null, null, null, null, null, null, null, null],
  headTransactionId: string | null,
  headSequence: string | null,
  /** Committed events sit behind a transaction still running, so they cannot be passed yet. */
  late: boolean,
]

/**
 * `recorded_at` as the ISO instant `Date.toISOString` gives (stored from one, so to the millisecond):
 * formatted by the server, not parsed into a `Date` per row by the client and formatted again.
 */
const EVENT_COLUMNS = `transaction_id, sequence, stream_id, version, event_id, type, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`

const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  streamId: row[2],
  version: BigInt(row[3]),
  position: encodePosition({ transactionId: row[0], sequence: row[1] }),
  eventId: row[4],
  type: row[5],
  data: row[6],
  metadata: { ...row[7], recordedAt: row[8] },
})

/** Events in a readAll page: every row holds one, except the single all-null row of an empty page. */
const eventCountOf = (rows: ReadonlyArray<PageRow>): number => (rows[0] === undefined || rows[0][0] === null ? 0 : rows.length)

/** The page row's event, if any: its first nine columns are an `EventRow`'s. */
const eventOfPageRow = (row: PageRow): RecordedEvent | undefined => (row[0] === null ? undefined : toRecordedEvent(row as unknown as EventRow))

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds))

const statements = (schema: QuotedSchema) => ({
  appendToStream: namedStatement(
    `SELECT o_last_version, o_transaction_id, o_last_sequence FROM ${schema}.append_to_stream(
       $1::text, $2::text, $3::bigint, $4::text[], $5::text[], $6::json, $7::json, $8::timestamptz, true)`,
  ),
  append: namedStatement(
    `SELECT o_last_version, o_transaction_id, o_last_sequence FROM ${schema}.append_events(
       $1::text[], $2::text[], $3::bigint[], $4::integer[],
       $5::text[], $6::text[], $7::json, $8::json, $9::timestamptz, true)`,
  ),
  lockStreams: namedStatement(
    `SELECT pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(d.stream_id))
       FROM (SELECT DISTINCT u.stream_id FROM unnest($1::text[]) AS u(stream_id)) AS d ORDER BY hashtext(d.stream_id)`,
  ),
  eventsById: namedStatement(`SELECT ${EVENT_COLUMNS} FROM ${schema}.events WHERE event_id = ANY($1::text[])`),
  streamVersions: namedStatement(
    `SELECT stream_id, max(version) AS version FROM ${schema}.events WHERE stream_id = ANY($1::text[]) GROUP BY stream_id`,
  ),
  readStreamForwards: namedStatement(
    `SELECT ${EVENT_COLUMNS} FROM ${schema}.events WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3`,
  ),
  readStreamBackwards: namedStatement(
    `SELECT ${EVENT_COLUMNS} FROM ${schema}.events WHERE stream_id = $1 AND ($2::bigint IS NULL OR version <= $2)
       ORDER BY version DESC LIMIT $3`,
  ),
  // One statement, so the page, the head and the horizon come from one snapshot. The horizon is
  // the oldest transaction still running anywhere in the cluster: rows below it are final.
  readAll: namedStatement(
    `WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     page AS (
       SELECT ${EVENT_COLUMNS} FROM ${schema}.events AS e
        WHERE (e.transaction_id, e.sequence) > ($1::xid8, $2::bigint)
          AND e.transaction_id < (SELECT xmin FROM horizon)
          AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS p(prefix) WHERE starts_with(e.stream_id, p.prefix)))
          AND ($4::text[] IS NULL OR e.type = ANY($4::text[]))
        ORDER BY e.transaction_id, e.sequence
        LIMIT $5),
     head AS (
       SELECT e.transaction_id, e.sequence FROM ${schema}.events AS e
        WHERE e.transaction_id < (SELECT xmin FROM horizon)
        ORDER BY e.transaction_id DESC, e.sequence DESC LIMIT 1),
     -- The first row at or above the horizon, in index order: as EXISTS, with a horizon the planner
     -- cannot know, it chose a sequential scan, which reads the whole table when no such row exists.
     pending AS (
       SELECT (SELECT e.transaction_id FROM ${schema}.events AS e WHERE e.transaction_id >= (SELECT xmin FROM horizon)
                ORDER BY e.transaction_id LIMIT 1) IS NOT NULL AS late)
     SELECT page.*, head.transaction_id AS head_transaction_id, head.sequence AS head_sequence, pending.late
       FROM pending LEFT JOIN head ON true LEFT JOIN page ON true
      ORDER BY page.transaction_id, page.sequence`,
  ),
  // readAll's head on its own: the last event below the horizon, one backward step on the position
  // index. (A read of an empty page for it scanned the whole table, since no row passed its filter.)
  headPosition: namedStatement(
    `WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
     SELECT e.transaction_id, e.sequence FROM ${schema}.events AS e
      WHERE e.transaction_id < (SELECT xmin FROM horizon)
      ORDER BY e.transaction_id DESC, e.sequence DESC LIMIT 1`,
  ),
  // The first event after, in index order (see `pending` above: EXISTS scanned the whole table on a generic plan).
  anyEventAfter: namedStatement(
    `SELECT (SELECT 1 FROM ${schema}.events WHERE (transaction_id, sequence) > ($1::xid8, $2::bigint)
              ORDER BY transaction_id, sequence LIMIT 1) IS NOT NULL AS found`,
  ),
})

/**
 * The events' ids, types, and data and metadata as JSON arrays of their texts (joined, never escaped
 * again: migration 2 says why), as both append functions take them.
 */
const eventParameters = (events: ReadonlyArray<NewEvent>): ReadonlyArray<unknown> => [
  events.map((event) => event.eventId),
  events.map((event) => event.type),
  `[${events.map((event) => JSON.stringify(event.data)).join(',')}]`,
  `[${events.map((event) => JSON.stringify(event.metadata)).join(',')}]`,
]

/** The parameters of `append_events` for appends to distinct streams, in their order. */
const appendParameters = (appends: ReadonlyArray<StreamAppend>, recordedAt: string): ReadonlyArray<unknown> => [
  appends.map((append) => append.streamId),
  appends.map((append) => append.expected._tag),
  appends.map((append) => (append.expected._tag === 'Exactly' ? append.expected.version.toString() : null)),
  appends.flatMap((append, index) => append.events.map(() => index + 1)),
  ...eventParameters(appends.flatMap((append) => append.events)),
  recordedAt,
]

/** The parameters of `append_to_stream`. */
const appendToStreamParameters = ({ streamId, expected, events }: StreamAppend, recordedAt: string): ReadonlyArray<unknown> => [
  streamId,
  expected._tag,
  expected._tag === 'Exactly' ? expected.version.toString() : null,
  ...eventParameters(events),
  recordedAt,
]

/** Plans tried before a conflict is reported: each retry follows another writer's commit to the same stream. */
const PLANNING_ATTEMPTS = 5

const toAppendResult = (row: AppendedRow): AppendResult => ({
  nextExpectedVersion: BigInt(row.o_last_version),
  position: encodePosition({ transactionId: row.o_transaction_id, sequence: row.o_last_sequence }),
  written: true,
})

const closedError: EventStoreError = unavailable(new Error('the PostgreSQL event store is closed'))

/** Opens the store, creating or migrating its schema. */
export const postgresEventStore = (config: PostgresEventStoreConfig): TE.TaskEither<EventStoreError, PostgresEventStore> => {
  const schemaName = config.schema ?? DEFAULT_SCHEMA
  const schema = quoteSchema(schemaName)
  if (schema === undefined) return TE.left(unavailable(new Error(`not a usable schema name: ${JSON.stringify(schemaName)}`)))
  const connection = openConnection(config)
  return TE.tryCatch(
    async () => {
      const migrated = await migrate(connection.pool, schemaName, schema, 'event-store', eventStoreMigrations)
      if (E.isLeft(migrated)) throw new Error('unreachable: migrations never return Left')
      return openStore(connection.pool, connection.release, schema, schemaName, config)
    },
    (cause) => {
      void connection.release()
      return unavailable(cause)
    },
  )
}

const openStore = (
  pool: pg.Pool,
  releaseConnection: () => Promise<void>,
  schema: QuotedSchema,
  schemaName: string,
  options: PostgresEventStoreOptions,
): PostgresEventStore => {
  const sql = statements(schema)
  const clock = options.clock ?? (() => new Date())
  const pollIntervalMs = options.pollIntervalMs ?? 1_000
  const lateCommitWaitMs = options.lateCommitWaitMs ?? 5_000
  const listener = notificationListener(pool, notificationChannel(schemaName))
  const sender = notificationSender(pool, notificationChannel(schemaName), options.notifyIntervalMs ?? 5)
  const subscriptions = new Set<Subscription>()
  let closed = false

  /** Wraps a driver call: a closed store and every thrown driver error become `Left`. */
  const guarded =
    <A>(work: () => Promise<E.Either<EventStoreError, A>>, onError: (cause: unknown) => EventStoreError = unavailable): TE.TaskEither<EventStoreError, A> =>
    async () => {
      if (closed) return E.left(closedError)
      try {
        return await work()
      } catch (cause) {
        return E.left(onError(cause))
      }
    }

  const query = async <Row extends pg.QueryResultRow>(
    client: pg.Pool | pg.PoolClient,
    statement: { readonly name: string; readonly text: string },
    values: ReadonlyArray<unknown>,
  ): Promise<ReadonlyArray<Row>> => (await client.query<Row>({ ...statement, values: [...values] })).rows

  /** Rows as arrays, in the statement's column order. */
  const queryArrays = async <Row extends ReadonlyArray<unknown>>(
    client: pg.Pool | pg.PoolClient,
    statement: { readonly name: string; readonly text: string },
    values: ReadonlyArray<unknown>,
  ): Promise<ReadonlyArray<Row>> => (await client.query({ ...statement, values: [...values], rowMode: 'array' })).rows as unknown as ReadonlyArray<Row>

  /** Plans every append against what is stored, in one transaction holding the streams' locks. */
  const planAndAppend = (appends: ReadonlyArray<StreamAppend>, recordedAt: string): Promise<E.Either<EventStoreError, ReadonlyArray<AppendResult>>> =>
    inTransaction(pool, async (client) => {
      const streamIds = appends.map((append) => append.streamId)
      await query(client, sql.lockStreams, [streamIds])
      const stored = (await queryArrays<EventRow>(client, sql.eventsById, [appends.flatMap((append) => append.events.map((event) => event.eventId))])).map(
        toRecordedEvent,
      )
      const versions = new Map(
        (await query<{ stream_id: string; version: string }>(client, sql.streamVersions, [streamIds])).map((row) => [row.stream_id, BigInt(row.version)]),
      )
      const results: Array<AppendResult> = []
      for (const append of appends) {
        const requestedIds = new Set(append.events.map((event) => event.eventId))
        const plan = planAppend(
          append.streamId,
          append.expected,
          append.events,
          versions.get(append.streamId) ?? 0n,
          stored.filter((event) => requestedIds.has(event.eventId)),
        )
        if (E.isLeft(plan)) return plan
        if (plan.right._tag === 'AlreadyWritten') {
          results.push(plan.right.result)
          continue
        }
        const write: StreamAppend = { ...append, expected: { _tag: 'Exactly', version: plan.right.firstVersion - 1n } }
        const [row] = await query<AppendedRow>(client, sql.append, appendParameters([write], recordedAt))
        if (row === undefined) throw new Error('append_events returned no row for a write')
        const result = toAppendResult(row)
        versions.set(append.streamId, result.nextExpectedVersion)
        results.push(result)
      }
      return E.right(results)
    })

  /**
   * `planAndAppend` again when a writer that takes no lock (`append_to_stream`) committed to one of
   * the streams between the plan's read and its write (a unique violation, or a version that moved
   * under an expectation the plan made `Exactly`): the next plan reads what it wrote.
   */
  const planAndAppendRetrying = async (appends: ReadonlyArray<StreamAppend>, recordedAt: string): Promise<E.Either<EventStoreError, ReadonlyArray<AppendResult>>> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const planned = await planAndAppend(appends, recordedAt)
        if (E.isRight(planned)) sender.appended()
        return planned
      } catch (cause) {
        if (attempt >= PLANNING_ATTEMPTS || !isOvertaken(cause)) throw cause
      }
    }
  }

  /** One statement (one round trip, one transaction), then the subscribers' wake-up; what it cannot settle is planned. */
  const appendInOneStatement = async (
    statement: NamedStatement,
    parameters: ReadonlyArray<unknown>,
    appends: ReadonlyArray<StreamAppend>,
    recordedAt: string,
  ): Promise<E.Either<EventStoreError, ReadonlyArray<AppendResult>>> => {
    try {
      const rows = await query<AppendedRow>(pool, statement, parameters)
      sender.appended()
      return E.right(rows.map(toAppendResult))
    } catch (cause) {
      if (!needsPlanning(cause)) throw cause
      return await planAndAppendRetrying(appends, recordedAt)
    }
  }

  const appendMany = (appends: ReadonlyArray<StreamAppend>): TE.TaskEither<EventStoreError, ReadonlyArray<AppendResult>> => {
    for (const append of appends) {
      const checked = checkAppend(append.streamId, append.expected, append.events, options.validate)
      if (E.isLeft(checked)) return TE.left(checked.left)
    }
    if (appends.length === 0) return TE.right([])
    const expectedOf = (streamId: string): ExpectedVersion =>
      appends.find((append) => append.streamId === streamId)?.expected ?? { _tag: 'Any' }
    const firstStream = appends[0]?.streamId ?? ''
    const distinctStreams = new Set(appends.map((append) => append.streamId)).size === appends.length
    return guarded(async () => {
      const recordedAt = clock().toISOString()
      const [single] = appends
      if (appends.length === 1 && single !== undefined)
        return await appendInOneStatement(sql.appendToStream, appendToStreamParameters(single, recordedAt), appends, recordedAt)
      // The same stream twice in one call: each append must see the one before, so plan them in turn.
      if (!distinctStreams) return await planAndAppendRetrying(appends, recordedAt)
      return await appendInOneStatement(sql.append, appendParameters(appends, recordedAt), appends, recordedAt)
    }, toAppendError(firstStream, expectedOf))
  }

  /** The page after `after`, waiting (up to `lateCommitWaitMs`) for older transactions when events sit behind them. */
  const readPage = async (after: PositionParts, maxCount: number, filter: ReadAllOptions['filter']): Promise<ReadonlyArray<PageRow>> => {
    const deadline = Date.now() + lateCommitWaitMs
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      const rows = await queryArrays<PageRow>(pool, sql.readAll, [
        after.transactionId,
        after.sequence,
        filter?.streamPrefixes ?? null,
        filter?.eventTypes ?? null,
        maxCount,
      ])
      const full = eventCountOf(rows) === maxCount
      if (full || rows[0]?.[11] !== true || Date.now() >= deadline) return rows
      await sleep(pause)
    }
  }

  const readAll = (readOptions: ReadAllOptions): TE.TaskEither<EventStoreError, ReadAllResult> => {
    const checked = checkReadAllOptions(readOptions, isPostgresPosition)
    if (E.isLeft(checked)) return TE.left(checked.left)
    const after = readOptions.after === undefined ? ORIGIN : E.getOrElse(() => ORIGIN)(decodePosition(readOptions.after))
    return guarded(async () => {
      const rows = await readPage(after, readOptions.maxCount, readOptions.filter)
      const events: Array<RecordedEvent> = []
      for (const row of rows) {
        const event = eventOfPageRow(row)
        if (event !== undefined) events.push(event)
      }
      const summary = rows[0]
      const headTransactionId = summary?.[9]
      const headSequence = summary?.[10]
      const head =
        headTransactionId === null || headTransactionId === undefined || headSequence === null || headSequence === undefined
          ? undefined
          : encodePosition({ transactionId: headTransactionId, sequence: headSequence })
      const last = events.at(-1)
      const full = events.length === readOptions.maxCount && last !== undefined
      const checkpoint = full ? last.position : laterPosition(readOptions.after, head)
      const late = summary?.[11] === true
      return E.right({
        events,
        ...(checkpoint === undefined ? {} : { checkpoint }),
        isEnd: !late && (!full || last.position === head),
        ...(head === undefined ? {} : { head }),
      })
    })
  }

  const anyEventAfter = async (checkpoint: Position | undefined): Promise<boolean> => {
    const after = checkpoint === undefined ? ORIGIN : E.getOrElse(() => ORIGIN)(decodePosition(checkpoint))
    const [row] = await query<{ found: boolean }>(pool, sql.anyEventAfter, [after.transactionId, after.sequence])
    return row?.found === true
  }

  /** Resolves on a notification, when events already exist after `checkpoint`, after the poll interval, or on abort. */
  const waitForEvents = async (checkpoint: Position | undefined, signal: AbortSignal): Promise<void> => {
    await listener.listen()
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        listener.wakers.delete(wake)
        signal.removeEventListener('abort', wake)
        resolve()
      }
      const timer = setTimeout(wake, pollIntervalMs)
      listener.wakers.add(wake)
      signal.addEventListener('abort', wake, { once: true })
      // Listening before looking: an append committing in between still wakes us.
      anyEventAfter(checkpoint).then(
        (found) => (found ? wake() : undefined),
        () => wake(),
      )
    })
  }

  const store: PostgresEventStore = {
    appendToStream: (streamId, expected, events) =>
      TE.flatMap(([result]: ReadonlyArray<AppendResult>) =>
        result === undefined ? TE.left(unavailable(new Error('append_events returned no row for a stream'))) : TE.right(result),
      )(appendMany([{ streamId, expected, events }])),

    appendMany,

    readStream: (streamId, readOptions = {}) => {
      const checked = checkReadStreamOptions(streamId, readOptions)
      if (E.isLeft(checked)) return TE.left(checked.left)
      const maxCount = readOptions.maxCount ?? null
      return guarded(async () => {
        const rows =
          readOptions.direction === 'backwards'
            ? await queryArrays<EventRow>(pool, sql.readStreamBackwards, [streamId, readOptions.fromVersion?.toString() ?? null, maxCount])
            : await queryArrays<EventRow>(pool, sql.readStreamForwards, [streamId, (readOptions.fromVersion ?? 1n).toString(), maxCount])
        return E.right(rows.map(toRecordedEvent))
      })
    },

    readAll,

    subscribeToAll: (subscribeOptions = {}) => {
      const subscription = catchUpSubscription(
        { readAll, waitForEvents, ...(options.subscriptionBatchSize === undefined ? {} : { batchSize: options.subscriptionBatchSize }) },
        subscribeOptions,
      )
      if (closed) void subscription.close()
      subscriptions.add(subscription)
      return subscription
    },

    // Events that commit late are not waited for: the head is what a reader may pass now.
    headPosition: () =>
      guarded(async () => {
        const [row] = await query<{ readonly transaction_id: string; readonly sequence: string }>(pool, sql.headPosition, [])
        return E.right(row === undefined ? undefined : encodePosition({ transactionId: row.transaction_id, sequence: row.sequence }))
      }),

    close: async () => {
      if (closed) return
      closed = true
      await Promise.all([...subscriptions].map((subscription) => subscription.close()))
      subscriptions.clear()
      await sender.flush()
      await listener.stop()
      await releaseConnection()
    },
  }
  return store
}
