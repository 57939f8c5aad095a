import { describe, expect, it } from 'vitest'
import { addMonths, day, daysBetween, LocalDate } from '@policy-credit/core'
import { isLeft } from 'fp-ts/lib/Either.js'

describe('LocalDate', () => {
  it('refuses a day that Date.parse would roll over', () => expect(isLeft(LocalDate.decode('2025-02-30'))).toBe(true))
  it('accepts a leap day', () => expect(LocalDate.decode('2024-02-29')).toStrictEqual({ _tag: 'Right', right: '2024-02-29' }))
  it('clamps month arithmetic to the end of a shorter month', () => expect(addMonths(day('2023-01-31'), 1)).toBe('2023-02-28'))
  it('counts days across a leap year', () => expect(daysBetween(day('2024-01-01'), day('2025-01-01'))).toBe(366))
})
