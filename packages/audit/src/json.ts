/**
 * Plain JSON for what the audit functions return, and the canonical text the hash chain hashes.
 * Decoded events and folded states hold `bigint` money (Vnd), which `JSON.stringify` refuses: an
 * auditor's output carries it as a decimal string, as the events themselves do on the wire.
 */

export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue }

/**
 * `value` as plain JSON: a bigint becomes its decimal string, an object field that is `undefined` is
 * left out (as `JSON.stringify` does). Throws on what has no JSON form (a function, a symbol, a
 * non-finite number, a Map): a state or event holding one is a defect, not an auditor's mistake.
 */
export const toJsonSafe = (value: unknown): JsonValue => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`no JSON form for the number ${value}`)
    return value
  }
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : toJsonSafe(item)))
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError(`no JSON form for a ${prototype?.constructor?.name ?? 'non-plain object'}`)
    const entries = Object.entries(value).filter(([, field]) => field !== undefined)
    return Object.fromEntries(entries.map(([key, field]) => [key, toJsonSafe(field)]))
  }
  throw new TypeError(`no JSON form for a ${typeof value}`)
}

/**
 * The JSON Canonicalization Scheme (RFC 8785) for the JSON our events hold: object keys sorted by
 * UTF-16 code units, no whitespace, strings and numbers as ECMAScript's `JSON.stringify` writes them.
 * Stores give `data` back with keys in any order (PostgreSQL's jsonb sorts them its own way), so only
 * a canonical text hashes the same wherever the event is read from.
 */
export const canonicalJson = (value: JsonValue): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${(value as ReadonlyArray<JsonValue>).map(canonicalJson).join(',')}]`
  const object = value as { readonly [key: string]: JsonValue }
  // Array.prototype.sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(object).sort()
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key] as JsonValue)}`).join(',')}}`
}
