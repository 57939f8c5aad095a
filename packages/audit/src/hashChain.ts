/**
 * The hash chain over the global log. Each event's digest is SHA-256 over the canonical JSON
 * (RFC 8785) of what was recorded: its id, stream, revision, type, data and metadata (business date,
 * recorded instant, schema version, correlation, causation, actor). The chain starts at 64 zeros and
 * each link is SHA-256 over the previous link's hex followed by the event's digest hex, so anyone can
 * recompute it with `sha256sum`. Positions are left out on purpose: they differ between stores, and
 * the order they give is already in the chain.
 */
import { createHash } from 'node:crypto'
import type { RecordedEvent } from '@policy-credit/event-store'
import { canonicalJson } from './json.ts'
import type { Sha256Hex } from './sealEvents.ts'

export const GENESIS_CHAIN_HASH = '0'.repeat(64) as Sha256Hex

const sha256Hex = (text: string): Sha256Hex => createHash('sha256').update(text, 'utf8').digest('hex') as Sha256Hex

/** What is hashed of an event; metadata fields a writer left out are left out here too. */
export const hashedForm = (recorded: RecordedEvent): { readonly [field: string]: unknown } => {
  const { metadata } = recorded
  return {
    eventId: recorded.eventId,
    streamId: recorded.streamId,
    version: recorded.version.toString(),
    type: recorded.type,
    data: recorded.data,
    metadata: {
      occurredOn: metadata.occurredOn,
      recordedAt: metadata.recordedAt,
      schemaVersion: metadata.schemaVersion,
      ...(metadata.correlationId === undefined ? {} : { correlationId: metadata.correlationId }),
      ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
      ...(metadata.actor === undefined ? {} : { actor: metadata.actor }),
    },
  }
}

export const eventDigest = (recorded: RecordedEvent): Sha256Hex => sha256Hex(canonicalJson(hashedForm(recorded)))

export const nextChainHash = (previous: Sha256Hex, digest: Sha256Hex): Sha256Hex => sha256Hex(`${previous}${digest}`)

export const chainOf = (previous: Sha256Hex, digests: ReadonlyArray<Sha256Hex>): Sha256Hex => digests.reduce(nextChainHash, previous)
