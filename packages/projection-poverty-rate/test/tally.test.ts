/**
 * The dated tallies (tally.ts), kept as the projection would keep them: each household event changes
 * the household's document, and the tallies change by the difference of its contribution before and
 * after. Over generated logs (moves recorded after facts they precede, recognitions effective before a
 * move, the newly-escaped status ending three years after an exit), a commune's counts on any day and
 * its exits over any period equal the plain count over the events (reference.ts).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CommuneId, day, HouseholdId, idOf, type DomainEvent, type LocalDate } from '@policy-credit/core'
import { povertyRateProjection, type PovertyRateDocument, type PovertyRateEvent } from '../src/index.ts'
import type { HouseholdDocument } from '../src/documents.ts'
import * as E from 'fp-ts/lib/Either.js'
import { addChange, decodeTallies, draftTallies, encodeTallies, noTallies, talliesWith, tallyCountsOn, tallyExitsBetween, type CommuneTallies } from '../src/tally.ts'
import { allCommunes, askedDays, eventLogs, standards } from './arbitraries.ts'
import { referenceCounts, referenceExits, referenceModel } from './reference.ts'

/** Folds the household events into their documents: each event's household document before and after it. */
const householdChanges = (events: ReadonlyArray<DomainEvent>): ReadonlyArray<{ readonly before: HouseholdDocument | undefined; readonly after: HouseholdDocument }> => {
  const households = new Map<string, HouseholdDocument>()
  const changes: Array<{ readonly before: HouseholdDocument | undefined; readonly after: HouseholdDocument }> = []
  for (const domainEvent of events) {
    if (!domainEvent.type.startsWith('Household') || domainEvent.type === 'HouseholdAssessed') continue
    const event = domainEvent as PovertyRateEvent
    const id = povertyRateProjection.documentIds(event).find((documentId) => documentId.startsWith('household:'))
    if (id === undefined) throw new Error(`no household document for ${event.type}`)
    const before = households.get(id)
    const after = povertyRateProjection.apply(before ?? povertyRateProjection.init(id), event, id, () => undefined) as PovertyRateDocument
    if (after.kind !== 'household') throw new Error('not a household document')
    households.set(id, after)
    changes.push({ before, after })
  }
  return changes
}

/** The tallies of the household events, one event at a time. */
const talliesOf = (events: ReadonlyArray<DomainEvent>): CommuneTallies =>
  householdChanges(events).reduce((tallies, { before, after }) => talliesWith(tallies, before, after), noTallies)

const later = (a: LocalDate, b: LocalDate): [LocalDate, LocalDate] => (a <= b ? [a, b] : [b, a])

