import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { afterEach, describe, expect, it } from 'vitest'
import { inMemoryEventStore, type EventStore } from '@policy-credit/event-store'
import { sqliteEventStore } from '@policy-credit/sqlite'
import { createApplication, domainEventValidator, executeAll, type Application, type CommandEnvelope, type ExecutionError, type Outcome } from '@policy-credit/application'
import { contents, memoryApplication, refused, typesIn } from './helpers.ts'
import { allocate, approve, certify, collectInterest, disburse, householdLife, loanId, register, repay, request, vet } from './fixtures.ts'

const lifecycle: ReadonlyArray<CommandEnvelope> = [...householdLife, allocate, request, vet, certify, approve, disburse]

const recording = () => {
  const seen: Array<{ readonly index: number; readonly commandId: string; readonly result: E.Either<ExecutionError, Outcome> }> = []
  return { seen, onOutcome: (result: E.Either<ExecutionError, Outcome>, envelope: CommandEnvelope, index: number) => void seen.push({ index, commandId: envelope.commandId, result }) }
}

describe('executeAll', () => {
  it('executes in order, reports every outcome, and continues after a refused envelope', async () => {
    const { store, application } = memoryApplication()
    const { seen, onOutcome } = recording()
    // The approval comes before certification: refused; everything after it still runs.
    const envelopes = [...householdLife, allocate, request, vet, approve, certify]
    const summary = await executeAll(application, envelopes, { onOutcome })()
    expect(summary).toStrictEqual({ executed: 10, appended: 9, eventsAppended: 9, alreadyHandled: 0, refused: 1 })
    expect(seen.map(({ index, commandId }) => [index, commandId])).toStrictEqual(envelopes.map((envelope, index) => [index, envelope.commandId]))
    expect(seen[8]?.result).toMatchObject(E.left({ _tag: 'Rejected', commandType: 'ApproveLoan' }))
    expect(await typesIn(store, `loan-${loanId}`)).toStrictEqual(['LoanRequested', 'LoanVettedByGroup', 'LoanCertifiedByCommune'])
  })

  it('counts a disbursement’s reservation among the events appended, and a second run as already handled', async () => {
    const { application } = memoryApplication()
    expect(await executeAll(application, lifecycle)()).toStrictEqual({ executed: 11, appended: 11, eventsAppended: 12, alreadyHandled: 0, refused: 0 })
    expect(await executeAll(application, lifecycle)()).toStrictEqual({ executed: 11, appended: 0, eventsAppended: 0, alreadyHandled: 11, refused: 0 })
  })

  it('stops at a store failure; executing the same envelopes again resumes where it stopped', async () => {
    const inner = inMemoryEventStore({ validate: domainEventValidator })
    let healthy = true
    const store: EventStore = { ...inner, appendToStream: (streamId, expected, events) => (healthy ? inner.appendToStream(streamId, expected, events) : TE.left({ _tag: 'EventStoreUnavailable', cause: 'disk full' })) }
    const application = createApplication({ store })
    const { seen, onOutcome } = recording()
    const envelopes = (async function* () {
      for (const [index, envelope] of lifecycle.entries()) {
        if (index === 4) healthy = false
        yield envelope
      }
    })()
    const stopped = await executeAll(application, envelopes, { onOutcome })()
    expect(stopped).toMatchObject({ executed: 5, appended: 4, refused: 0, stoppedBy: { index: 4, error: { _tag: 'StoreFailed', error: { _tag: 'EventStoreUnavailable' } } } })
    expect(seen).toHaveLength(5)
    healthy = true
    expect(await executeAll(application, lifecycle)()).toStrictEqual({ executed: 11, appended: 7, eventsAppended: 8, alreadyHandled: 4, refused: 0 })
  })
})

describe('a household’s loan against the SQLite store', () => {
  let directory: string | undefined
  afterEach(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true })
  })

  it('runs the scenario, appends nothing on a second run, and refuses without change', async () => {
    directory = mkdtempSync(join(tmpdir(), 'policy-credit-application-'))
    const opened = await sqliteEventStore({ filename: join(directory, 'events.db'), validate: domainEventValidator })()
    if (E.isLeft(opened)) return expect.fail(`could not open SQLite: ${opened.left._tag}`)
    const store = opened.right
    try {
      const application: Application = createApplication({ store })
      expect(await executeAll(application, [...lifecycle, repay])()).toStrictEqual({ executed: 12, appended: 12, eventsAppended: 13, alreadyHandled: 0, refused: 0 })
      const first = await contents(store)
      expect(await executeAll(application, [...lifecycle, repay])()).toMatchObject({ appended: 0, alreadyHandled: 12 })
      expect(await refused(application, collectInterest(10_000_000_000n))).toMatchObject({ _tag: 'Rejected', rejection: { _tag: 'InterestCollectionExceedsOwed' } })
      expect(await refused(application, { ...register, commandId: 'register-again' })).toMatchObject({ rejection: { _tag: 'HouseholdStatusDisallowsCommand' } })
      expect(await contents(store)).toStrictEqual(first)
      expect(await typesIn(store, `loan-${loanId}`)).toStrictEqual(['LoanRequested', 'LoanVettedByGroup', 'LoanCertifiedByCommune', 'LoanApproved', 'LoanDisbursed', 'PrincipalRepaid'])
    } finally {
      await store.close()
    }
  })
})
