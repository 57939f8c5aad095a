/**
 * Tampering with a SQLite file the way someone with the file and a `sqlite3` shell could: drop the
 * append-only triggers, then edit or delete rows. The verifier, reading through the ordinary store,
 * must name the event that was changed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, describe, expect, it } from 'vitest'
import { fc } from '@fast-check/vitest'
import { loanLifecycle } from '@policy-credit/core/testing'
import { validateWith } from '@policy-credit/event-store'
import { steppingClock } from '@policy-credit/event-store/testing'
import { sqliteEventStore, type SqliteEventStore } from '@policy-credit/sqlite'
import { auditedEventRegistry, history, sealLog, verifyLog } from '../src/index.ts'
import { expectRight, loanStreamId, recordLifecycle } from './scenario.ts'

const directory = mkdtempSync(join(tmpdir(), 'policy-credit-audit-'))
afterAll(() => rmSync(directory, { recursive: true, force: true }))
let files = 0

const open = async (filename: string): Promise<SqliteEventStore> => {
  const opened = await sqliteEventStore({ filename, validate: validateWith(auditedEventRegistry), clock: steppingClock('2026-01-01T00:00:00.000Z') })()
  if (E.isLeft(opened)) throw new Error(`could not open ${filename}: ${opened.left._tag}`)
  return opened.right
}

/** A loan recorded through the command handler into a fresh file, then sealed; the store is closed after. */
const sealedFile = async (): Promise<{ readonly filename: string; readonly loanId: string }> => {
  const filename = join(directory, `tampered-${++files}.sqlite`)
  const [lifecycle] = fc.sample(loanLifecycle(6), { numRuns: 1, seed: 2022 })
  if (lifecycle === undefined) throw new Error('no sample')
  const store = await open(filename)
  await recordLifecycle(store, lifecycle)
  expectRight(await sealLog(store, { sealedOn: '2026-06-30', actor: 'auditor-1' })())
  expect(expectRight(await verifyLog(store)()).ok).toBe(true)
  await store.close()
  return { filename, loanId: lifecycle.commands[0]?.data.loanId ?? '' }
}

const withShell = (filename: string, edit: (database: Database.Database) => void): void => {
  const database = new Database(filename)
  try {
    edit(database)
  } finally {
    database.close()
  }
}

const verifyFile = async (filename: string) => {
  const store = await open(filename)
  try {
    return expectRight(await verifyLog(store)())
  } finally {
    await store.close()
  }
}

describe('tampering with a SQLite file', () => {
  it('refuses an UPDATE while the append-only trigger stands', async () => {
    const { filename } = await sealedFile()
    withShell(filename, (database) => {
      expect(() => database.prepare(`UPDATE events SET actor = 'someone' WHERE position = 1`).run()).toThrow(/UPDATE refused/)
    })
  })

  it('names the disbursement whose amount was raised after the trigger was dropped', async () => {
    const { filename, loanId } = await sealedFile()
    withShell(filename, (database) => {
      database.exec('DROP TRIGGER events_are_not_updated')
      const changed = database
        .prepare(`UPDATE events SET data = json_set(data, '$.amount', '999000000') WHERE stream_id = ? AND type = 'LoanDisbursed'`)
        .run(loanStreamId(loanId))
      expect(changed.changes).toBe(1)
    })

    const report = await verifyFile(filename)

    expect(report.ok).toBe(false)
    const disbursement = new Database(filename, { readonly: true })
      .prepare<[], { position: number; version: number; event_id: string }>(`SELECT position, version, event_id FROM events WHERE type = 'LoanDisbursed'`)
      .get()
    expect(report.problem).toMatchObject({
      _tag: 'EventAltered',
      event: { streamId: loanStreamId(loanId), type: 'LoanDisbursed', version: String(disbursement?.version), eventId: disbursement?.event_id, ordinal: disbursement?.position },
    })
  })

  it('names an event whose actor column was rewritten, though its data is untouched', async () => {
    const { filename } = await sealedFile()
    withShell(filename, (database) => {
      database.exec('DROP TRIGGER events_are_not_updated')
      database.prepare(`UPDATE events SET actor = 'branch-director' WHERE position = 4`).run()
    })
    expect((await verifyFile(filename)).problem).toMatchObject({ _tag: 'EventAltered', event: { ordinal: 4, type: 'LoanApproved' } })
  })

  it('names the place of a deleted event', async () => {
    const { filename, loanId } = await sealedFile()
    withShell(filename, (database) => {
      database.exec('DROP TRIGGER events_are_not_deleted')
      database.prepare('DELETE FROM events WHERE position = 2').run()
    })
    const report = await verifyFile(filename)
    expect(report.problem).toMatchObject({ _tag: 'EventMissing', ordinal: 2, foundInstead: { streamId: loanStreamId(loanId), version: '3' } })
    // The history still reads: the gap is the verifier's to name, not the reader's to crash on.
    const store = await open(filename)
    expect(expectRight(await history(store, loanStreamId(loanId))()).map((row) => row.version)).not.toContain('2')
    await store.close()
  })
})
