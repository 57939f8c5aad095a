/**
 * A projection with no domain: how many events of each type the store holds. It follows every event,
 * so it is the job's smoke test against any store (and what the end-to-end tests fold to compare), and
 * it gives an operator a cheap census of the log.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Projection } from '@policy-credit/projections'

export interface EventTypeCount {
  readonly events: number
}

export const eventTypeDocumentId = (type: string): string => `type:${type}`

export const eventsByTypeProjection: Projection<EventTypeCount, string> = {
  name: 'events-by-type',
  version: 1,
  filter: {},
  decode: (recorded) => E.right(recorded.type),
  documentIds: (type) => [eventTypeDocumentId(type)],
  init: () => ({ events: 0 }),
  apply: (document) => ({ events: document.events + 1 }),
  documentCodec: {
    encode: (document) => ({ events: document.events }),
    decode: (json) => {
      const events = (json as { readonly events?: unknown } | null)?.events
      return typeof events === 'number' && Number.isSafeInteger(events) && events >= 0 ? E.right({ events }) : E.left(`not an event count: ${JSON.stringify(json)}`)
    },
  },
}
