/** The projections the end-to-end tests run (the two reports), and a log of domain events for them. */
import type { EventStore } from '@policy-credit/event-store'
import { defaultProjections, projectionCatalogue, type AnyProjection } from '../../src/index.ts'
import { appendDomainStreams, domainStreams } from './domainSeed.ts'

export const reportingProjections: ReadonlyArray<AnyProjection> = defaultProjections.flatMap((name) => projectionCatalogue.get(name) ?? [])

let seed = 20_260_000

/**
 * About 1 600 events (some 530 for poverty-rate, 260 for outstanding-debt), so that batches of 7 leave
 * the job mid-way for a while; each call appends new households and loans.
 */
export const seedReportingEvents = async (store: Pick<EventStore, 'appendToStream'>): Promise<number> => {
  seed += 2
  return appendDomainStreams(store, domainStreams(200, 120, seed))
}
