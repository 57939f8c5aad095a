/** Fills an event store with many events, so that the job needs many batches to catch up. */
import { newEvent } from '@policy-credit/event-store/testing'
import type { EventStore, NewEvent } from '@policy-credit/event-store'
import { right } from './database.ts'

const TYPES = ['Deposited', 'Withdrawn', 'Noted', 'Reviewed', 'Closed'] as const

/** Events of a few types in `streams` streams, appended stream by stream so that streams interleave in the global order. */
export const seedEvents = async (store: Pick<EventStore, 'appendToStream'>, streams: number, eventsPerStream: number): Promise<number> => {
  for (let round = 0; round < eventsPerStream; round += 10) {
    await Promise.all(
      Array.from({ length: streams }, async (_, stream) => {
        const events: Array<NewEvent> = Array.from({ length: Math.min(10, eventsPerStream - round) }, (_, index) =>
          newEvent({ type: TYPES[(stream * 7 + round + index) % TYPES.length] ?? 'Noted', data: { stream, index: round + index } }),
        )
        right(await store.appendToStream(`account-${stream}`, { _tag: 'Any' }, events)())
      }),
    )
  }
  return streams * eventsPerStream
}
