import { writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { noStream } from '@policy-credit/event-store'
import { exitCodeOf, ExitCode } from '../src/failures.ts'
import { openEventStore, openReadModelStore } from '../src/stores.ts'
import { postgresUrl, right, usePostgresSchemas, useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()
const schema = usePostgresSchemas()

/** These tests are about opening stores, not about the domain: any event will do. */
const anyEvent = { validate: () => undefined }

const event = { eventId: '00000000-0000-4000-8000-000000000001', type: 'Noted', data: { n: 1 }, metadata: { occurredOn: '2022-06-30', schemaVersion: 1 } }

const failureCode = async (opening: Promise<E.Either<import('../src/failures.ts').CliFailure, unknown>>): Promise<number> => {
  const opened = await opening
  return E.isLeft(opened) ? exitCodeOf(opened.left) : ExitCode.Ok
}

describe('opening stores by URL', () => {
  it('keeps events and read models in one SQLite file that a later run reopens', async () => {
    const filename = file('one.db')
    const events = right(await openEventStore({ _tag: 'Sqlite', filename }, anyEvent))
    right(await events.appendToStream('s-1', noStream, [event])())
    const readModels = right(await openReadModelStore({ _tag: 'Sqlite', filename }))
    await readModels.close()
    await events.close()
    const reopened = right(await openEventStore({ _tag: 'Sqlite', filename }))
    expect(right(await reopened.readStream('s-1')()).map((recorded) => recorded.data)).toStrictEqual([{ n: 1 }])
    await reopened.close()
  })

  it('opens PostgreSQL events and read models in the schema the URL names', async () => {
    const name = schema()
    const events = right(await openEventStore({ _tag: 'Postgres', connectionString: postgresUrl, schema: name }, anyEvent))
    right(await events.appendToStream('s-1', noStream, [event])())
    await events.close()
    const readModels = right(await openReadModelStore({ _tag: 'Postgres', connectionString: postgresUrl, schema: `${name}_read_models` }))
    expect(right(await readModels.activeVersion('anything')())).toBeUndefined()
    await readModels.close()
  })

  it('refuses an event the domain does not know, by default', async () => {
    const store = right(await openEventStore({ _tag: 'Memory' }))
    const appended = await store.appendToStream('s-1', noStream, [event])()
    expect(E.isLeft(appended) && appended.left._tag).toBe('InvalidEvent')
  })

  it('reports a file that cannot be created as store unavailable (exit 3)', async () => {
    expect(await failureCode(openEventStore({ _tag: 'Sqlite', filename: file('missing-directory/x.db') }))).toBe(ExitCode.StoreUnavailable)
  })

  it('reports an unreachable PostgreSQL server as store unavailable (exit 3)', async () => {
    expect(await failureCode(openEventStore({ _tag: 'Postgres', connectionString: 'postgres://postgres@127.0.0.1:1/test' }))).toBe(ExitCode.StoreUnavailable)
    expect(await failureCode(openReadModelStore({ _tag: 'Postgres', connectionString: 'postgres://postgres@127.0.0.1:1/test' }))).toBe(ExitCode.StoreUnavailable)
  })

  it("leaves another application's SQLite file untouched and says so (exit 6)", async () => {
    const filename = file('other.db')
    const other = new Database(filename)
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)')
    other.close()
    expect(await failureCode(openEventStore({ _tag: 'Sqlite', filename }))).toBe(ExitCode.StoredDataInvalid)
  })

  it('reports a file that is not a database as store unavailable (exit 3)', async () => {
    const filename = file('text.db')
    writeFileSync(filename, 'this is not a database, it is a letter to the commune'.repeat(100))
    expect(await failureCode(openEventStore({ _tag: 'Sqlite', filename }))).toBe(ExitCode.StoreUnavailable)
  })

  it('refuses a malformed EventStoreDB connection string as a usage error (exit 1)', async () => {
    expect(await failureCode(openEventStore({ _tag: 'EventStoreDb', connectionString: 'esdb://' }))).toBe(ExitCode.Usage)
  })
})
