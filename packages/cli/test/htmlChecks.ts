/**
 * What "the charts rendered" means, checked in a real browser: the page loads from a file with no
 * other request, every chart is an SVG with a non-zero box, each has drawn marks (lines and points,
 * or bars) with non-zero size, and a screenshot is not blank.
 */
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { expect } from 'vitest'
import { distinctColours, launchChromium } from './browser.ts'

export interface RenderedPage {
  readonly charts: ReadonlyArray<{ readonly kind: string; readonly width: number; readonly height: number; readonly marks: number; readonly visibleMarks: number }>
  readonly requests: ReadonlyArray<string>
  readonly screenshotColours: number
}

export const renderInChromium = async (html: string, file: string): Promise<RenderedPage> => {
  writeFileSync(file, html)
  const url = pathToFileURL(file).href
  const browser = await launchChromium()
  try {
    const page = await browser.context.newPage()
    const requests: Array<string> = []
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(url, { waitUntil: 'load' })
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect()
        const marks = [...svg.querySelectorAll('.series-line, .series-point, .bar')]
        const visible = marks.filter((mark) => {
          const markBox = mark.getBoundingClientRect()
          return markBox.width > 0 && markBox.height > 0
        })
        return { kind: svg.getAttribute('class') ?? '', width: box.width, height: box.height, marks: marks.length, visibleMarks: visible.length }
      }),
    )
    const screenshot = await page.screenshot({ fullPage: true })
    return { charts, requests: requests.filter((request) => request !== url), screenshotColours: distinctColours(screenshot) }
  } finally {
    await browser.close()
  }
}

/** The assertions every HTML report must pass: both charts drawn, nothing fetched, not blank. */
export const expectChartsRendered = (page: RenderedPage): void => {
  expect(page.requests).toStrictEqual([])
  const line = page.charts.find((chart) => chart.kind.includes('chart-line'))
  const bars = page.charts.find((chart) => chart.kind.includes('chart-bars'))
  for (const chart of [line, bars]) {
    expect(chart).toBeDefined()
    expect(chart?.width).toBeGreaterThan(100)
    expect(chart?.height).toBeGreaterThan(100)
    expect(chart?.visibleMarks).toBeGreaterThan(0)
  }
  // A blank page is one colour; text alone on white gives a few dozen shades of grey from anti-aliasing.
  expect(page.screenshotColours).toBeGreaterThan(100)
}
