/** Temporary SQLite files and stores on them for the tests: one directory per test file, removed after. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import type { ReadModelStore } from '@policy-credit/projections'
import { afterAll } from 'vitest'
import { sqliteEventStore, sqliteReadModelStore, type SqliteEventStore, type SqliteEventStoreOptions } from '../src/index.ts'

export const temporaryDirectory = (): { readonly newFile: (name?: string) => string } => {
  const directory = mkdtempSync(join(tmpdir(), 'policy-credit-sqlite-'))
  afterAll(() => rmSync(directory, { recursive: true, force: true }))
  let count = 0
  return { newFile: (name = 'store') => join(directory, `${name}-${++count}.sqlite`) }
}

export const openEventStore = async (options: SqliteEventStoreOptions): Promise<SqliteEventStore> => {
  const opened = await sqliteEventStore(options)()
  if (E.isLeft(opened)) throw new Error(`could not open ${options.filename}: ${opened.left._tag}`)
  return opened.right
}

export const openReadModelStore = async (filename: string): Promise<ReadModelStore> => {
  const opened = await sqliteReadModelStore({ filename })()
  if (E.isLeft(opened)) throw new Error(`could not open ${filename}: ${opened.left._tag}`)
  return opened.right
}

/** A plain better-sqlite3 connection, as an auditor's `sqlite3` shell or another program would have. */
export const rawConnection = (filename: string): Database.Database => new Database(filename)
