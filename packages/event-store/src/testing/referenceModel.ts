/**
 * A deliberately naive model of an event store — arrays and linear scans — that the model-based
 * conformance test compares a real store with, operation by operation.
 */
import * as fc from 'fast-check'
import type { ExpectedVersion, NewEvent } from '../port.ts'
import { anyVersion, exactly, noStream, streamExists } from '../port.ts'
import { newEvent } from './fixtures.ts'

export const MODEL_STREAMS = ['loan-1', 'loan-2', 'household-1'] as const
export const MODEL_TYPES = ['LoanApproved', 'LoanDisbursed'] as const

export type ModelOperation =
  | {
      readonly _tag: 'Append'
      readonly streamId: string
      readonly expected: ExpectedVersion
      readonly events: ReadonlyArray<NewEvent>
      /** Repeat the batch of an earlier append (this index modulo the number of appends so far) instead of `events`. */
      readonly repeatOf: number | undefined
    }
  | {
      readonly _tag: 'ReadStream'
      readonly streamId: string
      readonly direction: 'forwards' | 'backwards'
      readonly fromVersion: bigint | undefined
      readonly maxCount: number | undefined
    }
  | {
      readonly _tag: 'ReadAll'
      /** Read after the event at this index of the global order (clamped to it), or from the start. */
      readonly afterIndex: number | undefined
      readonly maxCount: number
      readonly streamPrefixes: ReadonlyArray<string> | undefined
      readonly eventTypes: ReadonlyArray<string> | undefined
    }

const expectedVersion = fc.oneof(
  fc.constant(anyVersion),
  fc.constant(noStream),
  fc.constant(streamExists),
  fc.bigInt({ min: 0n, max: 6n }).map(exactly),
)

const modelEvent = fc.record({ type: fc.constantFrom(...MODEL_TYPES), value: fc.integer({ min: 0, max: 3 }) }).map(({ type, value }) => newEvent({ type, data: { value } }))

export const modelOperation: fc.Arbitrary<ModelOperation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      _tag: fc.constant('Append' as const),
      streamId: fc.constantFrom(...MODEL_STREAMS),
      expected: expectedVersion,
      events: fc.array(modelEvent, { minLength: 1, maxLength: 3 }),
      repeatOf: fc.option(fc.nat(), { nil: undefined, freq: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant('ReadStream' as const),
      streamId: fc.constantFrom(...MODEL_STREAMS),
      direction: fc.constantFrom('forwards' as const, 'backwards' as const),
      fromVersion: fc.option(fc.bigInt({ min: 1n, max: 8n }), { nil: undefined }),
      maxCount: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant('ReadAll' as const),
      afterIndex: fc.option(fc.nat({ max: 25 }), { nil: undefined }),
      maxCount: fc.integer({ min: 1, max: 6 }),
      streamPrefixes: fc.option(fc.subarray(['loan-', 'household-', 'capital-']), { nil: undefined }),
      eventTypes: fc.option(fc.subarray([...MODEL_TYPES]), { nil: undefined }),
    }),
  },
)

export interface ModelEvent {
  readonly streamId: string
  readonly version: bigint
  readonly event: NewEvent
}

export type ModelAppendOutcome =
  | { readonly _tag: 'Written'; readonly nextExpectedVersion: bigint }
  | { readonly _tag: 'AlreadyWritten'; readonly nextExpectedVersion: bigint }
  | { readonly _tag: 'WrongExpectedVersion'; readonly actual: bigint | undefined }
  | { readonly _tag: 'DuplicateEventId' }

export class ReferenceModel {
  readonly log: Array<ModelEvent> = []

  streamVersion(streamId: string): bigint {
    return BigInt(this.log.filter((stored) => stored.streamId === streamId).length)
  }

  stream(streamId: string): ReadonlyArray<ModelEvent> {
    return this.log.filter((stored) => stored.streamId === streamId)
  }

  /** Only whole batches are ever repeated in the model test, to the stream they were first sent to. */
  append(streamId: string, expected: ExpectedVersion, events: ReadonlyArray<NewEvent>): ModelAppendOutcome {
    const current = this.streamVersion(streamId)
    const stored = this.log.filter((entry) => events.some((event) => event.eventId === entry.event.eventId))
    if (stored.length > 0) {
      const firstVersion = stored[0]?.version ?? 0n
      const lastVersion = stored.at(-1)?.version ?? 0n
      const placeMatches =
        expected._tag === 'Any' || expected._tag === 'StreamExists'
          ? true
          : expected._tag === 'NoStream'
            ? firstVersion === 1n
            : firstVersion === expected.version + 1n
      return placeMatches ? { _tag: 'AlreadyWritten', nextExpectedVersion: lastVersion } : { _tag: 'DuplicateEventId' }
    }
    const satisfied =
      expected._tag === 'Any' ||
      (expected._tag === 'NoStream' && current === 0n) ||
      (expected._tag === 'StreamExists' && current > 0n) ||
      (expected._tag === 'Exactly' && current === expected.version)
    if (!satisfied) return { _tag: 'WrongExpectedVersion', actual: current === 0n ? undefined : current }
    events.forEach((event, index) => this.log.push({ streamId, version: current + BigInt(index + 1), event }))
    return { _tag: 'Written', nextExpectedVersion: current + BigInt(events.length) }
  }
}
