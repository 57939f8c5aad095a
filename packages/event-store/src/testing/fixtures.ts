/**
 * Builders for events, clocks and stores used by the conformance suite and by tests of code built
 * on the port.
 */
import { randomUUID } from 'node:crypto'
import type { Clock, EventStore, EventStoreOptions, NewEvent, NewEventMetadata } from '../port.ts'

/** A random lower-case UUID (tests only: production ids are deterministic from the command). */
export const newEventId = (): string => randomUUID()

export interface NewEventOverrides {
  readonly eventId?: string
  readonly type?: string
  readonly data?: unknown
  readonly metadata?: Partial<NewEventMetadata>
}

export const newEvent = (overrides: NewEventOverrides = {}): NewEvent => ({
  eventId: overrides.eventId ?? newEventId(),
  type: overrides.type ?? 'SomethingHappened',
  data: 'data' in overrides ? overrides.data : { amount: '1000000', note: 'tiền vay' },
  metadata: { occurredOn: '2025-03-14', schemaVersion: 1, ...overrides.metadata },
})

/** A clock that starts at `start` and moves one second forward each time it is read. */
export const steppingClock = (start = '2025-01-01T00:00:00.000Z'): Clock & { readonly readings: ReadonlyArray<string> } => {
  const readings: Array<string> = []
  let next = Date.parse(start)
  const clock = (): Date => {
    const now = new Date(next)
    next += 1000
    readings.push(now.toISOString())
    return now
  }
  return Object.assign(clock, { readings })
}

/** A store under test, and optionally a way to open another connection to the same storage. */
export interface StoreConnections {
  readonly store: EventStore
  /**
   * Opens another store instance on the same storage (another better-sqlite3 handle on the same
   * file, another pool on the same database), with the same options. The concurrency tests then
   * spread writers over several connections; without it they share `store`.
   */
  readonly connect?: () => Promise<EventStore>
}

/**
 * Makes a store on fresh, empty storage for each test. It may return the store alone, or
 * `StoreConnections` when it can open other connections to the same storage.
 */
export type MakeEventStore = (options: EventStoreOptions) => Promise<EventStore | StoreConnections>

export const toConnections = (made: EventStore | StoreConnections): StoreConnections => ('store' in made ? made : { store: made })
