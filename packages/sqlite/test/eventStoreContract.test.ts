import { describeEventStoreContract } from '@policy-credit/event-store/testing'
import { openEventStore, temporaryDirectory } from './fixtures.ts'

const files = temporaryDirectory()

// A fresh file per store; `connect` opens another better-sqlite3 connection on the same file.
describeEventStoreContract('sqlite', async (options) => {
  const filename = files.newFile()
  return { store: await openEventStore({ filename, ...options }), connect: () => openEventStore({ filename, ...options }) }
})
