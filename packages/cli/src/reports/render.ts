/**
 * The four output formats of a report (`--format table|csv|json|html`). Each renders the same
 * `Report`: `table` for a terminal, `csv` for a spreadsheet (digits without grouping, rates as
 * percentages with two decimals), `json` for programs (money as decimal strings, since JSON numbers
 * lose đồng above 2^53; every rate with its numerator and denominator), `html` for a page to send.
 */
import { chartSvg } from './charts.ts'
import { csvField, escapeHtml } from './escape.ts'
import { groupedDigits, isRatio, percentText, type CellValue, type Column, type Report, type ReportTable } from './report.ts'

export const outputFormats = ['table', 'csv', 'json', 'html'] as const
export type OutputFormat = (typeof outputFormats)[number]

const MISSING = '—'

/** A cell as a person reads it: grouped digits, rates with a percent sign. */
const displayText = (value: CellValue): string => {
  if (value === undefined) return MISSING
  if (isRatio(value)) {
    const percent = percentText(value)
    return percent === undefined ? MISSING : `${percent} %`
  }
  return typeof value === 'bigint' ? groupedDigits(value) : value
}

/** A cell as a spreadsheet reads it: plain digits, a rate as a bare percentage, nothing for missing. */
const plainText = (value: CellValue): string => {
  if (value === undefined) return ''
  if (isRatio(value)) return percentText(value) ?? ''
  return typeof value === 'bigint' ? value.toString() : value
}

const isNumeric = (column: Column): boolean => column.kind !== 'text'

/** Columns padded to their widest cell, numbers right-aligned, a rule under the headings. */
export const alignedTable = (table: { readonly headings: ReadonlyArray<string>; readonly numeric: ReadonlyArray<boolean>; readonly rows: ReadonlyArray<ReadonlyArray<string>> }): string => {
  const widths = table.headings.map((heading, index) => Math.max(heading.length, ...table.rows.map((row) => (row[index] ?? '').length)))
  const line = (values: ReadonlyArray<string>): string =>
    values
      .map((value, index) => (table.numeric[index] === true ? value.padStart(widths[index] ?? 0) : value.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [line(table.headings), rule, ...(table.rows.length === 0 ? ['(none)'] : table.rows.map(line))].join('\n')
}

const textTable = (table: ReportTable): string =>
  [
    table.title,
    alignedTable({
      headings: table.columns.map((column) => column.heading),
      numeric: table.columns.map(isNumeric),
      rows: table.rows.map((row) => table.columns.map((_, index) => displayText(row[index]))),
    }),
  ].join('\n')

const parametersLine = (report: Report): string => report.parameters.map(({ name, value }) => `${name}: ${value}`).join(', ')

export const renderTable = (report: Report): string =>
  [report.title, ...(report.parameters.length === 0 ? [] : [parametersLine(report)]), '', ...report.tables.map((table) => `${textTable(table)}\n`)].join('\n')

export const renderCsv = (report: Report): string =>
  report.tables
    .map((table) =>
      [table.columns.map((column) => csvField(column.key)), ...table.rows.map((row) => table.columns.map((_, index) => csvField(plainText(row[index]))))]
        .map((fields) => fields.join(','))
        .join('\r\n'),
    )
    .join('\r\n\r\n')
    .concat('\r\n')

const jsonCell = (value: CellValue, column: Column): unknown => {
  if (value === undefined) return null
  if (isRatio(value)) {
    const percent = percentText(value)
    return { percent: percent === undefined ? null : Number(percent), numerator: value.numerator.toString(), denominator: value.denominator.toString() }
  }
  if (typeof value === 'bigint') return column.kind === 'count' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString()
  return value
}

/** The report as a JSON value (not text): `demo --format json` puts several in one document. */
export const reportJson = (report: Report): unknown => ({
  report: report.name,
  title: report.title,
  parameters: Object.fromEntries(report.parameters.map(({ name, value }) => [name, value])),
  tables: report.tables.map((table) => ({
    title: table.title,
    columns: table.columns.map((column) => ({ key: column.key, heading: column.heading, kind: column.kind })),
    rows: table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column.key, jsonCell(row[index], column)]))),
  })),
})

export const renderJson = (report: Report): string => `${JSON.stringify(reportJson(report), null, 2)}\n`

const htmlTable = (table: ReportTable): string => {
  const head = table.columns.map((column) => `<th class="${isNumeric(column) ? 'number' : 'text'}" scope="col">${escapeHtml(column.heading)}</th>`).join('')
  const rows = table.rows
    .map((row) => `<tr>${table.columns.map((column, index) => `<td class="${isNumeric(column) ? 'number' : 'text'}">${escapeHtml(displayText(row[index]))}</td>`).join('')}</tr>`)
    .join('\n')
  return `<table>\n<caption>${escapeHtml(table.title)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; }
.parameters { color: #555; }
figure { margin: 1.5rem 0; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.4rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.7rem; }
td { white-space: nowrap; }
th { background: #f4f4f4; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 3rem; color: #777; font-size: 0.8rem; }
`

const htmlSection = (report: Report): string =>
  [
    `<section class="report" id="${escapeHtml(report.name)}">`,
    `<h2>${escapeHtml(report.title)}</h2>`,
    report.parameters.length === 0 ? '' : `<p class="parameters">${escapeHtml(parametersLine(report))}</p>`,
    ...report.charts.map(chartSvg),
    ...report.tables.map(htmlTable),
    `</section>`,
  ].join('\n')

/**
 * One self-contained page: styles inline, charts as inline SVG, no script, no external reference; the
 * Content-Security-Policy forbids the page to load anything, so it renders the same offline.
 */
export const renderHtml = (title: string, reports: ReadonlyArray<Report>, generatedAt: string): string =>
  [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...reports.map(htmlSection),
    `<footer>Generated by policy-credit on ${escapeHtml(generatedAt)}.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')

/** Several reports in one output: tables one after another, CSV sections separated by a blank line, one JSON object keyed by report, one HTML page. */
export const renderReports = (format: OutputFormat, title: string, reports: ReadonlyArray<Report>, generatedAt: string): string => {
  switch (format) {
    case 'table':
      return reports.map(renderTable).join('\n')
    case 'csv':
      return reports.map(renderCsv).join('\r\n')
    case 'json':
      return reports.length === 1 && reports[0] !== undefined
        ? renderJson(reports[0])
        : `${JSON.stringify(Object.fromEntries(reports.map((report) => [report.name, reportJson(report)])), null, 2)}\n`
    case 'html':
      return renderHtml(title, reports, generatedAt)
  }
}
