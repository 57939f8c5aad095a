/**
 * What the contract cannot see: how events sit in EventStoreDB (ids, metadata names), that appends
 * always carry an exact expected revision, that EventStoreDB's own events stay out, and that a live
 * subscription survives a dropped connection. Real client, real gRPC, the protocol double.
 */
import { EventStoreDBClient } from '@eventstore/db-client'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { anyVersion, exactly, noStream, streamExists, type EventStore, type SubscriptionMessage } from '@policy-credit/event-store'
import { collect, expectLeft, expectRight, newEvent, waitUntil } from '@policy-credit/event-store/testing'
import type { EventStoreDbAppendOptions, EventStoreDbClient } from '../src/client.ts'
import { eventStoreDbEventStore, type EventStoreDbEventStoreOptions } from '../src/index.ts'
import { startEventStoreDbProtocolDouble, type EventStoreDbProtocolDouble } from '../src/testing/index.ts'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const startDouble = async (): Promise<EventStoreDbProtocolDouble> => {
  const double = await startEventStoreDbProtocolDouble()
  cleanups.push(() => double.close())
  return double
}

const connect = (double: EventStoreDbProtocolDouble): EventStoreDBClient => {
  const client = EventStoreDBClient.connectionString(double.connectionString)
  cleanups.push(() => client.dispose())
  return client
}

const storeOn = (client: EventStoreDbClient, options: Partial<EventStoreDbEventStoreOptions> = {}): EventStore => {
  const store = expectRight(eventStoreDbEventStore({ client, ...options } as EventStoreDbEventStoreOptions))
  cleanups.push(() => store.close())
  return store
}

const eventIds = (messages: ReadonlyArray<SubscriptionMessage>): ReadonlyArray<string> =>
  messages.flatMap((message) => (message._tag === 'Event' ? [message.event.eventId] : []))

describe('how events sit in EventStoreDB', () => {
  it("uses our event id as EventStoreDB's, and EventStoreDB's metadata names for correlation and causation", async () => {
    const client = connect(await startDouble())
    const store = storeOn(client)
    const event = newEvent({ metadata: { correlationId: 'command-1', causationId: 'event-0', actor: 'officer-7' } })
    expectRight(await store.appendToStream('loan-1', noStream, [event])())
    const raw = []
    for await (const resolved of client.readStream('loan-1')) raw.push(resolved.event)
    expect(raw).toHaveLength(1)
    expect(raw[0]).toMatchObject({ id: event.eventId, revision: 0n, type: event.type, data: event.data, isJson: true })
    expect(raw[0]?.metadata).toMatchObject({ $correlationId: 'command-1', $causationId: 'event-0', actor: 'officer-7', occurredOn: '2025-03-14', schemaVersion: 1 })
  })

  it('appends with an exact expected revision whatever the expected version, so that a repeat is always recognised', async () => {
    const client = connect(await startDouble())
    const sent: Array<EventStoreDbAppendOptions> = []
    const recording: EventStoreDbClient = {
      appendToStream: (streamName, events, options) => {
        sent.push(options)
        return client.appendToStream(streamName, events, options)
      },
      readStream: (streamName, options) => client.readStream(streamName, options),
      readAll: (options) => client.readAll(options),
      subscribeToAll: (options) => client.subscribeToAll(options),
      dispose: () => client.dispose(),
    }
    const store = storeOn(recording)
    expectRight(await store.appendToStream('loan-1', anyVersion, [newEvent()])())
    expectRight(await store.appendToStream('loan-1', streamExists, [newEvent()])())
    expectRight(await store.appendToStream('loan-1', anyVersion, [newEvent()])())
    expectRight(await store.appendToStream('loan-1', exactly(3n), [newEvent()])())
    expect(sent.map((options) => options.expectedRevision)).toStrictEqual(['no_stream', 0n, 1n, 2n])
    expect(sent.every((options) => options.streamState === options.expectedRevision)).toBe(true)
  })

  it('refuses an event in one of our streams that another tool wrote without our metadata', async () => {
    const client = connect(await startDouble())
    const store = storeOn(client)
    await client.appendToStream('loan-1', [{ id: crypto.randomUUID(), contentType: 'application/json', type: 'Imported', data: {}, metadata: undefined }])
    expect(expectLeft(await store.readStream('loan-1')())).toMatchObject({ _tag: 'InvalidStoredEvent', streamId: 'loan-1', version: 1n, type: 'Imported' })
  })
})

