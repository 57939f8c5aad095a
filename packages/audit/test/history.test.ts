import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { Loan } from '@policy-credit/core'
import { loanLifecycle } from '@policy-credit/core/testing'
import { inMemoryEventStore } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import { history, toJsonSafe } from '../src/index.ts'
import { actorOf, expectRight, loanStreamId, recordLifecycle, validatingStore } from './scenario.ts'

describe('history of a stream', () => {
  test.prop([loanLifecycle(12)], { numRuns: 25 })(
    'shows every event the commands appended, in order, with business date, recorded instant, actor, correlation and decoded data',
    async (lifecycle) => {
      const store = validatingStore()
      await recordLifecycle(store, lifecycle)
      const loanId = lifecycle.commands[0]?.data.loanId ?? ''
      const rows = expectRight(await history(store, loanStreamId(loanId))())

      expect(rows.map((row) => row.type)).toStrictEqual(lifecycle.events.map((event) => event.type))
      expect(rows.map((row) => row.data)).toStrictEqual(lifecycle.events.map((event) => toJsonSafe(event.data)))
      expect(rows.map((row) => row.version)).toStrictEqual(rows.map((_, index) => String(index + 1)))
      expect(rows.every((row) => row.decoding._tag === 'Decoded')).toBe(true)
      expect([...rows.map((row) => row.position)].sort()).toStrictEqual(rows.map((row) => row.position))
      // Each command's events carry its business date, its actor and its id as causation.
      for (const row of rows) {
        const commandIndex = Number(row.causationId?.split('-command-')[1])
        const command = lifecycle.commands[commandIndex]
        expect(command).toBeDefined()
        if (command === undefined) continue
        expect(row.occurredOn).toBe(Loan.commandDate(command))
        expect(row.actor).toBe(actorOf(commandIndex))
        expect(row.correlationId).toBe(row.causationId)
        expect(Number.isNaN(Date.parse(row.recordedAt))).toBe(false)
      }
    },
  )

  it('reports a malformed or unknown stored event as malformed, with the reason and the data as stored, and goes on', async () => {
    // No validator: an event written by an older or broken writer, as a store may hold it.
    const store = inMemoryEventStore()
    const approvedBadly = newEvent({ type: 'LoanApproved', data: { loanId: 'LN-1', approvedAmount: '12.5' } })
    const unknown = newEvent({ type: 'LoanTeleported', data: { loanId: 'LN-1' } })
    const fine = newEvent({ type: 'LoanVettedByGroup', data: { loanId: 'LN-1', savingsGroupId: 'SG-1', meetingMinutesId: 'minutes 7', vettedOn: '2025-03-14' } })
    expectRight(await store.appendToStream('loan-LN-1', { _tag: 'Any' }, [approvedBadly, unknown, fine])())

    const rows = expectRight(await history(store, 'loan-LN-1')())

    expect(rows.map((row) => row.decoding._tag)).toStrictEqual(['Malformed', 'Malformed', 'Decoded'])
    expect(rows[0]?.data).toStrictEqual({ loanId: 'LN-1', approvedAmount: '12.5' })
    expect(rows[0]?.decoding).toMatchObject({ message: expect.stringContaining('data.approvedAmount') })
    expect(rows[1]?.decoding).toMatchObject({ message: expect.stringContaining('unknown event type LoanTeleported') })
    expect(rows[2]?.data).toStrictEqual({ loanId: 'LN-1', savingsGroupId: 'SG-1', meetingMinutesId: 'minutes 7', vettedOn: '2025-03-14' })
    expect(rows[0]?.actor).toBeNull()
  })

  it('is empty for a stream that does not exist', async () => {
    expect(expectRight(await history(validatingStore(), 'loan-NOBODY')())).toStrictEqual([])
  })

  it('converts money to decimal strings, so the rows survive JSON', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 70n }), (amount) => {
        const row = toJsonSafe({ amount, nested: [{ amount }] })
        return JSON.stringify(row) === `{"amount":"${amount}","nested":[{"amount":"${amount}"}]}`
      }),
    )
  })
})
