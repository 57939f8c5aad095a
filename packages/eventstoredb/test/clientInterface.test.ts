/**
 * The adapter is written against a structural interface of the client. This pins, at compile time,
 * that both published clients satisfy it, and that a client lacking what the adapter needs does not.
 */
import { EventStoreDBClient } from '@eventstore/db-client'
import { KurrentDBClient } from '@kurrent/kurrentdb-client'
import { describe, expectTypeOf, it } from 'vitest'
import type { EventStoreDbClient } from '../src/client.ts'

describe('the client interface the adapter is written against', () => {
  it('is satisfied by EventStoreDBClient from @eventstore/db-client 6.x', () => {
    expectTypeOf<EventStoreDBClient>().toExtend<EventStoreDbClient>()
  })

  it('is satisfied by KurrentDBClient from @kurrent/kurrentdb-client 1.x', () => {
    expectTypeOf<KurrentDBClient>().toExtend<EventStoreDbClient>()
  })

  it('is not satisfied by a client without catch-up subscriptions to $all', () => {
    expectTypeOf<Omit<EventStoreDBClient, 'subscribeToAll'>>().not.toExtend<EventStoreDbClient>()
  })
})
