/**
 * Checks every store runs before touching its storage, so that all stores refuse the same requests
 * with the same errors: a malformed event, an empty append, a bad read option. Also the payload
 * comparison that decides whether a repeated event id is an idempotent repeat.
 */
import * as E from 'fp-ts/lib/Either.js'
import type {
  AppendValidator,
  EventStoreError,
  ExpectedVersion,
  NewEvent,
  NewEventMetadata,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from './port.ts'

/** Lower case only: EventStoreDB normalises ids to lower case, and idempotence compares ids as text. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value)

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

// Checked by arithmetic, not by a Date round trip: it runs for every appended event.
export const isCalendarDay = (value: unknown): value is string => {
  if (typeof value !== 'string' || value.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const year = Number(value.slice(0, 4))
  const month = Number(value.slice(5, 7))
  const dayOfMonth = Number(value.slice(8, 10))
  if (month < 1 || month > 12 || dayOfMonth < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)
  return dayOfMonth <= days
}

/** Why a value is not plain JSON (what a JSON column, jsonb or an EventStoreDB payload stores unchanged), or undefined. */
export const jsonProblem = (value: unknown): string | undefined => (isPlainJson(value, []) ? undefined : problemAt(value, '$', new Set()))

/**
 * Whether `problemAt` would find no problem, without building a path for every field: it runs on every
 * appended event, and only a refused one needs the path in its message.
 */
const isPlainJson = (value: unknown, ancestors: Array<object>): boolean => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (typeof value !== 'object' || ancestors.includes(value)) return false
  ancestors.push(value)
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) if (!(index in value) || !isPlainJson(value[index], ancestors)) return false
  } else {
    const prototype: unknown = Object.getPrototypeOf(value)
    if ((prototype !== Object.prototype && prototype !== null) || Object.getOwnPropertySymbols(value).length > 0) return false
    for (const key of Object.keys(value)) if (!isPlainJson((value as Record<string, unknown>)[key], ancestors)) return false
  }
  ancestors.pop()
  return true
}

const problemAt = (value: unknown, path: string, ancestors: Set<object>): string | undefined => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is a non-finite number`
  if (typeof value !== 'object') return `${path} is a ${typeof value}, not JSON`
  if (ancestors.has(value)) return `${path} is a cycle`
  ancestors.add(value)
  try {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) return `${path}[${index}] is a hole`
        const problem = problemAt(value[index], `${path}[${index}]`, ancestors)
        if (problem !== undefined) return problem
      }
      return undefined
    }
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) return `${path} is not a plain object`
    if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`
    for (const [key, field] of Object.entries(value)) {
      const problem = problemAt(field, `${path}.${key}`, ancestors)
      if (problem !== undefined) return problem
    }
    return undefined
  } finally {
    ancestors.delete(value)
  }
}

/** Structural equality of two plain JSON values; object key order does not matter (jsonb reorders keys). */
export const jsonEqual = (left: unknown, right: unknown): boolean => {
  if (left === right) return true
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEqual(item, right[index]))
    )
  }
  const leftEntries = Object.entries(left)
  const rightRecord = right as Record<string, unknown>
  return (
    leftEntries.length === Object.keys(right).length &&
    leftEntries.every(([key, value]) => Object.hasOwn(rightRecord, key) && jsonEqual(value, rightRecord[key]))
  )
}

const METADATA_KEYS: ReadonlySet<string> = new Set(['occurredOn', 'correlationId', 'causationId', 'actor', 'schemaVersion'])
const OPTIONAL_TEXT_KEYS = ['correlationId', 'causationId', 'actor'] as const

const metadataProblem = (metadata: unknown): string | undefined => {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return 'metadata is not an object'
  const record = metadata as Record<string, unknown>
  const unknownKey = Object.keys(record).find((key) => !METADATA_KEYS.has(key))
  if (unknownKey !== undefined) return `metadata.${unknownKey} is not a metadata field (recordedAt is set by the store)`
  if (!isCalendarDay(record['occurredOn'])) return `metadata.occurredOn is not a calendar day 'YYYY-MM-DD': ${JSON.stringify(record['occurredOn'])}`
  const schemaVersion = record['schemaVersion']
  if (typeof schemaVersion !== 'number' || !Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
    return `metadata.schemaVersion is not a positive integer: ${String(schemaVersion)}`
  }
  for (const key of OPTIONAL_TEXT_KEYS) {
    if (Object.hasOwn(record, key) && (typeof record[key] !== 'string' || record[key] === '')) return `metadata.${key} is not a non-empty string`
  }
  return undefined
}

const eventProblem = (event: NewEvent): string | undefined => {
  if (!isUuid(event.eventId)) return `eventId is not a lower-case UUID: ${JSON.stringify(event.eventId)}`
  if (typeof event.type !== 'string' || event.type === '') return 'type is not a non-empty string'
  const dataProblem = jsonProblem(event.data)
  if (dataProblem !== undefined) return `data is not plain JSON: ${dataProblem.replace(/^\$/, 'data')}`
  return metadataProblem(event.metadata)
}

