import { describe, expect, it } from 'vitest'
import { renderHtml } from '../src/reports/render.ts'
import type { Report } from '../src/reports/report.ts'
import { expectChartsRendered, renderInChromium } from './htmlChecks.ts'
import { useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()

const poverty: Report = {
  name: 'poverty-rate',
  title: 'Poverty rate',
  parameters: [],
  tables: [],
  charts: [
    {
      _tag: 'Line',
      title: 'Poverty rate per year',
      categories: ['2011', '2015', '2020'],
      series: [
        { name: 'QD-09-2011', values: [{ numerator: 1176n, denominator: 7162n }, { numerator: 1025n, denominator: 7649n }, undefined] },
        { name: 'QD-59-2015', values: [undefined, { numerator: 249n, denominator: 1000n }, { numerator: 331n, denominator: 10000n }] },
      ],
    },
  ],
}
const debt: Report = {
  name: 'outstanding-debt',
  title: 'Outstanding debt',
  parameters: [],
  tables: [],
  charts: [{ _tag: 'Bars', title: 'By programme', categories: ['MAYTINH', 'NOXH'], series: [{ name: 'outstanding', values: [1_000_000_000n, 3_535_000_000n] }, { name: 'overdue', values: [0n, 15_000_000n] }] }],
}

describe('HTML report in headless Chromium', () => {
  it('draws both charts with visible marks, fetches nothing, and is not blank', async () => {
    const page = await renderInChromium(renderHtml('Charts', [poverty, debt], '2026-01-01T00:00:00Z'), file('charts.html'))
    expectChartsRendered(page)
    // 2 lines of 2 points each (2011–2015 and 2015–2020), 4 points, 4 bars (one of them of zero height).
    expect(page.charts.find((chart) => chart.kind.includes('chart-line'))?.visibleMarks).toBe(6)
    expect(page.charts.find((chart) => chart.kind.includes('chart-bars'))?.visibleMarks).toBe(3)
  })
})
