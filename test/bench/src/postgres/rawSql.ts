/**
 * The machine's limits: the same rows written and read with plain SQL on a table equivalent to the
 * store's events table (same columns, keys and indexes; none of its triggers, no function, no checks
 * of versions or event ids, no validation of the events). What the store does beyond this is its cost.
 */
import { once } from 'node:events'
import pg from 'pg'
import type { PlannedAppend } from './plan.ts'

/** Columns written by an append; `transaction_id` and `sequence` come from their defaults, as in the store. */
const WRITTEN_COLUMNS = ['stream_id', 'version', 'event_id', 'type', 'data', 'metadata', 'recorded_at'] as const

/**
 * The store's events table as its first migration creates it (packages/postgres/src/eventStoreSchema.ts),
 * less its triggers; with `notifying`, plus its statement trigger that notifies live subscribers, to
 * measure what that notification costs concurrent writers.
 */
export const createEventsTable = async (pool: pg.Pool, schema: string, notifying = false): Promise<void> => {
  const quoted = pg.escapeIdentifier(schema)
  await pool.query(`CREATE SCHEMA ${quoted}`)
  await pool.query(`
    CREATE TABLE ${quoted}.events (
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      sequence bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
      stream_id text NOT NULL,
      version bigint NOT NULL CHECK (version > 0),
      event_id text NOT NULL,
      type text NOT NULL CHECK (type <> ''),
      data json NOT NULL,
      metadata json NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (stream_id, version),
      UNIQUE (event_id)
    );
    CREATE UNIQUE INDEX ON ${quoted}.events (transaction_id, sequence)`)
  if (!notifying) return
  await pool.query(`
    CREATE FUNCTION ${quoted}.notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify(format('%s.events', TG_TABLE_SCHEMA), '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER events_appended AFTER INSERT ON ${quoted}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${quoted}.notify_events_appended()`)
}

/** One row's values in WRITTEN_COLUMNS order; the JSON is serialised here, inside the measurement, as the store does. */
const rowValues = (append: PlannedAppend, recordedAt: string): Array<string> =>
  append.events.flatMap((event, index) => [
    append.streamId,
    (append.after + BigInt(index) + 1n).toString(),
    event.eventId,
    event.type,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
    recordedAt,
  ])

const insertText = (schema: string, rows: number): string => {
  const placeholders = Array.from({ length: rows }, (_, row) => {
    const first = row * WRITTEN_COLUMNS.length
    return `(${WRITTEN_COLUMNS.map((_, column) => `$${first + column + 1}`).join(', ')})`
  })
  return `INSERT INTO ${pg.escapeIdentifier(schema)}.events (${WRITTEN_COLUMNS.join(', ')}) VALUES ${placeholders.join(', ')}`
}

/**
 * Writes the appends as one multi-row `INSERT … VALUES` each, in its own transaction (autocommit).
 * Statements are prepared once per row count and connection, as the store's are.
 */
export const insertEach = async (pool: pg.Pool, schema: string, statements: ReadonlyArray<ReadonlyArray<PlannedAppend>>): Promise<void> => {
  for (const appends of statements) {
    const rows = appends.reduce((total, append) => total + append.events.length, 0)
    const recordedAt = new Date().toISOString()
    await pool.query({ name: `raw-insert-${schema}-${rows}`, text: insertText(schema, rows), values: appends.flatMap((append) => rowValues(append, recordedAt)) })
  }
}

/** COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped. */
const copyField = (value: string): string =>
  value.replace(/[\\\t\n\r]/g, (character) => (character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r'))

const copyRows = (appends: ReadonlyArray<PlannedAppend>, recordedAt: string): string => {
  let text = ''
  for (const append of appends) {
    const values = rowValues(append, recordedAt)
    for (let start = 0; start < values.length; start += WRITTEN_COLUMNS.length)
      text += `${values.slice(start, start + WRITTEN_COLUMNS.length).map(copyField).join('\t')}\n`
  }
  return text
}

/** The driver's COPY-in messages, which it has but @types/pg does not declare. */
interface CopyInConnection extends pg.Connection {
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
  sendCopyFail(message: string): void
}

/**
 * `COPY … FROM STDIN` of `text` on `client`. pg answers COPY's protocol only through a custom query
 * object (what pg-copy-streams provides); this is the few messages that takes, without the dependency.
 */
const copyFromStdin = (client: pg.PoolClient, statement: string, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    let failure: unknown
    const copy = {
      submit: (connection: pg.Connection) => connection.query(statement),
      handleCopyInResponse: (connection: CopyInConnection) => {
        const send = async (): Promise<void> => {
          const chunkSize = 1 << 20
          for (let start = 0; start < text.length; start += chunkSize) {
            connection.sendCopyFromChunk(Buffer.from(text.slice(start, start + chunkSize)))
            if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain')
          }
          connection.endCopyFrom()
        }
        send().catch((error: unknown) => connection.sendCopyFail(String(error)))
      },
      handleError: (error: unknown) => {
        failure = error
        reject(error)
      },
      handleReadyForQuery: () => (failure === undefined ? resolve() : reject(failure)),
      handleCommandComplete: () => {},
      handleRowDescription: () => {},
      handleDataRow: () => {},
      handleEmptyQuery: () => {},
      handlePortalSuspended: () => {},
    }
    client.query(copy)
  })

/** One `COPY … FROM STDIN` per batch, each in its own transaction. */
export const copyEach = async (pool: pg.Pool, schema: string, batches: ReadonlyArray<ReadonlyArray<PlannedAppend>>): Promise<void> => {
  const statement = `COPY ${pg.escapeIdentifier(schema)}.events (${WRITTEN_COLUMNS.join(', ')}) FROM STDIN`
  const client = await pool.connect()
  try {
    for (const batch of batches) await copyFromStdin(client, statement, copyRows(batch, new Date().toISOString()))
  } finally {
    client.release()
  }
}

export interface CursorRead {
  readonly events: number
  /** Keys of the parsed `data` objects, counted so that the parse is used. */
  readonly dataKeys: number
}

/**
 * Reads the events in the store's global order (transaction id, sequence) through a server-side
 * cursor, `pageSize` rows per FETCH, the JSON columns parsed (pg's json parser is `JSON.parse`).
 * `eventTypes` restricts the read as a projection's filter does.
 */
export const readInOrder = async (pool: pg.Pool, schema: string, pageSize: number, eventTypes?: ReadonlyArray<string>): Promise<CursorRead> => {
  const where = eventTypes === undefined ? '' : `WHERE type = ANY(ARRAY[${eventTypes.map((type) => pg.escapeLiteral(type)).join(', ')}]::text[])`
  const client = await pool.connect()
  try {
    await client.query('BEGIN READ ONLY')
    await client.query(`DECLARE events_in_order NO SCROLL CURSOR FOR
      SELECT transaction_id, sequence, stream_id, version, event_id, type, data, metadata, recorded_at
        FROM ${pg.escapeIdentifier(schema)}.events ${where} ORDER BY transaction_id, sequence`)
    let events = 0
    let dataKeys = 0
    for (;;) {
      const page = await client.query<{ readonly data: unknown }>(`FETCH ${pageSize} FROM events_in_order`)
      events += page.rows.length
      for (const row of page.rows) if (typeof row.data === 'object' && row.data !== null) dataKeys += Object.keys(row.data).length
      if (page.rows.length < pageSize) break
    }
    await client.query('COMMIT')
    return { events, dataKeys }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
