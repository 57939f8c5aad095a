/** What the tests compare: every document of a projection as stored, and as a clean fold of the log gives it. */
import * as E from 'fp-ts/lib/Either.js'
import { passesFilter, type EventStore, type Position, type RecordedEvent } from '@policy-credit/event-store'
import { foldProjection, projectionNamespace, type ReadModelStore, type StoredDocument } from '@policy-credit/projections'
import type { AnyProjection } from '../../src/index.ts'
import { right } from './database.ts'

/** The whole log, in the global order. */
export const readEverything = async (store: Pick<EventStore, 'readAll'>): Promise<ReadonlyArray<RecordedEvent>> => {
  const events: Array<RecordedEvent> = []
  let after: Position | undefined
  for (;;) {
    const page = right(await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: 1000 })())
    events.push(...page.events)
    after = page.checkpoint
    if (page.isEnd) return events
  }
}

export const storedDocuments = async (store: ReadModelStore, projection: AnyProjection): Promise<ReadonlyArray<StoredDocument>> =>
  right(await store.scanDocuments(projectionNamespace(projection), { _tag: 'All' })())

/** The documents a clean fold of `events` gives, encoded as the store keeps them, in id order. */
export const foldedDocuments = (projection: AnyProjection, events: ReadonlyArray<RecordedEvent>): ReadonlyArray<StoredDocument> => {
  const folded = foldProjection(projection, events)
  if (E.isLeft(folded)) throw new Error(`the fold failed: ${JSON.stringify(folded.left)}`)
  // Through JSON, as a store returns them: no undefined fields.
  return [...folded.right].map(([id, document]) => ({ id, document: JSON.parse(JSON.stringify(projection.documentCodec.encode(document))) as unknown }))
}

/** The events a projection follows up to and including `checkpoint` (none before the first commit). */
export const eventsUpTo = (projection: AnyProjection, events: ReadonlyArray<RecordedEvent>, checkpoint: Position | undefined): ReadonlyArray<RecordedEvent> =>
  checkpoint === undefined ? [] : events.filter((event) => event.position <= checkpoint && passesFilter(projection.filter, event))

export const eventsAfter = (projection: AnyProjection, events: ReadonlyArray<RecordedEvent>, checkpoint: Position | undefined): ReadonlyArray<RecordedEvent> =>
  events.filter((event) => (checkpoint === undefined || event.position > checkpoint) && passesFilter(projection.filter, event))
