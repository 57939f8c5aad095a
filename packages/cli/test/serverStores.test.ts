/**
 * The command line on the server stores: PostgreSQL for events and read models, and EventStoreDB
 * events (the real client over gRPC, against the eventstoredb package's in-process protocol double)
 * with PostgreSQL or SQLite read models. The same import and report as on SQLite, the same figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEventStoreDbProtocolDouble, type EventStoreDbProtocolDouble } from '@policy-credit/eventstoredb/testing'
import { ExitCode } from '../src/failures.ts'
import { town, writeLines } from './fixtures.ts'
import { cli, postgresUrl, usePostgresSchemas, useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()
const schema = usePostgresSchemas()

type JsonReport = { readonly tables: ReadonlyArray<{ readonly rows: ReadonlyArray<Record<string, unknown>> }> }

const importTwiceAndReport = async (globalOptions: ReadonlyArray<string>): Promise<void> => {
  const commands = writeLines(file(`town-${Math.random().toString(36).slice(2)}.jsonl`), town)
  const first = await cli([...globalOptions, 'import', '--quiet', commands])
  expect(first.stderr).toBe('')
  expect(first.exitCode).toBe(ExitCode.Ok)
  const second = await cli([...globalOptions, 'import', '--quiet', commands])
  expect(second.stdout).toContain(`${town.length} commands: 0 appended 0 events, ${town.length} already imported`)
  const report = await cli([...globalOptions, 'report', 'outstanding-debt', '--as-of', '2024-03-01', '--format', 'json'])
  expect(report.exitCode).toBe(ExitCode.Ok)
  expect((JSON.parse(report.stdout) as JsonReport).tables[0]?.rows[0]).toMatchObject({ programme: 'POOR_HOUSEHOLD', outstanding: '30000000', borrowers: 1 })
  const history = await cli([...globalOptions, 'history', 'loan-LN-1', '--format', 'json'])
  expect(history.exitCode).toBe(ExitCode.Ok)
}

describe('policy-credit on PostgreSQL', () => {
  it('imports, imports again without appending, and reports, with read models in their own schema', async () => {
    await importTwiceAndReport(['--store', `${postgresUrl}?schema=${schema()}`])
  })
})

describe('policy-credit on EventStoreDB events', () => {
  let double: EventStoreDbProtocolDouble
  beforeAll(async () => {
    double = await startEventStoreDbProtocolDouble()
  })
  afterAll(async () => {
    await double.close()
  })

  it('needs durable read models beside EventStoreDB (exit 1 without them)', async () => {
    const run = await cli(['--store', double.connectionString, 'report', 'outstanding-debt'])
    expect(run.exitCode).toBe(ExitCode.Usage)
    expect(run.stderr).toContain('--read-models')
  })

  it('imports and reports with read models in SQLite', async () => {
    await importTwiceAndReport(['--store', double.connectionString, '--read-models', `sqlite:${file('esdb-read-models.db')}`])
  })
})
