/**
 * Exactly once across two databases: events in EventStoreDB (the real client over gRPC, against the
 * in-process protocol double of @policy-credit/eventstoredb/testing), read models in PostgreSQL or
 * SQLite, the `$all` commit/prepare position committed in the read model's own transaction.
 *
 * The job runs the two reports (poverty-rate, outstanding-debt) over domain streams the core's deciders
 * made, plus a test projection over every event, as a child process with its read-model store wrapped
 * (support/interruptedJob.ts): right after the N-th commit returns (whichever projection made it), and
 * before the runner's next read, it SIGKILLs itself, or it reports the commit as failed though it landed
 * (a lost acknowledgement). After every interruption each projection's documents are the fold of exactly
 * the events up to its stored checkpoint, and the test projection, which counts per event id how many
 * times the event was applied, shows no event applied twice; at the end, every event once.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Position, RecordedEvent } from '@policy-credit/event-store'
import { eventStoreDbEventStore } from '@policy-credit/eventstoredb'
import { startEventStoreDbProtocolDouble, type EventStoreDbProtocolDouble } from '@policy-credit/eventstoredb/testing'
import { postgresReadModelStore } from '@policy-credit/postgres'
import { projectionNamespace, type ReadModelStore } from '@policy-credit/projections'
import { sqliteReadModelStore } from '@policy-credit/sqlite'
import { environmentVariables, type AnyProjection } from '../src/index.ts'
import { connectionString, right, useDatabase } from './support/database.ts'
import { eventApplicationsProjection as applications, type EventApplications } from './support/eventApplications.ts'
import { appendDomainStreams, domainStreams } from './support/domainSeed.ts'
import { reportingProjections } from './support/reportingProjections.ts'
import { startJob, type JobProcess } from './support/jobProcess.ts'
import { eventsUpTo, foldedDocuments, readEverything, storedDocuments } from './support/readModels.ts'
import { seedEvents } from './support/seed.ts'

const interruptedJob = fileURLToPath(new URL('./support/interruptedJob.ts', import.meta.url))
const database = useDatabase()
const jobs: Array<JobProcess> = []
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const job of jobs.splice(0)) job.kill('SIGKILL')
  for (const close of closers.splice(0).reverse()) await close()
})
let double: EventStoreDbProtocolDouble | undefined
afterAll(async () => {
  await double?.close()
})

interface ReadModelTarget {
  readonly store: ReadModelStore
  readonly environment: Readonly<Record<string, string>>
}

const readModelTargets: ReadonlyArray<readonly [string, () => Promise<ReadModelTarget>]> = [
  [
    'PostgreSQL',
    async () => {
      const schema = database.schema()
      const store = right(await postgresReadModelStore({ connectionString, schema })())
      return { store, environment: { [environmentVariables.readModelsUrl]: connectionString, [environmentVariables.readModelsSchema]: schema } }
    },
  ],
  [
    'SQLite',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'pc-exactly-once-'))
      closers.push(() => rm(directory, { recursive: true, force: true }))
      const filename = join(directory, 'read-models.db')
      const store = right(await sqliteReadModelStore({ filename })())
      return { store, environment: { [environmentVariables.readModelsUrl]: `sqlite:${filename}` } }
    },
  ],
]

const key = (projection: AnyProjection): string => `${projection.name}@${projection.version}`

describe.each(readModelTargets)('exactly once: events in EventStoreDB, read models in %s', (_name, openReadModels) => {
  it('applies no event twice when the job dies right after a commit or loses a commit acknowledgement', async () => {
    double ??= await startEventStoreDbProtocolDouble()
    // A namespace per test, as against a shared server; a neighbour's events must not count.
    const streamNamespace = `exactly-once-${crypto.randomUUID()}-`
    const events = right(eventStoreDbEventStore({ connectionString: double.connectionString, streamNamespace }))
    closers.push(() => events.close())
    const neighbour = right(eventStoreDbEventStore({ connectionString: double.connectionString, streamNamespace: `neighbour-${crypto.randomUUID()}-` }))
    closers.push(() => neighbour.close())
    await seedEvents(events, 12, 20)
    await appendDomainStreams(events, domainStreams(60, 40, 9_001))
    await seedEvents(neighbour, 3, 10)
    const { store: readModels, environment: readModelEnvironment } = await openReadModels()
    closers.push(() => readModels.close())
    const projections = [applications, ...reportingProjections]

    const environment = {
      ...readModelEnvironment,
      [environmentVariables.eventsUrl]: double.connectionString,
      [environmentVariables.eventStoreDbNamespace]: streamNamespace,
      [environmentVariables.projections]: projections.map((projection) => projection.name).join(','),
      [environmentVariables.batchSize]: '7',
      [environmentVariables.pollIntervalMs]: '50',
      [environmentVariables.progressIntervalMs]: '0',
      [environmentVariables.lagCountLimit]: '0',
    }
    const run = (interrupt: Readonly<Record<string, string>>): JobProcess => {
      const job = startJob({ ...environment, ...interrupt }, interruptedJob)
      jobs.push(job)
      return job
    }
    // The runs that catch up take bigger batches: fewer commits, and batch boundaries unlike the killed runs'.
    const catchingUp = { [environmentVariables.batchSize]: '50' }
    const checkpointOf = async (projection: AnyProjection): Promise<Position | undefined> => right(await readModels.readCheckpoint(projectionNamespace(projection))())

    /**
     * Every projection's documents are the fold of exactly the events up to its checkpoint (they and the
     * checkpoint committed together), and no event was applied twice. Returns the checkpoints.
     */
    const expectAppliedOnceUpToCheckpoints = async (log: ReadonlyArray<RecordedEvent>): Promise<ReadonlyMap<string, Position | undefined>> => {
      const checkpoints = new Map<string, Position | undefined>()
      for (const projection of projections) {
        const stored = await checkpointOf(projection)
        checkpoints.set(key(projection), stored)
        expect(await storedDocuments(readModels, projection)).toStrictEqual(foldedDocuments(projection, eventsUpTo(projection, log, stored)))
      }
      const counts = await storedDocuments(readModels, applications)
      expect(counts.filter((document) => (document.document as EventApplications).applications !== 1)).toStrictEqual([])
      return checkpoints
    }

    const killedAfter = async (commits: number, log: ReadonlyArray<RecordedEvent>, previous: ReadonlyMap<string, Position | undefined>) => {
      const job = run({ POLICY_CREDIT_TEST_INTERRUPT: 'kill', POLICY_CREDIT_TEST_INTERRUPT_AFTER_COMMITS: String(commits) })
      expect(await job.exited).toStrictEqual({ code: null, signal: 'SIGKILL' })
      const interrupted = job.lines.find((line) => line.event === 'interrupting after a commit')
      expect(interrupted).toBeDefined()
      const checkpoints = await expectAppliedOnceUpToCheckpoints(log)
      // Killed right after its commit: that projection's checkpoint is the one the commit wrote, past the previous run's.
      const projection = String(interrupted?.projection)
      const stored = checkpoints.get(projection)
      expect(stored).toBe(interrupted?.['checkpoint'])
      const before = previous.get(projection)
      expect(stored !== undefined && (before === undefined || stored > before)).toBe(true)
      return checkpoints
    }

    /** Runs the job until every projection has caught up with `log`, then stops it with SIGTERM (exit 0). */
    const catchUp = async (job: JobProcess, log: ReadonlyArray<RecordedEvent>): Promise<void> => {
      const last = log.at(-1)?.position ?? ''
      for (const projection of projections)
        await job.waitForLine((line) => line.event === 'progress' && line.projection === key(projection) && line.caughtUp === true && (line.checkpoint ?? '') >= last)
      job.kill('SIGTERM')
      expect(await job.exited).toStrictEqual({ code: 0, signal: null })
      const checkpoints = await expectAppliedOnceUpToCheckpoints(log)
      for (const projection of projections) expect((checkpoints.get(key(projection)) ?? '') >= last).toBe(true)
    }

    const log = await readEverything(events)
    let checkpoints = await killedAfter(1, log, new Map())
    checkpoints = await killedAfter(3, log, checkpoints)
    checkpoints = await killedAfter(2, log, checkpoints)
    expect(log.filter((event) => event.position > (checkpoints.get(key(applications)) ?? '')).length).toBeGreaterThan(0)

    // The commit lands, the runner hears it failed: the job restarts the runner from the stored checkpoint.
    const unacknowledged = run({ ...catchingUp, POLICY_CREDIT_TEST_INTERRUPT: 'lose-acknowledgement', POLICY_CREDIT_TEST_INTERRUPT_AFTER_COMMITS: '2' })
    await unacknowledged.waitForLine((line) => line.event === 'store unavailable, retrying')
    await catchUp(unacknowledged, log)

    // More events; killed once more, then a plain run catches up.
    await seedEvents(events, 5, 10)
    await appendDomainStreams(events, domainStreams(20, 10, 9_003))
    const longer = await readEverything(events)
    await killedAfter(2, longer, await expectAppliedOnceUpToCheckpoints(longer))
    await catchUp(run(catchingUp), longer)
    expect(await storedDocuments(readModels, applications)).toHaveLength(longer.length)
    // The reports were compared with folds that have something in them.
    for (const projection of reportingProjections) expect((await storedDocuments(readModels, projection)).length).toBeGreaterThan(0)
  }, 240_000)
})
