/**
 * The article's figures F1–F12, asserted from what the built command prints: `policy-credit demo
 * --format json` run as a child process (node packages/cli/dist/main.js; the root `npm test` builds
 * first), never from the generator. The expected values and the query behind each come from the
 * example's own `figures`; this test only says where each one is in the reports.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { figures, printedPercent, type Figure } from '@policy-credit/example-nghia-lo'
import { useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()
const main = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'main.js')

type Percent = { readonly percent: number | null; readonly numerator: string; readonly denominator: string }
type Row = Readonly<Record<string, unknown>>
interface ReportJson {
  readonly parameters: Readonly<Record<string, string>>
  readonly tables: ReadonlyArray<{ readonly title: string; readonly rows: ReadonlyArray<Row> }>
}

let poverty: ReportJson
let debt: ReportJson

const rowsOf = (report: ReportJson, table: number): ReadonlyArray<Row> => report.tables[table]?.rows ?? []

/** The percentage the article prints, from the report's exact numerator and denominator. */
const printed = (rate: unknown, decimals: number): number => {
  const { numerator, denominator } = rate as Percent
  return printedPercent(Number(numerator), Number(denominator), decimals)
}

/** The list of review year R under a standard: year R's closing list, or year R+1's opening list. */
const reviewList = (reviewYear: number, standard: string): { readonly households: unknown; readonly poor: unknown; readonly rate: unknown } => {
  const rows = rowsOf(poverty, 0).filter((row) => row['standard'] === standard)
  const closing = rows.find((row) => row['year'] === String(reviewYear) && row['closingPoor'] !== null)
  if (closing !== undefined) return { households: closing['closingHouseholds'], poor: closing['closingPoor'], rate: closing['closingPovertyRate'] }
  const opening = rows.find((row) => row['year'] === String(reviewYear + 1))
  return { households: opening?.['openingHouseholds'], poor: opening?.['openingPoor'], rate: opening?.['openingPovertyRate'] }
}

const assertFigure = (figure: Figure): void => {
  switch (figure.kind) {
    case 'poverty': {
      const list = reviewList(figure.reviewYear, figure.standardId)
      if (figure.printed.poor !== undefined) expect(list.poor).toBe(figure.printed.poor)
      if (figure.printed.rate !== undefined) expect(printed(list.rate, figure.printed.rate.decimals)).toBe(figure.printed.rate.percent)
      return
    }
    case 'povertyTarget': {
      const row = rowsOf(poverty, 0).find((candidate) => candidate['year'] === String(figure.planYear) && candidate['standard'] === figure.standardId)
      expect(row?.['targetPoor']).toBe(figure.printed.targetPoor)
      expect(printed(row?.['targetPovertyRate'], figure.printed.rate.decimals)).toBe(figure.printed.rate.percent)
      return
    }
    case 'entrustedCapital': {
      expect(debt.parameters['capital year']).toBe(String(figure.toYear))
      const row = rowsOf(debt, 2).find((candidate) => candidate['capitalSource'] === figure.capitalSourceId)
      // Within the year when the figure is one year's; in all (through its end) when it spans years.
      expect(row?.[figure.fromYear === figure.toYear ? 'localEntrustedInPeriod' : 'localEntrustedInAll']).toBe(figure.amount.toString())
      return
    }
    case 'jobs': {
      expect(debt.tables[1]?.title).toContain(`${figure.from} to ${figure.to}`)
      const rows = rowsOf(debt, 1)
      const row = figure.capitalSourceKind === undefined ? rows.find((candidate) => candidate['capitalSourceKind'] === 'total') : rows.find((candidate) => candidate['capitalSourceKind'] === figure.capitalSourceKind)
      expect(row?.['jobsCreated']).toBe(figure.workers)
      if (figure.plan !== undefined) {
        expect(row?.['jobsPlanned']).toBe(figure.plan.workers)
        expect(printed(row?.['planFulfilment'], figure.plan.share.decimals)).toBe(figure.plan.share.percent)
      }
      return
    }
    case 'outstanding': {
      expect(debt.parameters['as of']).toBe(figure.asOf)
      const row = rowsOf(debt, 0).find((candidate) => candidate['programme'] === figure.programme)
      expect(row?.['borrowers']).toBe(figure.borrowers)
      expect(row?.['outstanding']).toBe(figure.outstanding.toString())
      return
    }
  }
}

describe('policy-credit demo reproduces the Nghĩa Lộ article', () => {
  beforeAll(async () => {
    if (!existsSync(main)) throw new Error(`${main} is not built: run tsc -b (npm test does) before this test`)
    const run = await promisify(execFile)(process.execPath, [main, 'demo', '--file', file('nghia-lo-demo.db'), '--format', 'json'], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { readonly code?: number; readonly stderr?: string; readonly stdout?: string }) => {
        throw new Error(`demo exited with ${String(error.code)}: ${error.stderr ?? ''}`)
      },
    )
    const reports = JSON.parse(run.stdout) as Readonly<Record<string, ReportJson>>
    poverty = reports['poverty-rate'] as ReportJson
    debt = reports['outstanding-debt'] as ReportJson
    expect(run.stderr).toMatch(/ 0 refused/)
  }, 1_800_000)

  it('prints both reports (the demo exited 0: execFile rejects any other code)', () => {
    expect(poverty.tables[0]?.rows.length).toBeGreaterThan(0)
    expect(debt.tables).toHaveLength(3)
  })

  it.each(figures.map((figure) => [`${figure.id}: ${figure.article}`, figure] as const))('%s', (_title, figure) => assertFigure(figure))
})
