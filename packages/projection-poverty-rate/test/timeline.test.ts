/**
 * The timeline (timeline.ts) applies the core's rules to the few facts the projection keeps: on any day,
 * what it says a household held is what the core's `recognitionInForceOn` and `classesInForceOn` say of
 * the core's own state, folded from the same events.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as O from 'fp-ts/lib/Option.js'
import { Household, type DomainEvent } from '@policy-credit/core'
import { povertyRateProjection, type PovertyRateDocument, type PovertyRateEvent } from '../src/index.ts'
import { segmentOn, timelineOf } from '../src/timeline.ts'
import { askedDays, eventLogs } from './arbitraries.ts'

describe('a household timeline', () => {
  it('kept by the projection event after event, it is the timeline derived afresh from the facts (a recognition dated after every fact only extends it)', () => {
    fc.assert(
      fc.property(eventLogs(6), (events) => {
        const documents = new Map<string, PovertyRateDocument>()
        for (const event of events) {
          if (!event.type.startsWith('Household') || event.type === 'HouseholdAssessed') continue
          const id = `household:${(event.data as { readonly householdId: string }).householdId}`
          const document = povertyRateProjection.apply(documents.get(id) ?? povertyRateProjection.init(id), event as PovertyRateEvent, id, () => undefined) as PovertyRateDocument
          if (document.kind !== 'household') throw new Error('not a household document')
          expect(document.timeline).toStrictEqual(timelineOf(document))
          documents.set(id, document)
        }
      }),
      { numRuns: 200 },
    )
  })


  it('on any day, the class, standard and newly-escaped statuses it records are the core’s, over the core’s state', () => {
    fc.assert(
      fc.property(eventLogs(6), fc.array(askedDays, { minLength: 1, maxLength: 20 }), (events, asked) => {
        const states = new Map<string, { core: Household.Household; document: PovertyRateDocument }>()
        for (const event of events) {
          if (!event.type.startsWith('Household') || event.type === 'HouseholdAssessed') continue
          const householdEvent = event as Extract<DomainEvent, Household.HouseholdEvent>
          const id = `household:${householdEvent.data.householdId}`
          const state = states.get(id) ?? { core: Household.householdDecider.initialState, document: povertyRateProjection.init(id) }
          states.set(id, {
            core: Household.householdDecider.evolve(state.core, householdEvent),
            document: povertyRateProjection.apply(state.document, event as PovertyRateEvent, id, () => undefined) as PovertyRateDocument,
          })
        }
        for (const { core, document } of states.values()) {
          if (document.kind !== 'household') throw new Error('not a household document')
          // The days the facts name, where a wrong boundary would show, and the generated ones.
          const factDays = core.status === 'Unregistered' ? [] : [...core.recognitions.map((r) => r.effectiveFrom), ...core.exits.flatMap((x) => [x.exitedOn, x.escapedStatusEndsOn])]
          for (const date of [...factDays, ...asked]) {
            const segment = segmentOn(document.timeline, date)
            const exists = segment !== undefined && segment.communeId !== null
            const recognition = exists ? O.toUndefined(Household.recognitionInForceOn(core, date)) : undefined
            const statuses = exists ? Household.classesInForceOn(core, date).map((status) => status.householdClass) : []
            expect({
              standardId: segment?.standardId ?? null,
              reviewClass: segment?.reviewClass ?? null,
              escapedPoverty: segment?.escapedPoverty ?? false,
              escapedNearPoverty: segment?.escapedNearPoverty ?? false,
            }).toStrictEqual({
              standardId: recognition?.standardId ?? null,
              reviewClass: recognition?.householdClass ?? null,
              escapedPoverty: statuses.includes('ESCAPED_POVERTY'),
              escapedNearPoverty: statuses.includes('ESCAPED_NEAR_POVERTY'),
            })
          }
          // It exists on the days the core's state says it does.
          for (const date of asked)
            expect(segmentOn(document.timeline, date)?.communeId != null).toBe(
              core.status !== 'Unregistered' && core.registeredOn <= date && (core.status !== 'Dissolved' || date < core.dissolvedOn),
            )
        }
      }),
      { numRuns: 200 },
    )
  })
})
