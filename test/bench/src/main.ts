/**
 * `pnpm bench`: builds the synthetic town and prints, per section, what each store and projection
 * does with it beside the machine's limits on the same data (docs/benchmarks.md).
 *
 *   node --expose-gc test/bench/dist/main.js [--households N | --sizes N,M] [--communes N] [--seed N]
 *                                            [--only sqlite,projections,postgres] [--quick] [--keep DIR]
 *
 * `--keep DIR` leaves the SQLite files in DIR/<households>/ (a fresh directory: the files must not exist).
 *
 * By default the whole run is made at two sizes (5,000 and 20,000 households), each in a fresh
 * process, so the peak memory of one size owes nothing to the other: flat memory shows as equal
 * peaks. `--households N` runs one size in this process.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { projectionBenchmarks } from './projections.ts'
import { consoleReport, tableHeading, type BenchReport } from './report.ts'
import { sqliteBenchmarks } from './sqlite.ts'
import { defaultTownSize, type TownSize } from './syntheticTown.ts'

/** What a section may use from the sections before it in the same run. */
export interface SectionContext {
  /** A fresh directory for the section's files, removed after the run unless `--keep`. */
  readonly directory: string
  /** The SQLite file holding the whole town, once the sqlite section has run. */
  sqliteTown?: { readonly filename: string; readonly events: number; readonly rawReadEventsPerSecond: number }
}

/** A section of the run: prints its lines through `report`. */
export interface BenchSection {
  readonly name: string
  readonly run: (size: TownSize, report: BenchReport, context: SectionContext) => Promise<void>
}

/** The PostgreSQL benchmarks, when their module is there (test/bench/src/postgres.ts). */
const postgresSection = async (): Promise<BenchSection | undefined> => {
  const specifier = './postgres.js'
  try {
    const module = (await import(specifier)) as { readonly postgresBenchmarks?: (size: TownSize, report: BenchReport) => Promise<void> }
    const run = module.postgresBenchmarks
    return run === undefined ? undefined : { name: 'postgres', run: (size, report) => run(size, report) }
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined
    throw error
  }
}

const sections = async (): Promise<ReadonlyArray<BenchSection>> => {
  const postgres = await postgresSection()
  return [
    {
      name: 'sqlite',
      run: async (size, report, context) => {
        context.sqliteTown = await sqliteBenchmarks(size, report, context.directory)
      },
    },
    { name: 'projections', run: (size, report, context) => projectionBenchmarks(size, report, context) },
    ...(postgres === undefined ? [] : [postgres]),
  ]
}

const positiveInteger = (name: string, text: string): number => {
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`${name} ${JSON.stringify(text)} is not a positive whole number`)
  return Number(text)
}

const DEFAULT_SIZES = [5_000, defaultTownSize.households]
const QUICK_HOUSEHOLDS = 2_000

const runOneSize = async (size: TownSize, only: ReadonlySet<string> | undefined, keep: string | undefined): Promise<void> => {
  const report = consoleReport()
  const directory = keep === undefined ? mkdtempSync(join(tmpdir(), 'policy-credit-bench-')) : join(keep, String(size.households))
  if (keep !== undefined) mkdirSync(directory, { recursive: true })
  const context: SectionContext = { directory }
  const started = performance.now()
  report.say(`\n== ${size.households.toLocaleString('en-US')} households — Node ${process.version}, pid ${process.pid}, files in ${directory}`)
  report.say(tableHeading())
  try {
    for (const section of await sections()) {
      if (only !== undefined && !only.has(section.name)) continue
      report.say(`-- ${section.name}`)
      await section.run(size, report, context)
    }
  } finally {
    if (keep === undefined) rmSync(directory, { recursive: true, force: true })
  }
  report.say(
    `-- ${Math.round((performance.now() - started) / 1_000)} s for this size; peak RSS of the process ${Math.round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024)} MiB`,
  )
}

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      households: { type: 'string' },
      sizes: { type: 'string' },
      communes: { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean' },
      keep: { type: 'string' },
    },
  })
  const only = values.only === undefined ? undefined : new Set(values.only.split(',').map((name) => name.trim()))
  const base: TownSize = {
    ...defaultTownSize,
    ...(values.communes === undefined ? {} : { communes: positiveInteger('--communes', values.communes) }),
    ...(values.seed === undefined ? {} : { seed: positiveInteger('--seed', values.seed) }),
  }
  if (values.households !== undefined || values.quick === true) {
    const households = values.households === undefined ? QUICK_HOUSEHOLDS : positiveInteger('--households', values.households)
    await runOneSize({ ...base, households }, only, values.keep)
    return
  }
  const sizes = values.sizes === undefined ? DEFAULT_SIZES : values.sizes.split(',').map((text) => positiveInteger('--sizes', text.trim()))
  if ((globalThis as { gc?: unknown }).gc === undefined) process.stdout.write('(run with node --expose-gc for comparable memory figures)\n')
  for (const households of sizes) {
    // A fresh process per size: its peak memory is its own.
    const forwarded = process.argv.slice(2).filter((_, index, all) => all[index] !== '--sizes' && all[index - 1] !== '--sizes')
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...forwarded, '--households', String(households)], { stdio: 'inherit' })
    if (child.status !== 0) throw new Error(`the run at ${households} households failed (exit ${child.status ?? child.signal})`)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
