import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { ExpectedVersion } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import { exactNamesRegex, planFilter } from '../src/filters.ts'
import {
  eventDataFromNewEvent,
  eventStoreDbPositionFromPosition,
  expectedRevisionFromExpectedVersion,
  expectedVersionFromExpectedRevision,
  positionFromEventStoreDb,
  recordedEventFromEventStoreDb,
} from '../src/mapping.ts'

const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })
const expectedVersion: fc.Arbitrary<ExpectedVersion> = fc.oneof(
  fc.constant<ExpectedVersion>({ _tag: 'Any' }),
  fc.constant<ExpectedVersion>({ _tag: 'NoStream' }),
  fc.constant<ExpectedVersion>({ _tag: 'StreamExists' }),
  fc.bigInt({ min: 1n, max: 2n ** 63n }).map((version): ExpectedVersion => ({ _tag: 'Exactly', version })),
)

describe('versions and revisions', () => {
  test.prop([expectedVersion])('an expected version survives the trip to an expected revision and back', (expected) => {
    expect(expectedVersionFromExpectedRevision(expectedRevisionFromExpectedVersion(expected))).toStrictEqual(expected)
  })

  it('maps Exactly(v) to revision v − 1, and Exactly(0) to no_stream (a stream of no events)', () => {
    expect(expectedRevisionFromExpectedVersion({ _tag: 'Exactly', version: 1n })).toBe(0n)
    expect(expectedRevisionFromExpectedVersion({ _tag: 'Exactly', version: 0n })).toBe('no_stream')
    expect(expectedRevisionFromExpectedVersion({ _tag: 'Any' })).toBe('any')
    expect(expectedRevisionFromExpectedVersion({ _tag: 'StreamExists' })).toBe('stream_exists')
  })
})

describe('$all positions', () => {
  test.prop([uint64, uint64, uint64, uint64])('compare as text exactly as (commit, prepare) compare as numbers', (c1, p1, c2, p2) => {
    const numeric = c1 !== c2 ? (c1 < c2 ? -1 : 1) : p1 === p2 ? 0 : p1 < p2 ? -1 : 1
    const left = positionFromEventStoreDb({ commit: c1, prepare: p1 })
    const right = positionFromEventStoreDb({ commit: c2, prepare: p2 })
    expect(left === right ? 0 : left < right ? -1 : 1).toBe(numeric)
  })

  test.prop([uint64, uint64])('decode back to the same pair', (commit, prepare) => {
    expect(eventStoreDbPositionFromPosition(positionFromEventStoreDb({ commit, prepare }))).toStrictEqual(E.right({ commit, prepare }))
  })

  it('refuses a position of another store (a bare sequence)', () => {
    expect(E.isLeft(eventStoreDbPositionFromPosition('00000000000000000042'))).toBe(true)
  })
})

describe('events and their metadata', () => {
  it("stores correlation and causation under EventStoreDB's $correlationId and $causationId", () => {
    const event = newEvent({ metadata: { correlationId: 'command-1', causationId: 'event-0', actor: 'officer-7' } })
    expect(eventDataFromNewEvent(event, 'append-1').metadata).toStrictEqual({
      occurredOn: event.metadata.occurredOn,
      schemaVersion: event.metadata.schemaVersion,
      $correlationId: 'command-1',
      $causationId: 'event-0',
      actor: 'officer-7',
      appendId: 'append-1',
    })
  })

  it("reads back the writer's metadata, with recordedAt from the server's created, and the version one past the revision", () => {
    const event = newEvent({ metadata: { correlationId: 'command-1', actor: 'officer-7' } })
    const data = eventDataFromNewEvent(event, 'append-1')
    const recorded = recordedEventFromEventStoreDb({
      streamId: 'loan-1',
      id: data.id,
      revision: 4n,
      type: data.type,
      created: new Date('2025-06-30T03:00:00.123Z'),
      isJson: true,
      data: data.data,
      metadata: data.metadata,
      position: { commit: 10n, prepare: 10n },
    })
    expect(recorded).toStrictEqual(
      E.right({
        streamId: 'loan-1',
        version: 5n,
        position: positionFromEventStoreDb({ commit: 10n, prepare: 10n }),
        eventId: event.eventId,
        type: event.type,
        data: event.data,
        metadata: { ...event.metadata, recordedAt: '2025-06-30T03:00:00.123Z' },
      }),
    )
  })

  it('names what makes an event written by another tool unreadable', () => {
    const base = { streamId: 'loan-1', id: 'x', revision: 0n, type: 'T', created: new Date(0), data: {}, position: { commit: 1n, prepare: 1n } }
    expect(recordedEventFromEventStoreDb({ ...base, isJson: false, metadata: {} })).toStrictEqual(E.left('the event is not JSON'))
    expect(recordedEventFromEventStoreDb({ ...base, isJson: true })).toStrictEqual(E.left('the event has no JSON metadata object'))
    expect(recordedEventFromEventStoreDb({ ...base, isJson: true, metadata: { schemaVersion: 1 } })).toStrictEqual(E.left('metadata.occurredOn is missing'))
  })
})

describe('server-side filters', () => {
  test.prop([fc.array(fc.string({ minLength: 1 }), { minLength: 1 }), fc.string()])(
    'an event-type regular expression matches exactly the listed names, whatever characters they hold',
    (names, candidate) => {
      const pattern = new RegExp(exactNamesRegex(names))
      for (const name of names) expect(pattern.test(name)).toBe(true)
      expect(pattern.test(candidate)).toBe(names.includes(candidate))
    },
  )

  it('sends event types to the server and checks stream prefixes here when both are given', () => {
    const plan = planFilter({ streamPrefixes: ['loan-'], eventTypes: ['LoanDisbursed'] })
    expect(plan.server).toMatchObject({ filterOn: 'eventType', regex: '^(?:LoanDisbursed)$' })
    expect(plan.keeps({ streamId: 'loan-1', type: 'LoanDisbursed' })).toBe(true)
    expect(plan.keeps({ streamId: 'household-1', type: 'LoanDisbursed' })).toBe(false)
  })

  it('filters on stream prefixes at the server, under the namespace', () => {
    const plan = planFilter({ streamPrefixes: ['loan-'] }, 'tenant-a/')
    expect(plan.server).toMatchObject({ filterOn: 'streamName', prefixes: ['tenant-a/loan-'] })
    expect(plan.keeps({ streamId: 'tenant-b/loan-1', type: 'LoanDisbursed' })).toBe(false)
  })

  it("leaves out EventStoreDB's own events at the server when nothing else is asked, and always here", () => {
    expect(planFilter(undefined).server).toMatchObject({ filterOn: 'eventType', regex: '^[^$]' })
    expect(planFilter({ streamPrefixes: [''] }).keeps({ streamId: '$stats-1', type: 'Statistics' })).toBe(false)
    expect(planFilter(undefined).keeps({ streamId: 'loan-1', type: '$metadata' })).toBe(false)
  })

  it('keeps nothing, without asking the server, for an empty list', () => {
    expect(planFilter({ eventTypes: [] }).keepsAnything).toBe(false)
    expect(planFilter({ streamPrefixes: [] }).keepsAnything).toBe(false)
  })
})
