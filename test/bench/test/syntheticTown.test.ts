import { createHash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createApplication, executeAll } from '@policy-credit/application'
import { inMemoryEventStore, type NewEvent } from '@policy-credit/event-store'
import { domainValidator, townCommands, townStreams, type TownSize } from '../src/syntheticTown.ts'

const small: TownSize = { households: 100, communes: 4, reviews: 5, loanShare: 0.3, seed: 7 }

/** A digest of every stream's events in order: equal digests, equal towns. */
const digestOf = (size: TownSize): string => {
  const hash = createHash('sha256')
  for (const { streamId, events } of townStreams(size)) hash.update(JSON.stringify([streamId, events]))
  return hash.digest('hex')
}

const comparable = ({ eventId, type, data, metadata }: NewEvent) => ({ eventId, type, data, metadata })

describe('the synthetic town', () => {
  it('is the same town for the same seed, and another for another seed', () => {
    expect(digestOf(small)).toBe(digestOf(small))
    expect(digestOf({ ...small, seed: 8 })).not.toBe(digestOf(small))
  })

  it('holds only events the domain registry accepts, each stream once, with about 20 events per household', () => {
    const streams = new Set<string>()
    let events = 0
    const refusals: Array<string> = []
    for (const { streamId, events: streamEvents } of townStreams(small)) {
      expect(streams.has(streamId)).toBe(false)
      streams.add(streamId)
      for (const event of streamEvents) {
        events++
        const refusal = domainValidator(streamId, event)
        if (refusal !== undefined) refusals.push(`${streamId} ${event.type}: ${refusal}`)
      }
    }
    expect(refusals).toEqual([])
    // Per household: registration, 5 × (assessment, recognition), some exits; 30 % borrow: 6 events and up to 36 repayments.
    expect(events).toBeGreaterThan(15 * small.households)
    expect(events).toBeLessThan(30 * small.households)
  })

  it('is what command handling appends for the same town as commands', async () => {
    const tiny: TownSize = { households: 24, communes: 2, reviews: 3, loanShare: 0.5, seed: 3 }
    const store = inMemoryEventStore({ validate: domainValidator })
    const summary = await executeAll(createApplication({ store }), townCommands(tiny))()
    expect(summary).toMatchObject({ refused: 0, alreadyHandled: 0 })
    expect(summary.stoppedBy).toBeUndefined()
    let generated = 0
    for (const { streamId, events } of townStreams(tiny)) {
      generated += events.length
      const stored = await store.readStream(streamId)()
      expect(E.isRight(stored) ? stored.right.map(({ eventId, type, data, metadata: { recordedAt: _, ...metadata } }) => ({ eventId, type, data, metadata })) : stored).toEqual(
        events.map(comparable),
      )
    }
    expect(generated).toBe(summary.eventsAppended)
  })
})
