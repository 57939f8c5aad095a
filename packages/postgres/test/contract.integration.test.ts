import { describeEventStoreContract } from '@policy-credit/event-store/testing'
import { postgresEventStore } from '../src/index.ts'
import { connectionString, right, useDatabase } from './database.ts'

const database = useDatabase()

describeEventStoreContract('postgres', async (options) => {
  const schema = database.schema()
  const open = async () => right(await postgresEventStore({ connectionString, schema, ...options })())
  return { store: await open(), connect: open }
})
