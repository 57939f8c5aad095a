import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LocalDate } from '@policy-credit/core'
import { balancesWith, decodeBalances, encodeBalances, intervalsOf, noBalances, type HouseholdBalances } from '../src/borrowers.ts'

const cells = ['P|C01|WU|WU-1|SG-1|CENTRAL|central', 'P|C01|WU|WU-1|SG-2|CENTRAL|central', 'Q|C01|FA|FA-1|SG-3|LOCAL|local']
const movement = fc.record({
  cellKey: fc.constantFrom(...cells),
  on: fc.integer({ min: 1, max: 28 }).map((day) => `2022-03-${String(day).padStart(2, '0')}` as LocalDate),
  amount: fc.bigInt({ min: -3n, max: 3n }),
})

/** The same balances as a new document, whose intervals are worked out from its days alone. */
const afresh = (balances: HouseholdBalances): HouseholdBalances => {
  const decoded = decodeBalances(JSON.parse(JSON.stringify(encodeBalances(balances))) as Record<string, unknown>)
  if (E.isLeft(decoded)) throw new Error(decoded.left)
  return decoded.right
}

describe('borrowers', () => {
  it('the intervals a household’s balances carry from one movement to the next are those worked out from its days', () => {
    fc.assert(
      // Mostly later days, as events mostly arrive, with back-dated and same-day movements among them.
      fc.property(fc.array(movement, { maxLength: 40 }), (movements) => {
        let balances = noBalances
        for (const { cellKey, on, amount } of movements) {
          balances = balancesWith(balances, cellKey, on, amount)
          expect(intervalsOf(balances)).toStrictEqual(intervalsOf(afresh(balances)))
        }
      }),
      { numRuns: 300 },
    )
  })
})
