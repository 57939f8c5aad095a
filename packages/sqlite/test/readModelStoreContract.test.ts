import { describeReadModelStoreContract } from '@policy-credit/projections/testing'
import { openReadModelStore, temporaryDirectory } from './fixtures.ts'

const files = temporaryDirectory()

describeReadModelStoreContract('sqlite', () => openReadModelStore(files.newFile('read-models')))
