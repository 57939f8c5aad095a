import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  anyVersion,
  decodeRecorded,
  eventCodec,
  eventSchemaRegistry,
  inMemoryEventStore,
  type RecordedEvent,
  validateWith,
} from '@policy-credit/event-store'
import { expectLeft, expectRight, newEvent } from '@policy-credit/event-store/testing'

type LoanApproved = { readonly type: 'LoanApproved'; readonly data: { readonly loanId: string; readonly amount: bigint } }
type LoanClosed = { readonly type: 'LoanClosed'; readonly data: { readonly loanId: string } }
type LoanEvent = LoanApproved | LoanClosed

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const DECIMAL = /^(0|[1-9][0-9]*)$/

const registry = eventSchemaRegistry<LoanEvent>([
  {
    type: 'LoanApproved',
    // Version 1 stored the amount as a JSON number (lossy past 2^53); version 2 as a decimal string.
    currentVersion: 2,
    decode: ({ data }) =>
      isRecord(data) && typeof data['loanId'] === 'string' && typeof data['amount'] === 'string' && DECIMAL.test(data['amount'])
        ? E.right({ type: 'LoanApproved', data: { loanId: data['loanId'], amount: BigInt(data['amount']) } })
        : E.left('expected { loanId: string, amount: decimal string }'),
    encode: (event) => ({ type: event.type, data: { loanId: event.data.loanId, amount: event.data.amount.toString() } }),
    upcasters: {
      1: (data) =>
        isRecord(data) && typeof data['amount'] === 'number' ? E.right({ ...data, amount: String(data['amount']) }) : E.left('expected a numeric amount'),
    },
  },
  {
    type: 'LoanClosed',
    currentVersion: 1,
    decode: ({ data }) => (isRecord(data) && typeof data['loanId'] === 'string' ? E.right({ type: 'LoanClosed', data: { loanId: data['loanId'] } }) : E.left('expected { loanId: string }')),
    encode: (event) => event,
  },
])

const recorded = (type: string, data: unknown, schemaVersion: number): RecordedEvent => ({
  ...newEvent({ type, data, metadata: { schemaVersion } }),
  streamId: 'loan-1',
  version: 3n,
  position: '00000000000000000007' as RecordedEvent['position'],
  metadata: { occurredOn: '2025-01-02', schemaVersion, recordedAt: '2025-01-02T01:00:00.000Z' },
})

describe('schema registry', () => {
  it('decodes an event written with the current schema version', () => {
    const stored = recorded('LoanApproved', { loanId: 'LN-1', amount: '90000000000000001' }, 2)
    expect(decodeRecorded(registry)(stored)).toStrictEqual(E.right({ event: { type: 'LoanApproved', data: { loanId: 'LN-1', amount: 90000000000000001n } }, recorded: stored }))
  })

  it('upcasts an event written with an older schema version', () => {
    const stored = recorded('LoanApproved', { loanId: 'LN-1', amount: 30000000 }, 1)
    expect(expectRight(decodeRecorded(registry)(stored)).event).toStrictEqual({ type: 'LoanApproved', data: { loanId: 'LN-1', amount: 30000000n } })
  })

  it.each([
    ['data that does not decode', recorded('LoanApproved', { loanId: 'LN-1', amount: '12.5' }, 2), 'expected { loanId'],
    ['old data the upcaster refuses', recorded('LoanApproved', { loanId: 'LN-1', amount: 'x' }, 1), 'upcasting from schema version 1: expected a numeric amount'],
    ['an upcaster that throws on unexpected data', recorded('LoanApproved', null, 1), 'upcasting from schema version 1'],
    ['a schema version newer than the code', recorded('LoanApproved', { loanId: 'LN-1', amount: '1' }, 3), 'newer than the current version 2'],
    ['an unknown type', recorded('LoanForgiven', {}, 1), 'unknown event type LoanForgiven'],
    ['a version with no upcaster', recorded('LoanClosed', { loanId: 'LN-1' }, 0), 'no upcaster'],
  ])('reports %s as InvalidStoredEvent without throwing', (_, stored, message) => {
    expect(expectLeft(decodeRecorded(registry)(stored))).toStrictEqual({
      _tag: 'InvalidStoredEvent',
      streamId: 'loan-1',
      version: 3n,
      position: stored.position,
      type: stored.type,
      message: expect.stringContaining(message),
    })
  })

  it('refuses two schemas for one event type', () => {
    const closed = registry.schemas.get('LoanClosed')
    expect(() => eventSchemaRegistry<LoanEvent>([closed as never, closed as never])).toThrow(/two schemas/)
  })
})

describe('validateWith, as a store validate hook', () => {
  const validate = validateWith(registry)

  it('accepts a known type at its current version with data that decodes', () => {
    expect(validate('loan-1', newEvent({ type: 'LoanApproved', data: { loanId: 'LN-1', amount: '5' }, metadata: { schemaVersion: 2 } }))).toBeUndefined()
  })

  it.each([
    ['an unknown type', newEvent({ type: 'LoanForgiven', data: {} }), 'unknown event type'],
    ['an old schema version', newEvent({ type: 'LoanApproved', data: { loanId: 'LN-1', amount: 5 }, metadata: { schemaVersion: 1 } }), 'not the current version 2'],
    ['data that does not decode', newEvent({ type: 'LoanApproved', data: { loanId: 'LN-1', amount: '-5' }, metadata: { schemaVersion: 2 } }), 'does not decode'],
  ])('refuses %s, and the store then writes nothing', async (_, event, message) => {
    expect(validate('loan-1', event)).toContain(message)
    const store = inMemoryEventStore({ validate })
    expect(expectLeft(await store.appendToStream('loan-1', anyVersion, [event])())).toMatchObject({ _tag: 'InvalidEvent', message: expect.stringContaining(message) })
    expect(expectRight(await store.headPosition()())).toBeUndefined()
  })
})

// fast-check 4 may build records with a null prototype; decoded events are plain objects.
const plain = { noNullPrototype: true } as const
const loanEvent: fc.Arbitrary<LoanEvent> = fc.oneof(
  fc.record(
    { type: fc.constant('LoanApproved' as const), data: fc.record({ loanId: fc.string(), amount: fc.bigInt({ min: 0n, max: 10n ** 20n }) }, plain) },
    plain,
  ),
  fc.record({ type: fc.constant('LoanClosed' as const), data: fc.record({ loanId: fc.string() }, plain) }, plain),
)

test.prop([fc.array(loanEvent, { minLength: 1, maxLength: 5 })])('encode, append, read and decode gives back the events', async (events) => {
  const codec = eventCodec(registry)
  const store = inMemoryEventStore({ validate: validateWith(registry) })
  const encoded = events.map((event) => codec.encode(event))
  expectRight(
    await store.appendToStream(
      'loan-1',
      anyVersion,
      encoded.map(({ type, data, schemaVersion }) => newEvent({ type, data, metadata: { schemaVersion } })),
    )(),
  )
  const stored = expectRight(await store.readStream('loan-1')())
  expect(stored.map((event) => expectRight(codec.decode(event)))).toStrictEqual(events)
})
