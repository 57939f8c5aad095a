import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '../src/failures.ts'
import { householdId, loanId, town, writeLines } from './fixtures.ts'
import { cli, useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()

/** A SQLite store holding the town's commands, imported through the command line. */
const importedTown = async (name: string): Promise<string> => {
  const store = `sqlite:${file(`${name}.db`)}`
  const imported = await cli(['--store', store, 'import', '--quiet', writeLines(file(`${name}.jsonl`), town)])
  expect(imported.exitCode).toBe(ExitCode.Ok)
  return store
}

describe('history and state', () => {
  let store = ''
  beforeAll(async () => {
    store = await importedTown('history')
  })

  it('lists every event of a stream in order with its business date and recorded instant', async () => {
    const run = await cli(['--store', store, 'history', `household-${householdId}`])
    expect(run.exitCode).toBe(ExitCode.Ok)
    const rows = run.stdout.split('\n').filter((text) => /^\d+ {2}/.test(text))
    expect(rows.map((row) => row.split(/\s+/)[0])).toStrictEqual(['1', '2', '3'])
    expect(rows.map((row) => /\d{4}-\d{2}-\d{2}(?!T)/.exec(row.replace(/\S+T\S+/, ''))?.[0])).toStrictEqual(['2022-03-01', '2022-10-05', '2022-12-10'])
    expect(rows[1]).toContain('HouseholdAssessed')
    expect(rows[1]).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/)
    expect(run.stdout).toContain('"householdClass":"POOR"')
  })

  it('gives the same history as JSON, with the actor of each decision', async () => {
    const run = await cli(['--store', store, 'history', `loan-${loanId}`, '--format', 'json'])
    expect(run.exitCode).toBe(ExitCode.Ok)
    const rows = JSON.parse(run.stdout) as ReadonlyArray<{ type: string; occurredOn: string; recordedAt: string; actor: string | null }>
    expect(rows.map((row) => row.type).slice(0, 4)).toStrictEqual(['LoanRequested', 'LoanVettedByGroup', 'LoanCertifiedByCommune', 'LoanApproved'])
    expect(rows.find((row) => row.type === 'LoanApproved')).toMatchObject({ occurredOn: '2023-02-15', actor: 'vbsp-officer-7' })
    expect(rows.every((row) => !Number.isNaN(Date.parse(row.recordedAt)))).toBe(true)
  })

  it('says a stream with no events was not found (exit 4)', async () => {
    const run = await cli(['--store', store, 'history', 'loan-NO-SUCH-LOAN'])
    expect(run.exitCode).toBe(ExitCode.NotFound)
    expect(run.stderr).toContain('loan-NO-SUCH-LOAN has no events')
  })

  it('folds a stream as of a business date: the class recognised in December is not there in September', async () => {
    const september = await cli(['--store', store, 'state', `household-${householdId}`, '--as-of', '2022-09-30', '--format', 'json'])
    expect(september.exitCode).toBe(ExitCode.Ok)
    expect(JSON.parse(september.stdout)).toMatchObject({ eventsApplied: 1, eventsInStream: 3, lastApplied: { type: 'HouseholdRegistered' } })
    const december = await cli(['--store', store, 'state', `household-${householdId}`, '--as-of', '2022-12-31'])
    expect(december.exitCode).toBe(ExitCode.Ok)
    expect(december.stdout).toContain('as of 2022-12-31')
    expect(december.stdout).toContain('3 of 3 events applied')
    expect(december.stdout).toContain('POOR')
  })

  it('folds a stream as it was known at an instant: nothing was recorded in 2000', async () => {
    const run = await cli(['--store', store, 'state', `loan-${loanId}`, '--known-at', '2000-01-01T00:00:00Z', '--format', 'json'])
    expect(run.exitCode).toBe(ExitCode.Ok)
    expect(JSON.parse(run.stdout)).toMatchObject({ eventsApplied: 0, lastApplied: null, query: { knownAt: '2000-01-01T00:00:00Z' } })
  })

  it('refuses a date that is no calendar day (exit 1) and a stream of no known aggregate (exit 2)', async () => {
    const badDate = await cli(['--store', store, 'state', `household-${householdId}`, '--as-of', '2022-02-30'])
    expect(badDate.exitCode).toBe(ExitCode.Usage)
    expect(badDate.stderr).toContain('"2022-02-30"')
    const unknown = await cli(['--store', store, 'state', 'tractor-7'])
    expect(unknown.exitCode).toBe(ExitCode.InputRejected)
    expect(unknown.stderr).toContain('loan-<loanId>')
  })
})

describe('explain loan', () => {
  it('lists every decision on the loan in order with its evidence, and refuses an unknown loan (exit 4)', async () => {
    const store = await importedTown('explained')
    const run = await cli(['--store', store, 'explain', 'loan', loanId])
    expect(run.exitCode).toBe(ExitCode.Ok)
    const decisions = run.stdout.split('\n').filter((text) => /^\d+\. /.test(text))
    expect(decisions.map((text) => /— (\w+),/.exec(text)?.[1]).slice(0, 5)).toStrictEqual(['LoanRequested', 'LoanVettedByGroup', 'LoanCertifiedByCommune', 'LoanApproved', 'LoanDisbursed'])
    expect(run.stdout).toContain('vbsp-officer-7')
    const json = await cli(['--store', store, 'explain', 'loan', loanId, '--format', 'json'])
    const explanation = JSON.parse(json.stdout) as { decisions: Array<{ event: { type: string }; evidence: Record<string, unknown> }> }
    const approval = explanation.decisions.find((decision) => decision.event.type === 'LoanApproved')
    expect(JSON.stringify(approval?.evidence)).toContain('POOR')
    expect(JSON.stringify(approval?.evidence)).toContain('15/QD-UBND')
    const unknown = await cli(['--store', store, 'explain', 'loan', 'LN-404'])
    expect(unknown.exitCode).toBe(ExitCode.NotFound)
  })
})

describe('seal and verify', () => {
  it('seals the log, verifies it against the seals and the anchor, and names an event edited behind the store', async () => {
    const store = await importedTown('sealed')
    const sealed = await cli(['--store', store, 'seal', '--sealed-on', '2024-03-01', '--actor', 'auditor-1'])
    expect(sealed.exitCode).toBe(ExitCode.Ok)
    const anchor = /^anchor: (\d+:[0-9a-f]{64})$/m.exec(sealed.stdout)?.[1] ?? ''
    expect(anchor).not.toBe('')

    const verified = await cli(['--store', store, 'verify', '--anchor', anchor])
    expect(verified.exitCode).toBe(ExitCode.Ok)
    expect(verified.stdout).toContain('OK')

    // Edit the approved amount of the loan in the file itself, past the store's triggers.
    const database = new Database(store.slice('sqlite:'.length))
    database.exec('DROP TRIGGER events_are_not_updated')
    const changed = database.prepare(`UPDATE events SET data = replace(data, '"50000000"', '"90000000"') WHERE type = 'LoanApproved'`).run().changes
    database.close()
    expect(changed).toBe(1)

    const tampered = await cli(['--store', store, 'verify'])
    expect(tampered.exitCode).toBe(ExitCode.VerificationFailed)
    expect(tampered.stdout).toContain('TAMPERED')
    expect(tampered.stderr).toMatch(/\(loan-LN-1 version \d+, LoanApproved, .*is not the event sealed there/)
  })

  it('refuses a malformed anchor as a usage error', async () => {
    const run = await cli(['--store', 'memory:', 'verify', '--anchor', '12:abc'])
    expect(run.exitCode).toBe(ExitCode.Usage)
  })
})
