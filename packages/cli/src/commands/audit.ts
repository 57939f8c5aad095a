/**
 * The auditor's commands, on `@policy-credit/audit`: `history <stream>` (every event with its business
 * date and recorded instant), `state <stream>` as of a business date and/or as known at an instant,
 * `explain loan <id>` (every decision with the evidence it recorded), `seal` (extend the hash chain)
 * and `verify` (recompute it and name the first event that no longer matches). They read the event
 * store only; none needs read models.
 */
import type { Command } from 'commander'
import { Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import {
  describeVerifyProblem,
  explainLoan,
  history,
  renderAuditError,
  renderHistory,
  renderLoanExplanation,
  renderSealResult,
  renderState,
  renderVerifyReport,
  sealLog,
  stateAsOf,
  verifyLog,
  type Anchor,
  type AuditError,
} from '@policy-credit/audit'
import { todayInVietnam } from '../businessDay.ts'
import type { ActionFactory } from '../cli.ts'
import { succeeded, withEventStore, type CommandContext, type CommandOutcome } from '../context.ts'
import {
  inputRejected,
  notFound,
  storedDataInvalid,
  storeUnavailable,
  usage,
  verificationFailed,
  type CliFailure,
} from '../failures.ts'
import { eventStoreFailure } from '../stores.ts'

/** The exit code an audit error maps to; the words are the audit package's own. */
export const auditFailure = (error: AuditError): CliFailure => {
  const message = renderAuditError(error)
  switch (error._tag) {
    case 'StoreFailed':
      return { ...eventStoreFailure(error.error), message }
    case 'UnknownStreamKind':
      return inputRejected(message)
    case 'InvalidQuery':
      return usage(message)
    case 'CannotFoldMalformedEvent':
    case 'EventOfAnotherAggregate':
    case 'SealUnreadable':
      return storedDataInvalid(message)
    case 'LoanNotFound':
      return notFound(message)
    case 'SealingContended':
      return storeUnavailable(message)
  }
}

const auditFormats = ['table', 'json'] as const
type AuditFormat = (typeof auditFormats)[number]
const formatOption = () => new Option('--format <format>', 'output format').choices(auditFormats).default('table')

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

const runHistory = async (context: CommandContext, streamId: string, format: AuditFormat): Promise<CommandOutcome> =>
  withEventStore(context, async (store) => {
    const rows = await history(store, streamId)()
    if (E.isLeft(rows)) return E.left(auditFailure(rows.left))
    if (rows.right.length === 0) return E.left(notFound(`stream ${streamId} has no events`))
    context.io.stdout.write(format === 'json' ? json(rows.right) : renderHistory(streamId, rows.right))
    return succeeded
  })

interface StateOptions {
  readonly asOf?: string
  readonly knownAt?: string
  readonly throughVersion?: string
  readonly format: AuditFormat
}

const runState = async (context: CommandContext, streamId: string, options: StateOptions): Promise<CommandOutcome> => {
  if (options.throughVersion !== undefined && !/^\d+$/.test(options.throughVersion))
    return E.left(usage(`--through-version ${JSON.stringify(options.throughVersion)} is not a stream version (0, 1, 2, …)`))
  return withEventStore(context, async (store) => {
    const state = await stateAsOf(store, streamId, {
      ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
      ...(options.knownAt === undefined ? {} : { knownAt: options.knownAt }),
      ...(options.throughVersion === undefined ? {} : { throughVersion: BigInt(options.throughVersion) }),
    })()
    if (E.isLeft(state)) return E.left(auditFailure(state.left))
    const found = state.right
    if (found.eventsInStream === 0) return E.left(notFound(`stream ${streamId} has no events`))
    if (options.format === 'json') {
      context.io.stdout.write(json(found))
      return succeeded
    }
    context.io.stdout.write(renderState(found))
    return succeeded
  })
}

/** `--anchor 1234:<64 hex digits>`: the chain hash through event #1234, kept outside the store. */
const parseAnchor = (text: string): E.Either<CliFailure, Anchor> => {
  const parts = /^(\d+):([0-9a-f]{64})$/.exec(text)
  if (parts === null) return E.left(usage(`--anchor ${JSON.stringify(text)} is not <event number>:<chain hash of 64 hex digits>, as seal prints it`))
  return E.right({ throughOrdinal: Number(parts[1]), chainHash: parts[2] ?? '' })
}

const runVerify = async (context: CommandContext, options: { readonly anchor?: string; readonly format: AuditFormat }): Promise<CommandOutcome> => {
  const anchor = options.anchor === undefined ? E.right(undefined) : parseAnchor(options.anchor)
  if (E.isLeft(anchor)) return anchor
  return withEventStore(context, async (store) => {
    const report = await verifyLog(store, anchor.right === undefined ? {} : { anchor: anchor.right })()
    if (E.isLeft(report)) return E.left(auditFailure(report.left))
    context.io.stdout.write(options.format === 'json' ? json(report.right) : renderVerifyReport(report.right))
    return report.right.problem === null ? succeeded : E.left(verificationFailed(`the event log does not match its seals: ${describeVerifyProblem(report.right.problem)}`))
  })
}

const runSeal = async (context: CommandContext, options: { readonly sealedOn: string; readonly actor?: string }): Promise<CommandOutcome> =>
  withEventStore(context, async (store) => {
    const sealed = await sealLog(store, { sealedOn: options.sealedOn, ...(options.actor === undefined ? {} : { actor: options.actor }) })()
    if (E.isLeft(sealed)) return E.left(auditFailure(sealed.left))
    const result = sealed.right
    const through = result._tag === 'Sealed' ? result.throughOrdinal : 0
    context.io.stdout.write(
      `${renderSealResult(result)}anchor: ${through}:${result.chainHash}\n` +
        '(keep the anchor outside the store — in the minutes, signed — and check the log with: policy-credit verify --anchor <anchor>)\n',
    )
    return succeeded
  })

const runExplainLoan = async (context: CommandContext, loanId: string, format: AuditFormat): Promise<CommandOutcome> =>
  withEventStore(context, async (store) => {
    const explanation = await explainLoan(store, loanId)()
    if (E.isLeft(explanation)) return E.left(auditFailure(explanation.left))
    context.io.stdout.write(format === 'json' ? json(explanation.right) : renderLoanExplanation(explanation.right))
    return succeeded
  })


export const registerAuditCommands = (program: Command, action: ActionFactory): void => {
  program
    .command('history')
    .description('every event of a stream, in order, with its business date and recorded instant')
    .argument('<stream>', 'a stream id: household-<id>, loan-<id>, commune-<id>, capital-<communeId>-<year>, inspection-<id>, plan-<unitId>-<year>')
    .addOption(formatOption())
    .action(action((context, streamId: string, options: { format: AuditFormat }) => runHistory(context, streamId, options.format)))

  program
    .command('state')
    .description("a stream's state as of a business date and/or as known at a recorded instant (bitemporal)")
    .argument('<stream>', 'a stream id, as for history')
    .option('--as-of <date>', "business date 'YYYY-MM-DD': fold the events that happened on or before it")
    .option('--known-at <instant>', "ISO-8601 instant with an offset: fold only what was recorded by then, e.g. 2023-01-01T00:00:00Z")
    .option('--through-version <n>', 'fold no event past this stream version')
    .addOption(formatOption())
    .action(action((context, streamId: string, options: StateOptions) => runState(context, streamId, options)))

  program
    .command('explain')
    .description('explain a decision trail with its evidence')
    .command('loan')
    .description("every decision on a loan, in order, with the evidence it recorded (the household's class and its recognising decision, the standard, the programme terms, the capital source, who decided) and whether the other streams bear it out")
    .argument('<loanId>', 'the loan id (its stream is loan-<loanId>)')
    .addOption(formatOption())
    .action(action((context, loanId: string, options: { format: AuditFormat }) => runExplainLoan(context, loanId, options.format)))

  program
    .command('seal')
    .description('extend the hash chain over the events appended since the last seal, and print the anchor to keep')
    .option('--sealed-on <date>', "business date recorded on the seals (default: today in Vietnam)")
    .option('--actor <name>', 'who sealed')
    .action(action((context, options: { sealedOn?: string; actor?: string }) => runSeal(context, { ...options, sealedOn: options.sealedOn ?? todayInVietnam() })))

  program
    .command('verify')
    .description('recompute the hash chain and check it against every seal (and an anchor); exit 5 names the first altered, missing or inserted event')
    .option('--anchor <ordinal:hash>', 'a chain hash kept outside the store, as seal printed it')
    .addOption(formatOption())
    .action(action((context, options: { anchor?: string; format: AuditFormat }) => runVerify(context, options)))
}
