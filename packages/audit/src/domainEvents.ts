/**
 * The event-store schema layer for what the audit reads: every domain event of the core's registry
 * (`eventCodecs`, decoded with `decodeDomainEvent`), plus the audit's own `AuditSealed`. A stored event
 * that fails to decode comes back as the store's `InvalidStoredEvent`, with the fields that failed.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { decodeDomainEvent, eventCodecs, type DomainEvent } from '@policy-credit/core'
import { describeDecodeFailure } from './decodeFailure.ts'
import { decodeRecorded, eventSchemaRegistry, type DecodedEvent, type EventSchema, type EventSchemaFor, type InvalidStoredEvent, type RecordedEvent } from '@policy-credit/event-store'
import { auditSealedSchema, type AuditEvent } from './sealEvents.ts'

/** The schema of one domain event type; the core has one version of each so far. */
const domainEventSchema = (type: DomainEvent['type']): EventSchema<DomainEvent> => ({
  type,
  currentVersion: 1,
  decode: (encoded) =>
    pipe(
      decodeDomainEvent(encoded),
      E.mapLeft(describeDecodeFailure),
      E.filterOrElse(
        (event) => event.type === type,
        () => `decoded as another type than ${type}`,
      ),
    ),
  encode: (event) => eventCodecs[event.type].encode(event as never) as { readonly type: string; readonly data: unknown },
})

export type AuditedEvent = DomainEvent | AuditEvent

/** Every event type an audit reads: the domain's and `AuditSealed`. Also the append validator a store sealed by `sealLog` needs. */
export const auditedEventRegistry = eventSchemaRegistry<AuditedEvent>([
  ...(Object.keys(eventCodecs) as ReadonlyArray<DomainEvent['type']>).map((type) => domainEventSchema(type) as EventSchemaFor<AuditedEvent>),
  auditSealedSchema as EventSchemaFor<AuditedEvent>,
])

export const decodeAudited: (recorded: RecordedEvent) => E.Either<InvalidStoredEvent, DecodedEvent<AuditedEvent>> = decodeRecorded(auditedEventRegistry)
