/**
 * The domain's events as the event store keeps them: one schema per event type of the core's
 * registry (`eventCodecs`), all at schema version 1 until a codec changes and brings an upcaster.
 * The core knows no store and the store knows no domain; this is where the two meet. Give
 * `domainEventValidator` to a store (`validate`) so it refuses events that do not decode.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { describeFieldErrors, eventCatalogue, eventCodecs, fieldErrors, type AdministrativeUnit, type AggregateEvents, type Capital, type DomainEvent, type Household, type Inspection, type Loan, type Plan } from '@policy-credit/core'
import { eventCodec, eventSchemaRegistry, validateWith, type AppendValidator, type EventCodec, type EventSchemaFor } from '@policy-credit/event-store'

const CURRENT_SCHEMA_VERSION = 1

/** `LoanApproved: data.amount: expected Vnd, got 12.5`, as a store reports an event it refuses or cannot read. */
const describeErrors = (type: string, errors: t.Errors): string => `${type}: ${describeFieldErrors(fieldErrors(errors))}`

const schemaOf = <Event extends DomainEvent>(codec: t.Mixed): EventSchemaFor<Event> =>
  ({
    type: codec.name,
    currentVersion: CURRENT_SCHEMA_VERSION,
    // No pipe: a store runs this on every event it appends or reads.
    decode: (encoded: unknown) => {
      const decoded = codec.decode(encoded) as t.Validation<Event>
      return E.isRight(decoded) ? decoded : E.left(describeErrors(codec.name, decoded.left))
    },
    encode: (event: Event) => codec.encode(event) as { readonly type: string; readonly data: unknown },
  }) as unknown as EventSchemaFor<Event>

const registryOf = <Event extends DomainEvent>(codecs: Readonly<Record<string, t.Mixed>>) =>
  eventSchemaRegistry<Event>(Object.values(codecs).map((codec) => schemaOf<Event>(codec)))

/** Decodes only the events of one aggregate: another aggregate's event in its stream is an `InvalidStoredEvent`. */
const codecOf = <Event extends DomainEvent>(codecs: Readonly<Record<string, t.Mixed>>): EventCodec<Event> => eventCodec(registryOf<Event>(codecs))

/** One aggregate's entry in the core's event catalogue (its stream pattern and event codecs), by its title there. */
export const eventCatalogueEntry = (title: string): AggregateEvents => {
  const entry = eventCatalogue.find((candidate) => candidate.aggregate === title)
  if (entry === undefined) throw new Error(`the core's event catalogue has no aggregate ${title}`)
  return entry
}

const catalogued = (title: string): Readonly<Record<string, t.Mixed>> => eventCatalogueEntry(title).codecs

/**
 * One schema per domain event type, for a registry that holds more than the domain's events (the
 * audit's seals): `eventSchemaRegistry([...domainEventSchemas, ...others])`.
 */
export const domainEventSchemas: ReadonlyArray<EventSchemaFor<DomainEvent>> = Object.values(eventCodecs).map((codec) => schemaOf<DomainEvent>(codec))

const domainEventRegistry = eventSchemaRegistry<DomainEvent>(domainEventSchemas)

export const domainEventCodec: EventCodec<DomainEvent> = eventCodec(domainEventRegistry)

/** A store's `validate` hook: refuses an event of an unknown type, another schema version, or data that does not decode. */
export const domainEventValidator: AppendValidator = validateWith(domainEventRegistry)

export const administrativeUnitEventCodec: EventCodec<AdministrativeUnit.AdministrativeUnitEvent> = codecOf(catalogued('Administrative unit'))
export const householdEventCodec: EventCodec<Household.HouseholdEvent> = codecOf(catalogued('Household'))
export const loanEventCodec: EventCodec<Loan.LoanEvent> = codecOf(catalogued('Loan'))
export const capitalEventCodec: EventCodec<Capital.CapitalEvent> = codecOf(catalogued('Capital'))
export const inspectionEventCodec: EventCodec<Inspection.InspectionEvent> = codecOf(catalogued('Inspection'))
export const planEventCodec: EventCodec<Plan.PlanEvent> = codecOf(catalogued('Plan'))
