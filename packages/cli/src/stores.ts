/**
 * Opens the event store and the read-model store a command works on, from their URLs (storeUrl.ts),
 * and turns every way that can fail into a `CliFailure` with its exit code. A command opens only what
 * it needs: `history` never touches read models, `report` needs both.
 */
import * as E from 'fp-ts/lib/Either.js'
import { auditedEventRegistry } from '@policy-credit/audit'
import { inMemoryEventStore, validateWith, type AppendValidator, type EventStore, type EventStoreError } from '@policy-credit/event-store'
import { eventStoreDbEventStore } from '@policy-credit/eventstoredb'
import { postgresEventStore, postgresReadModelStore } from '@policy-credit/postgres'
import { inMemoryReadModelStore, type ReadModelStore, type ReadModelStoreError } from '@policy-credit/projections'
import { sqliteEventStore, sqliteReadModelStore, type SqliteOpenError } from '@policy-credit/sqlite'
import { describeCause, storedDataInvalid, storeUnavailable, usage, type CliFailure, inputRejected, notFound } from './failures.ts'
import { redactedUrl, type StoreLocation } from './storeUrl.ts'

const describeLocation = (location: StoreLocation): string => {
  switch (location._tag) {
    case 'Sqlite':
      return `SQLite file ${location.filename}`
    case 'Memory':
      return 'memory'
    case 'Postgres':
      return `PostgreSQL ${redactedUrl(location.connectionString)}${location.schema === undefined ? '' : ` (schema ${location.schema})`}`
    case 'EventStoreDb':
      return `EventStoreDB ${redactedUrl(location.connectionString)}`
  }
}

const sqliteOpenFailure = (error: SqliteOpenError): CliFailure => {
  switch (error._tag) {
    case 'SqliteFileUnavailable':
      return storeUnavailable(`cannot open the SQLite file ${error.filename}: ${describeCause(error.cause)}`)
    case 'SqliteSchemaTooNew':
      return storedDataInvalid(
        `${error.filename} was written by a newer policy-credit (schema ${error.fileSchemaVersion}; this one reads up to ${error.supportedSchemaVersion}): upgrade policy-credit`,
      )
    case 'NotAPolicyCreditFile':
      return storedDataInvalid(`${error.filename} is a SQLite file of another application; it was left untouched`)
  }
}

/** An event-store error met while a command runs, as the failure the user sees. */
export const eventStoreFailure = (error: EventStoreError): CliFailure => {
  switch (error._tag) {
    case 'EventStoreUnavailable':
      return storeUnavailable(`the event store is unavailable: ${describeCause(error.cause)}`)
    case 'InvalidStoredEvent':
      return storedDataInvalid(
        `stored event ${error.streamId} version ${error.version} (${error.type}, position ${error.position}) cannot be read: ${error.message}`,
      )
    case 'InvalidRequest':
      return usage(error.message)
    case 'InvalidEvent':
      return inputRejected(`event ${error.type} for ${error.streamId} refused: ${error.message}`)
    case 'DuplicateEventId':
      return inputRejected(`event id ${error.eventId} is already stored with other content (stream ${error.streamId})`)
    case 'WrongExpectedVersion':
      return storeUnavailable(`another writer kept changing ${error.streamId}; try again`)
  }
}

/** A read-model store error met while a command runs, as the failure the user sees. */
export const readModelStoreFailure = (error: ReadModelStoreError): CliFailure => {
  switch (error._tag) {
    case 'ReadModelStoreUnavailable':
      return storeUnavailable(`the read-model store is unavailable: ${describeCause(error.cause)}`)
    case 'CheckpointConflict':
      return storeUnavailable(`another runner is updating ${error.namespace.name}@${error.namespace.version}; try again`)
    case 'InvalidReadModelRequest':
      return usage(`${error.namespace.name}@${error.namespace.version}: ${error.message}`)
    case 'SkipAlreadyRecorded':
      return inputRejected(`a skip of ${error.position} is already recorded for ${error.namespace.name}@${error.namespace.version}`)
    case 'ActiveVersionCannotBeDropped':
      return notFound(`${error.namespace.name}@${error.namespace.version} is the version readers use and cannot be dropped`)
  }
}

export interface EventStoreSettings {
  /** Checks each event before it is appended; by default the domain's codecs and the audit's seal. */
  readonly validate?: AppendValidator
  /** SQLite only: 'normal' for a file that is rebuilt at will (the demo), 'full' (the default) otherwise. */
  readonly synchronous?: 'full' | 'normal'
}

/**
 * Every store the command line opens refuses an event that does not decode with the domain's codecs,
 * or the audit's own (`AuditSealed`, which `seal` appends).
 */
const auditedEventValidator: AppendValidator = validateWith(auditedEventRegistry)

/**
 * Opens the event store at `location`. An EventStoreDB store connects lazily, so an unreachable
 * cluster shows up at the first read or append (as `StoreUnavailable` too).
 */
export const openEventStore = async (location: StoreLocation, settings: EventStoreSettings = {}): Promise<E.Either<CliFailure, EventStore>> => {
  const options = { validate: settings.validate ?? auditedEventValidator }
  switch (location._tag) {
    case 'Memory':
      return E.right(inMemoryEventStore(options))
    case 'Sqlite':
      return E.mapLeft(sqliteOpenFailure)(await sqliteEventStore({ filename: location.filename, ...options, ...(settings.synchronous === undefined ? {} : { synchronous: settings.synchronous }) })())
    case 'Postgres': {
      const opened = await postgresEventStore({
        connectionString: location.connectionString,
        ...(location.schema === undefined ? {} : { schema: location.schema }),
        ...options,
      })()
      return E.mapLeft((error: EventStoreError) =>
        error._tag === 'EventStoreUnavailable'
          ? storeUnavailable(`cannot open the event store on ${describeLocation(location)}: ${describeCause(error.cause)}`)
          : eventStoreFailure(error),
      )(opened)
    }
    case 'EventStoreDb':
      return E.mapLeft((error: EventStoreError) =>
        error._tag === 'InvalidRequest' ? usage(error.message) : eventStoreFailure(error),
      )(eventStoreDbEventStore({ connectionString: location.connectionString, ...options }))
  }
}

/** Opens the read-model store at `location` (never EventStoreDB: `readModelLocation` refuses it). */
export const openReadModelStore = async (location: StoreLocation): Promise<E.Either<CliFailure, ReadModelStore>> => {
  switch (location._tag) {
    case 'Memory':
      return E.right(inMemoryReadModelStore())
    case 'Sqlite':
      return E.mapLeft(sqliteOpenFailure)(await sqliteReadModelStore({ filename: location.filename })())
    case 'Postgres': {
      const opened = await postgresReadModelStore({
        connectionString: location.connectionString,
        ...(location.schema === undefined ? {} : { schema: location.schema }),
      })()
      return E.mapLeft((error: ReadModelStoreError) =>
        error._tag === 'ReadModelStoreUnavailable'
          ? storeUnavailable(`cannot open the read-model store on ${describeLocation(location)}: ${describeCause(error.cause)}`)
          : readModelStoreFailure(error),
      )(opened)
    }
    case 'EventStoreDb':
      return E.left(usage('read models cannot live in EventStoreDB'))
  }
}
