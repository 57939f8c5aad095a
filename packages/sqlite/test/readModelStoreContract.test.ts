import * as E from 'fp-ts/lib/Either.js'
import { describeReadModelStoreContract } from '@policy-credit/projections/testing'
import { sqliteReadModelStore } from '../src/index.ts'
import { temporaryDirectory } from './temporaryFiles.ts'

const files = temporaryDirectory()

describeReadModelStoreContract('sqlite', async () => {
  const opened = await sqliteReadModelStore({ filename: files.newFile('read-models') })()
  if (E.isLeft(opened)) throw new Error(`could not open the read-model store: ${opened.left._tag}`)
  return opened.right
})
