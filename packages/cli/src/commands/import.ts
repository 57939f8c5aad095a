/**
 * `policy-credit import <file.jsonl>`: executes one command per line (docs/commands.md), in order.
 *
 * The file is read twice. First every line is decoded: if any line is malformed, each one is reported
 * with its number and reason and nothing at all is executed, so a half-imported file never depends on
 * a line that was left out. Then the commands are executed; each line's outcome is printed. A command
 * the domain refuses appends nothing and the import goes on (exit 2 at the end); a store failure stops
 * it (exit 3). Event ids derive from each line's `commandId`, so importing the same file again appends
 * nothing and reports every line as already imported — which is also how an interrupted import resumes.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import {
  createApplication,
  decodeCommandLine,
  eventsAppendedBy,
  executeAll,
  isStoreFailure,
  type CommandEnvelope,
  type ExecuteAllSummary,
  type ExecutionError,
  type Outcome,
} from '@policy-credit/application'
import type { ProgrammeCatalogue } from '@policy-credit/core'
import type { EventStore } from '@policy-credit/event-store'
import type { ActionFactory } from '../cli.ts'
import { succeeded, withEventStore, type CommandContext, type CommandOutcome } from '../context.ts'
import { describeCommandLineError, describeExecutionError } from '../describe.ts'
import { describeCause, inputRejected, interrupted, storeUnavailable, type CliFailure } from '../failures.ts'
import { progressBar } from '../progress.ts'
import { readProgrammeVersions } from '../programmeVersions.ts'
import { eventStoreFailure } from '../stores.ts'

interface NumberedLine {
  readonly lineNumber: number
  readonly text: string
}

/** The non-blank lines of a file, numbered from 1 as an editor numbers them. */
async function* numberedLines(file: string): AsyncGenerator<NumberedLine> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY })
  let lineNumber = 0
  for await (const text of lines) {
    lineNumber++
    if (text.trim() !== '') yield { lineNumber, text }
  }
}

export interface MalformedLine {
  readonly lineNumber: number
  readonly reason: string
}

export interface CheckedFile {
  /** The line number of each command, in file order. */
  readonly commandLines: ReadonlyArray<number>
  readonly malformed: ReadonlyArray<MalformedLine>
}

/** The first pass: decodes every line, keeping only line numbers (the commands are decoded again as they run). */
export const checkCommandFile = async (file: string): Promise<E.Either<CliFailure, CheckedFile>> => {
  const commandLines: Array<number> = []
  const malformed: Array<MalformedLine> = []
  try {
    for await (const { lineNumber, text } of numberedLines(file)) {
      const decoded = decodeCommandLine(text)
      if (E.isLeft(decoded)) malformed.push({ lineNumber, reason: describeCommandLineError(decoded.left) })
      else commandLines.push(lineNumber)
    }
  } catch (cause) {
    return E.left(inputRejected(`cannot read ${file}: ${describeCause(cause)}`))
  }
  return E.right({ commandLines, malformed })
}

/** The second pass, as `executeAll` consumes it; stops early when the user interrupts. */
async function* envelopesOf(file: string, signal: AbortSignal): AsyncGenerator<CommandEnvelope> {
  for await (const { text } of numberedLines(file)) {
    if (signal.aborted) return
    const decoded = decodeCommandLine(text)
    // The first pass decoded every line; a file changed in between is refused rather than half-read.
    if (E.isLeft(decoded)) throw new Error(`the file changed during the import: ${describeCommandLineError(decoded.left)}`)
    yield decoded.right
  }
}

const describeOutcome = (outcome: Outcome): string => {
  if (outcome.alreadyHandled && (outcome.reservation === undefined || outcome.reservation.alreadyHandled)) return `${outcome.commandType} → ${outcome.streamId}: already imported`
  const appended = eventsAppendedBy(outcome)
  if (appended === 0) return `${outcome.commandType} → ${outcome.streamId}: nothing to change`
  const streams = [outcome.reservation, outcome]
    .flatMap((stream) => (stream === undefined || stream.alreadyHandled || stream.events.length === 0 ? [] : [`${stream.streamId} +${stream.events.length}`]))
    .join(', ')
  return `${outcome.commandType} → ${streams}: ${appended} event${appended === 1 ? '' : 's'} appended`
}

export interface ImportOptions {
  /** Print only refused lines and the summary. */
  readonly quiet: boolean
  /** The programme versions the commands are decided under: the national catalogue unless a file adds some. */
  readonly programmes?: ProgrammeCatalogue
}

export interface ImportResult {
  readonly summary: ExecuteAllSummary
  readonly refusedLines: ReadonlyArray<number>
}

