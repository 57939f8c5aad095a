import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { eventCodecs, type DomainEvent } from '@policy-credit/core'
import { loanLifecycle } from '@policy-credit/core/testing'
import { eventSchemaRegistry, inMemoryEventStore, noStream, validateWith, type EventSchemaFor } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import { domainEventCodec, domainEventSchemas, domainEventValidator, householdEventCodec, loanEventCodec } from '@policy-credit/application'

describe('the domain events as the store keeps them', () => {
  test.prop([loanLifecycle(10)], { numRuns: 30 })('every event a loan decider makes is appended, read back and decoded unchanged', async (lifecycle) => {
    fc.pre(lifecycle.events.length > 0)
    const store = inMemoryEventStore({ validate: domainEventValidator })
    const appended = await store.appendToStream(
      'loan-1',
      noStream,
      lifecycle.events.map((event) => {
        const { type, data, schemaVersion } = loanEventCodec.encode(event)
        return newEvent({ type, data, metadata: { schemaVersion } })
      }),
    )()
    expect(E.isRight(appended)).toBe(true)
    const read = await store.readStream('loan-1')()
    if (E.isLeft(read)) return expect.fail(read.left._tag)
    expect(read.right.map((recorded) => loanEventCodec.decode(recorded))).toStrictEqual(lifecycle.events.map((event) => E.right(event)))
    expect(read.right.map((recorded) => domainEventCodec.decode(recorded))).toStrictEqual(lifecycle.events.map((event) => E.right(event)))
  })

  it('the validator refuses an unknown type and data that does not decode, naming the bad field', () => {
    expect(domainEventValidator('loan-1', newEvent({ type: 'LoanForgiven', data: {} }))).toMatch(/unknown event type LoanForgiven/)
    const badClose = newEvent({ type: 'LoanClosed', data: { loanId: 'LN-1' }, metadata: { schemaVersion: 1 } })
    expect(domainEventValidator('loan-1', badClose)).toMatch(/data does not decode as LoanClosed: .*data\.closedOn/)
  })

  it('an aggregate’s codec refuses another aggregate’s event in its stream', async () => {
    const store = inMemoryEventStore()
    const { type, data, schemaVersion } = domainEventCodec.encode({
      type: 'CommuneJoinedTown',
      data: { communeId: 'XA-1', townId: 'TX-1', joinedOn: '2020-01-01' },
    } as Parameters<typeof domainEventCodec.encode>[0])
    await store.appendToStream('household-H1', noStream, [newEvent({ type, data, metadata: { schemaVersion } })])()
    const read = await store.readStream('household-H1')()
    if (E.isLeft(read)) return expect.fail(read.left._tag)
    expect(householdEventCodec.decode(read.right[0] as (typeof read.right)[number])).toMatchObject(E.left({ _tag: 'InvalidStoredEvent', type: 'CommuneJoinedTown' }))
  })

  it('the schemas cover every event type of the core once, and compose with other registries', () => {
    expect(domainEventSchemas.map((schema) => schema.type).sort()).toStrictEqual(Object.keys(eventCodecs).sort())
    type Sealed = { readonly type: 'AuditSealed'; readonly data: unknown }
    const sealed: EventSchemaFor<Sealed> = { type: 'AuditSealed', currentVersion: 1, decode: ({ data }) => E.right({ type: 'AuditSealed', data }), encode: (event) => event }
    const extended = validateWith(eventSchemaRegistry<DomainEvent | Sealed>([...domainEventSchemas, sealed]))
    expect(extended('log', newEvent({ type: 'AuditSealed', data: {}, metadata: { schemaVersion: 1 } }))).toBeUndefined()
  })
})
