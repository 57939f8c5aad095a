/**
 * Charts as inline SVG, drawn here rather than by a charting library so that the HTML report is one
 * file that opens offline, with nothing fetched and no script run. Two kinds are enough for the
 * reports: lines (the poverty rate per year, one line per standard, since rates under different
 * standards must never be joined) and grouped bars (outstanding and overdue debt per programme).
 */
import { escapeHtml } from './escape.ts'
import { groupedDigits, percentNumber, percentText, type BarChart, type Chart, type LineChart } from './report.ts'

const WIDTH = 760
const HEIGHT = 430
// Room below the plot for category labels turned 30° and, under them, the legend.
const MARGIN = { top: 40, right: 20, bottom: 140, left: 90 }
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom
/** Colour-blind-safe (Okabe–Ito). */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000']

const colour = (index: number): string => PALETTE[index % PALETTE.length] ?? '#000000'

/** Axis ticks at 1, 2 or 5 × 10^k, from 0 to at least `maximum`, about five of them. */
export const niceTicks = (maximum: number): ReadonlyArray<number> => {
  if (!(maximum > 0)) return [0, 1]
  const roughStep = maximum / 5
  const magnitude = 10 ** Math.floor(Math.log10(roughStep))
  const step = ([1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= roughStep) ?? 10 * magnitude)
  const count = Math.ceil(maximum / step - 1e-9)
  return Array.from({ length: count + 1 }, (_, index) => Number((index * step).toPrecision(12)))
}

/** 3_535_000_000 → '3.5 bn', 600_000_000 → '600 m': Vietnamese reports count in millions and billions of đồng. */
export const compactVnd = (value: number): string => {
  if (value >= 1e9) return `${Number((value / 1e9).toPrecision(3))} bn`
  if (value >= 1e6) return `${Number((value / 1e6).toPrecision(3))} m`
  return groupedDigits(BigInt(Math.round(value)))
}

const frame = (chart: Chart, kind: string, body: string): string =>
  [
    `<figure class="chart-figure">`,
    `<svg class="chart chart-${kind}" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    `<title>${escapeHtml(chart.title)}</title>`,
    `<rect class="chart-background" x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeHtml(chart.title)}</text>`,
    body,
    `</svg>`,
    `</figure>`,
  ].join('\n')

const yAxis = (ticks: ReadonlyArray<number>, label: (tick: number) => string): string => {
  const top = ticks.at(-1) ?? 1
  return ticks
    .map((tick) => {
      const y = MARGIN.top + PLOT_HEIGHT - (tick / top) * PLOT_HEIGHT
      return [
        `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#dddddd"/>`,
        `<text x="${MARGIN.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11">${escapeHtml(label(tick))}</text>`,
      ].join('')
    })
    .join('\n')
}

const xLabels = (categories: ReadonlyArray<string>, centre: (index: number) => number): string =>
  categories
    .map((category, index) => {
      const x = centre(index)
      // Long programme names are turned so they do not overlap.
      const rotate = categories.length > 6 || category.length > 10 ? ` transform="rotate(-30 ${x.toFixed(1)} ${MARGIN.top + PLOT_HEIGHT + 16})"` : ''
      const anchor = rotate === '' ? 'middle' : 'end'
      return `<text class="category" x="${x.toFixed(1)}" y="${MARGIN.top + PLOT_HEIGHT + 16}" text-anchor="${anchor}" font-size="11"${rotate}>${escapeHtml(category)}</text>`
    })
    .join('\n')

const legend = (names: ReadonlyArray<string>): string =>
  names
    .map((name, index) => {
      const x = MARGIN.left + index * 180
      const y = HEIGHT - 14
      return `<g class="legend-item"><rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colour(index)}"/><text x="${x + 18}" y="${y}" font-size="12">${escapeHtml(name)}</text></g>`
    })
    .join('\n')

const axes = `<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_HEIGHT}" stroke="#333333"/><line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${MARGIN.top + PLOT_HEIGHT}" y2="${MARGIN.top + PLOT_HEIGHT}" stroke="#333333"/>`

