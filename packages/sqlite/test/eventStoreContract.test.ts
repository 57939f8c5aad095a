import * as E from 'fp-ts/lib/Either.js'
import type { EventStoreOptions } from '@policy-credit/event-store'
import { describeEventStoreContract } from '@policy-credit/event-store/testing'
import { sqliteEventStore, type SqliteEventStore } from '../src/index.ts'
import { temporaryDirectory } from './temporaryFiles.ts'

const files = temporaryDirectory()

const open = async (filename: string, options: EventStoreOptions): Promise<SqliteEventStore> => {
  const opened = await sqliteEventStore({ filename, ...options })()
  if (E.isLeft(opened)) throw new Error(`could not open ${filename}: ${opened.left._tag}`)
  return opened.right
}

// A fresh file per store; `connect` opens another better-sqlite3 connection on the same file.
describeEventStoreContract('sqlite', async (options) => {
  const filename = files.newFile()
  return { store: await open(filename, options), connect: () => open(filename, options) }
})
