import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'
import { inMemoryEventStore, type EventStore, type Position, type RecordedEvent } from '@policy-credit/event-store'
import { createApplication, domainEventValidator, type Application, type CommandEnvelope, type ExecutionError, type Outcome, type ReferenceData } from '@policy-credit/application'

export const memoryApplication = (reference: Partial<ReferenceData> = {}): { readonly store: EventStore; readonly application: Application } => {
  const store = inMemoryEventStore({ validate: domainEventValidator })
  return { store, application: createApplication({ store, reference }) }
}

export const executed = async (application: Application, envelope: CommandEnvelope): Promise<Outcome> => {
  const result = await application.execute(envelope)()
  if (E.isLeft(result)) expect.fail(`${envelope.commandId} failed: ${JSON.stringify(result.left, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
  return result.right
}

export const refused = async (application: Application, envelope: CommandEnvelope): Promise<ExecutionError> => {
  const result = await application.execute(envelope)()
  if (E.isRight(result)) expect.fail(`${envelope.commandId} was executed: ${result.right.events.map((event) => event.type).join(', ')}`)
  return result.left
}

/** Everything the store holds, in global order, without the instants it recorded them at. */
export const contents = async (store: EventStore): Promise<ReadonlyArray<Omit<RecordedEvent, 'metadata'> & { readonly metadata: Omit<RecordedEvent['metadata'], 'recordedAt'> }>> => {
  const events: Array<RecordedEvent> = []
  for (let after: Position | undefined, isEnd = false; !isEnd; ) {
    const read = await store.readAll({ maxCount: 1_000, ...(after === undefined ? {} : { after }) })()
    if (E.isLeft(read)) expect.fail(`readAll failed: ${read.left._tag}`)
    events.push(...read.right.events)
    after = read.right.checkpoint
    isEnd = read.right.isEnd
  }
  return events.map(({ metadata: { recordedAt: _recordedAt, ...metadata }, ...event }) => ({ ...event, metadata }))
}

export const typesIn = async (store: EventStore, streamId: string): Promise<ReadonlyArray<string>> => {
  const read = await store.readStream(streamId)()
  if (E.isLeft(read)) expect.fail(`readStream failed: ${read.left._tag}`)
  return read.right.map((event) => event.type)
}
