/**
 * The classic gap of SQL event stores: sequence numbers are taken in one order and committed in
 * another, so a reader that trusts the sequence passes an event still to commit and never sees it.
 * These tests hold appends open on purpose and check that readers wait for them instead.
 */
import { randomUUID } from 'node:crypto'
import { fc, it } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import pg from 'pg'
import type { Position, RecordedEvent, SubscriptionMessage } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import { encodePosition } from '../src/position.ts'
import { postgresEventStore } from '../src/index.ts'
import { appendEventsCall, connectionString, right, useDatabase } from './database.ts'

const database = useDatabase()

/** Starts an append through `append_events` on its own connection and leaves its transaction open. */
const openAppend = async (schema: string, streamId: string) => {
  const client = new pg.Client({ connectionString })
  await client.connect()
  await client.query('BEGIN')
  const event = newEvent({ type: 'AppendedSlowly' })
  const call = appendEventsCall(schema, streamId, event)
  const { rows } = await client.query<{ o_transaction_id: string; o_last_sequence: string }>(call.text, call.values)
  const row = rows[0]
  if (row === undefined) throw new Error('append_events returned nothing')
  return {
    eventId: event.eventId,
    position: encodePosition({ transactionId: row.o_transaction_id, sequence: row.o_last_sequence }),
    commit: async () => {
      await client.query('COMMIT')
      await client.end()
    },
  }
}

/** Collects a subscription's messages in the background. */
const collect = (messages: AsyncIterable<SubscriptionMessage>) => {
  const events: Array<RecordedEvent> = []
  const done = (async () => {
    for await (const message of messages) if (message._tag === 'Event') events.push(message.event)
  })()
  return { events, done }
}

