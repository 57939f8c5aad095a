/**
 * The projection's light decoder of household events (events.ts) against the domain codec, over the
 * events the core's deciders produce, as stored (encoded), intact and damaged: the same decision
 * wherever the damage is in a field the projection reads, the same values of those fields when both
 * accept, and a refusal that names the damaged field.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeDomainEvent, eventCodecs, type DomainEvent } from '@policy-credit/core'
import type { RecordedEvent } from '@policy-credit/event-store'
import { householdHistories } from '@policy-credit/core/testing'
import { damagedFieldProperty } from '@policy-credit/projections/testing'
import { povertyRateProjection } from '../src/index.ts'

/** The fields the projection reads, per household event type: written out here, not taken from events.ts. */
const readFields: Readonly<Record<string, ReadonlyArray<string>>> = {
  HouseholdRegistered: ['householdId', 'communeId', 'registeredOn'],
  HouseholdClassRecognised: ['householdId', 'standardId', 'householdClass', 'effectiveFrom'],
  HouseholdExitedPoverty: ['householdId', 'standardId', 'exitedFrom', 'escapedClass', 'exitedOn', 'escapedStatusEndsOn'],
  HouseholdMovedCommune: ['householdId', 'toCommuneId', 'movedOn'],
  HouseholdDissolved: ['householdId', 'dissolvedOn'],
}

const stored = (event: DomainEvent): { readonly type: string; readonly data: Readonly<Record<string, unknown>> } => {
  const codec = eventCodecs[event.type] as unknown as { readonly encode: (event: DomainEvent) => { readonly data: Readonly<Record<string, unknown>> } }
  return { type: event.type, data: codec.encode(event).data }
}

const recorded = (type: string, data: unknown): RecordedEvent => ({ type, data, streamId: 'household-x', version: 0, position: '0', eventId: 'e', metadata: {} }) as unknown as RecordedEvent

/** Followed household events as stored: every event of generated histories but the assessments. */
const storedEvents = householdHistories().map((history) =>
  (history.events as ReadonlyArray<DomainEvent>).filter((event) => Object.hasOwn(readFields, event.type)).map(stored),
)

/** Values a damaged field may hold: wrong types, empty, near misses of dates and ids, and valid values of other fields. */
/** An event, each followed household type alike (exits are rare in histories). */
const anEvent = fc.constantFrom(...Object.keys(readFields)).chain((type) =>
  storedEvents
    .map((events) => events.filter((event) => event.type === type))
    .filter((events) => events.length > 0)
    .chain((events) => fc.constantFrom(...events)),
)

const damage = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, '', 0, 20_210_101, true, [], {}, '2021-02-30', '2021-1-01', ' HH-1', 'POOR ', 'poor', 'QD-59', 'ESCAPED', 'XA NGHIA AN'),
  fc.constantFrom<unknown>('2021-01-01', 'HH-1', 'XA-NGHIA-AN', 'POOR', 'NEAR_POOR', 'QD-59-2015', 'ESCAPED_POVERTY', 'NONE'),
  fc.string(),
)

const decided = (type: string, data: unknown) => ({ light: povertyRateProjection.decode(recorded(type, data)), domain: decodeDomainEvent({ type, data }) })

describe('the light decoder of household events', () => {
  it('accepts every intact event the domain codec accepts, with the same values in the fields it reads', () => {
    fc.assert(
      fc.property(storedEvents, (events) => {
        for (const { type, data } of events) {
          const { light, domain } = decided(type, data)
          expect(E.isRight(domain)).toBe(true)
          if (E.isLeft(light) || E.isLeft(domain)) throw new Error(`${type} refused: ${JSON.stringify(light)}`)
          expect(light.right.type).toBe(type)
          for (const field of readFields[type] ?? []) expect((light.right.data as Readonly<Record<string, unknown>>)[field]).toBe((domain.right.data as Readonly<Record<string, unknown>>)[field])
        }
      }),
      { numRuns: 100 },
    )
  })

  it('decides as the domain codec when a field it reads is damaged or missing, and names the field when it refuses', () => {
    fc.assert(
      damagedFieldProperty({
        events: anEvent,
        readFields,
        projectionDecode: (type, data) => povertyRateProjection.decode(recorded(type, data)),
        domainDecode: (type, data) => decodeDomainEvent({ type, data }),
        damage,
      }),
      { numRuns: 1_000 },
    )
  })

  it('refuses data that is not an object, and accepts damage only in fields it does not read (the store checked them on append)', () => {
    fc.assert(
      fc.property(anEvent, fc.nat(), damage, ({ type, data }, fieldPick, value) => {
        for (const notAnObject of [null, 'data', 3, [data]]) {
          const { light, domain } = decided(type, notAnObject)
          expect([E.isLeft(light), E.isLeft(domain)]).toStrictEqual([true, true])
        }
        const unread = Object.keys(data).filter((key) => !(readFields[type] ?? []).includes(key))
        if (unread.length === 0) return
        const { light } = decided(type, { ...data, [unread[fieldPick % unread.length] as string]: value })
        expect(E.isRight(light)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
