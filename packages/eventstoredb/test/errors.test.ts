import { StreamDeletedError, UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client'
import { describe, expect, it } from 'vitest'
import { toEventStoreError } from '../src/errors.ts'

const context = { streamId: 'loan-1', expected: { _tag: 'Exactly', version: 3n } } as const

describe("the client's errors as the port's", () => {
  it('a wrong expected version is a conflict carrying the actual version, one past the revision', () => {
    const cause = new WrongExpectedVersionError(undefined, { streamName: 'loan-1', current: 4n, expected: 2n })
    expect(toEventStoreError(context)(cause)).toStrictEqual({ _tag: 'WrongExpectedVersion', streamId: 'loan-1', expected: context.expected, actual: 5n })
  })

  it('a conflict on a stream that does not exist carries no actual version', () => {
    const cause = new WrongExpectedVersionError(undefined, { streamName: 'loan-1', current: 'no_stream', expected: 2n })
    expect(toEventStoreError(context)(cause)).toStrictEqual({ _tag: 'WrongExpectedVersion', streamId: 'loan-1', expected: context.expected })
  })

  it('an unreachable server is unavailable, keeping the cause', () => {
    const cause = new UnavailableError()
    expect(toEventStoreError(context)(cause)).toStrictEqual({ _tag: 'EventStoreUnavailable', cause })
  })

  it('a deleted stream is a request that will never succeed, not an outage', () => {
    expect(toEventStoreError(context)(StreamDeletedError.fromStreamName('loan-1'))._tag).toBe('InvalidRequest')
  })

  it('anything that is not a client error is unavailable, keeping the cause', () => {
    const cause = new Error('socket hang up')
    expect(toEventStoreError({})(cause)).toStrictEqual({ _tag: 'EventStoreUnavailable', cause })
  })
})
