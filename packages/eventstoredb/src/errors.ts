/**
 * The one place that knows the EventStoreDB clients' errors. Both clients tag their errors with a
 * `type` string (`'wrong-expected-version'`, `'unavailable'`, …) rather than sharing classes, so
 * errors are told apart by that tag, which also works across two copies of a client package.
 */
import type { EventStoreError, ExpectedVersion } from '@policy-credit/event-store'
import { versionFromRevision } from './mapping.ts'

interface ClientError {
  readonly type: string
  readonly actualVersion?: unknown
  readonly message?: unknown
}

const isClientError = (cause: unknown): cause is ClientError =>
  typeof cause === 'object' && cause !== null && typeof (cause as { type?: unknown }).type === 'string'

/** What the adapter was doing when the client failed, to fill the port's error. */
export interface ErrorContext {
  readonly streamId?: string
  readonly expected?: ExpectedVersion
}

/**
 * Every failure of a client call, as the port's error. The cause is kept for the unavailable case;
 * a conflict carries the stream's actual version, absent when the stream does not exist.
 */
export const toEventStoreError =
  (context: ErrorContext) =>
  (cause: unknown): EventStoreError => {
    if (!isClientError(cause)) return { _tag: 'EventStoreUnavailable', cause }
    switch (cause.type) {
      case 'wrong-expected-version':
        return {
          _tag: 'WrongExpectedVersion',
          streamId: context.streamId ?? '',
          expected: context.expected ?? { _tag: 'Any' },
          ...(typeof cause.actualVersion === 'bigint' ? { actual: versionFromRevision(cause.actualVersion) } : {}),
        }
      // A deleted (tombstoned) stream or an oversized append will never be accepted: not a transient fault.
      case 'stream-deleted':
      case 'maximum-append-size-exceeded':
        return { _tag: 'InvalidRequest', message: `EventStoreDB refused the request (${cause.type}): ${String(cause.message)}` }
      default:
        return { _tag: 'EventStoreUnavailable', cause }
    }
  }

/** A read of a stream that does not exist: the port reads it as empty. */
export const isStreamNotFound = (cause: unknown): boolean => isClientError(cause) && cause.type === 'stream-not-found'