const eventually = async (condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('global order under concurrent appends', () => {
  it('a reader never passes an event that commits late with a lower position, and sees both in order', async () => {
    const schema = database.schema()
    const store = right(await postgresEventStore({ connectionString, schema, lateCommitWaitMs: 50, pollIntervalMs: 50 })())
    try {
      const subscription = store.subscribeToAll()
      const seen = collect(subscription)

      const slow = await openAppend(schema, 'loan-slow')
      const fast = right(await store.appendToStream('loan-fast', { _tag: 'Any' }, [newEvent({ type: 'AppendedQuickly' })])())
      expect(slow.position < fast.position).toBe(true)

      // The fast append is committed, yet nobody may read it while the slow one could still commit before it.
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(seen.events).toStrictEqual([])
      const page = right(await store.readAll({ maxCount: 10 })())
      expect(page.events).toStrictEqual([])
      expect(page.isEnd).toBe(false)
      expect(page.checkpoint === undefined || page.checkpoint < slow.position).toBe(true)
      expect(right(await store.headPosition()())).toBeUndefined()

      await slow.commit()
      await eventually(() => seen.events.length === 2)
      expect(seen.events.map((event) => event.position)).toStrictEqual([slow.position, fast.position])
      expect(seen.events.map((event) => event.streamId)).toStrictEqual(['loan-slow', 'loan-fast'])
      await subscription.close()
      await seen.done
    } finally {
      await store.close()
    }
  })

  const writes = fc.array(fc.record({ stream: fc.constantFrom('loan-1', 'loan-2', 'household-1'), holdMs: fc.integer({ min: 0, max: 40 }) }), {
    minLength: 2,
    maxLength: 12,
  })

  it.prop([writes], { numRuns: 6 })(
    'a live subscriber receives every event exactly once, in increasing positions, whatever the commit order',
    async (plannedWrites) => {
      const schema = database.schema()
      const store = right(await postgresEventStore({ connectionString, schema, lateCommitWaitMs: 20, pollIntervalMs: 20 })())
      const writers = new pg.Pool({ connectionString, max: plannedWrites.length })
      try {
        const subscription = store.subscribeToAll()
        const seen = collect(subscription)
        const written = await Promise.all(
          plannedWrites.map(async ({ stream, holdMs }) => {
            const client = await writers.connect()
            const event = newEvent()
            try {
              await client.query('BEGIN')
              const call = appendEventsCall(schema, stream, event)
              await client.query(call.text, call.values)
              await client.query('SELECT pg_sleep($1)', [holdMs / 1000])
              await client.query('COMMIT')
            } finally {
              client.release()
            }
            return event.eventId
          }),
        )
        await eventually(() => seen.events.length >= written.length)
        await new Promise((resolve) => setTimeout(resolve, 50))
        expect(new Set(seen.events.map((event) => event.eventId))).toStrictEqual(new Set(written))
        expect(seen.events).toHaveLength(written.length)
        const positions: ReadonlyArray<Position> = seen.events.map((event) => event.position)
        expect(positions.every((position, index) => index === 0 || (positions[index - 1] ?? '') < position)).toBe(true)
        await subscription.close()
        await seen.done
      } finally {
        await writers.end()
        await store.close()
      }
    },
  )

  it('wakes a live subscriber by notification, long before its poll interval', async () => {
    const schema = database.schema()
    const store = right(await postgresEventStore({ connectionString, schema, pollIntervalMs: 60_000 })())
    const writer = right(await postgresEventStore({ connectionString, schema })())
    try {
      const subscription = store.subscribeToAll()
      const messages = subscription[Symbol.asyncIterator]()
      expect((await messages.next()).value).toStrictEqual({ _tag: 'CaughtUp' })
      const started = Date.now()
      const appended = right(await writer.appendToStream('loan-1', { _tag: 'NoStream' }, [newEvent({ eventId: randomUUID() })])())
      const next = await messages.next()
      expect(next.value).toMatchObject({ _tag: 'Event', event: { position: appended.position } })
      expect(Date.now() - started).toBeLessThan(5_000)
      await subscription.close()
    } finally {
      await writer.close()
      await store.close()
    }
  })

  it('wakes a live subscriber by notification when the events are inserted by another client than the store', async () => {
    const schema = database.schema()
    const store = right(await postgresEventStore({ connectionString, schema, pollIntervalMs: 60_000 })())
    try {
      const subscription = store.subscribeToAll()
      const messages = subscription[Symbol.asyncIterator]()
      expect((await messages.next()).value).toStrictEqual({ _tag: 'CaughtUp' })
      const started = Date.now()
      const event = newEvent({ eventId: randomUUID() })
      const call = appendEventsCall(schema, 'loan-1', event)
      await database.pool.query(call.text, call.values)
      expect((await messages.next()).value).toMatchObject({ _tag: 'Event', event: { eventId: event.eventId } })
      expect(Date.now() - started).toBeLessThan(5_000)
      await subscription.close()
    } finally {
      await store.close()
    }
  })

  it('wakes a live subscriber for the last appends of a burst, which share one notification after the interval', async () => {
    const schema = database.schema()
    const store = right(await postgresEventStore({ connectionString, schema, pollIntervalMs: 60_000 })())
    const writer = right(await postgresEventStore({ connectionString, schema, notifyIntervalMs: 200 })())
    try {
      const subscription = store.subscribeToAll()
      const messages = subscription[Symbol.asyncIterator]()
      expect((await messages.next()).value).toStrictEqual({ _tag: 'CaughtUp' })
      const seen = collect({ [Symbol.asyncIterator]: () => messages })
      const appended = await Promise.all(
        Array.from({ length: 20 }, async (_, index) => right(await writer.appendToStream(`loan-${index}`, { _tag: 'NoStream' }, [newEvent()])()).position),
      )
      await eventually(() => seen.events.length === appended.length, 5_000)
      expect(seen.events.map((event) => event.position)).toStrictEqual([...appended].sort())
      await subscription.close()
      await seen.done
    } finally {
      await writer.close()
      await store.close()
    }
  })

  it("notifies the store's own appends after their commit, at most once per interval, and what is due when it closes", async () => {
    const schema = database.schema()
    const writer = right(await postgresEventStore({ connectionString, schema, notifyIntervalMs: 60_000 })())
    const listener = new pg.Client({ connectionString })
    await listener.connect()
    let notifications = 0
    listener.on('notification', () => notifications++)
    try {
      await listener.query(`LISTEN "${schema}.events"`)
      for (let index = 0; index < 5; index++) right(await writer.appendToStream('loan-1', { _tag: 'Any' }, [newEvent()])())
      right(await writer.appendMany([{ streamId: 'loan-2', expected: { _tag: 'Any' }, events: [newEvent()] }, { streamId: 'loan-3', expected: { _tag: 'Any' }, events: [newEvent()] }])())
      await eventually(() => notifications >= 1)
      await new Promise((resolve) => setTimeout(resolve, 200))
      // The first append's, at once; not one per insert (the trigger's), and the rest wait for the interval.
      expect(notifications).toBe(1)
      await writer.close()
      await eventually(() => notifications === 2)
    } finally {
      await listener.end()
      await writer.close()
    }
  })
})
