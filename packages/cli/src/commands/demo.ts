/**
 * `policy-credit demo`: builds the Nghĩa Lộ example (examples/nghia-lo: the town's history from 2010 to
 * 2022 as commands) in a fresh SQLite file, runs both projections and prints the reports that carry
 * the article's figures F1–F12. The file is kept (default ./nghia-lo-demo.db) so that the other
 * commands can be tried on it afterwards; a later demo replaces it, and refuses to replace a file
 * that is not a policy-credit store.
 */
import { existsSync, rmSync } from 'node:fs'
import type { Command } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { createApplication, executeAll, isStoreFailure, type CommandEnvelope } from '@policy-credit/application'
import type { TownId } from '@policy-credit/core'
import { NGHIA_LO, nghiaLoCommandEnvelopes, nghiaLoReference } from '@policy-credit/example-nghia-lo'
import type { ActionFactory } from '../cli.ts'
import { succeeded, type CommandContext, type CommandOutcome } from '../context.ts'
import { describeExecutionError } from '../describe.ts'
import { inputRejected, interrupted, type CliFailure } from '../failures.ts'
import { progressBar } from '../progress.ts'
import { renderReports, type OutputFormat } from '../reports/render.ts'
import type { Report } from '../reports/report.ts'
import { openEventStore, openReadModelStore } from '../stores.ts'
import { buildReport, formatOption, type ReportRequest } from './reporting.ts'

export const DEFAULT_DEMO_FILE = './nghia-lo-demo.db'

/** The reports that carry F1–F12: the town's poverty series 2010–2022, and debt, jobs and capital in mid-2022. */
export const demoReports: ReadonlyArray<ReportRequest> = [
  { name: 'poverty-rate', request: { unit: { kind: 'TOWN', townId: NGHIA_LO as TownId }, fromYear: 2010, toYear: 2022, byCommune: false } },
  { name: 'outstanding-debt', request: { asOf: '2022-06-30', by: ['programme'], year: 2022, planUnitId: NGHIA_LO } },
]

/** Removes an earlier demo's file (and its WAL files); refuses one that is not a policy-credit store. */
const freshFile = async (filename: string): Promise<E.Either<CliFailure, void>> => {
  if (existsSync(filename)) {
    const earlier = await openEventStore({ _tag: 'Sqlite', filename })
    if (E.isLeft(earlier)) return E.left(inputRejected(`${filename} exists and is not a policy-credit store, so demo will not replace it: ${earlier.left.message}`))
    await earlier.right.close()
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${filename}${suffix}`, { force: true })
  return E.right(undefined)
}

/** The example's commands, stopping early when the user interrupts. */
function* interruptible(envelopes: Iterable<CommandEnvelope>, signal: AbortSignal): Generator<CommandEnvelope> {
  for (const envelope of envelopes) {
    if (signal.aborted) return
    yield envelope
  }
}

const runDemo = async (context: CommandContext, options: { readonly file: string; readonly format: OutputFormat }): Promise<CommandOutcome> => {
  const { io } = context
  const fresh = await freshFile(options.file)
  if (E.isLeft(fresh)) return fresh
  // A demo file is rebuilt at will: 'normal' sync is durable across a crash of the process, and faster.
  const opened = await openEventStore({ _tag: 'Sqlite', filename: options.file }, { synchronous: 'normal' })
  if (E.isLeft(opened)) return opened
  const eventStore = opened.right
  try {
    io.stderr.write(`Building the Nghĩa Lộ example in ${options.file} (about 110,000 commands; a few minutes)…\n`)
    const total = [...nghiaLoCommandEnvelopes()].length
    const progress = progressBar(io.stderr, 'Nghĩa Lộ history', total)
    const application = createApplication({ store: eventStore, reference: nghiaLoReference })
    const refusals: Array<string> = []
    const summary = await executeAll(application, interruptible(nghiaLoCommandEnvelopes(), io.signal), {
      onOutcome: (result, envelope, index) => {
        if (E.isLeft(result) && !isStoreFailure(result.left)) refusals.push(`${envelope.commandId}: ${describeExecutionError(result.left)}`)
        progress.update(index + 1)
      },
    })()
    progress.finish()
    if (summary.stoppedBy !== undefined) return E.left({ _tag: 'StoreUnavailable', message: describeExecutionError(summary.stoppedBy.error) })
    if (summary.executed < total) return E.left(interrupted(`interrupted after ${summary.executed} of ${total} commands`))
    // The example is built to be executed without a refusal: one means the library and the example disagree.
    for (const refusal of refusals) io.stderr.write(`refused: ${refusal}\n`)
    io.stderr.write(`${summary.executed} commands executed, ${summary.eventsAppended} events appended, ${refusals.length} refused\n`)
    const readModels = await openReadModelStore({ _tag: 'Sqlite', filename: options.file })
    if (E.isLeft(readModels)) return readModels
    try {
      const reports: Array<Report> = []
      for (const asked of demoReports) {
        io.stderr.write(`Running the ${asked.name} projection…\n`)
        const built = await buildReport(io, eventStore, readModels.right, asked)
        if (E.isLeft(built)) return built
        reports.push(built.right)
      }
      io.stdout.write(renderReports(options.format, 'Nghĩa Lộ town (thị xã Nghĩa Lộ), Yên Bái: the policy-credit demo', reports, new Date().toISOString()))
      io.stderr.write(`The store is kept: try  policy-credit --store sqlite:${options.file} history loan-<id>  or  report poverty-rate --town ${NGHIA_LO} --format html\n`)
      return refusals.length === 0 ? succeeded : E.left(inputRejected(`${refusals.length} of the example's commands were refused`))
    } finally {
      await readModels.right.close()
    }
  } finally {
    await eventStore.close()
  }
}

export const registerDemo = (program: Command, action: ActionFactory): void => {
  program
    .command('demo')
    .description("build the Nghĩa Lộ example in a fresh SQLite file, run both projections and print the reports that reproduce the article's figures")
    .option('--file <path>', 'the SQLite file to build (replaced if it is an earlier demo); --store is not used', DEFAULT_DEMO_FILE)
    .addOption(formatOption())
    .action(action((context, options: { file: string; format: OutputFormat }) => runDemo(context, options)))
}
