/**
 * The job as a process: configuration from the environment, stores opened, SIGTERM and SIGINT wired
 * to a clean stop, stores closed, and an exit code for the supervisor (systemd, Kubernetes):
 * 0 stopped on request, 1 a projection or a store failed, 2 the configuration is wrong.
 *
 * The first SIGTERM/SIGINT lets each runner finish the batch it is on (its commit is one transaction)
 * and stop; a second one exits at once, abandoning the batch: its transaction is rolled back (PostgreSQL
 * may instead finish a commit statement that was already running, whole). Either way the checkpoint
 * and the documents agree.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventStore } from '@policy-credit/event-store'
import type { ReadModelStore } from '@policy-credit/projections'
import { parseConfig, type Environment } from './config.ts'
import { describeError, runReportingJob, type RetryPolicy } from './job.ts'
import { jsonLinesLog, type Log } from './log.ts'
import type { AnyProjection } from './projectionCatalogue.ts'
import { openEventStore, openReadModelStore } from './stores.ts'

export const exitCodes = { stopped: 0, failed: 1, badConfiguration: 2 } as const

export interface ServiceOptions {
  readonly environment: Environment
  /** The projections the job can run, by name; POLICY_CREDIT_PROJECTIONS picks among them. */
  readonly catalogue: ReadonlyMap<string, AnyProjection>
  /** Run when POLICY_CREDIT_PROJECTIONS is not set; every projection of the catalogue when absent. */
  readonly defaultProjections?: ReadonlyArray<string>
  /** Aborted on SIGTERM/SIGINT by `main`. */
  readonly signal: AbortSignal
  readonly log?: Log
  readonly retry?: RetryPolicy
  /** For tests that observe or interrupt the store from outside the runner (a crash right after a commit). */
  readonly wrapReadModelStore?: (store: ReadModelStore) => ReadModelStore
}

/** Runs the job until the signal or a failure; resolves with the process exit code. */
export const runReportingService = async (options: ServiceOptions): Promise<number> => {
  const log = options.log ?? jsonLinesLog()
  const config = parseConfig(options.environment, [...options.catalogue.keys()], options.defaultProjections)
  if (E.isLeft(config)) {
    log('error', 'bad configuration', { ...config.left })
    return exitCodes.badConfiguration
  }
  const { eventStore: eventStoreLocation, readModels, projections: names, ...tuning } = config.right
  const projections = names.flatMap((name) => options.catalogue.get(name) ?? [])
  log('info', 'starting', {
    events: eventStoreLocation._tag,
    readModels: readModels._tag,
    projections: projections.map((projection) => `${projection.name}@${projection.version}`),
    ...tuning,
  })

  let eventStore: EventStore | undefined
  let readModelStore: ReadModelStore | undefined
  try {
    const openedEvents = await openEventStore(eventStoreLocation)
    if (E.isLeft(openedEvents)) {
      log('error', 'cannot open the event store', { error: describeError(openedEvents.left) })
      return exitCodes.failed
    }
    eventStore = openedEvents.right
    const openedReadModels = await openReadModelStore(readModels)
    if (E.isLeft(openedReadModels)) {
      log('error', 'cannot open the read-model store', { error: describeError(openedReadModels.left) })
      return exitCodes.failed
    }
    readModelStore = options.wrapReadModelStore?.(openedReadModels.right) ?? openedReadModels.right
    const outcome = await runReportingJob({
      eventStore,
      readModelStore,
      projections,
      ...tuning,
      signal: options.signal,
      log,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    })
    const checkpoints = Object.fromEntries(outcome.progress.map((progress) => [`${progress.projection.name}@${progress.projection.version}`, progress.checkpoint ?? null]))
    if (outcome._tag === 'Failed') {
      log('error', 'stopped after a failure', { checkpoints })
      return exitCodes.failed
    }
    log('info', 'stopped', { checkpoints })
    return exitCodes.stopped
  } finally {
    await readModelStore?.close()
    await eventStore?.close()
  }
}

/** Wires the process signals: the first stops cleanly, a second exits at once. */
export const stopOnSignals = (log: Log): AbortSignal => {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log('warn', 'second signal: abandoning the current batches', { signal })
      process.exit(exitCodes.failed)
    }
    log('info', 'stopping after the current batches', { signal })
    controller.abort()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  return controller.signal
}
