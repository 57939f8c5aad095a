/**
 * The part of the conformance suite that runs the store-agnostic layers on the store under test:
 * the schema layer (upcasting and undecodable events on what this store gives back) and command
 * handling (bounded retries, derived ids, a consistency boundary under writers on separate
 * connections). Called by `describeEventStoreContract`; a tiny capital ledger stands in for a domain.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { deterministicEventId, handleCommand, type CommandDecider, type StreamCommandHandler } from '../commandHandler.ts'
import { anyVersion, exactly, type AppendResult, type EventStore, type EventStoreError, type ExpectedVersion, type NewEvent } from '../port.ts'
import { decodeRecorded, eventCodec, eventSchemaRegistry } from '../schema.ts'
import { newEvent } from './fixtures.ts'

type CapitalEvent =
  | { readonly type: 'CapitalAllocated'; readonly data: { readonly amount: number } }
  | { readonly type: 'CapitalReserved'; readonly data: { readonly loanId: string; readonly amount: number } }
type ReserveCapital = { readonly loanId: string; readonly amount: number }
type InsufficientCapital = { readonly _tag: 'InsufficientCapital'; readonly available: number; readonly requested: number }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

const registry = eventSchemaRegistry<CapitalEvent>([
  {
    type: 'CapitalAllocated',
    // Version 1 called the amount `sum`; version 2 renamed it, so version 1 data is upcast on read.
    currentVersion: 2,
    decode: ({ data }) =>
      isRecord(data) && typeof data['amount'] === 'number' ? E.right({ type: 'CapitalAllocated', data: { amount: data['amount'] } }) : E.left('expected { amount: number }'),
    encode: (event) => event,
    upcasters: { 1: (data) => (isRecord(data) && typeof data['sum'] === 'number' ? E.right({ amount: data['sum'] }) : E.left('expected { sum: number }')) },
  },
  {
    type: 'CapitalReserved',
    currentVersion: 1,
    decode: ({ data }) =>
      isRecord(data) && typeof data['loanId'] === 'string' && typeof data['amount'] === 'number'
        ? E.right({ type: 'CapitalReserved', data: { loanId: data['loanId'], amount: data['amount'] } })
        : E.left('expected { loanId: string, amount: number }'),
    encode: (event) => event,
  },
])
const codec = eventCodec(registry)

const ledger: CommandDecider<ReserveCapital, CapitalEvent, number, InsufficientCapital, undefined> = {
  initialState: 0,
  evolve: (available, event) => (event.type === 'CapitalAllocated' ? available + event.data.amount : available - event.data.amount),
  decide: (command, available) =>
    command.amount > available
      ? E.left({ _tag: 'InsufficientCapital', available, requested: command.amount })
      : E.right([{ type: 'CapitalReserved', data: { loanId: command.loanId, amount: command.amount } }]),
}

const BOUNDARY = 'capital-nghia-lo-2025'

const reservations: StreamCommandHandler<ReserveCapital, CapitalEvent, number, InsufficientCapital, undefined> = {
  decider: ledger,
  codec,
  streamId: () => BOUNDARY,
  loadContext: () => TE.right(undefined),
}

export interface HandlingContractHooks {
  readonly open: () => Promise<EventStore>
  /** `count` connections to one fresh store (the same instance repeated when the store cannot open others). */
  readonly writers: (count: number) => Promise<(index: number) => EventStore>
  readonly append: (store: EventStore, streamId: string, expected: ExpectedVersion, events: ReadonlyArray<NewEvent>) => Promise<E.Either<EventStoreError, AppendResult>>
}

