/**
 * Progress and lifecycle as JSON lines on standard output, one object per line, so a log shipper or
 * `jq` reads them without a parser of our own. Every line has `time` (ISO instant), `level` and `event`.
 */
export type LogLevel = 'info' | 'warn' | 'error'

export type Log = (level: LogLevel, event: string, fields?: Readonly<Record<string, unknown>>) => void

/** JSON cannot carry a bigint (stream versions are bigints): written as decimal text. */
const jsonSafe = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value)

export const jsonLinesLog =
  (write: (line: string) => void = (line) => process.stdout.write(line), clock: () => Date = () => new Date()): Log =>
  (level, event, fields = {}) =>
    write(`${JSON.stringify({ time: clock().toISOString(), level, event, ...fields }, jsonSafe)}\n`)