describe("EventStoreDB's own events", () => {
  it('are neither read, nor delivered, nor the head', async () => {
    const double = await startDouble()
    const store = storeOn(connect(double))
    const first = newEvent()
    const last = newEvent()
    expectRight(await store.appendToStream('loan-1', noStream, [first])())
    double.appendSystemEvent()
    const appended = expectRight(await store.appendToStream('loan-1', exactly(1n), [last])())
    double.appendSystemEvent()
    expect(expectRight(await store.readAll({ maxCount: 10 })()).events.map((event) => event.eventId)).toStrictEqual([first.eventId, last.eventId])
    expect(expectRight(await store.headPosition()())).toBe(appended.position)
    const subscription = store.subscribeToAll()
    const messages = collect(subscription)
    double.appendSystemEvent()
    const live = newEvent()
    expectRight(await store.appendToStream('loan-2', noStream, [live])())
    await waitUntil(() => eventIds(messages.messages).length === 3)
    await subscription.close()
    await messages.ended
    expect(eventIds(messages.messages)).toStrictEqual([first.eventId, last.eventId, live.eventId])
  })
})

describe('a live subscription', () => {
  it('resubscribes from its last position after the connection drops, delivering every event once and in order', async () => {
    const double = await startDouble()
    const store = storeOn(connect(double), { reconnect: { initialDelayMilliseconds: 10, maximumAttempts: 50 } })
    const before = [newEvent(), newEvent()]
    expectRight(await store.appendToStream('loan-1', noStream, before)())
    const subscription = store.subscribeToAll()
    const messages = collect(subscription)
    await waitUntil(() => messages.messages.some((message) => message._tag === 'CaughtUp') && double.openSubscriptions() === 1)
    double.dropConnections()
    const after = [newEvent(), newEvent()]
    // The client reconnects its channel on the first call after the drop; retry until it is back.
    await waitUntil(() => double.openSubscriptions() === 1)
    for (const event of after) {
      let appended = await store.appendToStream('loan-1', anyVersion, [event])()
      while (E.isLeft(appended) && appended.left._tag === 'EventStoreUnavailable') appended = await store.appendToStream('loan-1', anyVersion, [event])()
      expectRight(appended)
    }
    await waitUntil(() => eventIds(messages.messages).length === 4)
    await subscription.close()
    await messages.ended
    expect(eventIds(messages.messages)).toStrictEqual([...before, ...after].map((event) => event.eventId))
    expect(messages.messages.filter((message) => message._tag === 'Failed')).toStrictEqual([])
  })

  it('reports Failed, unavailable, once the server stays away past the last attempt', async () => {
    const double = await startDouble()
    const store = storeOn(connect(double), { reconnect: { initialDelayMilliseconds: 5, maximumDelayMilliseconds: 20, maximumAttempts: 3 } })
    const subscription = store.subscribeToAll()
    const messages = collect(subscription)
    await waitUntil(() => messages.messages.some((message) => message._tag === 'CaughtUp'))
    await double.close()
    await messages.ended
    expect(messages.messages.at(-1)).toMatchObject({ _tag: 'Failed', error: { _tag: 'EventStoreUnavailable' } })
  })
})

describe('building the store', () => {
  it('from an esdb:// connection string', async () => {
    const double = await startDouble()
    const store = expectRight(eventStoreDbEventStore({ connectionString: double.connectionString }))
    cleanups.push(() => store.close())
    expect(expectRight(await store.appendToStream('loan-1', noStream, [newEvent()])()).nextExpectedVersion).toBe(1n)
  })

  it('refuses a malformed connection string, and a namespace in EventStoreDB’s own `$` space', () => {
    expect(expectLeft(eventStoreDbEventStore({ connectionString: 'postgres://localhost/db' }))._tag).toBe('InvalidRequest')
    expect(expectLeft(eventStoreDbEventStore({ connectionString: 'esdb://localhost:2113?tls=false', streamNamespace: '$tenant-' }))._tag).toBe('InvalidRequest')
  })
})
