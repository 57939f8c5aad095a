/**
 * One `LISTEN` connection per store, shared by its live subscriptions: a notification wakes every
 * waiting subscription, which then reads. Best effort by design: when the connection cannot be made
 * or breaks, subscriptions still poll, and the next wait tries to listen again.
 */
import type pg from 'pg'

export interface NotificationListener {
  /** Resolves once listening, or once it failed to (polling then carries on alone). */
  readonly listen: () => Promise<void>
  /** Called on each notification; a waker removes itself. */
  readonly wakers: Set<() => void>
  readonly stop: () => Promise<void>
}

export const notificationListener = (pool: pg.Pool, channel: string): NotificationListener => {
  const wakers = new Set<() => void>()
  let client: pg.PoolClient | undefined
  let connecting: Promise<void> | undefined
  let stopped = false

  const wakeAll = (): void => {
    for (const wake of [...wakers]) wake()
  }

  const drop = (broken: pg.PoolClient): void => {
    if (client === broken) client = undefined
    connecting = undefined
    broken.release(true)
    // Whatever was notified while the connection was down is found by the waiters' next read.
    wakeAll()
  }

  const listen = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    connecting ??= (async () => {
      try {
        const connected = await pool.connect()
        connected.on('notification', wakeAll)
        connected.on('error', () => drop(connected))
        try {
          // The channel is built from a checked schema name (connection.ts): no quote can occur in it.
          await connected.query(`LISTEN "${channel}"`)
        } catch {
          drop(connected)
          return
        }
        if (stopped) connected.release(true)
        else client = connected
      } catch {
        connecting = undefined
      }
    })()
    return connecting
  }

  return {
    listen,
    wakers,
    stop: async () => {
      stopped = true
      await connecting
      // Destroyed, not returned to the pool: a pooled connection must not keep listening.
      client?.release(true)
      client = undefined
    },
  }
}
