/**
 * The clients report `caughtUp` and checkpoints at once, while events that precede them may still
 * sit in the Readable's buffer; the ordered reader must hand them out in the server's order.
 */
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { EventStoreDbClient, EventStoreDbPosition, EventStoreDbSubscribeToAllOptions, EventStoreDbSubscription } from '../src/client.ts'
import { openOrderedSubscription, type OrderedMessage } from '../src/orderedSubscription.ts'

interface FakeServer {
  readonly client: EventStoreDbClient
  readonly sendEvent: (type: string) => void
  readonly sendCaughtUp: () => void
  readonly sendCheckpoint: (position: EventStoreDbPosition) => void
  readonly fail: (error: Error) => void
  readonly unsubscribed: () => boolean
}

/** A subscription that buffers events like the clients' Transform and reports notifications at once. */
const fakeServer = (): FakeServer => {
  let checkpointReached: ((subscription: unknown, position: EventStoreDbPosition) => void) | undefined
  let unsubscribed = false
  const readable = new Readable({ objectMode: true, read: () => undefined })
  const subscription = Object.assign(readable, {
    unsubscribe: async () => {
      unsubscribed = true
      readable.destroy()
    },
  }) as unknown as EventStoreDbSubscription
  const unused = (): never => {
    throw new Error('not used by the ordered reader')
  }
  const client: EventStoreDbClient = {
    appendToStream: unused,
    readStream: unused,
    readAll: unused,
    dispose: unused,
    subscribeToAll: (options: EventStoreDbSubscribeToAllOptions) => {
      checkpointReached = options.filter.checkpointReached
      return subscription
    },
  }
  return {
    client,
    sendEvent: (type) => readable.push({ event: { type } }),
    sendCaughtUp: () => readable.emit('caughtUp'),
    sendCheckpoint: (position) => checkpointReached?.(subscription, position),
    fail: (error) => readable.destroy(error),
    unsubscribed: () => unsubscribed,
  }
}

const open = (server: FakeServer) =>
  openOrderedSubscription(server.client, { fromPosition: 'start', filter: { filterOn: 'eventType', regex: '^[^$]', checkpointInterval: 1 } })

const describeMessage = (message: OrderedMessage): string =>
  message._tag === 'Event' ? `Event ${(message.resolved.event as unknown as { type: string }).type}` : message._tag

const take = async (subscription: ReturnType<typeof open>, count: number): Promise<ReadonlyArray<string>> => {
  const taken: Array<string> = []
  for (let index = 0; index < count; index++) taken.push(describeMessage(await subscription.next()))
  return taken
}

describe('reading a client subscription in the server order', () => {
  it('hands out caughtUp only after the events buffered before it', async () => {
    const server = fakeServer()
    const subscription = open(server)
    server.sendEvent('A')
    server.sendEvent('B')
    server.sendCaughtUp()
    server.sendEvent('C')
    expect(await take(subscription, 4)).toStrictEqual(['Event A', 'Event B', 'CaughtUp', 'Event C'])
    await subscription.close()
  })

  it('hands out a checkpoint after the events that precede it, even when some were already read', async () => {
    const server = fakeServer()
    const subscription = open(server)
    server.sendEvent('A')
    expect(await take(subscription, 1)).toStrictEqual(['Event A'])
    server.sendEvent('B')
    server.sendCheckpoint({ commit: 7n, prepare: 7n })
    server.sendEvent('C')
    expect(await take(subscription, 3)).toStrictEqual(['Event B', 'Checkpoint', 'Event C'])
    await subscription.close()
  })

  it('waits for what comes later, and reports a failure as a drop', async () => {
    const server = fakeServer()
    const subscription = open(server)
    const next = subscription.next()
    setTimeout(() => server.sendEvent('A'), 10)
    expect(describeMessage(await next)).toBe('Event A')
    const dropped = subscription.next()
    server.fail(new Error('connection reset'))
    expect(await dropped).toMatchObject({ _tag: 'Dropped' })
    await subscription.close()
  })

  it('answers Closed after close, and unsubscribes from the server', async () => {
    const server = fakeServer()
    const subscription = open(server)
    const pending = subscription.next()
    await subscription.close()
    expect(await pending).toStrictEqual({ _tag: 'Closed' })
    expect(server.unsubscribed()).toBe(true)
  })
})
