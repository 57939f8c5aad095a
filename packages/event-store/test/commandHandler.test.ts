import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  anyVersion,
  type CommandEnvelope,
  createInMemoryStorage,
  deterministicEventId,
  type EventStore,
  handleCommand,
  handleWithReservation,
  inMemoryEventStore,
  isUuid,
  releaseCommandId,
} from '@policy-credit/event-store'
import { expectLeft, expectRight, newEvent, newEventId } from '@policy-credit/event-store/testing'
import { capitalCodec, capitalHandler, disbursementHandler, householdCodec, type LoanCommand, loanCodec, loanHandler } from './fakeDomain.ts'

const envelope = <Command>(command: Command, overrides: Partial<CommandEnvelope<Command>> = {}): CommandEnvelope<Command> => ({
  commandId: newEventId(),
  command,
  occurredOn: '2025-04-02',
  actor: 'officer-7',
  ...overrides,
})

const approve = (loanId: string, amount = 30, householdId = 'H1'): LoanCommand => ({ type: 'ApproveLoan', data: { loanId, householdId, amount } })
const disburse = (loanId: string, amount = 30, communeId = 'nghia-lo') => ({ type: 'DisburseLoan' as const, data: { loanId, communeId, amount } })

const recognisePoor = async (store: EventStore, householdId = 'H1') => {
  const { type, data, schemaVersion } = householdCodec.encode({ type: 'HouseholdClassRecognised', data: { householdClass: 'Poor' } })
  expectRight(await store.appendToStream(`household-${householdId}`, anyVersion, [newEvent({ type, data, metadata: { schemaVersion } })])())
}

const approvedLoan = async (store: EventStore, loanId: string, amount = 30) => {
  await recognisePoor(store)
  expectRight(await handleCommand(store, loanHandler(store))(envelope(approve(loanId, amount)))())
}

const allocateCapital = async (store: EventStore, amount: number, communeId = 'nghia-lo') => {
  const { type, data, schemaVersion } = capitalCodec.encode({ type: 'CapitalAllocated', data: { amount } })
  expectRight(await store.appendToStream(`capital-${communeId}-2025`, anyVersion, [newEvent({ type, data, metadata: { schemaVersion } })])())
}

const typesIn = async (store: EventStore, streamId: string) => expectRight(await store.readStream(streamId)()).map((event) => event.type)

