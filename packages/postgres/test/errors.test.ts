import { describe, expect, it } from 'vitest'
import type { ExpectedVersion } from '@policy-credit/event-store'
import { EVENT_ID_ALREADY_STORED, toAppendError, toReadModelStoreError, WRONG_EXPECTED_VERSION } from '../src/errors.ts'

const expected: ExpectedVersion = { _tag: 'Exactly', version: 4n }
const classify = toAppendError('loan-1', () => expected)

describe('classifying PostgreSQL errors', () => {
  it('reads a wrong expected version, with the actual version, from the append function', () => {
    const cause = { code: WRONG_EXPECTED_VERSION, detail: JSON.stringify({ streamId: 'loan-2', actual: '7' }) }
    expect(classify(cause)).toStrictEqual({ _tag: 'WrongExpectedVersion', streamId: 'loan-2', expected, actual: 7n })
  })

  it('omits the actual version of a stream that does not exist', () => {
    const cause = { code: WRONG_EXPECTED_VERSION, detail: JSON.stringify({ streamId: 'loan-1', actual: null }) }
    expect(classify(cause)).toStrictEqual({ _tag: 'WrongExpectedVersion', streamId: 'loan-1', expected })
  })

  it('maps a unique violation on the event id to DuplicateEventId, naming the id', () => {
    const cause = { code: '23505', constraint: 'events_event_id_key', detail: 'Key (event_id)=(0b5a…) already exists.' }
    expect(classify(cause)).toStrictEqual({ _tag: 'DuplicateEventId', streamId: 'loan-1', eventId: '0b5a…' })
  })

  it('maps a unique violation on (stream, version) to WrongExpectedVersion', () => {
    expect(classify({ code: '23505', constraint: 'events_pkey' })).toStrictEqual({ _tag: 'WrongExpectedVersion', streamId: 'loan-1', expected })
  })

  it('maps connection failures and anything unknown to EventStoreUnavailable, keeping the cause', () => {
    for (const cause of [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { code: '57P01' }, new Error('boom'), 'text']) {
      expect(classify(cause)).toStrictEqual({ _tag: 'EventStoreUnavailable', cause })
    }
  })

  it('never lets the planning signal pass as a port error of another kind', () => {
    const cause = { code: EVENT_ID_ALREADY_STORED }
    expect(classify(cause)).toStrictEqual({ _tag: 'EventStoreUnavailable', cause })
  })

  it('refuses text PostgreSQL cannot store as a bad read-model request, and reports the rest as unavailable', () => {
    const namespace = { name: 'outstanding-debt', version: 1 }
    expect(toReadModelStoreError(namespace)({ code: '22P05', message: 'unsupported Unicode escape sequence' })).toMatchObject({ _tag: 'InvalidReadModelRequest', namespace })
    const cause = { code: '08006' }
    expect(toReadModelStoreError(namespace)(cause)).toStrictEqual({ _tag: 'ReadModelStoreUnavailable', cause })
  })
})
