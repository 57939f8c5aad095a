import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nghiaLoProgrammeVersionsJson } from '@policy-credit/example-nghia-lo'
import type { RecordedEvent } from '@policy-credit/event-store'
import { ExitCode } from '../src/failures.ts'
import { openEventStore } from '../src/stores.ts'
import { town, writeLines, line, householdId } from './fixtures.ts'
import { cli, right, useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()

const allEvents = async (filename: string): Promise<ReadonlyArray<RecordedEvent>> => {
  const store = right(await openEventStore({ _tag: 'Sqlite', filename }))
  try {
    return right(await store.readAll({ maxCount: 10_000 })()).events
  } finally {
    await store.close()
  }
}

describe('import', () => {
  it('executes every line in order and reports each outcome; importing the file again appends nothing', async () => {
    const store = file('twice.db')
    const commands = writeLines(file('town.jsonl'), town)
    const first = await cli(['--store', `sqlite:${store}`, 'import', commands])
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(ExitCode.Ok)
    const outcomeLines = first.stdout.split('\n').filter((text) => text.startsWith('line '))
    expect(outcomeLines.map((text) => Number(/^line (\d+):/.exec(text)?.[1]))).toStrictEqual(town.map((_, index) => index + 1))
    expect(first.stdout).toContain('line 1: DeclareCommune → commune-XA-NGHIA-AN +1: 1 event appended')
    // The disbursement reserves the commune's capital first, then appends to the loan.
    expect(first.stdout).toMatch(/line 11: DisburseLoan → capital-XA-NGHIA-AN-2023 \+1, loan-LN-1 \+\d+: \d+ events appended/)
    expect(first.stdout).toMatch(/12 commands: 12 appended \d+ events, 0 already imported, 0 refused/)
    const afterFirst = await allEvents(store)
    expect(afterFirst.length).toBeGreaterThanOrEqual(town.length)

    const second = await cli(['--store', `sqlite:${store}`, 'import', commands])
    expect(second.exitCode).toBe(ExitCode.Ok)
    expect(second.stdout).toContain('12 commands: 0 appended 0 events, 12 already imported, 0 refused')
    expect(second.stdout.split('\n').filter((text) => text.endsWith('already imported'))).toHaveLength(12)
    expect(await allEvents(store)).toStrictEqual(afterFirst)
  })

  it('reports every malformed line with its number and reason, and imports nothing', async () => {
    const store = file('malformed.db')
    const lines = [...town.slice(0, 2), '{"commandId": "broken", ', town[2] ?? '', '', line('x-1', 'PaintTheTownRed', {}), line('r-2', 'RegisterHousehold', { householdId: 'HH-2', communeId: 'XA-NGHIA-AN', areaType: 'SUBURBAN', members: 4, registeredOn: '2022-03-01' })]
    const run = await cli(['--store', `sqlite:${store}`, 'import', writeLines(file('malformed.jsonl'), lines)])
    expect(run.exitCode).toBe(ExitCode.InputRejected)
    expect(run.stderr).toMatch(/^line 3: not JSON: /m)
    expect(run.stderr).toMatch(/^line 6: unknown command type "PaintTheTownRed"/m)
    expect(run.stderr).toMatch(/^line 7: RegisterHousehold: command\.data\.areaType: expected .*, got "SUBURBAN"/m)
    expect(run.stderr).toContain('nothing imported: 3 of 6 lines')
    expect(run.stdout).toBe('')
    expect(await allEvents(store)).toStrictEqual([])
  })

  it('reports a command the domain refuses with its line and rule, appends nothing for it, and goes on', async () => {
    const store = file('refused.db')
    // Assessing a household that was never registered is refused; the lines around it are not.
    const assessUnknown = line('assess-hh-9', 'AssessHousehold', {
      householdId: 'HH-9',
      standardId: 'ND-07-2021',
      reviewYear: 2022,
      reviewKind: 'PERIODIC',
      assessedOn: '2022-10-05',
      incomePerPersonPerMonth: '1200000',
      deprivedIndicators: [],
    })
    const lines = [...town.slice(0, 3), assessUnknown, ...town.slice(3, 5)]
    const run = await cli(['--store', `sqlite:${store}`, 'import', writeLines(file('refused.jsonl'), lines)])
    expect(run.exitCode).toBe(ExitCode.InputRejected)
    expect(run.stdout).toMatch(/^line 4: refused: AssessHousehold rejected by the Household rules: HouseholdStatusDisallowsCommand/m)
    expect(run.stdout).toContain('6 commands: 5 appended')
    expect(run.stderr).toContain('1 command was refused (lines 4)')
    const events = await allEvents(store)
    expect(events.some((event) => event.streamId === 'household-HH-9')).toBe(false)
    expect(events.filter((event) => event.streamId === `household-${householdId}`).map((event) => event.type)).toStrictEqual([
      'HouseholdRegistered',
      'HouseholdAssessed',
      'HouseholdClassRecognised',
    ])
  })

  it('with --quiet prints only refusals and the summary', async () => {
    const run = await cli(['--store', 'memory:', 'import', '--quiet', writeLines(file('quiet.jsonl'), town)])
    expect(run.exitCode).toBe(ExitCode.Ok)
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('draws a progress bar on a terminal and nothing into a pipe', async () => {
    const commands = writeLines(file('progress.jsonl'), town)
    const terminal = await cli(['--store', 'memory:', 'import', '--quiet', commands], { isTTY: true })
    expect(terminal.stderr).toContain('import [')
    expect(terminal.stderr).toContain(`${town.length}/${town.length} 100%`)
    const piped = await cli(['--store', 'memory:', 'import', '--quiet', commands], { isTTY: false })
    expect(piped.stderr).toBe('')
  })

  it('refuses a file it cannot read (exit 2) and a store it cannot reach (exit 3)', async () => {
    const missing = await cli(['--store', 'memory:', 'import', file('no-such-file.jsonl')])
    expect(missing.exitCode).toBe(ExitCode.InputRejected)
    expect(missing.stderr).toContain('cannot read')
    const unreachable = await cli(['--store', 'postgres://postgres@127.0.0.1:1/test', 'import', writeLines(file('unreachable.jsonl'), town)])
    expect(unreachable.exitCode).toBe(ExitCode.StoreUnavailable)
  })

  it('stops between commands when interrupted, and importing again resumes', async () => {
    const store = file('interrupted.db')
    const commands = writeLines(file('interrupted.jsonl'), town)
    const stop = new AbortController()
    stop.abort()
    const interrupted = await cli(['--store', `sqlite:${store}`, 'import', commands], { signal: stop.signal })
    expect(interrupted.exitCode).toBe(ExitCode.Interrupted)
    expect(interrupted.stderr).toContain('interrupted after 0 of 12 commands')
    const resumed = await cli(['--store', `sqlite:${store}`, 'import', commands])
    expect(resumed.exitCode).toBe(ExitCode.Ok)
    expect(resumed.stdout).toContain('12 commands: 12 appended')
  })

  describe('--programme-versions', () => {
    // The fixture's loan under social housing, approved in February 2023: before the national catalogue's
    // first social-housing version (10 May 2023), inside the one the Nghĩa Lộ example adds.
    const socialHousing = town.map((text) => {
      const parsed = JSON.parse(text) as { command: { type: string; data: Record<string, unknown> } }
      const data = parsed.command.data
      if (data['programme'] === 'POOR_HOUSEHOLD') data['programme'] = 'SOCIAL_HOUSING'
      if (parsed.command.type === 'ApproveLoan') data['collateral'] = { description: 'the house being built, 60 m²', value: '400000000' }
      return JSON.stringify(parsed)
    })
    const approveLine = town.findIndex((text) => text.includes('"ApproveLoan"')) + 1

    it('decides the commands under the versions the file adds to the national catalogue', async () => {
      const commands = writeLines(file('social-housing.jsonl'), socialHousing)
      const national = await cli(['--store', `sqlite:${file('national.db')}`, 'import', commands])
      expect(national.exitCode).toBe(ExitCode.InputRejected)
      expect(national.stdout).toMatch(new RegExp(`^line ${approveLine}: refused: .*SOCIAL_HOUSING`, 'm'))

      const versions = file('versions.json')
      writeFileSync(versions, nghiaLoProgrammeVersionsJson())
      const store = file('with-versions.db')
      const withVersions = await cli(['--store', `sqlite:${store}`, 'import', '--programme-versions', versions, commands])
      expect(withVersions.stderr).toBe('')
      expect(withVersions.exitCode).toBe(ExitCode.Ok)
      const approved = (await allEvents(store)).find((event) => event.type === 'LoanApproved')
      expect(approved?.data).toMatchObject({ approvedAmount: '50000000', termsVersionId: 'SOCIAL_HOUSING@2021-01-01' })
    })

    it.each([
      ['not JSON', '[{', /cannot read programme versions from .*versions-not JSON\.json/],
      ['a version with a fractional cap', JSON.stringify([{ ...JSON.parse(nghiaLoProgrammeVersionsJson())[0], cap: '500000000.5' }]), /is not a list of programme versions: 0\.cap: expected Vnd, got "500000000\.5"/],
      ['a version overlapping the national one', JSON.stringify([{ ...JSON.parse(nghiaLoProgrammeVersionsJson())[0], versionId: 'SOCIAL_HOUSING@local', validTo: '2024-01-01' }]), /does not fit the national catalogue: ProgrammeVersionsOverlap/],
    ])('refuses %s (exit 2) and imports nothing', async (name, contents, message) => {
      const versions = file(`versions-${name}.json`)
      writeFileSync(versions, contents)
      const store = file(`refused-${name}.db`)
      const run = await cli(['--store', `sqlite:${store}`, 'import', '--programme-versions', versions, writeLines(file(`lines-${name}.jsonl`), socialHousing)])
      expect(run.exitCode).toBe(ExitCode.InputRejected)
      expect(run.stderr).toMatch(message)
      expect(run.stdout).toBe('')
      expect(await allEvents(store)).toStrictEqual([])
    })
  })
})
