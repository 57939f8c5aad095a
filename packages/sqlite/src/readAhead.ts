/**
 * Reading the events ahead on a second core. better-sqlite3 is synchronous: a reader that goes through the
 * log page by page (a projection catching up, a subscription) waits for SQLite to scan and build every page
 * on its own thread, then decodes and applies it. Once such a reader has read two full pages in a row,
 * a worker thread with its own read-only connection runs the same statement for the next pages while the
 * reader works on the current one; the reader's thread then only turns the rows into events.
 *
 * What it hands over is exactly what the reader's own statement would return: a page is served only when
 * it is full and the log went on past it when the worker read it. The rows of such a page were committed
 * before it was read, and events are never changed or removed (the table's triggers), so the page is the
 * same whenever it is read. The last page of a read, and anything out of sequence, is read by the caller
 * as before, so a read that follows an append sees it.
 *
 * The worker is started at the first sequential read and stopped with the store. It never holds the
 * process open, except while a read waits for one of its pages.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** A row as `raw()` returns it, in the store's column order (`position, stream_id, version, …`). */
export type RawRow = ReadonlyArray<unknown>

export interface PageStatement {
  /** The SQL of one page: its first parameter is the position the page starts after, its last the page size. */
  readonly sql: string
  /** The parameters between those two (the filter's lists as JSON). */
  readonly filterParameters: ReadonlyArray<string>
  readonly pageSize: number
}

export interface ReadAheadPage {
  readonly rows: ReadonlyArray<RawRow>
  /** The log's last position when the page was read: past the page's last row. */
  readonly head: number
}

export interface ReadAheadOptions {
  /** Pages read ahead per sequential reader; 4 when absent; below 1, none (as `readAhead: false`). */
  readonly pages?: number
}

export interface ReadAhead {
  /**
   * The page after `after`, when it was read ahead and is whole; otherwise undefined, and the caller
   * reads it itself. Waits for the worker when the page is on its way.
   */
  readonly take: (statement: PageStatement, after: number) => Promise<ReadAheadPage | undefined>
  /** The caller read a full page after `after` ending at `last`: from the second in a row, the next pages are read ahead. */
  readonly readBy: (statement: PageStatement, after: number, last: number) => void
  /** Pages handed over so far. */
  readonly served: () => number
  readonly close: () => Promise<void>
}

/** Pages smaller than this are not read ahead: the hand-over would cost more than the read. */
export const READ_AHEAD_MINIMUM_PAGE = 100
const DEFAULT_PAGES_AHEAD = 4
/**
 * Readers followed at once (projections running side by side), the least recently served dropped beyond:
 * a reader that stopped (caught up, stopped, failed) holds its pages read ahead until then, at most 4 × 8.
 */
const MAXIMUM_STREAMS = 8

/** A page as the worker posts it, by column. */
interface PostedPage {
  readonly stream: number
  readonly after: number
  readonly head: number | null
  readonly columns: ReadonlyArray<ArrayLike<unknown>>
  readonly rowCount: number
}

interface PostedFailure {
  readonly stream: number
  readonly failure: string
}