const lineChart = (chart: LineChart): string => {
  const points = chart.series.map((series) => series.values.map((value) => (value === undefined ? undefined : percentNumber(value))))
  const maximum = Math.max(0, ...points.flat().filter((value): value is number => value !== undefined))
  // Headroom above the highest point for its label.
  const ticks = niceTicks(maximum * 1.1)
  const top = ticks.at(-1) ?? 1
  const step = PLOT_WIDTH / Math.max(chart.categories.length, 1)
  const x = (index: number): number => MARGIN.left + step * (index + 0.5)
  const y = (value: number): number => MARGIN.top + PLOT_HEIGHT - (value / top) * PLOT_HEIGHT
  const series = chart.series
    .map((line, seriesIndex) => {
      const values = points[seriesIndex] ?? []
      // A gap (no figure that year under this standard) splits the line: never draw across it.
      const runs: Array<Array<number>> = [[]]
      values.forEach((value, index) => (value === undefined ? runs.push([]) : runs.at(-1)?.push(index)))
      const paths = runs
        .filter((run) => run.length > 1)
        .map((run) => `<polyline class="series-line" fill="none" stroke="${colour(seriesIndex)}" stroke-width="2.5" points="${run.map((index) => `${x(index).toFixed(1)},${y(values[index] ?? 0).toFixed(1)}`).join(' ')}"/>`)
      const dots = values.flatMap((value, index) => {
        if (value === undefined) return []
        const ratio = line.values[index]
        const label = ratio === undefined ? '' : `${percentText(ratio) ?? ''} %`
        return [
          `<circle class="series-point" cx="${x(index).toFixed(1)}" cy="${y(value).toFixed(1)}" r="4.5" fill="${colour(seriesIndex)}"><title>${escapeHtml(`${line.name}, ${chart.categories[index] ?? ''}: ${label}`)}</title></circle>`,
          `<text x="${x(index).toFixed(1)}" y="${(y(value) - 9).toFixed(1)}" text-anchor="middle" font-size="10" fill="${colour(seriesIndex)}">${escapeHtml(label)}</text>`,
        ]
      })
      return `<g class="series" data-series="${escapeHtml(line.name)}">${[...paths, ...dots].join('')}</g>`
    })
    .join('\n')
  return frame(chart, 'line', [yAxis(ticks, (tick) => `${tick} %`), axes, xLabels(chart.categories, x), series, legend(chart.series.map((line) => line.name))].join('\n'))
}

const barChart = (chart: BarChart): string => {
  const maximum = Math.max(0, ...chart.series.flatMap((series) => series.values.map(Number)))
  const ticks = niceTicks(maximum)
  const top = ticks.at(-1) ?? 1
  const groupWidth = PLOT_WIDTH / Math.max(chart.categories.length, 1)
  const barWidth = (groupWidth * 0.8) / Math.max(chart.series.length, 1)
  const centre = (index: number): number => MARGIN.left + groupWidth * (index + 0.5)
  const bars = chart.series
    .map((series, seriesIndex) => {
      const rects = series.values.map((value, index) => {
        const height = (Number(value) / top) * PLOT_HEIGHT
        const x = MARGIN.left + groupWidth * index + groupWidth * 0.1 + barWidth * seriesIndex
        const label = `${series.name}, ${chart.categories[index] ?? ''}: ${groupedDigits(value)} VND`
        return `<rect class="bar" x="${x.toFixed(1)}" y="${(MARGIN.top + PLOT_HEIGHT - height).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${colour(seriesIndex)}"><title>${escapeHtml(label)}</title></rect>`
      })
      return `<g class="series" data-series="${escapeHtml(series.name)}">${rects.join('')}</g>`
    })
    .join('\n')
  return frame(chart, 'bars', [yAxis(ticks, compactVnd), axes, xLabels(chart.categories, centre), bars, legend(chart.series.map((series) => series.name))].join('\n'))
}

export const chartSvg = (chart: Chart): string => (chart._tag === 'Line' ? lineChart(chart) : barChart(chart))
