/**
 * Wakes the live subscriptions of this process when any connection of this process appends to the
 * same file, so they need not wait for their next poll. Appends by other processes are found by
 * polling only: SQLite has no cross-process notification.
 */
import { resolve } from 'node:path'

export interface AppendNotifier {
  readonly notify: () => void
  /** Calls `wake` once, at the next append; the returned function stops listening. */
  readonly listen: (wake: () => void) => () => void
}

const listenersByFile = new Map<string, Set<() => void>>()

/** ':memory:' and '' are private to their connection, so they get a notifier of their own. */
const isPrivateDatabase = (filename: string): boolean => filename === ':memory:' || filename === ''

export const appendNotifier = (filename: string): AppendNotifier => {
  const key = isPrivateDatabase(filename) ? undefined : resolve(filename)
  const privateListeners = new Set<() => void>()
  const listeners = (): Set<() => void> => {
    if (key === undefined) return privateListeners
    const existing = listenersByFile.get(key)
    if (existing !== undefined) return existing
    const created = new Set<() => void>()
    listenersByFile.set(key, created)
    return created
  }
  return {
    notify: () => {
      const waiting = listeners()
      const woken = [...waiting]
      waiting.clear()
      if (key !== undefined) listenersByFile.delete(key)
      for (const wake of woken) wake()
    },
    listen: (wake) => {
      const waiting = listeners()
      waiting.add(wake)
      return () => {
        waiting.delete(wake)
        if (key !== undefined && waiting.size === 0 && listenersByFile.get(key) === waiting) listenersByFile.delete(key)
      }
    },
  }
}
