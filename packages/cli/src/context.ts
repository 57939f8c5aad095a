/**
 * What a command runs with: the io and the store URLs (resolved from options, environment and
 * defaults), and the helpers that open the stores a command needs and always close them.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventStore } from '@policy-credit/event-store'
import type { ReadModelStore } from '@policy-credit/projections'
import type { CliIo } from './cliIo.ts'
import { usage, type CliFailure } from './failures.ts'
import { parseStoreUrl, readModelLocation } from './storeUrl.ts'
import { openEventStore, openReadModelStore, type EventStoreSettings } from './stores.ts'

export interface CommandContext {
  readonly io: CliIo
  readonly storeUrl: string
  /** Undefined when neither `--read-models` nor its environment variable is set: read models go beside the events. */
  readonly readModelsUrl: string | undefined
}

export type CommandOutcome = E.Either<CliFailure, void>

export const succeeded: CommandOutcome = E.right(undefined)

/** Opens the event store, runs `work` on it, and closes it whatever happens. */
export const withEventStore = async (
  context: CommandContext,
  work: (eventStore: EventStore) => Promise<CommandOutcome>,
  settings: EventStoreSettings = {},
): Promise<CommandOutcome> => {
  const location = parseStoreUrl(context.storeUrl)
  if (E.isLeft(location)) return E.left(usage(`--store: ${location.left}`))
  const opened = await openEventStore(location.right, settings)
  if (E.isLeft(opened)) return opened
  try {
    return await work(opened.right)
  } finally {
    await opened.right.close()
  }
}

export interface Stores {
  readonly eventStore: EventStore
  readonly readModelStore: ReadModelStore
}

/** Opens the event store and the read-model store, runs `work`, and closes both whatever happens. */
export const withStores = async (
  context: CommandContext,
  work: (stores: Stores) => Promise<CommandOutcome>,
  settings: EventStoreSettings = {},
): Promise<CommandOutcome> => {
  const events = parseStoreUrl(context.storeUrl)
  if (E.isLeft(events)) return E.left(usage(`--store: ${events.left}`))
  const explicitReadModels = context.readModelsUrl === undefined ? E.right(undefined) : parseStoreUrl(context.readModelsUrl)
  if (E.isLeft(explicitReadModels)) return E.left(usage(`--read-models: ${explicitReadModels.left}`))
  const readModels = readModelLocation(events.right, explicitReadModels.right)
  if (E.isLeft(readModels)) return E.left(usage(readModels.left))
  return withEventStore(
    context,
    async (eventStore) => {
      const opened = await openReadModelStore(readModels.right)
      if (E.isLeft(opened)) return opened
      try {
        return await work({ eventStore, readModelStore: opened.right })
      } finally {
        await opened.right.close()
      }
    },
    settings,
  )
}
