/**
 * A bucket's entries split into shards by a hash of the key. `apply` is pure, so adding to one key
 * copies the shard the key lives in (a few dozen entries) rather than the whole bucket: a commune's
 * `holders` bucket of a block holds every household with a balance, hundreds of them, and one repayment
 * changes about eleven buckets. Copying whole buckets was most of a rebuild's time
 * (docs/outstanding-debt.md, "Rebuild cost").
 */
import { addMeasures, type Measures } from './measures.ts'

const SHARDS = 32

export interface BucketEntries {
  /** `SHARDS` maps; a key lives in the shard `shardOf(key)` names. */
  readonly shards: ReadonlyArray<ReadonlyMap<string, Measures>>
  readonly size: number
}

/** FNV-1a over the key's UTF-16 code units: cheap, and spreads keys that differ in one character. */
const shardOf = (key: string): number => {
  let hash = 0x811c9dc5
  for (let index = 0; index < key.length; index += 1) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193)
  return (hash >>> 0) % SHARDS
}

const emptyShard: ReadonlyMap<string, Measures> = new Map()

export const noEntries: BucketEntries = { shards: Array.from({ length: SHARDS }, () => emptyShard), size: 0 }

/** Entries from pairs, each key once (a decoded document). */
export const entriesFrom = (pairs: Iterable<readonly [string, Measures]>): BucketEntries => {
  const shards = Array.from({ length: SHARDS }, () => new Map<string, Measures>())
  let size = 0
  for (const [key, measures] of pairs) {
    const shard = shards[shardOf(key)] as Map<string, Measures>
    if (!shard.has(key)) size += 1
    shard.set(key, measures)
  }
  return { shards, size }
}

export const entryOf = (entries: BucketEntries, key: string): Measures | undefined => entries.shards[shardOf(key)]?.get(key)

/** Every entry, shard by shard: in no particular order. */
export function* allEntries(entries: BucketEntries): Generator<readonly [string, Measures]> {
  for (const shard of entries.shards) yield* shard
}

/** The entries with `delta` added to `key`'s; the key goes when its measures sum to zero. Copies one shard. */
export const withDelta = (entries: BucketEntries, key: string, delta: Measures): BucketEntries => {
  const at = shardOf(key)
  const shard = entries.shards[at] as ReadonlyMap<string, Measures>
  const before = shard.get(key)
  const sum = addMeasures(before, delta)
  if (sum === undefined && before === undefined) return entries
  const changed = new Map(shard)
  if (sum === undefined) changed.delete(key)
  else changed.set(key, sum)
  const shards = [...entries.shards]
  shards[at] = changed
  return { shards, size: entries.size + (before === undefined ? 1 : 0) - (sum === undefined ? 1 : 0) }
}