describe('dated tallies per commune', () => {
  it('a commune counted from its deltas on or before a day equals the plain count over the events, and so do its exits over any period', () => {
    fc.assert(
      fc.property(eventLogs(12), fc.array(fc.tuple(askedDays, askedDays, fc.constantFrom(...standards)), { minLength: 1, maxLength: 6 }), (events, asked) => {
        const tallies = talliesOf(events)
        const reference = referenceModel(events)
        for (const [first, second, standardId] of asked) {
          const [after, through] = later(first, second)
          for (const communeId of allCommunes) {
            expect(tallyCountsOn(tallies, communeId, standardId, through)).toStrictEqual(referenceCounts(reference, { kind: 'COMMUNE', communeId }, standardId, through))
            expect(tallyExitsBetween(tallies, communeId, standardId, after, through)).toStrictEqual(referenceExits(reference, { kind: 'COMMUNE', communeId }, standardId, after, through))
          }
        }
      }),
      { numRuns: 200 },
    )
  })

  it('the order the events were recorded in does not change the tallies, only their business dates do', () => {
    fc.assert(
      fc.property(eventLogs(6), fc.context(), (events, context) => {
        // The same household streams interleaved differently: each household's own order kept.
        const byStream = new Map<string, Array<DomainEvent>>()
        for (const event of events) {
          const key = String((event.data as { readonly householdId?: string }).householdId ?? event.type)
          byStream.set(key, [...(byStream.get(key) ?? []), event])
        }
        const regrouped = [...byStream.values()].reverse().flat()
        context.log(`${regrouped.length} events`)
        expect(encodeTallies(talliesOf(regrouped))).toStrictEqual(encodeTallies(talliesOf(events)))
      }),
      { numRuns: 100 },
    )
  })

  it('a move recorded after a recognition, dated before it took effect, moves the household and its class to the new commune from the move', () => {
    const [from, to] = [idOf(CommuneId, 'XA-NGHIA-AN'), idOf(CommuneId, 'PHUONG-TAN-AN')]
    const householdId = idOf(HouseholdId, 'HH-MOVER')
    const events: ReadonlyArray<DomainEvent> = [
      { type: 'HouseholdRegistered', data: { householdId, communeId: from, areaType: 'RURAL', members: 3 as never, registeredOn: day('2016-03-01') } },
      {
        type: 'HouseholdClassRecognised',
        data: {
          householdId,
          communeId: from,
          areaType: 'RURAL',
          standardId: 'QD-59-2015',
          reviewYear: 2017 as never,
          reviewKind: 'PERIODIC',
          householdClass: 'POOR',
          previousClass: null,
          decisionNumber: 'QD-2017' as never,
          decisionDate: day('2017-12-10'),
          effectiveFrom: day('2018-01-01'),
        },
      },
      { type: 'HouseholdMovedCommune', data: { householdId, fromCommuneId: from, toCommuneId: to, areaType: 'URBAN', movedOn: day('2017-12-20') } },
    ]
    const tallies = talliesOf(events)
    const on = (communeId: CommuneId, date: string) => tallyCountsOn(tallies, communeId, 'QD-59-2015', day(date))
    expect([on(from, '2017-12-19').households, on(to, '2017-12-19').households]).toStrictEqual([1, 0])
    expect([on(from, '2018-01-01').households, on(to, '2018-01-01').households, on(to, '2018-01-01').poor]).toStrictEqual([0, 1, 1])
    // No day is kept with nothing changing on it.
    expect([...tallies.communes.values()].every((tally) => tally.every((block) => block.days.length > 0 && block.changes.every((pairs) => pairs.length > 0)))).toBe(true)
  })

  it('a draft changed in place ends as the tallies changed one event at a time, and the tallies it was drafted from stay as they were', () => {
    fc.assert(
      fc.property(eventLogs(10), fc.nat(), (events, cut) => {
        const changes = householdChanges(events)
        const at = changes.length === 0 ? 0 : cut % (changes.length + 1)
        const drafted = changes.slice(0, at).reduce((tallies, { before, after }) => talliesWith(tallies, before, after), noTallies)
        const stored = JSON.stringify(encodeTallies(drafted))
        const draft = draftTallies(drafted)
        for (const { before, after } of changes.slice(at)) addChange(draft, before, after)
        expect(encodeTallies(draft)).toStrictEqual(encodeTallies(talliesOf(events)))
        expect(JSON.stringify(encodeTallies(drafted))).toBe(stored)
      }),
      { numRuns: 200 },
    )
  })

  it('the stored tallies read back as written, and a damaged one is refused', () => {
    fc.assert(
      fc.property(eventLogs(8), (events) => {
        const tallies = talliesOf(events)
        const stored = JSON.parse(JSON.stringify(encodeTallies(tallies))) as { readonly counters: ReadonlyArray<string>; readonly communes: ReadonlyArray<readonly [string, ReadonlyArray<number>]> }
        expect(decodeTallies(stored)).toStrictEqual(E.right(tallies))
        const [first] = stored.communes
        if (first !== undefined) {
          // A day's count of changes one too many: the numbers after it no longer line up.
          const damaged = { ...stored, communes: [[first[0], [first[1][0], (first[1][1] as number) + 1, ...first[1].slice(2)]], ...stored.communes.slice(1)] }
          expect(E.isLeft(decodeTallies(damaged))).toBe(true)
          // A day's first two changes swapped: its counters no longer ascend.
          const [day, pairs, ...rest] = first[1]
          if ((pairs as number) >= 2) {
            const swapped = [day, pairs, rest[2], rest[3], rest[0], rest[1], ...rest.slice(4)] as ReadonlyArray<number>
            expect(E.isLeft(decodeTallies({ ...stored, communes: [[first[0], swapped], ...stored.communes.slice(1)] }))).toBe(true)
          }
          // A first day that is no calendar day (the 31st of a month written as the 32nd).
          const notADay = Math.floor((day as number) / 100) * 100 + 32
          expect(E.isLeft(decodeTallies({ ...stored, communes: [[first[0], [notADay, pairs, ...rest]], ...stored.communes.slice(1)] }))).toBe(true)
        }
      }),
      { numRuns: 100 },
    )
  })
})