/** The second pass on an open store, printing each outcome. Used by `import` and by `demo`. */
export const executeCommandFile = async (
  context: CommandContext,
  eventStore: EventStore,
  file: string,
  checked: CheckedFile,
  options: ImportOptions,
): Promise<E.Either<unknown, ImportResult>> => {
  const { io } = context
  const application = createApplication({ store: eventStore, ...(options.programmes === undefined ? {} : { reference: { programmes: options.programmes } }) })
  const progress = progressBar(io.stderr, 'import', checked.commandLines.length)
  const refusedLines: Array<number> = []
  const report = (lineNumber: number, text: string): void => {
    progress.clear()
    io.stdout.write(`line ${lineNumber}: ${text}\n`)
  }
  const onOutcome = (result: E.Either<ExecutionError, Outcome>, _envelope: CommandEnvelope, index: number): void => {
    const lineNumber = checked.commandLines[index] ?? 0
    if (E.isLeft(result)) {
      if (isStoreFailure(result.left)) {
        report(lineNumber, `stopped: ${describeExecutionError(result.left)}`)
      } else {
        refusedLines.push(lineNumber)
        report(lineNumber, `refused: ${describeExecutionError(result.left)}`)
      }
    } else if (!options.quiet) {
      report(lineNumber, describeOutcome(result.right))
    }
    progress.update(index + 1)
  }
  try {
    const summary = await executeAll(application, envelopesOf(file, io.signal), { onOutcome })()
    return E.right({ summary, refusedLines })
  } catch (error) {
    return E.left(error)
  } finally {
    progress.finish()
  }
}

const summaryLine = (summary: ExecuteAllSummary): string =>
  `${summary.executed} command${summary.executed === 1 ? '' : 's'}: ${summary.appended} appended ${summary.eventsAppended} event${summary.eventsAppended === 1 ? '' : 's'}, ` +
  `${summary.alreadyHandled} already imported, ${summary.refused} refused`

const runImport = async (context: CommandContext, file: string, quiet: boolean, programmeVersionsFile: string | undefined): Promise<CommandOutcome> => {
  const programmes = programmeVersionsFile === undefined ? E.right(undefined) : readProgrammeVersions(programmeVersionsFile)
  if (E.isLeft(programmes)) return E.left(inputRejected(`nothing imported: ${programmes.left}`))
  const options: ImportOptions = { quiet, ...(programmes.right === undefined ? {} : { programmes: programmes.right }) }
  const checked = await checkCommandFile(file)
  if (E.isLeft(checked)) return checked
  const { malformed, commandLines } = checked.right
  if (malformed.length > 0) {
    for (const { lineNumber, reason } of malformed) context.io.stderr.write(`line ${lineNumber}: ${reason}\n`)
    return E.left(inputRejected(`nothing imported: ${malformed.length} of ${malformed.length + commandLines.length} lines of ${file} are malformed`))
  }
  return withEventStore(context, async (eventStore) => {
    const executed = await executeCommandFile(context, eventStore, file, checked.right, options)
    if (E.isLeft(executed)) return E.left(inputRejected(describeCause(executed.left)))
    const { summary, refusedLines } = executed.right
    context.io.stdout.write(`${summaryLine(summary)}\n`)
    if (summary.stoppedBy !== undefined) {
      const { error, index } = summary.stoppedBy
      const failure = error._tag === 'StoreFailed' ? eventStoreFailure(error.error) : storeUnavailable(describeExecutionError(error))
      return E.left({ ...failure, message: `stopped at line ${commandLines[index] ?? '?'}: ${failure.message}; importing the file again resumes there` })
    }
    if (summary.executed < commandLines.length)
      return E.left(interrupted(`interrupted after ${summary.executed} of ${commandLines.length} commands; importing the file again resumes there`))
    if (refusedLines.length > 0) return E.left(inputRejected(`${refusedLines.length} command${refusedLines.length === 1 ? ' was' : 's were'} refused (lines ${refusedLines.join(', ')}); they changed nothing`))
    return succeeded
  })
}

export const registerImport = (program: Command, action: ActionFactory): void => {
  program
    .command('import')
    .description('execute the commands of a JSONL file, one per line (docs/commands.md); importing it again appends nothing')
    .argument('<file>', 'the JSONL file of commands')
    .option('-q, --quiet', 'print only refused lines and the summary')
    .option('--programme-versions <file>', 'a JSON list of programme versions to add to the national catalogue (the core\'s ProgrammeTerms form)')
    .addHelpText(
      'after',
      `
Each line's outcome is printed; a progress bar is drawn on a terminal (stderr), never into a pipe.
If any line is malformed, every malformed line is reported with its number and nothing is imported (exit 2).
A command the domain refuses changes nothing and the import goes on (exit 2 at the end).
Commands are decided under the national programme catalogue; --programme-versions adds versions it
lacks (a malformed file, or a version overlapping another of its programme, imports nothing).

Examples:
  policy-credit --store sqlite:./town.db import day.jsonl
  policy-credit --store sqlite:./town.db import --programme-versions nghia-lo.programme-versions.json nghia-lo.commands.jsonl`,
    )
    .action(
      action((context, file: string, options: { quiet?: boolean; programmeVersions?: string }) => runImport(context, file, options.quiet === true, options.programmeVersions)),
    )
}
