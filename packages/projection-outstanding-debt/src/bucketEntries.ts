/**
 * A bucket's entries. `apply` is pure, so adding to one key must copy what it changes: a commune's
 * `holders` bucket of a block holds every household with a balance, hundreds of them, and one repayment
 * changes about eleven buckets, so copying whole buckets was most of a rebuild's time. Once a bucket is
 * changed its entries are split into shards by a hash of the key, and adding to a key copies the one
 * shard it lives in. A bucket read from the store stays the plain map it was decoded into until then:
 * a query only reads entries, and hashing every key it reads would slow it down.
 */
import { addMeasures, type Measures } from './measures.ts'

const SHARDS = 32

export interface ShardedEntries {
  readonly _tag: 'Sharded'
  /** `SHARDS` maps; a key lives in the shard `shardOf(key)` names. */
  readonly shards: ReadonlyArray<ReadonlyMap<string, Measures>>
  readonly size: number
}

/** A plain map as decoded, or shards once changed. */
export type BucketEntries = ReadonlyMap<string, Measures> | ShardedEntries

/** FNV-1a over the key's UTF-16 code units: cheap, and spreads keys that differ in one character. */
const shardOf = (key: string): number => {
  let hash = 0x811c9dc5
  for (let index = 0; index < key.length; index += 1) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193)
  return (hash >>> 0) % SHARDS
}

const isSharded = (entries: BucketEntries): entries is ShardedEntries => (entries as Partial<ShardedEntries>)._tag === 'Sharded'

export const noEntries: BucketEntries = new Map()

const sharded = (entries: ReadonlyMap<string, Measures>): ShardedEntries => {
  const shards = Array.from({ length: SHARDS }, () => new Map<string, Measures>())
  for (const [key, measures] of entries) (shards[shardOf(key)] as Map<string, Measures>).set(key, measures)
  return { _tag: 'Sharded', shards, size: entries.size }
}

export const entryOf = (entries: BucketEntries, key: string): Measures | undefined => (isSharded(entries) ? entries.shards[shardOf(key)]?.get(key) : entries.get(key))

function* shardEntries(entries: ShardedEntries): Generator<readonly [string, Measures]> {
  for (const shard of entries.shards) yield* shard
}

/** Every entry, in no particular order. */
export const allEntries = (entries: BucketEntries): Iterable<readonly [string, Measures]> => (isSharded(entries) ? shardEntries(entries) : entries)

/** The entries with `delta` added to `key`'s; the key goes when its measures sum to zero. Copies one shard. */
export const withDelta = (entries: BucketEntries, key: string, delta: Measures): BucketEntries => {
  const from = isSharded(entries) ? entries : sharded(entries)
  const at = shardOf(key)
  const shard = from.shards[at] as ReadonlyMap<string, Measures>
  const before = shard.get(key)
  const sum = addMeasures(before, delta)
  if (sum === undefined && before === undefined) return from
  const changed = new Map(shard)
  if (sum === undefined) changed.delete(key)
  else changed.set(key, sum)
  const shards = [...from.shards]
  shards[at] = changed
  return { _tag: 'Sharded', shards, size: from.size + (before === undefined ? 1 : 0) - (sum === undefined ? 1 : 0) }
}
