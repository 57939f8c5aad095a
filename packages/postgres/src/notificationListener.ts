/**
 * One `LISTEN` connection per store, shared by its live subscriptions: a notification wakes every
 * waiting subscription, which then reads. Best effort by design: when the connection cannot be made
 * or breaks, subscriptions still poll, and the next wait tries to listen again.
 */
import type pg from 'pg'
import { namedStatement } from './connection.ts'

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

export interface NotificationSender {
  /** Called once an append has committed: a notification follows within `intervalMs`, shared with the appends made meanwhile. */
  readonly appended: () => void
  /** Sends what is due now, and resolves when nothing is left to send. */
  readonly flush: () => Promise<void>
}

/**
 * The wake-up of the store's own appends, sent after their commit (`append_to_stream` then skips the
 * trigger's), so that concurrent appends do not queue on the lock a NOTIFY holds through its commit.
 * An append after a quiet spell is notified at once; the appends that follow within `intervalMs`
 * share one notification at the end of it, so a busy store sends at most one per interval. Its
 * transaction commits without waiting for the disk, since a lost notification costs a poll, not an
 * event. Best effort, like the listener: a failure leaves the waiters to their poll.
 */
export const notificationSender = (pool: pg.Pool, channel: string, intervalMs: number): NotificationSender => {
  const notify = namedStatement("SELECT pg_notify($1, ''), set_config('synchronous_commit', 'off', true)")
  let pending = false
  let lastSentAt = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setTimeout> | undefined
  let sending: Promise<void> | undefined

  const send = (): void => {
    pending = false
    lastSentAt = Date.now()
    sending = pool.query({ ...notify, values: [channel] }).then(
      () => sent(),
      () => sent(),
    )
  }
  const sent = (): void => {
    sending = undefined
    if (pending) schedule()
  }
  const schedule = (): void => {
    if (sending !== undefined || timer !== undefined) return
    const wait = lastSentAt + intervalMs - Date.now()
    if (wait <= 0) send()
    else
      timer = setTimeout(() => {
        timer = undefined
        send()
      }, wait)
  }

  return {
    appended: () => {
      pending = true
      schedule()
    },
    flush: async () => {
      while (timer !== undefined || sending !== undefined) {
        if (timer !== undefined) {
          clearTimeout(timer)
          timer = undefined
          send()
        }
        await sending
      }
    },
  }
}
