/**
 * The reporting job: one `runProjection` per projection, all on the same event store and read-model
 * store, until the signal aborts. Each runner commits a batch's documents and its checkpoint in one
 * read-model transaction, so the job can be stopped (or killed) anywhere and resumes from the stored
 * checkpoints; the job itself keeps no state.
 *
 * - An unreachable store (`EventStoreUnavailable`, `ReadModelStoreUnavailable`) is waited out: the runner
 *   restarts from its checkpoint after a doubling delay, since a database restart should not need an operator.
 * - Anything else (an event a projection cannot read, a stored document it cannot decode) stops the
 *   whole job with the runner's report: it needs an operator (a fix, or `skipEvent`), and a supervisor
 *   restarting the job would only hit it again.
 */
import { setTimeout as delay } from 'node:timers/promises'
import * as E from 'fp-ts/lib/Either.js'
import type { EventStore, Position } from '@policy-credit/event-store'
import { namespaceKey, runProjection, type ProjectionProgress, type ReadModelStore, type RunnerError } from '@policy-credit/projections'
import type { Log } from './log.ts'
import type { AnyProjection } from './projectionCatalogue.ts'

export interface RetryPolicy {
  readonly initialDelayMs: number
  readonly maximumDelayMs: number
}

export interface ReportingJobOptions {
  readonly eventStore: Pick<EventStore, 'readAll' | 'headPosition'>
  readonly readModelStore: ReadModelStore
  readonly projections: ReadonlyArray<AnyProjection>
  readonly batchSize: number
  readonly pollIntervalMs: number
  readonly progressIntervalMs: number
  readonly lagCountLimit: number
  /** Aborting stops every runner after its current batch's commit. */
  readonly signal: AbortSignal
  readonly log: Log
  readonly retry?: RetryPolicy
  readonly clock?: () => number
}

export type ReportingJobOutcome =
  | { readonly _tag: 'Stopped'; readonly progress: ReadonlyArray<ProjectionProgress> }
  | { readonly _tag: 'Failed'; readonly error: RunnerError; readonly progress: ReadonlyArray<ProjectionProgress> }

export const defaultRetryPolicy: RetryPolicy = { initialDelayMs: 500, maximumDelayMs: 30_000 }

/** Store outages pass; every other runner error needs an operator. */
export const isTransient = (error: RunnerError): boolean =>
  (error._tag === 'EventStoreFailed' && error.error._tag === 'EventStoreUnavailable') ||
  (error._tag === 'ReadModelStoreFailed' && error.error._tag === 'ReadModelStoreUnavailable')

/** Waits, or less when the job is stopping. */
const pause = (milliseconds: number, signal: AbortSignal): Promise<void> => delay(milliseconds, undefined, { signal }).catch(() => undefined)

/**
 * How far behind the head a projection is, counted by reading at most `limit` of its events after the
 * checkpoint: positions are opaque, so counting is the only store-independent measure.
 */
const countBehind = async (
  eventStore: ReportingJobOptions['eventStore'],
  projection: AnyProjection,
  checkpoint: Position | undefined,
  limit: number,
): Promise<{ readonly eventsBehind: number; readonly atLeast: boolean } | undefined> => {
  const read = await eventStore.readAll({ ...(checkpoint === undefined ? {} : { after: checkpoint }), maxCount: limit, filter: projection.filter })()
  if (E.isLeft(read)) return undefined
  return { eventsBehind: read.right.events.length, atLeast: read.right.events.length === limit && !read.right.isEnd }
}

export const runReportingJob = async (options: ReportingJobOptions): Promise<ReportingJobOutcome> => {
  const { eventStore, readModelStore, log, signal } = options
  const retry = options.retry ?? defaultRetryPolicy
  const clock = options.clock ?? Date.now
  // Aborted by the caller's signal, or by the first runner that fails for good, to stop the others.
  const stopping = new AbortController()
  const stop = (): void => stopping.abort()
  if (signal.aborted) stop()
  signal.addEventListener('abort', stop, { once: true })
  const lagCounts = new Set<Promise<void>>()

  const follow = async (projection: AnyProjection): Promise<{ readonly progress: ProjectionProgress; readonly error?: RunnerError }> => {
    const key = namespaceKey(projection)
    let lastLogged = Number.NEGATIVE_INFINITY
    let wasCaughtUp = false
    let delay = retry.initialDelayMs
    const report = (progress: ProjectionProgress): void => {
      const now = clock()
      const caughtUpChanged = progress.caughtUp !== wasCaughtUp
      wasCaughtUp = progress.caughtUp
      // Idle polls commit nothing: only batches that moved the checkpoint, and changes of state, are news.
      if (!caughtUpChanged && (now - lastLogged < options.progressIntervalMs || (progress.caughtUp && progress.batchesCommitted === 0))) return
      lastLogged = now
      const line = {
        projection: key,
        checkpoint: progress.checkpoint ?? null,
        headPosition: progress.headPosition ?? null,
        caughtUp: progress.caughtUp,
        eventsProcessed: progress.eventsProcessed,
        eventsSkipped: progress.eventsSkipped,
        batchesCommitted: progress.batchesCommitted,
      }
      if (progress.caughtUp || options.lagCountLimit === 0) return log('info', 'progress', progress.caughtUp ? { ...line, eventsBehind: 0 } : line)
      const counting = countBehind(eventStore, projection, progress.checkpoint, options.lagCountLimit).then((behind) =>
        log('info', 'progress', behind === undefined ? line : { ...line, ...behind }),
      )
      lagCounts.add(counting)
      void counting.finally(() => lagCounts.delete(counting))
    }

    for (;;) {
      log('info', 'projection started', { projection: key })
      const running = runProjection(
        { eventStore, readModelStore, projection },
        { batchSize: options.batchSize, pollInterval: options.pollIntervalMs, signal: stopping.signal, onProgress: report },
      )
      const outcome = await running.done
      if (E.isRight(outcome)) return { progress: outcome.right }
      if (!isTransient(outcome.left) || stopping.signal.aborted) return { progress: running.progress(), error: outcome.left }
      log('warn', 'store unavailable, retrying', { projection: key, error: describeError(outcome.left), retryInMs: delay })
      await pause(delay, stopping.signal)
      delay = Math.min(delay * 2, retry.maximumDelayMs)
    }
  }

  const results = await Promise.all(
    options.projections.map(async (projection) => {
      const result = await follow(projection)
      if (result.error !== undefined) {
        log('error', 'projection failed', { projection: namespaceKey(projection), error: describeError(result.error) })
        stop()
      }
      return result
    }),
  )
  signal.removeEventListener('abort', stop)
  await Promise.all([...lagCounts])
  const progress = results.map((result) => result.progress)
  const failure = results.find((result) => result.error !== undefined)?.error
  return failure === undefined ? { _tag: 'Stopped', progress } : { _tag: 'Failed', error: failure, progress }
}

/** A runner error as plain JSON for the log (causes are driver errors: keep their message and code). */
export const describeError = (error: unknown): unknown =>
  JSON.parse(
    JSON.stringify(error, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString()
      if (value instanceof Error) return { name: value.name, message: value.message, ...('code' in value ? { code: value.code } : {}) }
      return value
    }),
  ) as unknown