/**
 * The worker's code, as a string: it runs from the TypeScript sources under test and from the built
 * package alike. It runs each followed statement a page at a time, as far ahead as it has credit, and
 * posts a page's columns rather than its rows: one array per column costs less to copy across threads.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const database = new Database(workerData.filename, { readonly: true, fileMustExist: true })
const begin = database.prepare('BEGIN')
const commit = database.prepare('COMMIT')
const head = database.prepare('SELECT max(position) FROM events').pluck()
const statements = new Map()
const streams = new Map()
let scheduled = false
const schedule = () => {
  if (scheduled) return
  scheduled = true
  setImmediate(pump)
}
const readPage = (stream) => {
  let statement = statements.get(stream.sql)
  if (statement === undefined) {
    statement = database.prepare(stream.sql).raw(true)
    statements.set(stream.sql, statement)
  }
  begin.run()
  try {
    return { rows: statement.all(stream.after, ...stream.filterParameters, stream.pageSize), head: head.get() }
  } finally {
    if (database.inTransaction) commit.run()
  }
}
const pump = () => {
  scheduled = false
  for (const [id, stream] of streams) {
    if (stream.credit <= 0) continue
    try {
      const { rows, head: currentHead } = readPage(stream)
      const rowCount = rows.length
      const width = rowCount === 0 ? 0 : rows[0].length
      const columns = []
      const transfer = []
      for (let column = 0; column < width; column++) {
        // A column of numbers only (positions, versions) travels as a typed array, moved rather than copied.
        let numeric = true
        for (let row = 0; row < rowCount && numeric; row++) numeric = typeof rows[row][column] === 'number'
        const values = numeric ? new Float64Array(rowCount) : new Array(rowCount)
        for (let row = 0; row < rowCount; row++) {
          const value = rows[row][column]
          // A blob (a hand-edited file) would arrive as another kind of byte array: the reader reads such a page itself.
          if (typeof value === 'object' && value !== null) throw new Error('a blob: read by the reader')
          values[row] = value
        }
        if (numeric) transfer.push(values.buffer)
        columns.push(values)
      }
      parentPort.postMessage({ stream: id, after: stream.after, head: currentHead, columns, rowCount }, transfer)
      stream.credit -= 1
      if (rowCount < stream.pageSize) streams.delete(id)
      else stream.after = rows[rowCount - 1][0]
    } catch (error) {
      streams.delete(id)
      parentPort.postMessage({ stream: id, failure: String(error) })
    }
  }
  for (const stream of streams.values()) if (stream.credit > 0) return schedule()
}
parentPort.on('message', (message) => {
  if (message.op === 'open') streams.set(message.stream, { sql: message.sql, filterParameters: message.filterParameters, pageSize: message.pageSize, after: message.after, credit: message.pages })
  else if (message.op === 'credit') {
    const stream = streams.get(message.stream)
    if (stream !== undefined) stream.credit += 1
  } else if (message.op === 'close') streams.delete(message.stream)
  schedule()
})
`

/** One sequential reader followed by the worker. */
interface Stream {
  readonly id: number
  /** Pages arrived and not yet taken, in order. */
  readonly arrived: Array<PostedPage | PostedFailure>
  /** A reader waiting for the next page to arrive. */
  waiting: ((page: PostedPage | PostedFailure) => void) | undefined
}

/** A statement at a position: where a stream waits for its reader, or where a reader's last full page ended. */
const slotOf = (statement: PageStatement, after: number): string =>
  [statement.sql, ...statement.filterParameters, String(statement.pageSize), String(after)].join('\u0000')

const rowsOf = (page: PostedPage): ReadonlyArray<RawRow> => {
  const rows = new Array<RawRow>(page.rowCount)
  const { columns } = page
  for (let row = 0; row < page.rowCount; row++) {
    const values = new Array<unknown>(columns.length)
    for (let column = 0; column < columns.length; column++) values[column] = (columns[column] as ArrayLike<unknown>)[row]
    rows[row] = values
  }
  return rows
}

