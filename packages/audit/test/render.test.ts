import { fc } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { loanLifecycle } from '@policy-credit/core/testing'
import { createInMemoryStorage, inMemoryEventStore } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import {
  explainLoan,
  history,
  renderAuditError,
  renderHistory,
  renderLoanExplanation,
  renderSealResult,
  renderState,
  renderVerifyReport,
  sealLog,
  stateAsOf,
  verifyLog,
} from '../src/index.ts'
import { expectLeft, expectRight, loanStreamId, recordLifecycle, validatingStore } from './scenario.ts'

const [lifecycle] = fc.sample(loanLifecycle(3), { numRuns: 1, seed: 9 })

const recorded = async () => {
  if (lifecycle === undefined) throw new Error('no sample')
  const storage = createInMemoryStorage()
  const store = validatingStore({ storage })
  await recordLifecycle(store, lifecycle)
  return { storage, store, loanId: lifecycle.commands[0]?.data.loanId ?? '' }
}

describe('text for a terminal', () => {
  it('shows each event of a history with both dates, its actor and its data, and says which are malformed', async () => {
    const { store, loanId } = await recorded()
    const rows = expectRight(await history(store, loanStreamId(loanId))())
    const text = renderHistory(loanStreamId(loanId), rows)
    for (const row of rows) {
      const line = text.split('\n').find((candidate) => candidate.includes(row.type) && candidate.includes(row.recordedAt))
      expect(line).toContain(row.occurredOn)
      expect(line).toContain(row.actor ?? '-')
    }
    expect(text).toContain('"approvedAmount":')

    const broken = inMemoryEventStore()
    expectRight(await broken.appendToStream('loan-LN-1', { _tag: 'Any' }, [newEvent({ type: 'LoanApproved', data: { loanId: 'LN-1' } })])())
    expect(renderHistory('loan-LN-1', expectRight(await history(broken, 'loan-LN-1')()))).toMatch(/MALFORMED: LoanApproved: data\.householdId/)
    expect(renderHistory('loan-NONE', [])).toBe('loan-NONE: no events\n')
  })

  it('shows a state with the moment it was taken at and the events behind it', async () => {
    const { store, loanId } = await recorded()
    const state = expectRight(await stateAsOf(store, loanStreamId(loanId), { asOf: '2030-01-01' })())
    const text = renderState(state)
    expect(text).toContain(`Loan ${loanStreamId(loanId)} as of 2030-01-01: ${state.eventsApplied} of ${state.eventsInStream} events applied`)
    expect(JSON.parse(text.slice(text.indexOf('\n') + 1))).toStrictEqual(state.state)
  })

  it("shows a loan's decisions in order with their evidence", async () => {
    const { store, loanId } = await recorded()
    const explanation = expectRight(await explainLoan(store, loanId)())
    const text = renderLoanExplanation(explanation)
    const numbered = text.split('\n').filter((line) => /^\d+\. /.test(line))
    expect(numbered).toHaveLength(explanation.decisions.length)
    expect(numbered[3]).toMatch(/approved by the bank — LoanApproved, version 4, recorded .* by officer-0/)
    expect(text).toMatch(/householdClass: householdClass=POOR decisionNumber=DECISION-PROPERTY/)
    expect(text).toMatch(/✗ the decision recognising the household's class: not found in household-HH-PROPERTY/)
  })

  it('says OK for an untouched log and names the altered event otherwise', async () => {
    const { storage, store } = await recorded()
    const sealed = expectRight(await sealLog(store, { sealedOn: '2026-06-30' })())
    expect(renderSealResult(sealed)).toMatch(/^Sealed events #1–#\d+ in 1 seal\. Keep this chain hash outside the store: [0-9a-f]{64}/)
    expect(renderVerifyReport(expectRight(await verifyLog(store)()))).toMatch(/^OK: \d+ events, 1 seal, sealed through #\d+, 1 not yet sealed; chain hash [0-9a-f]{64}\n$/)

    const original = storage.log[1]
    if (original === undefined) throw new Error('no second event')
    storage.log[1] = { ...original, metadata: { ...original.metadata, actor: 'someone-else' } }
    const text = renderVerifyReport(expectRight(await verifyLog(store)()))
    expect(text).toContain(`TAMPERED: event #2 (${original.streamId} version 2, ${original.type}, position ${original.position}, id ${original.eventId}) is not the event sealed there`)
  })

  it('words each refusal', async () => {
    expect(renderAuditError(expectLeft(await stateAsOf(validatingStore(), 'ledger-1')()))).toMatch(/^no aggregate owns ledger-1; streams are named .*loan-<loanId>/)
    expect(renderAuditError(expectLeft(await stateAsOf(validatingStore(), 'loan-1', { asOf: '2025-13-01' })()))).toBe(`asOf "2025-13-01" is not a calendar day 'YYYY-MM-DD'`)
    expect(renderAuditError(expectLeft(await explainLoan(validatingStore(), 'LN-0')()))).toBe('no loan LN-0: its stream has no events')
  })
})
