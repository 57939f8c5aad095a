/**
 * `project <name> [--follow]` keeps a projection's read model current in the read-model store (the
 * reporting job: SIGINT/SIGTERM stop it after the batch being committed, and the next run resumes from
 * the checkpoint). `report poverty-rate|outstanding-debt` first catches its projection up, then queries
 * the read model and prints it as a table, CSV, JSON or one HTML page with charts.
 */
import type { Command } from 'commander'
import { Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { LocalDate, PovertyStandardId, type CommuneId, type TownId } from '@policy-credit/core'
import type { EventStore } from '@policy-credit/event-store'
import { outstandingDebtProjection, outstandingDebtReadModel, type OutstandingDebtQueryError } from '@policy-credit/projection-outstanding-debt'
import { povertyRateProjection, povertyRateReadModel, type PovertyQueryError, type ReportingUnit } from '@policy-credit/projection-poverty-rate'
import { defaultBatchSize, rebuildProjection, runProjection, type Projection, type ProjectionProgress, type ReadModelStore, type RunnerError } from '@policy-credit/projections'
import { todayInVietnam } from '../businessDay.ts'
import type { ActionFactory } from '../cli.ts'
import type { CliIo } from '../cliIo.ts'
import { succeeded, withStores, type CommandContext, type CommandOutcome } from '../context.ts'
import { describeTagged } from '../describe.ts'
import { inputRejected, notFound, storedDataInvalid, usage, type CliFailure } from '../failures.ts'
import { progressBar } from '../progress.ts'
import { outstandingDebtReport } from '../reports/outstandingDebtReport.ts'
import { povertyRateReport } from '../reports/povertyRateReport.ts'
import { outputFormats, renderReports, type OutputFormat } from '../reports/render.ts'
import type { Report } from '../reports/report.ts'
import { eventStoreFailure, readModelStoreFailure } from '../stores.ts'

/** The projections the command line runs, by the name `project` and `report` take. */
export const projectionCatalogue = {
  'poverty-rate': povertyRateProjection as Projection<unknown, unknown>,
  'outstanding-debt': outstandingDebtProjection as Projection<unknown, unknown>,
} as const
export type ProjectionName = keyof typeof projectionCatalogue
const projectionNames = Object.keys(projectionCatalogue) as ReadonlyArray<ProjectionName>

export const runnerFailure = (error: RunnerError): CliFailure => {
  const name = `${error.projection.name}@${error.projection.version}`
  switch (error._tag) {
    case 'ProjectionFailed':
      return storedDataInvalid(
        `${name} stopped at ${error.event.streamId} version ${error.event.version} (${error.event.type}, position ${error.event.position}): ${describeTagged(error.reason)}; nothing from it on was applied`,
      )
    case 'EventStoreFailed':
      return eventStoreFailure(error.error)
    case 'ReadModelStoreFailed':
      return readModelStoreFailure(error.error)
    case 'InvalidStoredDocument':
      return storedDataInvalid(`${name}: stored document ${error.id} cannot be read: ${error.message}`)
    case 'DocumentEncodeFailed':
      return storedDataInvalid(`${name}: document ${error.id} cannot be encoded: ${String(error.error)}`)
    case 'InvalidRunnerOptions':
      return usage(`${name}: ${error.message}`)
  }
}

const queryFailure = (error: PovertyQueryError | OutstandingDebtQueryError): CliFailure => {
  switch (error._tag) {
    case 'ReadModelStoreFailed':
      return readModelStoreFailure(error.error)
    case 'ReadModelNotBuilt':
      return notFound(`the ${error.name} read model is not built yet: run policy-credit project ${error.name}`)
    case 'ActiveVersionUnknown':
      return storedDataInvalid(`the active ${error.name} read model is version ${error.version}, which this policy-credit does not know: upgrade it`)
    case 'InvalidStoredDocument':
      return storedDataInvalid(`${error.projection.name}@${error.projection.version}: stored document ${error.id} cannot be read: ${error.message}`)
    case 'InvalidQuery':
    case 'InvalidYearRange':
      return usage(describeTagged(error))
    case 'InconsistentReadModel':
      return storedDataInvalid(error.message)
    case 'UnitNotInReadModel':
      return notFound(`no households or communes of ${error.unit.kind === 'TOWN' ? `town ${error.unit.townId}` : `commune ${error.unit.communeId}`} in the read model`)
    case 'YearNotMeasuredUnderStandard':
      return notFound(`no list of ${error.year} is measured under ${error.standardId}; that year is measured under ${error.measuredUnder.join(', ') || 'no standard'}`)
    case 'YearChangeNotMeasuredUnderStandard':
      return notFound(`the change of ${error.year} is not measured under ${error.standardId}`)
    case 'NoStandardInForce':
      return inputRejected(`no poverty standard is in force on ${error.on}`)
  }
}

const progressLine = (progress: ProjectionProgress): string =>
  `${progress.projection.name}: ${progress.eventsProcessed} events applied in ${progress.batchesCommitted} batches, checkpoint ${progress.checkpoint ?? '(start)'}${progress.caughtUp ? ', caught up' : ''}`

/**
 * Brings a projection up to the events stored now and makes it the version readers see. A bar on a
 * terminal shows batches committed; positions are opaque, so it counts batches, not events left.
 */
export const catchUp = async (io: CliIo, eventStore: EventStore, readModelStore: ReadModelStore, name: ProjectionName): Promise<E.Either<CliFailure, ProjectionProgress>> => {
  let batches = 0
  const progress = progressBar(io.stderr, `${name} (batches)`, Number.MAX_SAFE_INTEGER)
  const result = await rebuildProjection(
    { eventStore, readModelStore, projection: projectionCatalogue[name] },
    {
      signal: io.signal,
      onProgress: (snapshot) => {
        batches = snapshot.batchesCommitted
        progress.update(batches)
      },
    },
  )()
  progress.clear()
  return E.mapLeft(runnerFailure)(result)
}

interface ProjectOptions {
  readonly follow?: boolean
  readonly batchSize: string
  readonly pollInterval: string
}

const positiveInteger = (name: string, text: string): E.Either<CliFailure, number> =>
  /^[1-9]\d*$/.test(text) ? E.right(Number(text)) : E.left(usage(`${name} ${JSON.stringify(text)} is not a positive whole number`))

const runProject = async (context: CommandContext, name: string, options: ProjectOptions): Promise<CommandOutcome> => {
  if (!(projectionNames as ReadonlyArray<string>).includes(name)) return E.left(usage(`unknown projection ${JSON.stringify(name)}: one of ${projectionNames.join(', ')}`))
  const batchSize = positiveInteger('--batch-size', options.batchSize)
  if (E.isLeft(batchSize)) return batchSize
  const pollInterval = positiveInteger('--poll-interval', options.pollInterval)
  if (E.isLeft(pollInterval)) return pollInterval
  const { io } = context
  return withStores(context, async ({ eventStore, readModelStore }) => {
    const projection = projectionCatalogue[name as ProjectionName]
    if (options.follow !== true) {
      const caughtUp = await catchUp(io, eventStore, readModelStore, name as ProjectionName)
      if (E.isLeft(caughtUp)) return caughtUp
      io.stdout.write(`${progressLine(caughtUp.right)}\n`)
      return succeeded
    }
    let reportedCaughtUp = false
    const running = runProjection(
      { eventStore, readModelStore, projection },
      {
        batchSize: batchSize.right,
        pollInterval: pollInterval.right,
        signal: io.signal,
        onProgress: (progress) => {
          // One line per batch that applied events, and one when it first catches up: quiet when idle.
          if (progress.caughtUp && reportedCaughtUp && progress.eventsProcessed === 0) return
          if (progress.caughtUp) reportedCaughtUp = true
          io.stdout.write(`${progressLine(progress)}\n`)
        },
      },
    )
    const done = await running.done
    if (E.isLeft(done)) return E.left(runnerFailure(done.left))
    io.stdout.write(`stopped: ${progressLine(done.right)}\n`)
    return succeeded
  })
}


interface ReportOptions {
  readonly asOf?: string
  readonly year?: string
  readonly fromYear?: string
  readonly toYear?: string
  readonly standard?: string
  readonly by?: string
  readonly town?: string
  readonly commune?: string
  readonly format: OutputFormat
}

const reportNames = ['poverty-rate', 'outstanding-debt', 'all'] as const
type ReportName = (typeof reportNames)[number]

const year = (name: string, text: string): E.Either<CliFailure, number> =>
  /^\d{4}$/.test(text) ? E.right(Number(text)) : E.left(usage(`${name} ${JSON.stringify(text)} is not a year (YYYY)`))

/** What `report` was asked, checked before any store is opened. */
export type ReportRequest =
  | { readonly name: 'poverty-rate'; readonly request: Parameters<typeof povertyRateReport>[1] }
  | { readonly name: 'outstanding-debt'; readonly request: Parameters<typeof outstandingDebtReport>[1] }

/**
 * `all`: the town's poverty series up to the year of --as-of (or --to-year) and its debt, jobs and
 * capital as of --as-of, in one output — one HTML page with both charts.
 */
export const checkReportOptions = (name: string, options: Omit<ReportOptions, 'format'>): E.Either<CliFailure, ReadonlyArray<ReportRequest>> => {
  if (!(reportNames as ReadonlyArray<string>).includes(name)) return E.left(usage(`unknown report ${JSON.stringify(name)}: one of ${reportNames.join(', ')}`))
  if ((name as ReportName) !== 'all') return E.map((request: ReportRequest) => [request])(checkOneReport(name, options))
  if (options.town === undefined) return E.left(usage('report all needs --town'))
  if (options.by !== undefined || options.year !== undefined) return E.left(usage('report all takes --town, --as-of, --from-year, --to-year and --standard; --by and --year belong to one report'))
  const asOf = options.asOf ?? todayInVietnam()
  const poverty = checkOneReport('poverty-rate', { town: options.town, toYear: options.toYear ?? asOf.slice(0, 4), ...(options.fromYear === undefined ? {} : { fromYear: options.fromYear }), ...(options.standard === undefined ? {} : { standard: options.standard }) })
  if (E.isLeft(poverty)) return poverty
  const debt = checkOneReport('outstanding-debt', { town: options.town, asOf })
  return E.map((outstanding: ReportRequest) => [poverty.right, outstanding])(debt)
}

const checkOneReport = (name: string, options: Omit<ReportOptions, 'format'>): E.Either<CliFailure, ReportRequest> => {
  if (options.asOf !== undefined && !LocalDate.is(options.asOf)) return E.left(usage(`--as-of ${JSON.stringify(options.asOf)} is not a calendar day 'YYYY-MM-DD'`))
  const asOf = options.asOf as LocalDate | undefined
  const reportYear = options.year === undefined ? E.right(undefined) : year('--year', options.year)
  if (E.isLeft(reportYear)) return reportYear
  if ((name as ReportName) === 'outstanding-debt') {
    if (options.standard !== undefined || options.fromYear !== undefined || options.toYear !== undefined)
      return E.left(usage('--standard, --from-year and --to-year belong to the poverty-rate report'))
    const on = asOf ?? todayInVietnam()
    const by = (options.by ?? 'programme').split(',').map((part) => part.trim()).filter((part) => part !== '')
    const planUnitId = options.town ?? options.commune
    return E.right({ name: 'outstanding-debt', request: { asOf: on, by, year: reportYear.right ?? Number(on.slice(0, 4)), ...(planUnitId === undefined ? {} : { planUnitId }) } })
  }
  if ((options.town === undefined) === (options.commune === undefined)) return E.left(usage('the poverty-rate report needs one unit: --town <townId> or --commune <communeId>'))
  const unit: ReportingUnit = options.town !== undefined ? { kind: 'TOWN', townId: options.town as TownId } : { kind: 'COMMUNE', communeId: (options.commune ?? '') as CommuneId }
  if (options.standard !== undefined && !PovertyStandardId.is(options.standard)) return E.left(usage(`--standard ${JSON.stringify(options.standard)} is not a poverty standard id (QD-09-2011, QD-59-2015, ND-07-2021)`))
  if (options.by !== undefined && options.by !== 'commune') return E.left(usage(`the poverty-rate report groups --by commune only, not ${JSON.stringify(options.by)}`))
  const byCommune = options.by === 'commune'
  if (byCommune && unit.kind !== 'TOWN') return E.left(usage('--by commune needs --town'))
  if (byCommune && asOf === undefined && (reportYear.right === undefined || options.standard === undefined)) return E.left(usage('--by commune needs --as-of, or --year with --standard'))
  const fromYear = reportYear.right !== undefined ? E.right(reportYear.right) : options.fromYear === undefined ? E.right(2010) : year('--from-year', options.fromYear)
  if (E.isLeft(fromYear)) return fromYear
  const toYear = reportYear.right !== undefined ? E.right(reportYear.right) : options.toYear === undefined ? E.right(Number(todayInVietnam().slice(0, 4))) : year('--to-year', options.toYear)
  if (E.isLeft(toYear)) return toYear
  return E.right({
    name: 'poverty-rate',
    request: {
      unit,
      fromYear: fromYear.right,
      toYear: toYear.right,
      byCommune,
      ...(asOf === undefined ? {} : { asOf }),
      ...(options.standard === undefined ? {} : { standardId: options.standard as PovertyStandardId }),
    },
  })
}

/** Catches the report's projection up and builds the report. */
export const buildReport = async (io: CliIo, eventStore: EventStore, readModelStore: ReadModelStore, asked: ReportRequest): Promise<E.Either<CliFailure, Report>> => {
  const caughtUp = await catchUp(io, eventStore, readModelStore, asked.name)
  if (E.isLeft(caughtUp)) return caughtUp
  return asked.name === 'poverty-rate'
    ? E.mapLeft(queryFailure)(await povertyRateReport(povertyRateReadModel(readModelStore), asked.request))
    : E.mapLeft(queryFailure)(await outstandingDebtReport(outstandingDebtReadModel(readModelStore), asked.request))
}

const runReport = async (context: CommandContext, name: string, options: ReportOptions): Promise<CommandOutcome> => {
  const asked = checkReportOptions(name, options)
  if (E.isLeft(asked)) return asked
  return withStores(context, async ({ eventStore, readModelStore }) => {
    const reports: Array<Report> = []
    for (const request of asked.right) {
      const built = await buildReport(context.io, eventStore, readModelStore, request)
      if (E.isLeft(built)) return built
      reports.push(built.right)
    }
    const title = reports.length === 1 ? (reports[0]?.title ?? '') : `Poverty rate and outstanding debt of ${options.town ?? ''}`
    context.io.stdout.write(renderReports(options.format, title, reports, new Date().toISOString()))
    return succeeded
  })
}

export const formatOption = () => new Option('--format <format>', 'output format; html is one self-contained page with charts').choices(outputFormats).default('table')

export const registerReportingCommands = (program: Command, action: ActionFactory): void => {
  program
    .command('project')
    .description('run a projection into the read-model store: catch up, or with --follow keep it current until SIGINT/SIGTERM')
    .argument('<name>', `the projection: ${projectionNames.join(' or ')}`)
    .option('--follow', 'after catching up, keep following new events (the reporting job)')
    .option('--batch-size <n>', 'events per read-model transaction', String(defaultBatchSize))
    .option('--poll-interval <ms>', 'how often to look for new events once caught up', '1000')
    .action(action((context, name: string, options: ProjectOptions) => runProject(context, name, options)))

  program
    .command('report')
    .description('print a report; its projection is caught up first')
    .argument('<name>', 'poverty-rate, outstanding-debt, or all (both, for a --town: one HTML page with both charts)')
    .option('--as-of <date>', "business date 'YYYY-MM-DD' (outstanding-debt: default today in Vietnam; poverty-rate: figures on that day instead of a series)")
    .option('--year <year>', 'poverty-rate: that year only; outstanding-debt: the year of the capital figures (default the year of --as-of)')
    .option('--from-year <year>', 'poverty-rate: first year of the series (default 2010)')
    .option('--to-year <year>', 'poverty-rate: last year of the series (default this year)')
    .option('--standard <id>', 'poverty-rate: only this poverty standard (QD-09-2011, QD-59-2015, ND-07-2021)')
    .option('--by <dimensions>', 'outstanding-debt: comma-separated, of programme, commune, massOrganisationKind, massOrganisation, savingsGroup, capitalSourceKind, capitalSource (default programme); poverty-rate: commune')
    .option('--town <townId>', "the town reported on (poverty-rate), whose job plan the jobs are measured against (outstanding-debt)")
    .option('--commune <communeId>', 'the commune reported on, instead of a town')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Examples:
  policy-credit report poverty-rate --town nghia-lo --format html > poverty.html
  policy-credit report poverty-rate --town nghia-lo --year 2022 --standard ND-07-2021 --by commune
  policy-credit report outstanding-debt --as-of 2022-06-30 --by programme,capitalSourceKind --format csv
  policy-credit report all --town nghia-lo --as-of 2022-06-30 --format html > nghia-lo.html`,
    )
    .action(action((context, name: string, options: ReportOptions) => runReport(context, name, options)))
}
