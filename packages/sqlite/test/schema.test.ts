import { writeFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { anyVersion, noStream } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, sqliteEventStore, sqliteReadModelStore } from '../src/index.ts'
import { migrations } from '../src/schema.ts'
import { openEventStore, openReadModelStore, rawConnection, temporaryDirectory } from './fixtures.ts'

const files = temporaryDirectory()

const fileFacts = (filename: string) => {
  const database = rawConnection(filename)
  try {
    return {
      userVersion: database.pragma('user_version', { simple: true }),
      applicationId: database.pragma('application_id', { simple: true }),
      journalMode: database.pragma('journal_mode', { simple: true }),
      objects: database
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'trigger') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all()
        .map((row) => row.name),
    }
  } finally {
    database.close()
  }
}

describe('the schema of a policy-credit SQLite file', () => {
  it('is created at the latest version, in WAL mode, marked with the application id', async () => {
    const filename = files.newFile()
    await (await openEventStore({ filename })).close()
    expect(fileFacts(filename)).toStrictEqual({
      userVersion: LATEST_SCHEMA_VERSION,
      applicationId: APPLICATION_ID,
      journalMode: 'wal',
      objects: [
        'events',
        'events_are_not_deleted',
        'events_are_not_updated',
        'read_model_active_versions',
        'read_model_checkpoints',
        'read_model_documents',
        'read_model_skips',
      ],
    })
  })

  it('numbers its migrations 1, 2, 3… with no gap, so user_version says which have run', () => {
    expect(migrations.map((migration) => migration.version)).toStrictEqual(migrations.map((_, index) => index + 1))
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length)
  })

  it('keeps the read-model documents of a file at schema version 2 when migration 3 rebuilds their table', async () => {
    const filename = files.newFile()
    const older = rawConnection(filename)
    for (const migration of migrations.slice(0, 2)) older.exec(migration.sql)
    older.pragma('user_version = 2')
    older.pragma(`application_id = ${APPLICATION_ID}`)
    const put = older.prepare('INSERT INTO read_model_documents (projection, projection_version, id, document) VALUES (?, ?, ?, ?)')
    put.run('outstanding-debt', 5, 'cells:D:2022-06-30:C01', '{"kind":"cells","entries":{}}')
    put.run('outstanding-debt', 5, 'borrowers:C01', '{"kind":"borrowers"}')
    put.run('poverty-rate', 3, 'commune:C01', '{"a":1}')
    older.close()
    const readModels = await openReadModelStore(filename)
    expect(await readModels.scanDocuments({ name: 'outstanding-debt', version: 5 }, { _tag: 'All' })()).toStrictEqual(
      E.right([
        { id: 'borrowers:C01', document: { kind: 'borrowers' } },
        { id: 'cells:D:2022-06-30:C01', document: { kind: 'cells', entries: {} } },
      ]),
    )
    expect(await readModels.getDocuments({ name: 'poverty-rate', version: 3 }, ['commune:C01'])()).toStrictEqual(E.right(new Map([['commune:C01', { a: 1 }]])))
    await readModels.close()
    expect(fileFacts(filename).userVersion).toBe(LATEST_SCHEMA_VERSION)
  })

  it('brings a file of an older schema version up to date, keeping its events', async () => {
    const filename = files.newFile()
    const older = rawConnection(filename)
    older.exec(migrations[0]?.sql ?? '')
    older.pragma('user_version = 1')
    older.pragma(`application_id = ${APPLICATION_ID}`)
    older.close()
    const events = await openEventStore({ filename })
    const appended = await events.appendToStream('loan-1', noStream, [newEvent()])()
    expect(E.isRight(appended)).toBe(true)
    await events.close()
    expect(fileFacts(filename).userVersion).toBe(LATEST_SCHEMA_VERSION)
    const readModels = await openReadModelStore(filename)
    expect(await readModels.readCheckpoint({ name: 'outstanding-debt', version: 1 })()).toStrictEqual(E.right(undefined))
    await readModels.close()
  })

  it('refuses a file migrated by a newer version of this package, with both stores, and leaves it as it was', async () => {
    const filename = files.newFile()
    await (await openEventStore({ filename })).close()
    const newer = rawConnection(filename)
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    newer.close()
    const refusal = { _tag: 'SqliteSchemaTooNew', filename, fileSchemaVersion: LATEST_SCHEMA_VERSION + 1, supportedSchemaVersion: LATEST_SCHEMA_VERSION }
    expect(await sqliteEventStore({ filename })()).toStrictEqual(E.left(refusal))
    expect(await sqliteReadModelStore({ filename })()).toStrictEqual(E.left(refusal))
    expect(fileFacts(filename).userVersion).toBe(LATEST_SCHEMA_VERSION + 1)
  })

  it("refuses another application's SQLite file without creating anything in it", async () => {
    const filename = files.newFile('foreign')
    const foreign = rawConnection(filename)
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)')
    foreign.close()
    expect(await sqliteEventStore({ filename })()).toStrictEqual(E.left({ _tag: 'NotAPolicyCreditFile', filename, applicationId: 0 }))
    expect(fileFacts(filename).objects).toStrictEqual(['invoices'])
  })

  it('reports a file that is not a database as unavailable, with the driver error as cause', async () => {
    const filename = files.newFile('garbage')
    writeFileSync(filename, 'this is not a SQLite database, just text long enough to have a header '.repeat(20))
    const opened = await sqliteEventStore({ filename })()
    expect(opened).toMatchObject(E.left({ _tag: 'SqliteFileUnavailable', filename, cause: { code: 'SQLITE_NOTADB' } }))
  })

  it('lets the event store and the read-model store share one file, each through its own connection', async () => {
    const filename = files.newFile('shared')
    const events = await openEventStore({ filename })
    const readModels = await openReadModelStore(filename)
    const appended = await events.appendToStream('loan-1', anyVersion, [newEvent()])()
    if (E.isLeft(appended)) expect.fail('append failed')
    const namespace = { name: 'outstanding-debt', version: 1 }
    expect(await readModels.commit(namespace, { changes: [{ _tag: 'Put', id: 'commune:C01', document: { outstanding: '1000000' } }], expectedCheckpoint: undefined, checkpoint: appended.right.position })()).toStrictEqual(E.right(undefined))
    await Promise.all([events.close(), readModels.close()])
    const database = rawConnection(filename)
    expect(database.prepare('SELECT count(*) AS count FROM events').get()).toStrictEqual({ count: 1 })
    expect(database.prepare('SELECT position FROM read_model_checkpoints').get()).toStrictEqual({ position: appended.right.position })
    database.close()
  })
})
