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
import { history, sealLog, stateAsOf, verifyLog, type Anchor, type AuditError, type HistoryRow, type VerifyProblem, type VerifyReport } from '@policy-credit/audit'
import type { ActionFactory } from '../cli.ts'
import { succeeded, withEventStore, type CommandContext, type CommandOutcome } from '../context.ts'
import { describeTagged } from '../describe.ts'
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
import { alignedTable } from '../reports/render.ts'

export const auditFailure = (error: AuditError): CliFailure => {
  switch (error._tag) {
    case 'StoreFailed':
      return eventStoreFailure(error.error)
    case 'UnknownStreamKind':
      return inputRejected(`${error.streamId} is no stream of a known aggregate (streams are ${error.knownPatterns.join(', ')})`)
    case 'InvalidQuery':
      return usage(`${error.field} ${JSON.stringify(error.value)} is not ${error.expected}`)
    case 'CannotFoldMalformedEvent':
      return storedDataInvalid(`${error.event.streamId} version ${error.event.version} (${error.event.type}) cannot be read, so the state past it cannot be known: ${error.event.message}`)
    case 'EventOfAnotherAggregate':
      return storedDataInvalid(`${error.streamId} version ${error.version} is a ${error.type}, an event of another aggregate than ${error.aggregate}`)
    case 'LoanNotFound':
      return notFound(`no loan ${error.loanId}: its stream has no events`)
    case 'SealUnreadable':
      return storedDataInvalid(`the newest seal cannot be read, so sealing cannot go on from it: ${error.event.message}`)
    case 'SealingContended':
      return storeUnavailable(`another process kept sealing at the same time (${error.attempts} attempts); try again`)
  }
}

const auditFormats = ['table', 'json'] as const
type AuditFormat = (typeof auditFormats)[number]
const formatOption = () => new Option('--format <format>', 'output format').choices(auditFormats).default('table')

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

const historyTable = (streamId: string, rows: ReadonlyArray<HistoryRow>): string =>
  [
    `History of ${streamId}: ${rows.length} event${rows.length === 1 ? '' : 's'} (business date: the day it happened at the commune; recorded at: when the system learnt it)`,
    '',
    alignedTable({
      headings: ['#', 'business date', 'recorded at', 'event', 'actor', 'data'],
      numeric: [true, false, false, false, false, false],
      rows: rows.map((row) => [
        row.version,
        row.occurredOn,
        row.recordedAt,
        row.decoding._tag === 'Malformed' ? `${row.type} (MALFORMED: ${row.decoding.message})` : row.type,
        row.actor ?? '',
        JSON.stringify(row.data),
      ]),
    }),
    '',
  ].join('\n')

const runHistory = async (context: CommandContext, streamId: string, format: AuditFormat): Promise<CommandOutcome> =>
  withEventStore(context, async (store) => {
    const rows = await history(store, streamId)()
    if (E.isLeft(rows)) return E.left(auditFailure(rows.left))
    if (rows.right.length === 0) return E.left(notFound(`stream ${streamId} has no events`))
    context.io.stdout.write(format === 'json' ? json(rows.right) : historyTable(streamId, rows.right))
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
    const asked = [
      found.query.asOf === null ? undefined : `as of ${found.query.asOf} (business date)`,
      found.query.knownAt === null ? undefined : `as known at ${found.query.knownAt} (recorded time)`,
      found.query.throughVersion === null ? undefined : `through version ${found.query.throughVersion}`,
    ].filter((part) => part !== undefined)
    const last = found.lastApplied
    context.io.stdout.write(
      [
        `${found.aggregate} ${streamId}, ${asked.length === 0 ? 'now' : asked.join(', ')}`,
        `${found.eventsApplied} of ${found.eventsInStream} events applied${last === null ? '' : `; the last: #${last.version} ${last.type}, happened ${last.occurredOn}, recorded ${last.recordedAt}`}`,
        '',
        JSON.stringify(found.state, null, 2),
        '',
      ].join('\n'),
    )
    return succeeded
  })
}

const eventName = (event: { readonly ordinal: number; readonly streamId: string; readonly version: string; readonly type: string }): string =>
  `event #${event.ordinal} of the log (${event.streamId} version ${event.version}, ${event.type})`

export const describeVerifyProblem = (problem: VerifyProblem): string => {
  switch (problem._tag) {
    case 'EventAltered':
      return `${eventName(problem.event)} was altered after it was sealed by ${eventName(problem.seal)}`
    case 'EventMissing':
      return `the event sealed at #${problem.ordinal} is missing (found ${eventName(problem.foundInstead)} there); sealed by ${eventName(problem.seal)}`
    case 'EventInserted':
      return `${eventName(problem.event)} was inserted: it was never sealed, and the event sealed at its place comes after it (${eventName(problem.seal)})`
    case 'SealMalformed':
      return `the seal ${eventName(problem.seal)} cannot be read: ${problem.message}`
    case 'SealInconsistent':
      return `the seal ${eventName(problem.seal)} is inconsistent: ${problem.reason}`
    case 'AnchorMismatch':
      return `the chain through #${problem.throughOrdinal} is ${problem.actualHash}, not the anchored ${problem.anchoredHash}`
    case 'AnchorBeyondLog':
      return `the anchor covers ${problem.throughOrdinal} events but the log has only ${problem.eventsInLog}: its end was cut off`
  }
}

const verifyText = (report: VerifyReport): string =>
  [
    `${report.eventsInLog} events in the log, ${report.seals} seal${report.seals === 1 ? '' : 's'}, sealed through #${report.sealedThroughOrdinal}, ${report.unsealedEvents} not sealed yet`,
    `chain hash through #${report.eventsInLog}: ${report.chainHash}`,
    report.problem === null ? 'OK: every sealed event is as it was sealed' : `FAILED: ${describeVerifyProblem(report.problem)}`,
    '',
  ].join('\n')

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
    context.io.stdout.write(options.format === 'json' ? json(report.right) : verifyText(report.right))
    return report.right.problem === null ? succeeded : E.left(verificationFailed(`the event log does not match its seals: ${describeVerifyProblem(report.right.problem)}`))
  })
}

const runSeal = async (context: CommandContext, options: { readonly sealedOn: string; readonly actor?: string }): Promise<CommandOutcome> =>
  withEventStore(context, async (store) => {
    const sealed = await sealLog(store, { sealedOn: options.sealedOn, ...(options.actor === undefined ? {} : { actor: options.actor }) })()
    if (E.isLeft(sealed)) return E.left(auditFailure(sealed.left))
    const result = sealed.right
    context.io.stdout.write(
      result._tag === 'NothingToSeal'
        ? `nothing to seal: the log is sealed through #${result.throughOrdinal}\nanchor: ${result.throughOrdinal}:${result.chainHash}\n`
        : `sealed events #${result.firstOrdinal} to #${result.throughOrdinal} in ${result.seals} seal${result.seals === 1 ? '' : 's'}\n` +
            `anchor: ${result.throughOrdinal}:${result.chainHash}\n` +
            '(keep the anchor outside the store — in the minutes, signed — and check with: policy-credit verify --anchor <anchor>)\n',
    )
    return succeeded
  })

/** Today in Vietnam (UTC+7, no daylight saving), the business date a seal records by default. */
const todayInVietnam = (): string => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)

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
