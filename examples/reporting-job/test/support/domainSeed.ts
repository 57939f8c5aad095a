/**
 * A log of domain events as the deciders make them (core's testing arbitraries, sampled with a fixed
 * seed): households registered, reviewed, recognised, moved; loans requested to closed. Streams are
 * appended a few events at a time, round-robin, so they interleave in the global order as in a real log.
 */
import fc from 'fast-check'
import { eventCodecs, Household, type DomainEvent } from '@policy-credit/core'
import { householdHistories, loanLifecycle } from '@policy-credit/core/testing'
import type { EventStore, NewEvent } from '@policy-credit/event-store'
import { newEventId } from '@policy-credit/event-store/testing'
import { right } from './database.ts'

interface DomainStream {
  readonly streamId: string
  readonly events: ReadonlyArray<DomainEvent>
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/

/** The event's business date: the first calendar day among its fields (`registeredOn`, `disbursedOn`, …). */
const occurredOn = (event: DomainEvent): string =>
  Object.values(event.data as Readonly<Record<string, unknown>>).find((value): value is string => typeof value === 'string' && CALENDAR_DAY.test(value)) ?? '2024-01-01'

const toNewEvent = (event: DomainEvent): NewEvent => {
  const codec = eventCodecs[event.type] as unknown as { readonly encode: (event: DomainEvent) => { readonly data: unknown } }
  return { eventId: newEventId(), type: event.type, data: codec.encode(event).data, metadata: { occurredOn: occurredOn(event), schemaVersion: 1 } }
}

/** About `households` household streams and `loans` loan streams; the same seed gives the same log. */
export const domainStreams = (households: number, loans: number, seed: number): ReadonlyArray<DomainStream> => {
  const streams = new Map<string, DomainStream>()
  const keep = (streamId: string, events: ReadonlyArray<DomainEvent>): void => {
    // Two samples of one id would be two histories in one stream: keep the first.
    if (events.length > 0 && !streams.has(streamId)) streams.set(streamId, { streamId, events })
  }
  for (const history of fc.sample(householdHistories(), { seed, numRuns: households })) {
    const first = history.events[0]
    if (first !== undefined) keep(Household.householdStreamId(first.data.householdId), history.events)
  }
  for (const lifecycle of fc.sample(loanLifecycle(12), { seed: seed + 1, numRuns: loans })) {
    const first = lifecycle.events[0]
    if (first !== undefined) keep(`loan-${first.data.loanId}`, lifecycle.events)
  }
  return [...streams.values()]
}

/** Appends the streams round-robin, `chunk` events of each stream per append; returns how many events. */
export const appendDomainStreams = async (store: Pick<EventStore, 'appendToStream'>, streams: ReadonlyArray<DomainStream>, chunk = 4): Promise<number> => {
  const longest = Math.max(0, ...streams.map((stream) => stream.events.length))
  for (let from = 0; from < longest; from += chunk) {
    await Promise.all(
      streams.map(async ({ streamId, events }) => {
        const slice = events.slice(from, from + chunk)
        if (slice.length > 0) right(await store.appendToStream(streamId, { _tag: 'Any' }, slice.map(toNewEvent))())
      }),
    )
  }
  return streams.reduce((count, stream) => count + stream.events.length, 0)
}
