import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { newEvent } from '@policy-credit/event-store/testing'
import type { Position } from '@policy-credit/event-store'
import { postgresEventStore, postgresReadModelStore } from '../src/index.ts'
import { connectionString, randomName, right, useDatabase } from './database.ts'
import { compareDocumentIds } from '@policy-credit/projections'
import { fc, test } from '@fast-check/vitest'

const database = useDatabase()
const namespace = { name: 'outstanding-debt', version: 1 }

describe('the PostgreSQL read-model store', () => {
  it('lets exactly one of several racing runners commit from the same checkpoint, and only its documents land', async () => {
    const schema = database.schema()
    const runners = await Promise.all(Array.from({ length: 6 }, async () => right(await postgresReadModelStore({ connectionString, schema })())))
    try {
      const checkpoint = (runner: number) => `0000000000000000000${runner}` as Position
      const outcomes = await Promise.all(
        runners.map((store, runner) =>
          store.commit(namespace, {
            changes: [{ _tag: 'Put', id: 'commune:C01', document: { runner } }, { _tag: 'Put', id: `runner:${runner}`, document: runner }],
            expectedCheckpoint: undefined,
            checkpoint: checkpoint(runner),
          })(),
        ),
      )
      const winners = outcomes.flatMap((outcome, runner) => (E.isRight(outcome) ? [runner] : []))
      expect(winners).toHaveLength(1)
      const winner = winners[0] ?? -1
      for (const outcome of outcomes) {
        if (E.isLeft(outcome)) expect(outcome.left).toStrictEqual({ _tag: 'CheckpointConflict', namespace, expected: undefined, actual: checkpoint(winner) })
      }
      const store = runners[0]
      if (store === undefined) throw new Error('no store')
      expect(right(await store.scanDocuments(namespace, { _tag: 'All' })())).toStrictEqual([
        { id: 'commune:C01', document: { runner: winner } },
        { id: `runner:${winner}`, document: winner },
      ])
    } finally {
      await Promise.all(runners.map((store) => store.close()))
    }
  })

  it('keeps read models in another database than the events, the checkpoint being the event position', async () => {
    const readModelDatabase = randomName('pc_test_db')
    await database.pool.query(`CREATE DATABASE "${readModelDatabase}"`)
    const events = right(await postgresEventStore({ connectionString, schema: database.schema() })())
    const readModels = right(await postgresReadModelStore({ connectionString: connectionString.replace(/\/[^/]*$/, `/${readModelDatabase}`) })())
    try {
      const appended = right(await events.appendToStream('loan-1', { _tag: 'NoStream' }, [newEvent(), newEvent()])())
      right(await readModels.commit(namespace, { changes: [{ _tag: 'Put', id: 'loan-1', document: { events: 2 } }], expectedCheckpoint: undefined, checkpoint: appended.position })())
      const checkpoint = right(await readModels.readCheckpoint(namespace)())
      expect(checkpoint).toBe(appended.position)
      expect(right(await events.readAll({ maxCount: 10, ...(checkpoint === undefined ? {} : { after: checkpoint }) })()).events).toStrictEqual([])
    } finally {
      await events.close()
      await readModels.close()
      await database.pool.query(`DROP DATABASE "${readModelDatabase}" WITH (FORCE)`)
    }
  })
})