/** Read-ahead on `filename`, which another connection can open (not an in-memory or temporary database). */
export const readAheadOn = (filename: string, options: ReadAheadOptions = {}): ReadAhead => {
  const pagesAhead = Math.floor(options.pages ?? DEFAULT_PAGES_AHEAD)
  let worker: Worker | undefined
  /** Set when the worker could not start or died: every page is then read by the caller, as without read-ahead. */
  let broken = false
  let closed = false
  let nextStreamId = 1
  /**
   * The streams by where their reader will ask next (`slotOf`), least recently used first: two readers of
   * the same statement (two versions of a projection rebuilding side by side) each keep their own.
   */
  const streams = new Map<string, Stream>()
  const byId = new Map<number, Stream>()
  /** Where the callers' last full pages ended: a read that starts at one is the second in a row. */
  const recentEnds = new Set<string>()
  let waiters = 0
  let served = 0

  /** Stops the worker's stream; a reader waiting for it reads for itself. */
  const stop = (stream: Stream): void => {
    byId.delete(stream.id)
    worker?.postMessage({ op: 'close', stream: stream.id })
    const waiting = stream.waiting
    stream.waiting = undefined
    waiting?.({ stream: stream.id, failure: 'stopped' })
  }

  const breakDown = (): void => {
    broken = true
    for (const stream of byId.values()) stream.waiting?.({ stream: stream.id, failure: 'the read-ahead worker stopped' })
    streams.clear()
    byId.clear()
  }

  const started = (): Worker | undefined => {
    if (worker !== undefined || broken || closed) return worker
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filename, driver: createRequire(import.meta.url).resolve('better-sqlite3') } })
    } catch {
      broken = true
      return undefined
    }
    worker.unref()
    worker.on('message', (message: PostedPage | PostedFailure) => {
      const stream = byId.get(message.stream)
      if (stream === undefined) return
      const waiting = stream.waiting
      stream.waiting = undefined
      if (waiting !== undefined) waiting(message)
      else stream.arrived.push(message)
    })
    worker.on('error', breakDown)
    worker.on('exit', breakDown)
    return worker
  }

  /** Puts `stream` where its reader will ask next, dropping whatever waited there and, beyond the bound, the least recently used. */
  const place = (slot: string, stream: Stream): void => {
    const there = streams.get(slot)
    if (there !== undefined) stop(there)
    streams.delete(slot)
    streams.set(slot, stream)
    if (streams.size > MAXIMUM_STREAMS) {
      const [oldestSlot, oldest] = streams.entries().next().value as [string, Stream]
      streams.delete(oldestSlot)
      stop(oldest)
    }
  }

  const follow = (statement: PageStatement, after: number): void => {
    const running = started()
    if (running === undefined) return
    const stream: Stream = { id: nextStreamId++, arrived: [], waiting: undefined }
    byId.set(stream.id, stream)
    place(slotOf(statement, after), stream)
    running.postMessage({ op: 'open', stream: stream.id, sql: statement.sql, filterParameters: statement.filterParameters, pageSize: statement.pageSize, after, pages: pagesAhead })
  }

  const nextPage = (stream: Stream): Promise<PostedPage | PostedFailure> => {
    const arrived = stream.arrived.shift()
    if (arrived !== undefined) return Promise.resolve(arrived)
    // Held open while a read waits, so that a process doing nothing else does not exit under it.
    if (waiters++ === 0) worker?.ref()
    return new Promise<PostedPage | PostedFailure>((resolve) => {
      stream.waiting = resolve
    }).finally(() => {
      if (--waiters === 0) worker?.unref()
    })
  }

  return {
    take: async (statement, after) => {
      if (broken || closed || statement.pageSize < READ_AHEAD_MINIMUM_PAGE) return undefined
      const slot = slotOf(statement, after)
      const stream = streams.get(slot)
      if (stream === undefined) return undefined
      // Claimed: a second read from the same place meanwhile reads for itself.
      streams.delete(slot)
      const page = await nextPage(stream)
      const full = 'rowCount' in page && page.after === after && page.rowCount === statement.pageSize
      const last = full ? (page.columns[0] as ArrayLike<number>)[page.rowCount - 1] : undefined
      if (!full || last === undefined || page.head === null || last >= page.head || !byId.has(stream.id)) {
        stop(stream)
        return undefined
      }
      place(slotOf(statement, last), stream)
      worker?.postMessage({ op: 'credit', stream: stream.id })
      served += 1
      return { rows: rowsOf(page), head: page.head }
    },
    readBy: (statement, after, last) => {
      if (broken || closed || statement.pageSize < READ_AHEAD_MINIMUM_PAGE || !(pagesAhead >= 1)) return
      const sequential = recentEnds.delete(slotOf(statement, after))
      if (recentEnds.size >= 4 * MAXIMUM_STREAMS) recentEnds.clear()
      recentEnds.add(slotOf(statement, last))
      if (sequential) follow(statement, last)
    },
    served: () => served,
    close: async () => {
      if (closed) return
      closed = true
      const running = worker
      worker = undefined
      breakDown()
      if (running !== undefined) await running.terminate()
    },
  }
}
