import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { usedFieldsDecoder, type FieldDecoder } from '../src/index.ts'

/** A decimal string of đồng to a bigint, as the core's Vnd decodes it. */
const amount: FieldDecoder<bigint> = {
  name: 'Amount',
  decode: (value) => (typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value) ? E.right(BigInt(value)) : E.left('not an amount')),
}
const account: FieldDecoder<string> = { name: 'Account', decode: (value) => (typeof value === 'string' && value !== '' ? E.right(value) : E.left('not an account')) }

const decode = usedFieldsDecoder({ Deposited: { account, amount }, Closed: { account } })

describe('usedFieldsDecoder', () => {
  it('gives the fields read, decoded, and nothing else; refuses naming every field read that is missing or malformed', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('account', 'amount', 'note'), fc.oneof(fc.string(), fc.nat().map(String), fc.integer(), fc.constant(null))), (data) => {
        const decoded = decode('Deposited', data)
        const accountOk = typeof data['account'] === 'string' && data['account'] !== ''
        const amountOk = typeof data['amount'] === 'string' && /^(0|[1-9][0-9]*)$/.test(data['amount'])
        if (accountOk && amountOk) expect(decoded).toStrictEqual(E.right({ type: 'Deposited', data: { account: data['account'], amount: BigInt(data['amount'] as string) } }))
        else
          expect(decoded).toStrictEqual(
            E.left(`Deposited: ${[...(accountOk ? [] : ['data.account expected Account']), ...(amountOk ? [] : ['data.amount expected Amount'])].join('; ')}`),
          )
      }),
    )
  })

  it('leaves a type it does not list to the caller, and refuses data that is not an object', () => {
    expect(decode('Withdrawn', { account: 'A' })).toBeUndefined()
    for (const data of [null, 'A', 5, [{ account: 'A' }]]) expect(decode('Closed', data)).toStrictEqual(E.left('Closed: data expected an object'))
    expect(decode('Closed', { account: 'A', amount: 'x' })).toStrictEqual(E.right({ type: 'Closed', data: { account: 'A' } }))
  })
})
