/**
 * Opens the stores a configuration names. The event store and the read-model store are opened
 * separately, so they may be different servers, databases or engines; the checkpoint always lives in
 * the read-model store, committed with the documents.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventStore } from '@policy-credit/event-store'
import type { ReadModelStore } from '@policy-credit/projections'
import { postgresEventStore, postgresReadModelStore } from '@policy-credit/postgres'
import { sqliteEventStore, sqliteReadModelStore } from '@policy-credit/sqlite'
import { eventStoreDbEventStore } from '@policy-credit/eventstoredb'
import type { EventStoreLocation, ReadModelLocation } from './config.ts'

export interface StoreOpenFailed {
  readonly _tag: 'StoreOpenFailed'
  readonly store: 'events' | 'read models'
  readonly error: unknown
}

const failed = (store: StoreOpenFailed['store']) => (error: unknown): StoreOpenFailed => ({ _tag: 'StoreOpenFailed', store, error })

export const openEventStore = async (location: EventStoreLocation): Promise<E.Either<StoreOpenFailed, EventStore>> => {
  switch (location._tag) {
    case 'Postgres':
      return E.mapLeft(failed('events'))(
        await postgresEventStore({ connectionString: location.connectionString, ...(location.schema === undefined ? {} : { schema: location.schema }) })(),
      )
    case 'Sqlite':
      return E.mapLeft(failed('events'))(await sqliteEventStore({ filename: location.filename })())
    case 'EventStoreDb': {
      const { streamNamespace } = location
      return E.mapLeft(failed('events'))(
        eventStoreDbEventStore({ connectionString: location.connectionString, ...(streamNamespace === undefined ? {} : { streamNamespace }) }),
      )
    }
  }
}

export const openReadModelStore = async (location: ReadModelLocation): Promise<E.Either<StoreOpenFailed, ReadModelStore>> => {
  switch (location._tag) {
    case 'Postgres':
      return E.mapLeft(failed('read models'))(
        await postgresReadModelStore({ connectionString: location.connectionString, ...(location.schema === undefined ? {} : { schema: location.schema }) })(),
      )
    case 'Sqlite':
      return E.mapLeft(failed('read models'))(await sqliteReadModelStore({ filename: location.filename })())
  }
}
