/**
 * The job's configuration, from environment variables (a service manager or a container sets them;
 * no flags to forget on a restart). Parsing is pure: a wrong value is a `ConfigurationError` naming the
 * variable, and the job starts nothing.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { parseStoreUrl, type StoreLocation } from '@policy-credit/cli'
import { defaultBatchSize } from '@policy-credit/projections'

/** Where the events are: the store of record the job follows. */
export type EventStoreLocation =
  | { readonly _tag: 'Postgres'; readonly connectionString: string; readonly schema?: string }
  | { readonly _tag: 'Sqlite'; readonly filename: string }
  | { readonly _tag: 'EventStoreDb'; readonly connectionString: string; readonly streamNamespace?: string }

/** Where the read models and their checkpoints are; may be another database than the events. */
export type ReadModelLocation =
  | { readonly _tag: 'Postgres'; readonly connectionString: string; readonly schema?: string }
  | { readonly _tag: 'Sqlite'; readonly filename: string }

export interface ReportingJobConfig {
  readonly eventStore: EventStoreLocation
  readonly readModels: ReadModelLocation
  /** Names of the projections to keep current (see `projectionCatalogue`). */
  readonly projections: ReadonlyArray<string>
  readonly batchSize: number
  readonly pollIntervalMs: number
  /** Least time between two progress lines of one projection (0: a line per batch). */
  readonly progressIntervalMs: number
  /** Most events counted to report how far a projection is behind (0: do not count). */
  readonly lagCountLimit: number
}

export interface ConfigurationError {
  readonly _tag: 'ConfigurationError'
  readonly variable: string
  readonly message: string
}

export type Environment = Readonly<Record<string, string | undefined>>

export const environmentVariables = {
  eventsUrl: 'POLICY_CREDIT_EVENTS_URL',
  eventsSchema: 'POLICY_CREDIT_EVENTS_SCHEMA',
  eventStoreDbNamespace: 'POLICY_CREDIT_EVENTS_STREAM_NAMESPACE',
  readModelsUrl: 'POLICY_CREDIT_READ_MODELS_URL',
  readModelsSchema: 'POLICY_CREDIT_READ_MODELS_SCHEMA',
  projections: 'POLICY_CREDIT_PROJECTIONS',
  batchSize: 'POLICY_CREDIT_BATCH_SIZE',
  pollIntervalMs: 'POLICY_CREDIT_POLL_INTERVAL_MS',
  progressIntervalMs: 'POLICY_CREDIT_PROGRESS_INTERVAL_MS',
  lagCountLimit: 'POLICY_CREDIT_LAG_COUNT_LIMIT',
} as const

export const defaults = { batchSize: defaultBatchSize, pollIntervalMs: 1000, progressIntervalMs: 1000, lagCountLimit: 10_000 } as const

const error = (variable: string, message: string): ConfigurationError => ({ _tag: 'ConfigurationError', variable, message })

const optional = (environment: Environment, variable: string): string | undefined => {
  const value = environment[variable]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** A URL read as the CLI reads it (one parser for every store URL); the schema variable, when set, wins over the URL's `?schema=`. */
const storeUrl = (environment: Environment, variable: string, schemaVariable: string): E.Either<ConfigurationError, StoreLocation> =>
  pipe(
    parseStoreUrl(optional(environment, variable) ?? ''),
    E.mapLeft((message) => error(variable, message)),
    E.map((location) => {
      const schema = optional(environment, schemaVariable)
      return location._tag === 'Postgres' && schema !== undefined ? { ...location, schema } : location
    }),
  )

const eventStoreLocation = (environment: Environment): E.Either<ConfigurationError, EventStoreLocation> => {
  const variable = environmentVariables.eventsUrl
  if (optional(environment, variable) === undefined) return E.left(error(variable, 'required: postgres://…, esdb://… or sqlite:<file>'))
  return E.flatMap((location: StoreLocation): E.Either<ConfigurationError, EventStoreLocation> => {
    if (location._tag === 'Memory') return E.left(error(variable, 'memory: holds no events another process wrote: give postgres://…, esdb://… or sqlite:<file>'))
    if (location._tag !== 'EventStoreDb') return E.right(location)
    const streamNamespace = optional(environment, environmentVariables.eventStoreDbNamespace)
    return E.right({ ...location, ...(streamNamespace === undefined ? {} : { streamNamespace }) })
  })(storeUrl(environment, variable, environmentVariables.eventsSchema))
}

const readModelLocation = (environment: Environment, events: EventStoreLocation): E.Either<ConfigurationError, ReadModelLocation> => {
  const variable = environmentVariables.readModelsUrl
  if (optional(environment, variable) === undefined) {
    // Read models beside the events is the simple deployment; EventStoreDB cannot hold them.
    const schema = optional(environment, environmentVariables.readModelsSchema)
    if (events._tag === 'Postgres') return E.right({ _tag: 'Postgres', connectionString: events.connectionString, ...(schema === undefined ? {} : { schema }) })
    return E.left(error(variable, 'required when the events are not in PostgreSQL: postgres://… or sqlite:<file>'))
  }
  return E.flatMap((location: StoreLocation): E.Either<ConfigurationError, ReadModelLocation> =>
    location._tag === 'Postgres' || location._tag === 'Sqlite'
      ? E.right(location)
      : E.left(error(variable, `read models are kept in postgres://… or sqlite:<file>, not ${location._tag === 'Memory' ? 'in memory, rebuilt on every start' : 'EventStoreDB'}`)),
  )(storeUrl(environment, variable, environmentVariables.readModelsSchema))
}

const whole = (environment: Environment, variable: string, fallback: number, minimum: number): E.Either<ConfigurationError, number> => {
  const text = optional(environment, variable)
  if (text === undefined) return E.right(fallback)
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN
  return Number.isSafeInteger(value) && value >= minimum ? E.right(value) : E.left(error(variable, `not a whole number ≥ ${minimum}: ${text}`))
}

/** Reads the configuration; `knownProjections` are the names the job can run, `defaultProjections` those it runs unless told. */
export const parseConfig = (
  environment: Environment,
  knownProjections: ReadonlyArray<string>,
  defaultProjections: ReadonlyArray<string> = knownProjections,
): E.Either<ConfigurationError, ReportingJobConfig> => {
  const listed = optional(environment, environmentVariables.projections)
  const projections = listed === undefined ? defaultProjections : [...new Set(listed.split(',').map((name) => name.trim()).filter((name) => name !== ''))]
  const unknown = projections.filter((name) => !knownProjections.includes(name))
  if (unknown.length > 0) return E.left(error(environmentVariables.projections, `unknown projection(s) ${unknown.join(', ')}; known: ${knownProjections.join(', ')}`))
  if (projections.length === 0) return E.left(error(environmentVariables.projections, 'names no projection'))
  return pipe(
    E.Do,
    E.bind('eventStore', () => eventStoreLocation(environment)),
    E.bind('readModels', ({ eventStore }) => readModelLocation(environment, eventStore)),
    E.bind('batchSize', () => whole(environment, environmentVariables.batchSize, defaults.batchSize, 1)),
    E.bind('pollIntervalMs', () => whole(environment, environmentVariables.pollIntervalMs, defaults.pollIntervalMs, 0)),
    E.bind('progressIntervalMs', () => whole(environment, environmentVariables.progressIntervalMs, defaults.progressIntervalMs, 0)),
    E.bind('lagCountLimit', () => whole(environment, environmentVariables.lagCountLimit, defaults.lagCountLimit, 0)),
    E.map((parsed): ReportingJobConfig => ({ ...parsed, projections })),
  )
}