describe('handleCommand', () => {
  it('appends the decision with ids derived from the command and metadata taken from it', async () => {
    const store = inMemoryEventStore()
    await recognisePoor(store)
    const command = envelope(approve('L1'), { correlationId: 'import-2025-04' })
    const handled = expectRight(await handleCommand(store, loanHandler(store))(command)())
    expect(handled).toStrictEqual({
      events: [{ type: 'LoanApproved', data: { loanId: 'L1', amount: 30 } }],
      nextExpectedVersion: 1n,
      position: expectRight(await store.headPosition()()),
      alreadyHandled: false,
    })
    const [recorded] = expectRight(await store.readStream('loan-L1')())
    expect(recorded?.eventId).toBe(deterministicEventId(command.commandId, 'loan-L1', 0))
    expect(recorded?.metadata).toStrictEqual({
      occurredOn: '2025-04-02',
      schemaVersion: 1,
      correlationId: 'import-2025-04',
      causationId: command.commandId,
      actor: 'officer-7',
      recordedAt: expect.any(String),
    })
  })

  it('uses the command id as correlation id when the command starts a conversation', async () => {
    const store = inMemoryEventStore()
    await recognisePoor(store)
    const command = envelope(approve('L1'))
    expectRight(await handleCommand(store, loanHandler(store))(command)())
    const [recorded] = expectRight(await store.readStream('loan-L1')())
    expect(recorded?.metadata.correlationId).toBe(command.commandId)
  })

  it('a repeated command appends nothing and returns the original outcome, even after the stream moved on', async () => {
    const store = inMemoryEventStore()
    await recognisePoor(store)
    const handle = handleCommand(store, loanHandler(store))
    const command = envelope(approve('L1'))
    const first = expectRight(await handle(command)())
    expectRight(await handle(envelope(disburse('L1')))())
    const head = expectRight(await store.headPosition()())
    expect(expectRight(await handle(command)())).toStrictEqual({ ...first, alreadyHandled: true })
    expect(expectRight(await store.headPosition()())).toBe(head)
  })

  it('returns the rejection and appends nothing when the decider refuses', async () => {
    const store = inMemoryEventStore()
    const rejected = await handleCommand(store, loanHandler(store))(envelope(disburse('L1')))()
    expect(rejected).toStrictEqual(E.left({ _tag: 'Rejected', rejection: { _tag: 'LoanStatusDisallowsCommand', status: 'Initial' } }))
    expect(expectRight(await store.headPosition()())).toBeUndefined()
  })

  it('loads the decision context from another stream', async () => {
    const store = inMemoryEventStore()
    const handle = handleCommand(store, loanHandler(store))
    expect(expectLeft(await handle(envelope(approve('L1')))())).toStrictEqual({ _tag: 'Rejected', rejection: { _tag: 'HouseholdNotEligible', householdClass: 'Unknown' } })
    await recognisePoor(store)
    expect(expectRight(await handle(envelope(approve('L1')))()).nextExpectedVersion).toBe(1n)
  })

  it('retries a lost race on fresh state, so concurrent commands are decided one after the other', async () => {
    const storage = createInMemoryStorage()
    const store = inMemoryEventStore({ storage })
    await approvedLoan(store, 'L1')
    const results = await Promise.all(
      Array.from({ length: 6 }, () => {
        const connection = inMemoryEventStore({ storage })
        return handleCommand(connection, loanHandler(connection), { maxAttempts: 10 })(envelope(disburse('L1')))()
      }),
    )
    expect(results.filter(E.isRight)).toHaveLength(1)
    expect(results.filter(E.isLeft).map((result) => result.left)).toStrictEqual(
      Array.from({ length: 5 }, () => ({ _tag: 'Rejected', rejection: { _tag: 'LoanStatusDisallowsCommand', status: 'Disbursed' } })),
    )
    expect(await typesIn(store, 'loan-L1')).toStrictEqual(['LoanApproved', 'LoanDisbursed'])
  })

  it('gives up after the configured number of attempts when it keeps losing', async () => {
    const inner = inMemoryEventStore()
    await approvedLoan(inner, 'L1')
    let appends = 0
    const alwaysLosing: EventStore = {
      ...inner,
      appendToStream: (streamId, expected) => async () => {
        appends++
        return E.left({ _tag: 'WrongExpectedVersion', streamId, expected, actual: 99n })
      },
    }
    const result = expectLeft(await handleCommand(alwaysLosing, loanHandler(alwaysLosing), { maxAttempts: 3 })(envelope(disburse('L1')))())
    expect(result).toMatchObject({ _tag: 'ConcurrencyRetriesExhausted', attempts: 3, conflict: { _tag: 'WrongExpectedVersion', streamId: 'loan-L1' } })
    expect(appends).toBe(3)
  })

  it('reports an undecodable stored event as a store failure, without deciding', async () => {
    const store = inMemoryEventStore()
    expectRight(await store.appendToStream('loan-L1', anyVersion, [newEvent({ type: 'LoanApproved', data: { loanId: 'L1' } })])())
    expect(expectLeft(await handleCommand(store, loanHandler(store))(envelope(disburse('L1')))())).toMatchObject({
      _tag: 'StoreFailed',
      error: { _tag: 'InvalidStoredEvent', streamId: 'loan-L1', version: 1n, type: 'LoanApproved' },
    })
  })

  it('appends nothing when the decider decides nothing', async () => {
    const store = inMemoryEventStore()
    await allocateCapital(store, 100)
    const released = expectRight(await handleCommand(store, capitalHandler)(envelope({ type: 'ReleaseReservation', data: { communeId: 'nghia-lo', loanId: 'L9' } }))())
    expect(released).toStrictEqual({ events: [], nextExpectedVersion: 1n, position: expectRight(await store.headPosition()()), alreadyHandled: false })
    expect(await typesIn(store, 'capital-nghia-lo-2025')).toStrictEqual(['CapitalAllocated'])
  })
})

