/**
 * A projection that reveals a double application: one document per event, counting how many times
 * the event was applied. Any document with a count above one is an event applied twice.
 */
import * as E from 'fp-ts/lib/Either.js'
import { countDocumentCodec } from '../../src/index.ts'
import type { RecordedEvent } from '@policy-credit/event-store'
import type { Projection } from '@policy-credit/projections'

export type EventApplications = Readonly<Record<'applications', number>>

export const eventApplicationsId = (eventId: string): string => `event:${eventId}`

export const eventApplicationsProjection: Projection<EventApplications, RecordedEvent> = {
  name: 'event-applications',
  version: 1,
  filter: {},
  decode: (recorded) => E.right(recorded),
  documentIds: (recorded) => [eventApplicationsId(recorded.eventId)],
  init: () => ({ applications: 0 }),
  apply: (document) => ({ applications: document.applications + 1 }),
  documentCodec: countDocumentCodec('applications'),
}
