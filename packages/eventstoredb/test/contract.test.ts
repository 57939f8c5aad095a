/**
 * The shared conformance suite, run through the real client over real gRPC:
 * - always against the in-process protocol double (one fresh double per store, its clock the
 *   suite's clock, as a server's clock is the source of `recordedAt`);
 * - against a real EventStoreDB node or cluster when EVENTSTORE_CONNECTION_STRING is set (see
 *   docs/eventstoredb.md). That run is registered only then, so CI counts no skipped test for it.
 *   Its stores ignore the suite's clock: `recordedAt` is the server's `created`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, afterEach } from 'vitest'
import type { EventStore, EventStoreOptions } from '@policy-credit/event-store'
import { describeEventStoreContract, newEvent as neighbourEvent } from '@policy-credit/event-store/testing'
import { eventStoreDbEventStore } from '../src/index.ts'
import { startEventStoreDbProtocolDouble, type EventStoreDbProtocolDouble } from '../src/testing/index.ts'

const doubles: Array<EventStoreDbProtocolDouble> = []
afterEach(async () => {
  await Promise.all(doubles.splice(0).map((double) => double.close()))
})

const openStore = (connectionString: string, options: EventStoreOptions & { readonly streamNamespace?: string }): EventStore => {
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

// As against a real server: one double for every test, its data never emptied, its log shared with
// other stores, so each store lives in a namespace of its own.
let sharedDouble: EventStoreDbProtocolDouble | undefined
afterAll(async () => {
  await sharedDouble?.close()
})
describeEventStoreContract('eventstoredb (real client, one shared gRPC protocol double, a namespace per store)', async ({ clock, ...options }) => {
  sharedDouble ??= await startEventStoreDbProtocolDouble()
  if (clock !== undefined) sharedDouble.setClock(clock)
  sharedDouble.appendSystemEvent()
  const streamNamespace = `contract-${crypto.randomUUID()}-`
  const { connectionString } = sharedDouble
  const open = async (): Promise<EventStore> => openStore(connectionString, { ...options, streamNamespace })
  // Another tenant writes to the same log: its events must not show in this store.
  const neighbour = openStore(connectionString, { streamNamespace: `neighbour-${crypto.randomUUID()}-` })
  const written = await neighbour.appendToStream('loan-1', { _tag: 'Any' }, [neighbourEvent()])()
  await neighbour.close()
  if (E.isLeft(written)) throw new Error(`the neighbour could not write: ${JSON.stringify(written.left)}`)
  return { store: await open(), connect: open }
})

const serverConnectionString = process.env['EVENTSTORE_CONNECTION_STRING']
if (serverConnectionString !== undefined && serverConnectionString !== '') {
  describeEventStoreContract('eventstoredb (real server)', async (options) => {
    // A server cannot be emptied between tests: each store gets streams of its own, under a fresh namespace.
    const streamNamespace = `contract-${crypto.randomUUID()}-`
    const open = async (): Promise<EventStore> => openStore(serverConnectionString, { ...options, streamNamespace })
    return { store: await open(), connect: open }
  }, { serverClock: true })
}
