/**
 * The `policy-credit` command line (commander 14): global options choose the stores by URL, each
 * subcommand is registered by its own module, and every outcome ends as an exit code (failures.ts).
 * `runCli` never calls `process.exit`: it returns the code, so tests run it in-process and `main.ts`
 * sets `process.exitCode` after the stores are closed and the output is flushed.
 */
import { Command, CommanderError } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import type { CliIo } from './cliIo.ts'
import { ExitCode, exitCodeOf } from './failures.ts'
import { DEFAULT_STORE_URL } from './storeUrl.ts'
import { registerCommands } from './commands/index.ts'
import type { CommandContext, CommandOutcome } from './context.ts'

export const STORE_ENVIRONMENT_VARIABLE = 'POLICY_CREDIT_STORE'
export const READ_MODELS_ENVIRONMENT_VARIABLE = 'POLICY_CREDIT_READ_MODELS'

/** Wraps a command's work as a commander action; the outcome is reported to `runCli` through `settle`. */
export type ActionFactory = <Arguments extends ReadonlyArray<unknown>>(
  work: (context: CommandContext, ...commandArguments: Arguments) => Promise<CommandOutcome>,
) => (...commanderArguments: ReadonlyArray<unknown>) => Promise<void>

const buildProgram = (io: CliIo, settle: (outcome: CommandOutcome) => void): Command => {
  const program = new Command('policy-credit')
    .description('Vietnam social-policy credit, event-sourced: import commands, audit streams, run projections, print reports.')
    .option('--store <url>', `event store: sqlite:<file>, memory:, postgres://…, esdb://… or esdb+discover://… (env ${STORE_ENVIRONMENT_VARIABLE}; default ${DEFAULT_STORE_URL})`)
    .option('--read-models <url>', `read-model store: sqlite:<file>, memory: or postgres://… (env ${READ_MODELS_ENVIRONMENT_VARIABLE}; default: beside the events)`)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })

  const action: ActionFactory =
    (work) =>
    async (...commanderArguments) => {
      // commander passes the positional arguments, then the options object, then the command itself.
      const command = commanderArguments.at(-1) as Command
      const globals = command.optsWithGlobals<{ store?: string; readModels?: string }>()
      const context: CommandContext = {
        io,
        storeUrl: globals.store ?? io.env[STORE_ENVIRONMENT_VARIABLE] ?? DEFAULT_STORE_URL,
        readModelsUrl: globals.readModels ?? io.env[READ_MODELS_ENVIRONMENT_VARIABLE],
      }
      settle(await work(context, ...(commanderArguments.slice(0, -1) as never)))
    }

  registerCommands(program, action)
  // Subcommands inherit the output, error handling and help settings of their parent.
  for (const command of allCommands(program)) {
    command.exitOverride()
    command.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    command.configureHelp({ showGlobalOptions: true })
    command.showHelpAfterError('(add --help for usage)')
  }
  return program
}

const allCommands = (command: Command): ReadonlyArray<Command> => command.commands.flatMap((child) => [child, ...allCommands(child)])

/** Every subcommand as the words that invoke it (`['explain', 'loan']`), with its options' long flags: for tests and docs checks. */
export const commandReference = (): ReadonlyArray<{ readonly path: ReadonlyArray<string>; readonly options: ReadonlyArray<string> }> => {
  const program = buildProgram(
    { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {}, signal: new AbortController().signal },
    () => undefined,
  )
  const pathOf = (command: Command): ReadonlyArray<string> => (command.parent === null || command.parent === program ? [command.name()] : [...pathOf(command.parent), command.name()])
  return allCommands(program).map((command) => ({
    path: pathOf(command),
    options: command.options.flatMap((option) => (option.long === undefined ? [] : [option.long])),
  }))
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export const runCli = async (argv: ReadonlyArray<string>, io: CliIo): Promise<ExitCode> => {
  let outcome: CommandOutcome = E.right(undefined)
  const program = buildProgram(io, (settled) => {
    outcome = settled
  })
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    // Help and version exit with 0; every other commander error is a usage error it has already printed.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage
    io.stderr.write(`policy-credit: internal error (a defect, please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return ExitCode.Internal
  }
  const settled: CommandOutcome = outcome
  if (E.isLeft(settled)) {
    io.stderr.write(`policy-credit: ${settled.left.message}\n`)
    return exitCodeOf(settled.left)
  }
  return ExitCode.Ok
}
