import { describeReadModelStoreContract } from '@policy-credit/projections/testing'
import { postgresReadModelStore } from '../src/index.ts'
import { connectionString, right, useDatabase } from './database.ts'

const database = useDatabase()

describeReadModelStoreContract('postgres', async () => right(await postgresReadModelStore({ connectionString, schema: database.schema() })()))
