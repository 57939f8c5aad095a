/**
 * A bucket's entries: per key, the summed measures. `apply` is pure, so adding to a key copies the map.
 * A bucket holds one entry per cell of its commune that moved in its period: at most a dozen in the
 * bench town (20,000 households), so copying the whole map is cheaper than the 32 shards of versions 2–5, which
 * built 32 maps the first time a batch touched a bucket and copied a 32-slot array on every change.
 */
import { addMeasures, addMeasuresInPlace, type Measures } from './measures.ts'

export type BucketEntries = ReadonlyMap<string, Measures>

export const noEntries: BucketEntries = new Map()

/** Puts `key`'s new sum in entries the caller owns (a copy, or a draft); the key goes when its measures sum to zero. */
const putSum = (entries: Map<string, Measures>, key: string, sum: Measures | undefined): void => {
  if (sum === undefined) entries.delete(key)
  else entries.set(key, sum)
}

/**
 * A draft's copy of the entries: every vector in it is its own, so `addToDraftEntries` adds to them in
 * place instead of building a new vector per event and bucket (about 7.4 a rebuild's event). The
 * originals stay as they were: the runner keeps the committed document and may draft it again.
 */
export const draftEntries = (entries: BucketEntries): Map<string, Measures> => {
  const draft = new Map<string, Measures>()
  for (const [key, measures] of entries) draft.set(key, { ...measures })
  return draft
}

/** Adds `delta` to `key`'s measures in entries made by `draftEntries`, whose vectors the draft owns; the key goes when they sum to zero. */
export const addToDraftEntries = (entries: Map<string, Measures>, key: string, delta: Measures): void => {
  const own = entries.get(key)
  // A new vector is the draft's own too: `addMeasures` never returns its argument.
  if (own === undefined || !addMeasuresInPlace(own as Partial<Record<string, bigint>>, delta)) putSum(entries, key, addMeasures(own, delta))
}

/** The entries with `delta` added to `key`'s; the key goes when its measures sum to zero. Leaves `entries` as it was. */
export const withDelta = (entries: BucketEntries, key: string, delta: Measures): BucketEntries => {
  const sum = addMeasures(entries.get(key), delta)
  if (sum === undefined && !entries.has(key)) return entries
  const changed = new Map(entries)
  putSum(changed, key, sum)
  return changed
}
