/**
 * Where the events and the read models live, named by URL: `sqlite:./policy-credit.db` (the default,
 * one portable file), `memory:` (gone when the process ends), `postgres://…` and, for events only,
 * `esdb://…` / `esdb+discover://…`. Parsing is pure: a bad URL is a usage error before anything opens.
 */
import * as E from 'fp-ts/lib/Either.js'

export type StoreLocation =
  | { readonly _tag: 'Sqlite'; readonly filename: string }
  | { readonly _tag: 'Memory' }
  /** `schema` comes from the URL's `?schema=` parameter, which PostgreSQL itself would not understand. */
  | { readonly _tag: 'Postgres'; readonly connectionString: string; readonly schema?: string }
  | { readonly _tag: 'EventStoreDb'; readonly connectionString: string }

export const DEFAULT_STORE_URL = 'sqlite:./policy-credit.db'

const SQLITE_PREFIX = 'sqlite:'
const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:'])
const EVENT_STORE_DB_PROTOCOLS = new Set(['esdb:', 'esdb+discover:'])

/** Parses a store URL, or says in words what is wrong with it. */
export const parseStoreUrl = (url: string): E.Either<string, StoreLocation> => {
  if (url === 'memory:') return E.right({ _tag: 'Memory' })
  if (url.startsWith(SQLITE_PREFIX)) {
    // `sqlite:./a.db`, `sqlite:/abs/a.db`, `sqlite:a.db`; `sqlite://` would make the path look like a host.
    const filename = url.slice(SQLITE_PREFIX.length)
    if (filename === '' || filename.startsWith('//'))
      return E.left(`a SQLite store URL is sqlite:<path to the file>, e.g. ${DEFAULT_STORE_URL}; got ${JSON.stringify(url)}`)
    if (filename === ':memory:') return E.left('for a store in memory use memory:, not sqlite::memory:')
    return E.right({ _tag: 'Sqlite', filename })
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return E.left(`not a store URL: ${JSON.stringify(url)} (expected sqlite:<file>, memory:, postgres://… or esdb://…)`)
  }
  if (POSTGRES_PROTOCOLS.has(parsed.protocol)) {
    if (parsed.hostname === '') return E.left(`a PostgreSQL URL needs a host: ${JSON.stringify(url)}`)
    const schema = parsed.searchParams.get('schema')
    parsed.searchParams.delete('schema')
    if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema))
      return E.left(`schema=${JSON.stringify(schema)} is not a plain lower-case PostgreSQL name (letters, digits, _)`)
    return E.right({ _tag: 'Postgres', connectionString: parsed.toString(), ...(schema === null ? {} : { schema }) })
  }
  if (EVENT_STORE_DB_PROTOCOLS.has(parsed.protocol)) return E.right({ _tag: 'EventStoreDb', connectionString: url })
  return E.left(`unknown store kind ${JSON.stringify(parsed.protocol)} in ${JSON.stringify(url)} (expected sqlite:, memory:, postgres:, esdb: or esdb+discover:)`)
}

/**
 * Where read models go when `--read-models` is not given: beside the events (the same SQLite file, the
 * same PostgreSQL database in its own schema — `<schema>_read_models` when the events URL names one,
 * the postgres package's default otherwise — the same process memory). EventStoreDB holds no read
 * models, so with it the read-model URL must be given.
 */
export const readModelLocation = (events: StoreLocation, readModels: StoreLocation | undefined): E.Either<string, StoreLocation> => {
  if (readModels?._tag === 'EventStoreDb') return E.left('read models cannot live in EventStoreDB: give --read-models sqlite:<file> or postgres://…')
  if (readModels !== undefined) {
    // Memory read models over SQLite or PostgreSQL events are a report rebuilt in-process; over an
    // EventStoreDB cluster that would replay `$all` on every run, and the checkpoint is meant to last.
    if (events._tag === 'EventStoreDb' && readModels._tag === 'Memory')
      return E.left('with EventStoreDB events, read models must be durable: give --read-models sqlite:<file> or postgres://…')
    return E.right(readModels)
  }
  if (events._tag === 'EventStoreDb')
    return E.left('with EventStoreDB events, say where the read models go: --read-models sqlite:<file> or postgres://…')
  // Beside the events' own schema, so that a reporting role can be granted the read models alone.
  if (events._tag === 'Postgres' && events.schema !== undefined)
    return E.right({ _tag: 'Postgres', connectionString: events.connectionString, schema: `${events.schema}_read_models` })
  return E.right(events)
}

/** The URL with its password hidden, for messages and logs. */
export const redactedUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password === '') return url
    parsed.password = '***'
    return parsed.toString()
  } catch {
    return url
  }
}
