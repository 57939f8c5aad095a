/** The projections the end-to-end tests run, and a log for them. */
import type { EventStore } from '@policy-credit/event-store'
import { eventsByTypeProjection, type AnyProjection } from '../../src/index.ts'
import { seedEvents } from './seed.ts'

export const reportingProjections: ReadonlyArray<AnyProjection> = [eventsByTypeProjection]

/** Enough events that a batch of 7 leaves the job mid-way for a while. */
export const seedReportingEvents = async (store: Pick<EventStore, 'appendToStream'>, _tag = 'initial'): Promise<number> => seedEvents(store, 40, 40)
