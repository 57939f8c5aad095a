/**
 * Exactly once across two databases: events in EventStoreDB (the real client over gRPC, against the
 * in-process protocol double of @policy-credit/eventstoredb/testing), read models in PostgreSQL or
 * SQLite, the `$all` commit/prepare position committed in the read model's own transaction.
 *
 * The job runs as a child process with its read-model store wrapped (support/interruptedJob.ts): right
 * after the N-th commit returns, and before the runner's next read, it SIGKILLs itself, or it reports
 * the commit as failed though it landed (a lost acknowledgement). The projection counts, per event id,
 * how many times the event was applied: after every interruption each event up to the stored
 * checkpoint has been applied exactly once and no event after it at all; at the end, every event once.
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
import { environmentVariables } from '../src/index.ts'
import { connectionString, right, useDatabase } from './support/database.ts'
import { eventApplicationsProjection as projection } from './support/eventApplications.ts'
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

/** Caught up: at or past the last event (past it when the read looked over a neighbour's events after it). */
const expectPastEveryEvent = (checkpoint: Position | undefined, log: ReadonlyArray<RecordedEvent>): void => {
  const last = log.at(-1)?.position
  expect(checkpoint !== undefined && last !== undefined && checkpoint >= last).toBe(true)
}

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
    await seedEvents(neighbour, 3, 10)
    const { store: readModels, environment: readModelEnvironment } = await openReadModels()
    closers.push(() => readModels.close())

    const environment = {
      ...readModelEnvironment,
      [environmentVariables.eventsUrl]: double.connectionString,
      [environmentVariables.eventStoreDbNamespace]: streamNamespace,
      [environmentVariables.projections]: projection.name,
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
    const checkpoint = async (): Promise<Position | undefined> => right(await readModels.readCheckpoint(projectionNamespace(projection))())

    /** Each event up to the checkpoint applied once, none after it: the documents and the checkpoint committed together. */
    const expectAppliedOnceUpToCheckpoint = async (log: ReadonlyArray<RecordedEvent>): Promise<Position | undefined> => {
      const stored = await checkpoint()
      const documents = await storedDocuments(readModels, projection)
      expect(documents.filter((document) => (document.document as { readonly applications: number }).applications !== 1)).toStrictEqual([])
      expect(documents).toStrictEqual(foldedDocuments(projection, eventsUpTo(projection, log, stored)))
      return stored
    }

    const killedAfter = async (commits: number, log: ReadonlyArray<RecordedEvent>, previous: Position | undefined): Promise<Position | undefined> => {
      const job = run({ POLICY_CREDIT_TEST_INTERRUPT: 'kill', POLICY_CREDIT_TEST_INTERRUPT_AFTER_COMMITS: String(commits) })
      expect(await job.exited).toStrictEqual({ code: null, signal: 'SIGKILL' })
      const interrupted = job.lines.find((line) => line.event === 'interrupting after a commit')
      const stored = await expectAppliedOnceUpToCheckpoint(log)
      // Killed right after its commit: the checkpoint is the one that commit wrote, past the previous run's.
      expect(stored).toBe(interrupted?.['checkpoint'])
      expect(previous === undefined || (stored !== undefined && stored > previous)).toBe(true)
      return stored
    }

    const log = await readEverything(events)
    expect(log).toHaveLength(12 * 20)
    let stored = await killedAfter(1, log, undefined)
    stored = await killedAfter(3, log, stored)
    stored = await killedAfter(2, log, stored)
    expect(log.filter((event) => stored !== undefined && event.position > stored).length).toBeGreaterThan(0)

    // The commit lands, the runner hears it failed: the job restarts the runner from the stored checkpoint.
    const unacknowledged = run({ POLICY_CREDIT_TEST_INTERRUPT: 'lose-acknowledgement', POLICY_CREDIT_TEST_INTERRUPT_AFTER_COMMITS: '2' })
    await unacknowledged.waitForLine((line) => line.event === 'store unavailable, retrying')
    await unacknowledged.waitForLine((line) => line.event === 'progress' && line.caughtUp === true)
    unacknowledged.kill('SIGTERM')
    expect(await unacknowledged.exited).toStrictEqual({ code: 0, signal: null })
    expectPastEveryEvent(await expectAppliedOnceUpToCheckpoint(log), log)

    // More events; killed once more, then a plain run catches up.
    await seedEvents(events, 5, 10)
    const longer = await readEverything(events)
    await killedAfter(2, longer, await checkpoint())
    const last = run({})
    await last.waitForLine((line) => line.event === 'progress' && line.caughtUp === true)
    last.kill('SIGTERM')
    expect(await last.exited).toStrictEqual({ code: 0, signal: null })
    expectPastEveryEvent(await expectAppliedOnceUpToCheckpoint(longer), longer)
    expect(await storedDocuments(readModels, projection)).toHaveLength(12 * 20 + 5 * 10)
  }, 180_000)
})

