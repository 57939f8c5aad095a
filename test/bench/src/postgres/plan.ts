/**
 * The town's appends, planned once before anything is timed: each append knows the version its stream
 * is at before it, so neither the store's expected versions nor the raw inserts' versions cost any
 * tracking inside a measurement, and both write exactly the same rows.
 */
import type { ExpectedVersion, NewEvent } from '@policy-credit/event-store'
import type { StreamAppend } from '@policy-credit/postgres'
import type { StreamEvents } from '../syntheticTown.ts'

export interface PlannedAppend {
  readonly streamId: string
  /** The stream's version before this append: 0 for a new stream. */
  readonly after: bigint
  readonly events: ReadonlyArray<NewEvent>
}

export const planAppends = (streams: Iterable<StreamEvents>): ReadonlyArray<PlannedAppend> => {
  const versions = new Map<string, bigint>()
  const planned: Array<PlannedAppend> = []
  for (const { streamId, events } of streams) {
    if (events.length === 0) continue
    const after = versions.get(streamId) ?? 0n
    planned.push({ streamId, after, events })
    versions.set(streamId, after + BigInt(events.length))
  }
  return planned
}

export const expectedVersionOf = (append: PlannedAppend): ExpectedVersion =>
  append.after === 0n ? { _tag: 'NoStream' } : { _tag: 'Exactly', version: append.after }

export const toStreamAppend = (append: PlannedAppend): StreamAppend => ({
  streamId: append.streamId,
  expected: expectedVersionOf(append),
  events: append.events,
})

export const eventCount = (appends: ReadonlyArray<PlannedAppend>): number => appends.reduce((total, append) => total + append.events.length, 0)

/**
 * Splits the appends among `writers` so that every append of a stream goes to one writer, in order
 * (streams dealt round-robin on first sight): concurrent writers never race on a stream's version.
 */
export const dealToWriters = (appends: ReadonlyArray<PlannedAppend>, writers: number): ReadonlyArray<ReadonlyArray<PlannedAppend>> => {
  const lists: Array<Array<PlannedAppend>> = Array.from({ length: writers }, () => [])
  const writerOf = new Map<string, number>()
  for (const append of appends) {
    let writer = writerOf.get(append.streamId)
    if (writer === undefined) {
      writer = writerOf.size % writers
      writerOf.set(append.streamId, writer)
    }
    lists[writer]?.push(append)
  }
  return lists
}

/**
 * Groups consecutive appends into batches of at least `minimumEvents` events (the last may hold
 * fewer). A stream met again within a batch has its events joined to its first append there, so a
 * batch names each stream once: `appendMany` then stays on its one-statement path, and the raw
 * batches hold the same rows.
 */
export const batchAppends = (appends: ReadonlyArray<PlannedAppend>, minimumEvents: number): ReadonlyArray<ReadonlyArray<PlannedAppend>> => {
  const batches: Array<ReadonlyArray<PlannedAppend>> = []
  let batch = new Map<string, PlannedAppend>()
  let events = 0
  for (const append of appends) {
    const earlier = batch.get(append.streamId)
    batch.set(append.streamId, earlier === undefined ? append : { ...earlier, events: [...earlier.events, ...append.events] })
    events += append.events.length
    if (events >= minimumEvents) {
      batches.push([...batch.values()])
      batch = new Map()
      events = 0
    }
  }
  if (batch.size > 0) batches.push([...batch.values()])
  return batches
}