describe('deterministicEventId', () => {
  test.prop([fc.string(), fc.string(), fc.nat({ max: 1000 })])('is a version-5 UUID the store accepts, the same for the same inputs', (commandId, streamId, index) => {
    const id = deterministicEventId(commandId, streamId, index)
    expect(isUuid(id)).toBe(true)
    expect(id[14]).toBe('5')
    expect(id).toBe(deterministicEventId(commandId, streamId, index))
  })

  test.prop([fc.uniqueArray(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), fc.nat({ max: 3 })), { minLength: 2, selector: (key) => JSON.stringify(key) })])(
    'differs whenever the command, the stream or the index differs',
    (keys) => {
      const ids = keys.map(([commandId, streamId, index]) => deterministicEventId(commandId, streamId, index))
      expect(new Set(ids).size).toBe(keys.length)
    },
  )
})

describe('handleWithReservation: a consistency boundary across two streams', () => {
  test.prop([fc.integer({ min: 0, max: 200 }), fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 8 })], { numRuns: 30 })(
    'concurrent disbursements never overdraw the capital, and each disbursement has exactly one reservation',
    async (capital, amounts) => {
      const storage = createInMemoryStorage()
      const store = inMemoryEventStore({ storage })
      await allocateCapital(store, capital)
      for (const [index, amount] of amounts.entries()) await approvedLoan(store, `L${index}`, amount)
      const results = await Promise.all(
        amounts.map((amount, index) => {
          const connection = inMemoryEventStore({ storage })
          return handleWithReservation(connection, disbursementHandler(connection), { maxAttempts: 20 })(envelope(disburse(`L${index}`, amount)))()
        }),
      )
      const capitalEvents = expectRight(await store.readStream('capital-nghia-lo-2025')()).map((event) => expectRight(capitalCodec.decode(event)))
      const reserved = capitalEvents.flatMap((event) => (event.type === 'CapitalReserved' ? [event.data] : []))
      const disbursed = amounts.flatMap((_, index) => (E.isRight(results[index] ?? E.left(undefined)) ? [`L${index}`] : []))
      expect(reserved.reduce((total, reservation) => total + reservation.amount, 0)).toBeLessThanOrEqual(capital)
      expect(reserved.map((reservation) => reservation.loanId).sort()).toStrictEqual([...disbursed].sort())
      for (const loanId of disbursed) expect(await typesIn(store, `loan-${loanId}`)).toStrictEqual(['LoanApproved', 'LoanDisbursed'])
      const left = capital - reserved.reduce((total, reservation) => total + reservation.amount, 0)
      results.forEach((result, index) => {
        if (E.isLeft(result)) {
          expect(result.left).toMatchObject({ _tag: 'Rejected', rejection: { _tag: 'InsufficientCapital' } })
          expect(amounts[index]).toBeGreaterThan(left)
        }
      })
    },
  )

  it('a crash between the reservation and the disbursement leaves a visible reservation, and running the command again completes it', async () => {
    const store = inMemoryEventStore()
    await allocateCapital(store, 100)
    await approvedLoan(store, 'L1', 40)
    let failNextLoanAppend = true
    const crashing: EventStore = {
      ...store,
      appendToStream: (streamId, expected, events) =>
        streamId === 'loan-L1' && failNextLoanAppend
          ? async () => {
              failNextLoanAppend = false
              return E.left({ _tag: 'EventStoreUnavailable', cause: new Error('process died') })
            }
          : store.appendToStream(streamId, expected, events),
    }
    const command = envelope(disburse('L1', 40))
    expect(expectLeft(await handleWithReservation(crashing, disbursementHandler(crashing))(command)())).toMatchObject({ _tag: 'StoreFailed', error: { _tag: 'EventStoreUnavailable' } })
    const [, reservation] = expectRight(await store.readStream('capital-nghia-lo-2025')())
    expect(reservation).toMatchObject({ type: 'CapitalReserved', data: { loanId: 'L1', amount: 40 }, metadata: { causationId: command.commandId } })
    expect(await typesIn(store, 'loan-L1')).toStrictEqual(['LoanApproved'])

    const completed = expectRight(await handleWithReservation(store, disbursementHandler(store))(command)())
    expect(completed.reservation.alreadyHandled).toBe(true)
    expect(completed.outcome).toMatchObject({ events: [{ type: 'LoanDisbursed' }], alreadyHandled: false })
    expect(await typesIn(store, 'loan-L1')).toStrictEqual(['LoanApproved', 'LoanDisbursed'])
    expect(await typesIn(store, 'capital-nghia-lo-2025')).toStrictEqual(['CapitalAllocated', 'CapitalReserved'])

    const repeated = expectRight(await handleWithReservation(store, disbursementHandler(store))(command)())
    expect(repeated).toStrictEqual({ reservation: { ...completed.reservation, alreadyHandled: true }, outcome: { ...completed.outcome, alreadyHandled: true } })
    expect(await typesIn(store, 'capital-nghia-lo-2025')).toStrictEqual(['CapitalAllocated', 'CapitalReserved'])
  })

  it('releases the reservation when the loan changed meanwhile and the command is now refused', async () => {
    const store = inMemoryEventStore()
    await allocateCapital(store, 100)
    await approvedLoan(store, 'L1', 40)
    let cancelFirst = true
    const racing: EventStore = {
      ...store,
      appendToStream: (streamId, expected, events) => async () => {
        if (streamId === 'loan-L1' && cancelFirst) {
          cancelFirst = false
          const { type, data, schemaVersion } = loanCodec.encode({ type: 'LoanCancelled', data: { loanId: 'L1' } })
          expectRight(await store.appendToStream('loan-L1', anyVersion, [newEvent({ type, data, metadata: { schemaVersion } })])())
        }
        return store.appendToStream(streamId, expected, events)()
      },
    }
    const command = envelope(disburse('L1', 40))
    expect(await handleWithReservation(racing, disbursementHandler(racing))(command)()).toStrictEqual(
      E.left({ _tag: 'Rejected', rejection: { _tag: 'LoanStatusDisallowsCommand', status: 'Cancelled' } }),
    )
    expect(await typesIn(store, 'capital-nghia-lo-2025')).toStrictEqual(['CapitalAllocated', 'CapitalReserved', 'ReservationReleased'])
    expect(await typesIn(store, 'loan-L1')).toStrictEqual(['LoanApproved', 'LoanCancelled'])
  })

  it('reserves nothing when the command is refused before the reservation', async () => {
    const store = inMemoryEventStore()
    await allocateCapital(store, 100)
    expect(expectLeft(await handleWithReservation(store, disbursementHandler(store))(envelope(disburse('L1')))())).toMatchObject({ _tag: 'Rejected' })
    expect(await typesIn(store, 'capital-nghia-lo-2025')).toStrictEqual(['CapitalAllocated'])
  })

  it('refuses to complete a command whose reservation was released', async () => {
    const store = inMemoryEventStore()
    await allocateCapital(store, 100)
    await approvedLoan(store, 'L1', 40)
    const command = envelope(disburse('L1', 40))
    const handler = disbursementHandler(store)
    expectRight(await handleCommand(store, capitalHandler)({ ...command, command: handler.reserve(command.command) })())
    expectRight(await handleCommand(store, capitalHandler)({ ...command, commandId: releaseCommandId(command.commandId), command: handler.release(command.command) })())
    expect(await handleWithReservation(store, handler)(command)()).toStrictEqual(E.left({ _tag: 'ReservationReleased', commandId: command.commandId }))
    expect(await typesIn(store, 'loan-L1')).toStrictEqual(['LoanApproved'])
  })
})
