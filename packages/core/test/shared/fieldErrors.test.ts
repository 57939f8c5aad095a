import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { fieldErrors, nationalProgrammes, ProgrammeTerms } from '../../src/index.ts'

const errorsOf = <A>(codec: t.Decoder<unknown, A>, input: unknown) => {
  const decoded = codec.decode(input)
  return E.isLeft(decoded) ? fieldErrors(decoded.left).map(({ path, expected }) => ({ path, expected })) : []
}

describe('fieldErrors', () => {
  it('paths name fields and list items, never the index of a union or intersection member', () => {
    const terms = ProgrammeTerms.encode(nationalProgrammes.versions[0] as ProgrammeTerms) as Record<string, unknown>
    expect(errorsOf(t.readonlyArray(ProgrammeTerms), [terms, { ...terms, cap: '1.5' }])).toStrictEqual([{ path: '1.cap', expected: 'Vnd' }])
    const partly = t.intersection([t.type({ a: t.string }), t.partial({ b: t.union([t.number, t.null]) })])
    expect(errorsOf(t.type({ outer: partly }), { outer: { a: 1, b: 'x' } })).toStrictEqual([
      { path: 'outer.a', expected: 'string' },
      { path: 'outer.b', expected: 'number' },
    ])
  })
})
