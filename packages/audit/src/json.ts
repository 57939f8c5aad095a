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
 * a canonical text hashes the same wherever the event is read from. Takes what `toJsonSafe` takes
 * and writes what it would give, without building the copy: it runs once per event of the log.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (typeof value === 'bigint') return `"${value.toString()}"`
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`no JSON form for the number ${value}`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    let text = '['
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index]
      text += `${index === 0 ? '' : ','}${item === undefined ? 'null' : canonicalJson(item)}`
    }
    return `${text}]`
  }
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError(`no JSON form for a ${(prototype as { readonly constructor?: { readonly name?: string } } | null)?.constructor?.name ?? 'non-plain object'}`)
    const object = value as { readonly [key: string]: unknown }
    // Array.prototype.sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
    const keys = Object.keys(object).sort()
    let text = '{'
    let first = true
    for (const key of keys) {
      const field = object[key]
      if (field === undefined) continue
      text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(field)}`
      first = false
    }
    return `${text}}`
  }
  throw new TypeError(`no JSON form for a ${typeof value}`)
}
