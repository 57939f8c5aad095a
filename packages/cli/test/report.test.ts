import { beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '../src/failures.ts'
import { communeId, town, writeLines } from './fixtures.ts'
import { cli, useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()

type JsonReport = { readonly tables: ReadonlyArray<{ readonly rows: ReadonlyArray<Record<string, unknown>> }> }

describe('project and report', () => {
  let store = ''
  beforeAll(async () => {
    store = `sqlite:${file('town.db')}`
    expect((await cli(['--store', store, 'import', '--quiet', writeLines(file('town.jsonl'), town)])).exitCode).toBe(ExitCode.Ok)
  })

  it('reports outstanding principal as of any business day, caught up first', async () => {
    const before = await cli(['--store', store, 'report', 'outstanding-debt', '--as-of', '2023-12-31', '--format', 'json'])
    expect(before.stderr).toBe('')
    expect(before.exitCode).toBe(ExitCode.Ok)
    const [outstanding] = (JSON.parse(before.stdout) as JsonReport).tables
    expect(outstanding?.rows[0]).toMatchObject({ programme: 'POOR_HOUSEHOLD', borrowers: 1, outstanding: '50000000', overdue: '0' })
    const after = await cli(['--store', store, 'report', 'outstanding-debt', '--as-of', '2024-03-01', '--format', 'json'])
    expect((JSON.parse(after.stdout) as JsonReport).tables[0]?.rows[0]).toMatchObject({ programme: 'POOR_HOUSEHOLD', outstanding: '30000000' })
    const capital = (JSON.parse(after.stdout) as JsonReport).tables[2]
    expect(capital?.rows.at(-1)).toMatchObject({ capitalSourceKind: 'total', centralAllocatedInAll: '500000000' })
  })

  it('reports the poverty rate of a year under a standard from the review lists', async () => {
    const run = await cli(['--store', store, 'report', 'poverty-rate', '--commune', communeId, '--year', '2023', '--standard', 'ND-07-2021', '--format', 'json'])
    expect(run.exitCode).toBe(ExitCode.Ok)
    expect((JSON.parse(run.stdout) as JsonReport).tables[0]?.rows[0]).toMatchObject({
      unit: communeId,
      year: '2023',
      standard: 'ND-07-2021',
      openingHouseholds: 1,
      openingPoor: 1,
      openingPovertyRate: { percent: 100, numerator: '1', denominator: '1' },
    })
  })

  it('prints CSV with a header of keys', async () => {
    const run = await cli(['--store', store, 'report', 'outstanding-debt', '--as-of', '2024-03-01', '--format', 'csv'])
    expect(run.stdout.split('\r\n')[0]).toBe('programme,borrowers,outstanding,overdue,overdueRatio,frozen,overdueAndFrozenRatio')
    expect(run.stdout).toContain('POOR_HOUSEHOLD,1,30000000,0,0.00,0,0.00')
  })

  it('refuses wrong options before opening anything (exit 1)', async () => {
    expect((await cli(['--store', store, 'report', 'poverty-rate', '--year', '2023'])).exitCode).toBe(ExitCode.Usage)
    expect((await cli(['--store', store, 'report', 'outstanding-debt', '--as-of', '2023-02-30'])).exitCode).toBe(ExitCode.Usage)
    expect((await cli(['--store', store, 'report', 'outstanding-debt', '--by', 'colour'])).exitCode).toBe(ExitCode.Usage)
    expect((await cli(['--store', store, 'report', 'weather'])).exitCode).toBe(ExitCode.Usage)
    expect((await cli(['--store', store, 'report', 'outstanding-debt', '--format', 'pdf'])).exitCode).toBe(ExitCode.Usage)
  })

  it('project catches a projection up into separate read models; a second run finds nothing new', async () => {
    const readModels = `sqlite:${file('read-models.db')}`
    const first = await cli(['--store', store, '--read-models', readModels, 'project', 'outstanding-debt'])
    expect(first.exitCode).toBe(ExitCode.Ok)
    expect(first.stdout).toMatch(/outstanding-debt: [1-9]\d* events applied/)
    const second = await cli(['--store', store, '--read-models', readModels, 'project', 'outstanding-debt'])
    expect(second.stdout).toMatch(/outstanding-debt: 0 events applied/)
  })

  it('project --follow keeps following until stopped, then exits 0', async () => {
    const stop = new AbortController()
    const following = cli(['--store', store, '--read-models', `sqlite:${file('followed.db')}`, 'project', 'poverty-rate', '--follow', '--poll-interval', '20'], { signal: stop.signal })
    await new Promise((resolve) => setTimeout(resolve, 700))
    stop.abort()
    const run = await following
    expect(run.exitCode).toBe(ExitCode.Ok)
    expect(run.stdout).toContain('caught up')
    expect(run.stdout).toContain('stopped: poverty-rate')
  })
})
