/**
 * A projection with no domain: how many events of each type the store holds. It follows every event,
 * so it is the job's smoke test against any store (and what the end-to-end tests fold to compare), and
 * it gives an operator a cheap census of the log.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { DocumentCodec, Projection } from '@policy-credit/projections'

export type EventTypeCount = Readonly<Record<'events', number>>

/** A document that is one count under `key`, e.g. `{ "events": 12 }`. */
export const countDocumentCodec = <Key extends string>(key: Key): DocumentCodec<Readonly<Record<Key, number>>> => ({
  encode: (document) => ({ [key]: document[key] }),
  decode: (json) => {
    const count = typeof json === 'object' && json !== null ? (json as Readonly<Record<string, unknown>>)[key] : undefined
    return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0
      ? E.right({ [key]: count } as Readonly<Record<Key, number>>)
      : E.left(`not a count of ${key}: ${JSON.stringify(json)}`)
  },
})

export const eventTypeDocumentId = (type: string): string => `type:${type}`

export const eventsByTypeProjection: Projection<EventTypeCount, string> = {
  name: 'events-by-type',
  version: 1,
  filter: {},
  decode: (recorded) => E.right(recorded.type),
  documentIds: (type) => [eventTypeDocumentId(type)],
  init: () => ({ events: 0 }),
  apply: (document) => ({ events: document.events + 1 }),
  documentCodec: countDocumentCodec('events'),
}
