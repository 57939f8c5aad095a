import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { canonicalJson, toJsonSafe } from '../src/index.ts'

/** The same JSON with every object's keys in another order, as another store may give it back. */
const reordered = (value: unknown, seed: number): unknown => {
  if (Array.isArray(value)) return value.map((item: unknown) => reordered(item, seed))
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value)
  const rotated = entries.length === 0 ? entries : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse()
  return Object.fromEntries(rotated.map(([key, field]) => [key, reordered(field, seed)]))
}

describe('canonical JSON (RFC 8785)', () => {
  test.prop([fc.jsonValue(), fc.nat()])('does not depend on the order of keys, and reads back as the same value', (value, seed) => {
    const text = canonicalJson(value)
    expect(canonicalJson(reordered(value, seed))).toBe(text)
    expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(value)))
  })

  test.prop([fc.jsonValue()])('differs for any two different values', (value) => {
    fc.pre(JSON.stringify(value) !== JSON.stringify({ changed: value }))
    expect(canonicalJson({ changed: value })).not.toBe(canonicalJson(value))
  })

  it('writes money as toJsonSafe does, sorts keys by UTF-16 code units and leaves out undefined fields', () => {
    const value = { b: 2n, a: undefined, é: [1, undefined], A: 'x', '\u{1F600}': true, '\uFFFF': null }
    expect(canonicalJson(value)).toBe('{"A":"x","b":"2","é":[1,null],"\u{1F600}":true,"\uFFFF":null}')
    expect(JSON.parse(canonicalJson(value))).toStrictEqual(toJsonSafe(value))
  })
})
