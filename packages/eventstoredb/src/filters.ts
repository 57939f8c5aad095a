/**
 * The port's filter as an EventStoreDB server-side filter. The server filters on one thing only,
 * the stream name or the event type, so with both the event types go to the server (a regular
 * expression of exact names) and the stream prefixes are checked here. System events (`$`-prefixed
 * types and streams) are left out on the server when no type filter is given, and always here.
 */
import type { EventFilter } from '@policy-credit/event-store'
import type { EventStoreDbServerFilter } from './client.ts'
import { isSystemEvent } from './mapping.ts'

export interface FilterPlan {
  /** False when the filter keeps nothing (an empty list), so no read is needed. */
  readonly keepsAnything: boolean
  readonly server: EventStoreDbServerFilter
  /** Checked on each event the server sends. */
  readonly keeps: (event: { readonly streamId: string; readonly type: string }) => boolean
}

// The server sends a checkpoint after each (multiplier × search window) events it looked at.
const CHECKPOINT_INTERVAL_MULTIPLIER = 1

// The same characters are special in .NET regular expressions (the server's) and in JavaScript's.
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\#\s]/g, (character) => `\\${character}`)

/** Matches exactly one of the names: the server's event-type filter matches by regular expression or prefix. */
export const exactNamesRegex = (names: ReadonlyArray<string>): string => `^(?:${names.map(escapeRegex).join('|')})$`

/** @param namespace the store's stream namespace: only streams under it are kept, and prefixes are relative to it. */
export const planFilter = (filter: EventFilter | undefined, namespace = ''): FilterPlan => {
  const prefixes = filter?.streamPrefixes?.map((prefix) => `${namespace}${prefix}`) ?? (namespace === '' ? undefined : [namespace])
  const types = filter?.eventTypes
  const keepsPrefix = (streamId: string): boolean =>
    streamId.startsWith(namespace) && (prefixes === undefined || prefixes.some((prefix) => streamId.startsWith(prefix)))
  const keepsType = (type: string): boolean => types === undefined || types.includes(type)
  const keeps = (event: { readonly streamId: string; readonly type: string }): boolean =>
    !isSystemEvent(event) && keepsPrefix(event.streamId) && keepsType(event.type)
  const keepsAnything = prefixes?.length !== 0 && types?.length !== 0
  const server: EventStoreDbServerFilter =
    types !== undefined && types.length > 0
      ? { filterOn: 'eventType', regex: exactNamesRegex(types), checkpointInterval: CHECKPOINT_INTERVAL_MULTIPLIER }
      : prefixes !== undefined && prefixes.length > 0
        ? { filterOn: 'streamName', prefixes, checkpointInterval: CHECKPOINT_INTERVAL_MULTIPLIER }
        : // EventStoreDB's own "exclude system events" filter: event types not starting with `$`.
          { filterOn: 'eventType', regex: '^[^$]', checkpointInterval: CHECKPOINT_INTERVAL_MULTIPLIER }
  return { keepsAnything, server, keeps }
}
