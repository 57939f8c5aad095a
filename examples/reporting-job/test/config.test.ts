import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { defaults, environmentVariables as variables, parseConfig } from '../src/index.ts'

const known = ['poverty-rate', 'outstanding-debt']
const postgres = 'postgres://reporter@db.example:5432/credit'

describe('the job configuration', () => {
  it('keeps the read models beside PostgreSQL events by default, in their own schema, running every known projection', () => {
    expect(parseConfig({ [variables.eventsUrl]: postgres, [variables.readModelsSchema]: 'reports' }, known)).toStrictEqual(
      E.right({
        eventStore: { _tag: 'Postgres', connectionString: postgres },
        readModels: { _tag: 'Postgres', connectionString: postgres, schema: 'reports' },
        projections: known,
        ...defaults,
      }),
    )
  })

  it('reads a schema from the URL as the CLI does, and the schema variable wins over it', () => {
    const locations = (environment: Record<string, string>) =>
      E.map((config: { readonly eventStore: unknown; readonly readModels: unknown }) => [config.eventStore, config.readModels])(parseConfig(environment, known))
    expect(locations({ [variables.eventsUrl]: `${postgres}?schema=events_a`, [variables.readModelsUrl]: `${postgres}?schema=reports_a` })).toStrictEqual(
      E.right([
        { _tag: 'Postgres', connectionString: postgres, schema: 'events_a' },
        { _tag: 'Postgres', connectionString: postgres, schema: 'reports_a' },
      ]),
    )
    expect(locations({ [variables.eventsUrl]: `${postgres}?schema=events_a`, [variables.eventsSchema]: 'events_b', [variables.readModelsUrl]: 'sqlite:reports.db' })).toStrictEqual(
      E.right([{ _tag: 'Postgres', connectionString: postgres, schema: 'events_b' }, { _tag: 'Sqlite', filename: 'reports.db' }]),
    )
  })

  it('runs the default projections unless told which', () => {
    const projections = (environment: Record<string, string>) =>
      E.map((config: { readonly projections: ReadonlyArray<string> }) => config.projections)(parseConfig({ [variables.eventsUrl]: postgres, ...environment }, [...known, 'events-by-type'], known))
    expect(projections({})).toStrictEqual(E.right(known))
    expect(projections({ [variables.projections]: 'events-by-type,poverty-rate,events-by-type' })).toStrictEqual(E.right(['events-by-type', 'poverty-rate']))
  })

  it('follows EventStoreDB with read models in SQLite or PostgreSQL, and needs them named', () => {
    const esdb = { [variables.eventsUrl]: 'esdb://node1:2113?tls=false', [variables.eventStoreDbNamespace]: 'tenant-a-' }
    expect(E.map((config: { readonly eventStore: unknown }) => config.eventStore)(parseConfig(esdb, known))).toStrictEqual(
      E.left({ _tag: 'ConfigurationError', variable: variables.readModelsUrl, message: expect.stringContaining('required') as unknown }),
    )
    const parsed = parseConfig({ ...esdb, [variables.readModelsUrl]: 'sqlite:/var/lib/reports.db' }, known)
    expect(E.map((config: { readonly eventStore: unknown; readonly readModels: unknown }) => [config.eventStore, config.readModels])(parsed)).toStrictEqual(
      E.right([
        { _tag: 'EventStoreDb', connectionString: 'esdb://node1:2113?tls=false', streamNamespace: 'tenant-a-' },
        { _tag: 'Sqlite', filename: '/var/lib/reports.db' },
      ]),
    )
  })

  it.each([
    [{}, variables.eventsUrl],
    [{ [variables.eventsUrl]: 'mysql://x' }, variables.eventsUrl],
    [{ [variables.eventsUrl]: 'sqlite:' }, variables.eventsUrl],
    [{ [variables.eventsUrl]: 'sqlite://events.db' }, variables.eventsUrl],
    [{ [variables.eventsUrl]: 'memory:' }, variables.eventsUrl],
    [{ [variables.eventsUrl]: 'postgres:///credit' }, variables.eventsUrl],
    [{ [variables.eventsUrl]: `${postgres}?schema=Bad-Name` }, variables.eventsUrl],
    [{ [variables.eventsUrl]: postgres, [variables.readModelsUrl]: 'memory:' }, variables.readModelsUrl],
    [{ [variables.eventsUrl]: postgres, [variables.readModelsUrl]: 'esdb://x:2113' }, variables.readModelsUrl],
    [{ [variables.eventsUrl]: postgres, [variables.projections]: 'poverty-rate,debts' }, variables.projections],
    [{ [variables.eventsUrl]: postgres, [variables.projections]: ' , ' }, variables.projections],
    [{ [variables.eventsUrl]: postgres, [variables.batchSize]: '0' }, variables.batchSize],
    [{ [variables.eventsUrl]: postgres, [variables.batchSize]: '1e3' }, variables.batchSize],
    [{ [variables.eventsUrl]: postgres, [variables.pollIntervalMs]: '-5' }, variables.pollIntervalMs],
  ])('refuses %j, naming %s', (environment, variable) => {
    const parsed = parseConfig(environment, known)
    expect(E.isLeft(parsed) && parsed.left.variable).toBe(variable)
  })

  test.prop([fc.subarray(known, { minLength: 1 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 })])(
    'reads back the projections, batch size and intervals it is given',
    (projections, batchSize, interval) => {
      const parsed = parseConfig(
        {
          [variables.eventsUrl]: postgres,
          [variables.projections]: ` ${projections.join(' , ')} `,
          [variables.batchSize]: String(batchSize),
          [variables.pollIntervalMs]: String(interval),
          [variables.progressIntervalMs]: String(interval),
          [variables.lagCountLimit]: String(interval),
        },
        known,
      )
      expect(E.map((config: { readonly projections: unknown; readonly batchSize: number; readonly pollIntervalMs: number; readonly progressIntervalMs: number; readonly lagCountLimit: number }) => [
        config.projections,
        config.batchSize,
        config.pollIntervalMs,
        config.progressIntervalMs,
        config.lagCountLimit,
      ])(parsed)).toStrictEqual(E.right([projections, batchSize, interval, interval, interval]))
    },
  )
})
