import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { decodeCommandLine } from '@policy-credit/application'
import { nghiaLoCommandLines } from '../src/index.ts'

const lines = (): ReadonlyArray<string> => Array.from(nghiaLoCommandLines(), (line) => JSON.stringify(line))

describe('the Nghĩa Lộ command lines', () => {
  const first = lines()

  it('are the same, in the same order, on every run', () => {
    const second = lines()
    expect(second.length).toBe(first.length)
    const firstDifference = second.findIndex((line, index) => line !== first[index])
    expect(firstDifference).toBe(-1)
  })

  it('every line decodes with the application', () => {
    const failures = first.flatMap((text, index) => {
      const decoded = decodeCommandLine(text)
      return E.isLeft(decoded) ? [{ line: index + 1, error: decoded.left }] : []
    })
    expect(failures.slice(0, 5)).toEqual([])
  })

  it('gives every command its own id', () => {
    const ids = first.map((text) => (JSON.parse(text) as { readonly commandId: string }).commandId)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('is in business-date order, so every aggregate sees its commands in the order they happened', () => {
    const dates = first.map((text) => {
      const decoded = decodeCommandLine(text)
      if (E.isLeft(decoded)) throw new Error(text)
      return decoded.right.occurredOn
    })
    const outOfOrder = dates.findIndex((date, index) => index > 0 && date < (dates[index - 1] ?? date))
    expect(outOfOrder).toBe(-1)
  })
})
