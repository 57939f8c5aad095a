/**
 * Translation between the port and EventStoreDB, both ways, and nothing else: versions and
 * revisions (EventStoreDB counts a stream's events from revision 0, the port from version 1),
 * expected versions, `$all` positions, and events with their metadata.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  pairFromPosition,
  positionFromPair,
  type ExpectedVersion,
  type NewEvent,
  type Position,
  type RecordedEvent,
  type RecordedEventMetadata,
  type StreamVersion,
} from '@policy-credit/event-store'
import type { EventStoreDbEventData, EventStoreDbExpectedRevision, EventStoreDbPosition, EventStoreDbRecordedEvent } from './client.ts'

/** Port version of the event at an EventStoreDB revision. */
export const versionFromRevision = (revision: bigint): StreamVersion => revision + 1n

/** EventStoreDB revision of the event at a port version (at least 1). */
export const revisionFromVersion = (version: StreamVersion): bigint => version - 1n

/** The revision to expect for a stream holding `version` events: none is EventStoreDB's `no_stream`. */
export const expectedRevisionForVersion = (version: StreamVersion): EventStoreDbExpectedRevision =>
  version === 0n ? 'no_stream' : revisionFromVersion(version)

export const expectedRevisionFromExpectedVersion = (expected: ExpectedVersion): EventStoreDbExpectedRevision => {
  switch (expected._tag) {
    case 'Any':
      return 'any'
    case 'NoStream':
      return 'no_stream'
    case 'StreamExists':
      return 'stream_exists'
    case 'Exactly':
      return expectedRevisionForVersion(expected.version)
  }
}

export const expectedVersionFromExpectedRevision = (expected: EventStoreDbExpectedRevision): ExpectedVersion => {
  switch (expected) {
    case 'any':
      return { _tag: 'Any' }
    case 'no_stream':
      return { _tag: 'NoStream' }
    case 'stream_exists':
      return { _tag: 'StreamExists' }
    default:
      return { _tag: 'Exactly', version: versionFromRevision(expected) }
  }
}

export const positionFromEventStoreDb = (position: EventStoreDbPosition): Position =>
  positionFromPair(position.commit, position.prepare)

export const eventStoreDbPositionFromPosition = (position: string): E.Either<string, EventStoreDbPosition> =>
  E.map(({ major, minor }: { readonly major: bigint; readonly minor: bigint }) => ({ commit: major, prepare: minor }))(pairFromPosition(position))

/**
 * EventStoreDB's own names for correlation and causation (`$correlationId`, `$causationId`), so its
 * system projections (`$by_correlation_id`) and UI understand them; our other fields beside them.
 */
/**
 * @param appendId unique to one append call, kept in the metadata: EventStoreDB also answers success to
 * an identical append that raced ours and wrote nothing, so reading it back tells whose write it was.
 */
export const eventDataFromNewEvent = (event: NewEvent, appendId: string): EventStoreDbEventData => ({
  id: event.eventId,
  contentType: 'application/json',
  type: event.type,
  // The clients' JSON type leaves out numbers, booleans and null at the top level, but they
  // serialise whatever they get with JSON.stringify, and the port only admits plain JSON.
  data: event.data as EventStoreDbEventData['data'],
  metadata: {
    occurredOn: event.metadata.occurredOn,
    schemaVersion: event.metadata.schemaVersion,
    ...(event.metadata.correlationId === undefined ? {} : { $correlationId: event.metadata.correlationId }),
    ...(event.metadata.causationId === undefined ? {} : { $causationId: event.metadata.causationId }),
    ...(event.metadata.actor === undefined ? {} : { actor: event.metadata.actor }),
    appendId,
  },
})

/** The append call that wrote a recorded event, or undefined for an event written by another tool. */
export const appendIdOf = (recorded: EventStoreDbRecordedEvent): string | undefined => {
  const metadata = recorded.metadata
  return isRecord(metadata) && typeof metadata['appendId'] === 'string' ? metadata['appendId'] : undefined
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)

const optionalText = (record: Record<string, unknown>, key: string, as: 'correlationId' | 'causationId' | 'actor') => {
  const value = record[key]
  return typeof value === 'string' ? { [as]: value } : {}
}

/**
 * A recorded EventStoreDB event as the port's, or why it is not one of ours (written by another
 * tool, not JSON, metadata missing): the caller turns that into `InvalidStoredEvent`.
 */
export const recordedEventFromEventStoreDb = (recorded: EventStoreDbRecordedEvent): E.Either<string, RecordedEvent> => {
  if (recorded.position === undefined) return E.left('the server sent no position for the event')
  if (!recorded.isJson) return E.left('the event is not JSON')
  const metadata = recorded.metadata
  if (!isRecord(metadata)) return E.left('the event has no JSON metadata object')
  const occurredOn = metadata['occurredOn']
  const schemaVersion = metadata['schemaVersion']
  if (typeof occurredOn !== 'string') return E.left('metadata.occurredOn is missing')
  if (typeof schemaVersion !== 'number') return E.left('metadata.schemaVersion is missing')
  const recordedMetadata: RecordedEventMetadata = {
    occurredOn,
    schemaVersion,
    ...optionalText(metadata, '$correlationId', 'correlationId'),
    ...optionalText(metadata, '$causationId', 'causationId'),
    ...optionalText(metadata, 'actor', 'actor'),
    recordedAt: recorded.created.toISOString(),
  }
  return E.right({
    streamId: recorded.streamId,
    version: versionFromRevision(recorded.revision),
    position: positionFromEventStoreDb(recorded.position),
    eventId: recorded.id,
    type: recorded.type,
    data: recorded.data,
    metadata: recordedMetadata,
  })
}

/** Streams and event types whose name starts with `$` belong to EventStoreDB itself (stats, settings, projections). */
export const isSystemEvent = (recorded: Pick<EventStoreDbRecordedEvent, 'streamId' | 'type'>): boolean =>
  recorded.streamId.startsWith('$') || recorded.type.startsWith('$')
