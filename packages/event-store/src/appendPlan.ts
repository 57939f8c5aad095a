/**
 * What an append does, decided from what the store holds: write at the next version, recognise an
 * idempotent repeat, or refuse. Pure, so that every store applies the same rules inside its own
 * transaction (read the stream's version and the events already stored under the requested ids,
 * plan, then write or not).
 *
 * Idempotence (after EventStoreDB, which guarantees it for every expected version but Any): when
 * every requested id is already stored, in this stream, consecutively, in the same order, with the
 * same payload, the append succeeds and writes nothing — for `Exactly(v)` only if they sit at v+1…,
 * for `NoStream` only if they sit at 1…, for `Any` and `StreamExists` wherever they sit. Any other
 * reuse of a stored id (another payload, another place, part of the batch) is `DuplicateEventId`.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AppendResult, EventStoreError, ExpectedVersion, NewEvent, RecordedEvent, StreamVersion } from './port.ts'
import { isSameEvent } from './requests.ts'

export type AppendPlan =
  /** Write the events at `firstVersion`, `firstVersion + 1`, … */
  | { readonly _tag: 'Write'; readonly firstVersion: StreamVersion }
  | { readonly _tag: 'AlreadyWritten'; readonly result: AppendResult }

/** Whether a stream at `currentVersion` (0: no stream) satisfies the expected version. */
export const satisfiesExpectedVersion = (expected: ExpectedVersion, currentVersion: StreamVersion): boolean => {
  switch (expected._tag) {
    case 'Any':
      return true
    case 'NoStream':
      return currentVersion === 0n
    case 'StreamExists':
      return currentVersion > 0n
    case 'Exactly':
      return currentVersion === expected.version
  }
}

const firstVersionAllowed = (expected: ExpectedVersion, firstVersion: StreamVersion): boolean => {
  switch (expected._tag) {
    case 'Any':
    case 'StreamExists':
      return true
    case 'NoStream':
      return firstVersion === 1n
    case 'Exactly':
      return firstVersion === expected.version + 1n
  }
}

/**
 * @param currentVersion the stream's last version, 0 when it does not exist
 * @param alreadyStored the stored events whose ids are among the requested ones, in any stream
 */
export const planAppend = (
  streamId: string,
  expected: ExpectedVersion,
  events: ReadonlyArray<NewEvent>,
  currentVersion: StreamVersion,
  alreadyStored: ReadonlyArray<RecordedEvent>,
): E.Either<EventStoreError, AppendPlan> => {
  if (alreadyStored.length === 0) {
    return satisfiesExpectedVersion(expected, currentVersion)
      ? E.right({ _tag: 'Write', firstVersion: currentVersion + 1n })
      : E.left({ _tag: 'WrongExpectedVersion', streamId, expected, ...(currentVersion > 0n ? { actual: currentVersion } : {}) })
  }
  const byId = new Map(alreadyStored.map((event) => [event.eventId, event]))
  const storedEvents = events.map((event) => byId.get(event.eventId))
  const first = storedEvents[0]
  const isRepeat = (event: NewEvent, index: number): boolean => {
    const stored = storedEvents[index]
    return (
      stored !== undefined &&
      first !== undefined &&
      stored.streamId === streamId &&
      stored.version === first.version + BigInt(index) &&
      isSameEvent(stored, event)
    )
  }
  const last = storedEvents.at(-1)
  if (events.every(isRepeat) && first !== undefined && last !== undefined && firstVersionAllowed(expected, first.version)) {
    return E.right({ _tag: 'AlreadyWritten', result: { nextExpectedVersion: last.version, position: last.position, written: false } })
  }
  const conflicting =
    events.find((event, index) => storedEvents[index] !== undefined && !isRepeat(event, index)) ??
    events.find((_, index) => storedEvents[index] !== undefined)
  return E.left({ _tag: 'DuplicateEventId', streamId, eventId: conflicting?.eventId ?? '' })
}
