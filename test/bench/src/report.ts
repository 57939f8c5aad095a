/**
 * How a benchmark section prints its figures: one line per measure, in one table for the whole run,
 * so every store's figures sit beside the machine's limits measured in the same run.
 */

export interface BenchFigures {
  /** Events the measure handled (appended, read, projected…). */
  readonly events?: number
  /** Seconds the measured work took (the store's time only: generating the town is not counted). */
  readonly seconds?: number
  /** The machine's limit for the same work on the same data, in events per second: the line prints its share of it. */
  readonly limitEventsPerSecond?: number
  /** Peak resident set size during the measure, in bytes. */
  readonly peakRssBytes?: number
  /** Peak V8 heap used during the measure, in bytes. */
  readonly peakHeapBytes?: number
  /** Anything else worth a word: a median time, a target, a caveat. */
  readonly note?: string
}

export interface BenchReport {
  /** Prints one line of the table and keeps it for the summary. */
  readonly line: (measure: string, figures: BenchFigures) => void
  /** Prints a section heading or a remark between lines. */
  readonly say: (text: string) => void
}

export interface BenchLine extends BenchFigures {
  readonly measure: string
}

export const eventsPerSecond = (figures: Pick<BenchFigures, 'events' | 'seconds'>): number | undefined =>
  figures.events === undefined || figures.seconds === undefined || figures.seconds <= 0 ? undefined : figures.events / figures.seconds

const MEBIBYTE = 1024 * 1024

const columns: ReadonlyArray<readonly [heading: string, width: number, cell: (line: BenchLine) => string]> = [
  ['measure', 66, (line) => line.measure],
  ['events', 10, (line) => (line.events === undefined ? '' : line.events.toLocaleString('en-US'))],
  ['seconds', 9, (line) => (line.seconds === undefined ? '' : line.seconds.toFixed(2))],
  ['events/s', 11, (line) => {
    const rate = eventsPerSecond(line)
    return rate === undefined ? '' : Math.round(rate).toLocaleString('en-US')
  }],
  ['% limit', 8, (line) => {
    const rate = eventsPerSecond(line)
    return rate === undefined || line.limitEventsPerSecond === undefined ? '' : `${Math.round((100 * rate) / line.limitEventsPerSecond)} %`
  }],
  ['peak RSS', 10, (line) => (line.peakRssBytes === undefined ? '' : `${Math.round(line.peakRssBytes / MEBIBYTE)} MiB`)],
  ['peak heap', 10, (line) => (line.peakHeapBytes === undefined ? '' : `${Math.round(line.peakHeapBytes / MEBIBYTE)} MiB`)],
  ['note', 0, (line) => line.note ?? ''],
]

const row = (cells: ReadonlyArray<string>): string =>
  cells
    .map((cell, index) => {
      const width = columns[index]?.[1] ?? 0
      return index === 0 ? cell.padEnd(width) : width === 0 ? cell : cell.padStart(width)
    })
    .join(' ')
    .trimEnd()

export const tableHeading = (): string => row(columns.map(([heading]) => heading))

export const tableRow = (line: BenchLine): string => row(columns.map(([, , cell]) => cell(line)))

/** A report that writes to `write` (standard output by default) and keeps every line. */
export const consoleReport = (write: (text: string) => void = (text) => process.stdout.write(`${text}\n`)): BenchReport & { readonly lines: ReadonlyArray<BenchLine> } => {
  const lines: Array<BenchLine> = []
  return {
    lines,
    line: (measure, figures) => {
      const line = { measure, ...figures }
      lines.push(line)
      write(tableRow(line))
    },
    say: write,
  }
}
