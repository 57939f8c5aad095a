/**
 * Deterministic "randomness": every draw is a pure function of a name (`household pu-trang-00012,
 * welfare, 2015`), so the same history comes out on every run and machine, and adding a draw for one
 * thing does not shift the draws of any other.
 */

/** FNV-1a over the UTF-16 code units, then a 32-bit finaliser (murmur3 fmix) to spread close names apart. */
const hash32 = (name: string): number => {
  let h = 0x811c9dc5
  for (let index = 0; index < name.length; index++) {
    h ^= name.charCodeAt(index)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A number in [0, 1) named by the parts. */
export const draw = (...parts: ReadonlyArray<string | number>): number => hash32(parts.join('|')) / 0x1_0000_0000

/** A whole number in [min, max] named by the parts. */
export const drawInt = (min: number, max: number, ...parts: ReadonlyArray<string | number>): number => min + Math.floor(draw(...parts) * (max - min + 1))

/** `count` distinct items of `items`, chosen by the parts, in the order of `items`. */
export const drawSubset = <A>(items: ReadonlyArray<A>, count: number, ...parts: ReadonlyArray<string | number>): ReadonlyArray<A> =>
  items
    .map((item, index) => ({ item, index, key: draw(...parts, index) }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .sort((a, b) => a.index - b.index)
    .map(({ item }) => item)
