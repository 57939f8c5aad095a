import { describe, expect, it } from 'vitest'
import { ExitCode } from '../src/failures.ts'
import { town, writeLines } from './fixtures.ts'
import { expectChartsRendered, renderInChromium } from './htmlChecks.ts'
import { cli, useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()

describe('the HTML report in headless Chromium', () => {
  it("draws the town's poverty-rate line and its debt bars, fetches nothing, and is not blank", async () => {
    const store = `sqlite:${file('town.db')}`
    expect((await cli(['--store', store, 'import', '--quiet', writeLines(file('town.jsonl'), town)])).exitCode).toBe(ExitCode.Ok)
    const report = await cli(['--store', store, 'report', 'all', '--town', 'TX-NGHIA-LO', '--as-of', '2024-03-01', '--format', 'html'])
    expect(report.exitCode).toBe(ExitCode.Ok)
    expect(report.stdout).toMatch(/^<!DOCTYPE html>/)
    const page = await renderInChromium(report.stdout, file('report.html'))
    expectChartsRendered(page)
  })
})
