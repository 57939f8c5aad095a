/**
 * The reporting job as a process against PostgreSQL: killed with SIGKILL in the middle of its catch-up
 * (at whatever moment, or inside a batch's commit) it loses nothing and applies nothing twice; stopped
 * with SIGTERM it exits 0 with a consistent read model, and a restart resumes from the checkpoint rather
 * than from the start.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { Position, RecordedEvent } from '@policy-credit/event-store'
import { postgresEventStore, postgresReadModelStore, type PostgresEventStore } from '@policy-credit/postgres'
import { catchUpProjection, projectionNamespace, type ReadModelStore } from '@policy-credit/projections'
import { environmentVariables, type AnyProjection } from '../src/index.ts'
import { connectionString, right, useDatabase } from './support/database.ts'
import { startJob, type JobLogLine, type JobProcess } from './support/jobProcess.ts'
import { eventsAfter, eventsUpTo, foldedDocuments, readEverything, storedDocuments } from './support/readModels.ts'
import { reportingProjections, seedReportingEvents } from './support/reportingProjections.ts'

const database = useDatabase()
const jobs: Array<JobProcess> = []
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const job of jobs.splice(0)) job.kill('SIGKILL')
  for (const close of closers.splice(0)) await close()
})

interface Setup {
  readonly events: PostgresEventStore
  readonly readModels: ReadModelStore
  readonly readModelsSchema: string
  readonly environment: Readonly<Record<string, string>>
  readonly projections: ReadonlyArray<AnyProjection>
}

/** Events in one schema, read models in another; a small batch so that catching up takes many of them. */
const setUp = async (): Promise<Setup> => {
  const eventsSchema = database.schema()
  const readModelsSchema = database.schema()
  const events = right(await postgresEventStore({ connectionString, schema: eventsSchema })())
  closers.push(() => events.close())
  await seedReportingEvents(events)
  const readModels = right(await postgresReadModelStore({ connectionString, schema: readModelsSchema })())
  closers.push(() => readModels.close())
  const projections = reportingProjections
  return {
    events,
    readModels,
    readModelsSchema,
    projections,
    environment: {
      [environmentVariables.eventsUrl]: connectionString,
      [environmentVariables.eventsSchema]: eventsSchema,
      [environmentVariables.readModelsUrl]: connectionString,
      [environmentVariables.readModelsSchema]: readModelsSchema,
      [environmentVariables.projections]: projections.map((projection) => projection.name).join(','),
      [environmentVariables.batchSize]: '7',
      [environmentVariables.pollIntervalMs]: '50',
      [environmentVariables.progressIntervalMs]: '0',
      [environmentVariables.lagCountLimit]: '50',
    },
  }
}

const start = (environment: Readonly<Record<string, string>>): JobProcess => {
  const job = startJob(environment)
  jobs.push(job)
  return job
}

const key = (projection: AnyProjection): string => `${projection.name}@${projection.version}`
const progressOf = (job: JobProcess, projection: AnyProjection): ReadonlyArray<JobLogLine> =>
  job.lines.filter((line) => line.event === 'progress' && line.projection === key(projection))

/** Waits until every projection has logged a caught-up progress line. */
const waitUntilCaughtUp = async (job: JobProcess, projections: ReadonlyArray<AnyProjection>): Promise<void> => {
  for (const projection of projections) await job.waitForLine((line) => line.event === 'progress' && line.projection === key(projection) && line.caughtUp === true)
}

const checkpointOf = async (readModels: ReadModelStore, projection: AnyProjection): Promise<Position | undefined> =>
  right(await readModels.readCheckpoint(projectionNamespace(projection))())

/**
 * Starts the job again, lets it catch up and stops it with SIGTERM (exit 0). It must have resumed from
 * the checkpoints the previous run left, processing exactly the rest of the log (not the whole log
 * again), and ended with the documents of a clean fold of the whole log.
 */
const restartAndCatchUp = async (
  { readModels, environment, projections }: Pick<Setup, 'readModels' | 'environment' | 'projections'>,
  log: ReadonlyArray<RecordedEvent>,
  checkpointsBefore: ReadonlyMap<AnyProjection, Position | undefined>,
): Promise<void> => {
  const job = start(environment)
  await waitUntilCaughtUp(job, projections)
  job.kill('SIGTERM')
  expect(await job.exited).toStrictEqual({ code: 0, signal: null })
  for (const projection of projections) {
    const processed = Math.max(...progressOf(job, projection).map((line) => line.eventsProcessed ?? 0))
    expect(processed).toBe(eventsAfter(projection, log, checkpointsBefore.get(projection)).length)
    expect(await storedDocuments(readModels, projection)).toStrictEqual(foldedDocuments(projection, log))
  }
}

