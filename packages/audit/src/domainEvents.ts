/**
 * The event-store schema layer for what the audit reads: every domain event (the application's
 * `domainEventSchemas`), plus the audit's own `AuditSealed`. A stored event that fails to decode comes
 * back as the store's `InvalidStoredEvent`, with the fields that failed.
 */
import type * as E from 'fp-ts/lib/Either.js'
import { domainEventSchemas } from '@policy-credit/application'
import type { DomainEvent } from '@policy-credit/core'
import { decodeRecorded, eventSchemaRegistry, type DecodedEvent, type EventSchemaFor, type InvalidStoredEvent, type RecordedEvent } from '@policy-credit/event-store'
import { auditSealedSchema, type AuditEvent } from './sealEvents.ts'

export type AuditedEvent = DomainEvent | AuditEvent

/** Every event type an audit reads: the domain's and `AuditSealed`. Also the append validator a store sealed by `sealLog` needs. */
export const auditedEventRegistry = eventSchemaRegistry<AuditedEvent>([
  ...domainEventSchemas.map((schema) => schema as EventSchemaFor<AuditedEvent>),
  auditSealedSchema as EventSchemaFor<AuditedEvent>,
])

export const decodeAudited: (recorded: RecordedEvent) => E.Either<InvalidStoredEvent, DecodedEvent<AuditedEvent>> = decodeRecorded(auditedEventRegistry)
