/**
 * A report as data, before it is printed: titled tables of typed cells, and the charts the HTML page
 * draws. Every output format (table, CSV, JSON, HTML) renders this one shape, so the figures in a CSV
 * and on a chart cannot differ. Money stays bigint đồng and rates stay a numerator over a denominator
 * until the last moment; only the printed text is rounded.
 */

export type ColumnKind = 'text' | 'count' | 'money' | 'percent'

/** A rate as the counts it comes from (domain.md §7: rates roll up by summing these, never by averaging). */
export interface Ratio {
  readonly numerator: bigint
  readonly denominator: bigint
}

export type CellValue = string | bigint | Ratio | undefined

export interface Column {
  /** The field name in JSON output and the CSV header. */
  readonly key: string
  /** The heading in the table and HTML outputs. */
  readonly heading: string
  readonly kind: ColumnKind
}

export interface ReportTable {
  readonly title: string
  readonly columns: ReadonlyArray<Column>
  /** Each row has one value per column, in column order. */
  readonly rows: ReadonlyArray<ReadonlyArray<CellValue>>
}

export interface LineChart {
  readonly _tag: 'Line'
  readonly title: string
  /** Along the x axis, in order (years). */
  readonly categories: ReadonlyArray<string>
  /** One line per series (a poverty standard); a missing point leaves a gap. */
  readonly series: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<Ratio | undefined> }>
}

export interface BarChart {
  readonly _tag: 'Bars'
  readonly title: string
  /** One group of bars per category (a programme). */
  readonly categories: ReadonlyArray<string>
  /** One bar per series in every group (outstanding, overdue), in đồng. */
  readonly series: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<bigint> }>
}

export type Chart = LineChart | BarChart

export interface Report {
  /** `poverty-rate`, `outstanding-debt`: the key of this report in JSON output. */
  readonly name: string
  readonly title: string
  /** What the report was asked for (as of, year, standard, grouping), printed above it. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: string }>
  readonly tables: ReadonlyArray<ReportTable>
  readonly charts: ReadonlyArray<Chart>
}

export const isRatio = (value: CellValue): value is Ratio => typeof value === 'object'

/**
 * The ratio as a percentage rounded half up to `decimals` places, exactly (bigint arithmetic), as a
 * decimal string; undefined when the denominator is zero.
 */
export const percentText = (ratio: Ratio, decimals = 2): string | undefined => {
  if (ratio.denominator === 0n) return undefined
  const negative = ratio.numerator < 0n !== ratio.denominator < 0n && ratio.numerator !== 0n
  const numerator = ratio.numerator < 0n ? -ratio.numerator : ratio.numerator
  const denominator = ratio.denominator < 0n ? -ratio.denominator : ratio.denominator
  const scale = 10n ** BigInt(decimals)
  const scaled = (numerator * 100n * scale * 2n + denominator) / (denominator * 2n)
  const whole = scaled / scale
  const fraction = (scaled % scale).toString().padStart(decimals, '0')
  const text = decimals === 0 ? whole.toString() : `${whole}.${fraction}`
  return negative && scaled !== 0n ? `-${text}` : text
}

/** For drawing only: a ratio's percentage as a float. */
export const percentNumber = (ratio: Ratio): number | undefined => {
  const text = percentText(ratio, 4)
  return text === undefined ? undefined : Number(text)
}

/** 1234567n → '1,234,567'. */
export const groupedDigits = (value: bigint): string => {
  const digits = (value < 0n ? -value : value).toString()
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return value < 0n ? `-${grouped}` : grouped
}