const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left ${JSON.stringify(either.left, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`)
  return either.right
}

export const describeHandlingContract = ({ open, writers, append }: HandlingContractHooks): void => {
  describe('the schema layer on what this store gives back', () => {
    it('upcasts an event stored with an older schema version, and reports an undecodable one with its stream and version', async () => {
      const store = await open()
      right(await append(store, BOUNDARY, anyVersion, [
        newEvent({ type: 'CapitalAllocated', data: { sum: 70 }, metadata: { schemaVersion: 1 } }),
        newEvent({ type: 'CapitalAllocated', data: { amount: 30 }, metadata: { schemaVersion: 2 } }),
        newEvent({ type: 'CapitalReserved', data: { loanId: 'LN-1' }, metadata: { schemaVersion: 1 } }),
      ]))
      const stored = right(await store.readStream(BOUNDARY)())
      const decoded = stored.map(decodeRecorded(registry))
      expect(decoded.slice(0, 2).map((result) => E.map(({ event }: { readonly event: CapitalEvent }) => event)(result))).toStrictEqual([
        E.right({ type: 'CapitalAllocated', data: { amount: 70 } }),
        E.right({ type: 'CapitalAllocated', data: { amount: 30 } }),
      ])
      expect(stored[0]?.metadata.schemaVersion).toBe(1)
      expect(decoded[2]).toStrictEqual(
        E.left({ _tag: 'InvalidStoredEvent', streamId: BOUNDARY, version: 3n, position: stored[2]?.position, type: 'CapitalReserved', message: 'expected { loanId: string, amount: number }' }),
      )
    })
  })

  describe('command handling on this store', () => {
    it('concurrent commands on one boundary through separate connections never overdraw it; each success has its derived id, each failure is a rejection', async () => {
      const connection = await writers(4)
      right(await append(connection(0), BOUNDARY, anyVersion, [newEvent({ type: 'CapitalAllocated', data: { amount: 100 }, metadata: { schemaVersion: 2 } })]))
      const amounts = [30, 25, 20, 15, 10, 40, 5, 35, 12, 8]
      const commandId = (index: number) => `reserve-${index}`
      const results = await Promise.all(
        amounts.map((amount, index) =>
          // Each lost race means another command won, so as many attempts as commands always suffice.
          handleCommand(connection(index), reservations, { maxAttempts: amounts.length })({
            commandId: commandId(index),
            command: { loanId: `LN-${index}`, amount },
            occurredOn: '2025-03-14',
          })(),
        ),
      )
      const stored = right(await connection(0).readStream(BOUNDARY)())
      expect(stored.map((event) => event.version)).toStrictEqual(stored.map((_, index) => BigInt(index + 1)))
      const reserved = stored.slice(1).map((recorded) => ({ recorded, event: right(codec.decode(recorded)) }))
      const total = reserved.reduce((sum, { event }) => sum + event.data.amount, 0)
      expect(total).toBeLessThanOrEqual(100)
      const succeeded = amounts.flatMap((_, index) => (E.isRight(results[index] ?? E.left(undefined)) ? [index] : []))
      expect(reserved.map(({ recorded }) => recorded.eventId).sort()).toStrictEqual(succeeded.map((index) => deterministicEventId(commandId(index), BOUNDARY, 0)).sort())
      for (const { recorded } of reserved) {
        const index = succeeded.find((candidate) => recorded.eventId === deterministicEventId(commandId(candidate), BOUNDARY, 0))
        expect(recorded.metadata).toMatchObject({ causationId: commandId(index ?? -1), correlationId: commandId(index ?? -1), occurredOn: '2025-03-14' })
      }
      results.forEach((result, index) => {
        // Capital only goes down, so a refused amount is above what is left at the end too.
        if (E.isLeft(result)) expect(result.left).toMatchObject({ _tag: 'Rejected', rejection: { _tag: 'InsufficientCapital', requested: amounts[index] } })
        if (E.isLeft(result)) expect(amounts[index]).toBeGreaterThan(100 - total)
      })

      const [first] = succeeded
      expect(first).toBeDefined()
      const repeated = right(
        await handleCommand(connection(1), reservations)({ commandId: commandId(first ?? 0), command: { loanId: `LN-${first}`, amount: amounts[first ?? 0] ?? 0 }, occurredOn: '2025-03-14' })(),
      )
      expect(repeated).toStrictEqual({ ...right(results[first ?? 0] ?? E.left(undefined)), alreadyHandled: true })
      // Appends nothing: the boundary holds the same events (a head position may show late on some stores).
      expect(right(await connection(1).readStream(BOUNDARY)())).toStrictEqual(stored)
    })

    it('gives up after the bounded number of attempts, appending nothing, when every append loses the race', async () => {
      const store = await open()
      right(await append(store, BOUNDARY, anyVersion, [newEvent({ type: 'CapitalAllocated', data: { amount: 100 }, metadata: { schemaVersion: 2 } })]))
      let attempts = 0
      // Another writer slips an event in after every read, so the version the handler read is always stale.
      const raced: EventStore = {
        readStream: (streamId, options) => store.readStream(streamId, options),
        readAll: (options) => store.readAll(options),
        subscribeToAll: (options) => store.subscribeToAll(options),
        headPosition: () => store.headPosition(),
        close: () => store.close(),
        appendToStream: (streamId, expected, events) => async () => {
          attempts++
          if (expected._tag === 'Exactly') await store.appendToStream(streamId, exactly(expected.version), [newEvent({ type: 'CapitalAllocated', data: { amount: 1 }, metadata: { schemaVersion: 2 } })])()
          return store.appendToStream(streamId, expected, events)()
        },
      }
      const result = await handleCommand(raced, reservations, { maxAttempts: 3 })({ commandId: 'reserve-raced', command: { loanId: 'LN-1', amount: 10 }, occurredOn: '2025-03-14' })()
      expect(result).toMatchObject(E.left({ _tag: 'ConcurrencyRetriesExhausted', attempts: 3, conflict: { _tag: 'WrongExpectedVersion', streamId: BOUNDARY } }))
      expect(attempts).toBe(3)
      expect(right(await store.readStream(BOUNDARY)()).map((event) => event.type)).toStrictEqual(['CapitalAllocated', 'CapitalAllocated', 'CapitalAllocated', 'CapitalAllocated'])
    })
  })
}