/** Polls `probe` until it gives a value. */
const eventually = async <A>(probe: () => Promise<A | undefined>, timeoutMs = 30_000): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`)
    await sleep(20)
  }
}

/** A clean rebuild, by the runner, into a fresh read-model schema, gives the same documents and checkpoints. */
const expectCleanRebuild = async ({ events, readModels, projections }: Pick<Setup, 'events' | 'readModels' | 'projections'>): Promise<void> => {
  const rebuilt = right(await postgresReadModelStore({ connectionString, schema: database.schema() })())
  closers.push(() => rebuilt.close())
  for (const projection of projections) {
    right(await catchUpProjection({ eventStore: events, readModelStore: rebuilt, projection }, { batchSize: 1000 })())
    const documents = await storedDocuments(readModels, projection)
    expect(documents.length).toBeGreaterThan(0)
    expect(documents).toStrictEqual(await storedDocuments(rebuilt, projection))
    expect(await checkpointOf(readModels, projection)).toBe(await checkpointOf(rebuilt, projection))
  }
}

// Each test starts the job two or three times and seeds some 1 600 events: a minute or more when the machine is busy.
describe('the reporting job against PostgreSQL', { timeout: 120_000 }, () => {
  it('killed with SIGKILL in the middle of catching up, restarted, ends with the read models of a clean rebuild', async () => {
    const { events, readModels, environment, projections } = await setUp()
    const log = await readEverything(events)
    const first = start(environment)
    // Some batches committed, far from the end (each projection follows hundreds of events).
    await first.waitForLine((line) => line.event === 'progress' && (line.batchesCommitted ?? 0) >= 10 && line.caughtUp === false)
    first.kill('SIGKILL')
    expect(await first.exited).toStrictEqual({ code: null, signal: 'SIGKILL' })

    const checkpointsAtKill = new Map<AnyProjection, Position | undefined>()
    for (const projection of projections) checkpointsAtKill.set(projection, await checkpointOf(readModels, projection))
    // Killed mid-way: at least one projection had committed part of the log and not all of it.
    expect(projections.some((projection) => {
      const checkpoint = checkpointsAtKill.get(projection)
      return checkpoint !== undefined && eventsAfter(projection, log, checkpoint).length > 0
    })).toBe(true)

    await restartAndCatchUp({ readModels, environment, projections }, log, checkpointsAtKill)
    await expectCleanRebuild({ events, readModels, projections })
  })

  it('killed with SIGKILL inside a batch\'s commit, loses that batch whole; restarted, ends with the read models of a clean rebuild', async () => {
    const { events, readModels, readModelsSchema, environment, projections } = await setUp()
    const povertyRate = projections.find((projection) => projection.name === 'poverty-rate')
    if (povertyRate === undefined) throw new Error('poverty-rate is not among the report projections')
    const log = await readEverything(events)
    // So that the server drops the statement of a client that died, instead of running it to its commit
    // once the lock it waits on is released (PostgreSQL's default); either way the commit is all or nothing.
    const first = start({ ...environment, PGOPTIONS: '-c client_connection_check_interval=50' })
    await first.waitForLine((line) => line.event === 'progress' && line.projection === key(povertyRate) && (line.batchesCommitted ?? 0) >= 3 && line.caughtUp === false)

    // Lock every poverty-rate document stored so far: the next batch that changes one of them stops inside
    // its commit statement, which moves the checkpoint row first and then writes the documents.
    const locker = await database.pool.connect()
    let checkpointWhileBlocked: Position | undefined
    try {
      await locker.query('BEGIN')
      await locker.query(`SELECT id FROM "${readModelsSchema}".documents WHERE projection = $1 AND projection_version = $2 FOR UPDATE`, [povertyRate.name, povertyRate.version])
      const lockerPid = (await locker.query<{ readonly pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid
      // Blocked by our lock, with a transaction id: the statement has already written (the checkpoint row).
      const blocked = await eventually(async () =>
        (await database.pool.query<{ readonly pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)) AND backend_xid IS NOT NULL', [lockerPid])).rows[0]?.pid,
      )
      checkpointWhileBlocked = await checkpointOf(readModels, povertyRate)
      expect(eventsAfter(povertyRate, log, checkpointWhileBlocked).length).toBeGreaterThan(0)
      first.kill('SIGKILL')
      expect(await first.exited).toStrictEqual({ code: null, signal: 'SIGKILL' })
      // The server notices the dead client and rolls the half-done transaction back.
      await eventually(async () => ((await database.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [blocked])).rowCount === 0 ? true : undefined))
    } finally {
      await locker.query('ROLLBACK')
      locker.release()
    }

    const checkpointsAtKill = new Map<AnyProjection, Position | undefined>()
    for (const projection of projections) {
      const checkpoint = await checkpointOf(readModels, projection)
      checkpointsAtKill.set(projection, checkpoint)
      expect(await storedDocuments(readModels, projection)).toStrictEqual(foldedDocuments(projection, eventsUpTo(projection, log, checkpoint)))
    }
    // Nothing of the interrupted batch landed: the checkpoint is the one committed before it.
    expect(checkpointsAtKill.get(povertyRate)).toBe(checkpointWhileBlocked)

    await restartAndCatchUp({ readModels, environment, projections }, log, checkpointsAtKill)
    await expectCleanRebuild({ events, readModels, projections })
  })

  it('stops on SIGTERM with exit code 0 and a read model that is exactly the events up to its checkpoint, and a restart resumes there', async () => {
    const { events, readModels, environment, projections } = await setUp()
    const log = await readEverything(events)
    const first = start(environment)
    await first.waitForLine((line) => line.event === 'progress' && (line.batchesCommitted ?? 0) >= 10 && line.caughtUp === false)
    first.kill('SIGTERM')
    expect(await first.exited).toStrictEqual({ code: 0, signal: null })
    const stopped = await first.waitForLine((line) => line.event === 'stopped', 0)

    const checkpointsAtStop = new Map<AnyProjection, Position | undefined>()
    for (const projection of projections) {
      const checkpoint = await checkpointOf(readModels, projection)
      checkpointsAtStop.set(projection, checkpoint)
      expect((stopped['checkpoints'] as Record<string, unknown>)[key(projection)]).toBe(checkpoint ?? null)
      // A clean stop leaves whole batches: the documents are the fold of exactly the events up to the checkpoint.
      expect(await storedDocuments(readModels, projection)).toStrictEqual(foldedDocuments(projection, eventsUpTo(projection, log, checkpoint)))
    }
    expect(projections.some((projection) => eventsAfter(projection, log, checkpointsAtStop.get(projection)).length > 0)).toBe(true)

    await restartAndCatchUp({ readModels, environment, projections }, log, checkpointsAtStop)
  })

  it('follows events appended while it runs, reports how far behind it is, and stops when idle', async () => {
    const { events, readModels, environment, projections } = await setUp()
    const seeded = await readEverything(events)
    const job = start(environment)
    await waitUntilCaughtUp(job, projections)
    const behind = job.lines.filter((line) => line.event === 'progress' && line.caughtUp === false && typeof line['eventsBehind'] === 'number')
    expect(behind.length).toBeGreaterThan(0)
    // Counted up to the configured limit (50), and flagged when there were more. Never more than there
    // were; fewer is possible: PostgreSQL shows an event to readers only once every older transaction of
    // the cluster has ended, so a count can miss the newest events.
    for (const line of behind) {
      const projection = projections.find((candidate) => key(candidate) === line.projection)
      if (projection === undefined) throw new Error(`progress of an unknown projection ${String(line.projection)}`)
      const remaining = eventsAfter(projection, seeded, (line.checkpoint ?? undefined) as Position | undefined).length
      expect(line['eventsBehind']).toBeGreaterThanOrEqual(0)
      expect(line['eventsBehind']).toBeLessThanOrEqual(Math.min(50, remaining))
      if (line['atLeast'] === true) expect(line['eventsBehind']).toBe(50)
    }
    expect(behind.some((line) => (line['eventsBehind'] as number) > 0)).toBe(true)
    expect(behind.some((line) => line['atLeast'] === true)).toBe(true)
    await seedReportingEvents(events)
    const log = await readEverything(events)
    const last = log.at(-1)?.position ?? ''
    // Caught up with the new events: a caught-up line whose checkpoint is at or past the last of them.
    for (const projection of projections)
      await job.waitForLine((line) => line.event === 'progress' && line.projection === key(projection) && line.caughtUp === true && (line.checkpoint ?? '') >= last)
    for (const projection of projections) expect(await storedDocuments(readModels, projection)).toStrictEqual(foldedDocuments(projection, log))
    job.kill('SIGTERM')
    expect(await job.exited).toStrictEqual({ code: 0, signal: null })
  })
})
