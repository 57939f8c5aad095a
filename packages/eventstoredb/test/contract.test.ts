/**
 * The shared conformance suite, run through the real client over real gRPC:
 * - always against the in-process protocol double (one fresh double per store, its clock the
 *   suite's clock, as a server's clock is the source of `recordedAt`);
 * - against a real EventStoreDB node or cluster when EVENTSTORE_CONNECTION_STRING is set (see
 *   docs/eventstoredb.md). That run is registered only then, so CI counts no skipped test for it.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterEach } from 'vitest'
import type { EventStore, EventStoreOptions } from '@policy-credit/event-store'
import { describeEventStoreContract } from '@policy-credit/event-store/testing'
import { eventStoreDbEventStore } from '../src/index.ts'
import { startEventStoreDbProtocolDouble, type EventStoreDbProtocolDouble } from '../src/testing/index.ts'

const doubles: Array<EventStoreDbProtocolDouble> = []
afterEach(async () => {
  await Promise.all(doubles.splice(0).map((double) => double.close()))
})

const openStore = (connectionString: string, options: EventStoreOptions): EventStore => {
  const store = eventStoreDbEventStore({ connectionString, ...options, reconnect: { maximumAttempts: 3, initialDelayMilliseconds: 20 } })
  if (E.isLeft(store)) throw new Error(`the test connection string was refused: ${JSON.stringify(store.left)}`)
  return store.right
}

describeEventStoreContract('eventstoredb (real client, gRPC protocol double)', async ({ clock, ...options }) => {
  const double = await startEventStoreDbProtocolDouble(clock === undefined ? {} : { clock })
  doubles.push(double)
  const open = async (): Promise<EventStore> => openStore(double.connectionString, options)
  return { store: await open(), connect: open }
})

const serverConnectionString = process.env['EVENTSTORE_CONNECTION_STRING']
if (serverConnectionString !== undefined && serverConnectionString !== '') {
  describeEventStoreContract('eventstoredb (real server)', async (options) => {
    const open = async (): Promise<EventStore> => openStore(serverConnectionString, options)
    return { store: await open(), connect: open }
  })
}
