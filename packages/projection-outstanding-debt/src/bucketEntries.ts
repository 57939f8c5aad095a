/**
 * A bucket's entries: per key, the summed measures. `apply` is pure, so adding to a key copies the map.
 * A bucket holds one entry per cell of its commune that moved in its period: at most a dozen in the
 * bench town (20,000 households), so copying the whole map is cheaper than the 32 shards of versions 2–5, which
 * built 32 maps the first time a batch touched a bucket and copied a 32-slot array on every change.
 */
import { addMeasures, type Measures } from './measures.ts'

export type BucketEntries = ReadonlyMap<string, Measures>

export const noEntries: BucketEntries = new Map()

/** Adds `delta` to `key`'s measures in entries the caller owns (a copy, or a draft); the key goes when they sum to zero. */
export const addToEntries = (entries: Map<string, Measures>, key: string, delta: Measures): void => {
  const sum = addMeasures(entries.get(key), delta)
  if (sum === undefined) entries.delete(key)
  else entries.set(key, sum)
}

/** The entries with `delta` added to `key`'s; the key goes when its measures sum to zero. Leaves `entries` as it was. */
export const withDelta = (entries: BucketEntries, key: string, delta: Measures): BucketEntries => {
  if (!entries.has(key) && addMeasures(undefined, delta) === undefined) return entries
  const changed = new Map(entries)
  addToEntries(changed, key, delta)
  return changed
}