const invalidRequest = (message: string): EventStoreError => ({ _tag: 'InvalidRequest', message })

const invalidEvent = (streamId: string, event: NewEvent, message: string): EventStoreError => ({
  _tag: 'InvalidEvent',
  streamId,
  eventId: String(event.eventId),
  type: String(event.type),
  message,
})

const expectedVersionProblem = (expected: ExpectedVersion): string | undefined =>
  expected._tag === 'Exactly' && (typeof expected.version !== 'bigint' || expected.version < 0n)
    ? `expected version is not a non-negative bigint: ${String(expected.version)}`
    : undefined

/**
 * Everything a store checks before it writes: the stream id, the expected version, each event's
 * shape and metadata, ids unique within the append, then the store's `validate` hook. The first
 * problem refuses the whole append.
 */
export const checkAppend = (
  streamId: string,
  expected: ExpectedVersion,
  events: ReadonlyArray<NewEvent>,
  validate: AppendValidator | undefined,
): E.Either<EventStoreError, void> => {
  if (typeof streamId !== 'string' || streamId === '') return E.left(invalidRequest('stream id is not a non-empty string'))
  const versionProblem = expectedVersionProblem(expected)
  if (versionProblem !== undefined) return E.left(invalidRequest(versionProblem))
  if (events.length === 0) return E.left(invalidRequest('an append needs at least one event'))
  const seen = new Set<string>()
  for (const event of events) {
    const problem = eventProblem(event) ?? (seen.has(event.eventId) ? 'eventId appears twice in this append' : validate?.(streamId, event))
    if (problem !== undefined) return E.left(invalidEvent(streamId, event, problem))
    seen.add(event.eventId)
  }
  return E.right(undefined)
}

const isPositiveCount = (count: number | undefined): boolean => count === undefined || (Number.isSafeInteger(count) && count > 0)

export const checkReadStreamOptions = (streamId: string, options: ReadStreamOptions): E.Either<EventStoreError, void> =>
  typeof streamId !== 'string' || streamId === ''
    ? E.left(invalidRequest('stream id is not a non-empty string'))
    : options.fromVersion !== undefined && (typeof options.fromVersion !== 'bigint' || options.fromVersion < 1n)
      ? E.left(invalidRequest(`fromVersion is not a bigint of at least 1: ${String(options.fromVersion)}`))
      : !isPositiveCount(options.maxCount)
        ? E.left(invalidRequest(`maxCount is not a positive integer: ${String(options.maxCount)}`))
        : options.direction !== undefined && options.direction !== 'forwards' && options.direction !== 'backwards'
          ? E.left(invalidRequest(`direction is neither 'forwards' nor 'backwards': ${String(options.direction)}`))
          : E.right(undefined)

/** `isOwnPosition` says whether this store could have written the position (its format). */
export const checkReadAllOptions = (
  options: ReadAllOptions,
  isOwnPosition: (position: string) => boolean,
): E.Either<EventStoreError, void> =>
  !isPositiveCount(options.maxCount) || options.maxCount === undefined
    ? E.left(invalidRequest(`maxCount is not a positive integer: ${String(options.maxCount)}`))
    : options.after !== undefined && (typeof options.after !== 'string' || !isOwnPosition(options.after))
      ? E.left(invalidRequest(`after is not a position of this store: ${JSON.stringify(options.after)}`))
      : E.right(undefined)

const sameOptional = (left: string | undefined, right: string | undefined): boolean => left === right

const sameMetadata = (recorded: NewEventMetadata, requested: NewEventMetadata): boolean =>
  recorded.occurredOn === requested.occurredOn &&
  recorded.schemaVersion === requested.schemaVersion &&
  sameOptional(recorded.correlationId, requested.correlationId) &&
  sameOptional(recorded.causationId, requested.causationId) &&
  sameOptional(recorded.actor, requested.actor)

/** Whether a stored event is the one requested again: same id, type, data and metadata (`recordedAt` aside). */
export const isSameEvent = (recorded: RecordedEvent, requested: NewEvent): boolean =>
  recorded.eventId === requested.eventId &&
  recorded.type === requested.type &&
  jsonEqual(recorded.data, requested.data) &&
  sameMetadata(recorded.metadata, requested.metadata)

/** Whether an event passes a filter, for stores that filter in process. An empty list keeps nothing. */
export const passesFilter = (
  filter: ReadAllOptions['filter'],
  event: Pick<RecordedEvent, 'streamId' | 'type'>,
): boolean =>
  (filter?.streamPrefixes === undefined || filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) &&
  (filter?.eventTypes === undefined || filter.eventTypes.includes(event.type))
