/**
 * A client subscription read in the server's order. The clients deliver events through a Readable's
 * buffer but report checkpoints (a callback) and `caughtUp` (an event) at once, so a checkpoint can
 * be seen before the events that precede it have been read. Each notification is stamped with how
 * many events precede it (read so far plus still buffered) and handed out only after those events.
 */
import type {
  EventStoreDbClient,
  EventStoreDbPosition,
  EventStoreDbResolvedEvent,
  EventStoreDbServerFilter,
  EventStoreDbSubscribeToAllOptions,
} from './client.ts'

export type OrderedMessage =
  | { readonly _tag: 'Event'; readonly resolved: EventStoreDbResolvedEvent }
  /** The server has looked at every event up to here (filtered subscriptions only). */
  | { readonly _tag: 'Checkpoint'; readonly position: EventStoreDbPosition }
  | { readonly _tag: 'CaughtUp' }
  /** The subscription stopped: the server or the network failed, or it ended without an error. */
  | { readonly _tag: 'Dropped'; readonly cause: unknown }
  | { readonly _tag: 'Closed' }

export interface OrderedSubscription {
  readonly next: () => Promise<OrderedMessage>
  readonly close: () => Promise<void>
}

type Terminal = Extract<OrderedMessage, { _tag: 'Dropped' | 'Closed' }>

export const openOrderedSubscription = (
  client: EventStoreDbClient,
  options: { readonly fromPosition: EventStoreDbSubscribeToAllOptions['fromPosition']; readonly filter: EventStoreDbServerFilter },
): OrderedSubscription => {
  let consumed = 0
  const notifications: Array<{ readonly after: number; readonly message: OrderedMessage }> = []
  let terminal: Terminal | undefined
  let wake: (() => void) | undefined
  const signal = (): void => {
    const resolve = wake
    wake = undefined
    resolve?.()
  }

  const subscription = client.subscribeToAll({
    fromPosition: options.fromPosition,
    filter: {
      ...options.filter,
      checkpointReached: (_subscription: unknown, position: EventStoreDbPosition) => {
        notifications.push({ after: consumed + subscription.readableLength, message: { _tag: 'Checkpoint', position } })
        signal()
      },
    },
  })
  const end = (message: Terminal): void => {
    terminal ??= message
    signal()
  }
  const onCaughtUp = (): void => {
    notifications.push({ after: consumed + subscription.readableLength, message: { _tag: 'CaughtUp' } })
    signal()
  }
  const onError = (error: Error): void => end({ _tag: 'Dropped', cause: error })
  const onEnd = (): void => end({ _tag: 'Dropped', cause: new Error('the server ended the subscription') })
  subscription.on('readable', signal)
  subscription.on('caughtUp', onCaughtUp)
  subscription.on('error', onError)
  subscription.on('end', onEnd)
  subscription.on('close', onEnd)

  const next = async (): Promise<OrderedMessage> => {
    for (;;) {
      if (terminal?._tag === 'Closed') return terminal
      const notification = notifications[0]
      if (notification !== undefined && notification.after <= consumed) {
        notifications.shift()
        return notification.message
      }
      const chunk = subscription.read() as EventStoreDbResolvedEvent | null
      if (chunk !== null) {
        consumed += 1
        return { _tag: 'Event', resolved: chunk }
      }
      // Nothing buffered: after a failure the Readable is destroyed and its buffer gone.
      if (terminal !== undefined) return terminal
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  }

  const close = async (): Promise<void> => {
    if (terminal?._tag === 'Closed') return
    terminal = { _tag: 'Closed' }
    signal()
    subscription.removeListener('readable', signal)
    subscription.removeListener('caughtUp', onCaughtUp)
    subscription.removeListener('end', onEnd)
    subscription.removeListener('close', onEnd)
    // Keep a listener: an 'error' emitted while cancelling must not become an uncaught exception.
    subscription.removeListener('error', onError)
    subscription.on('error', () => undefined)
    // gRPC reports a call's end only after its messages are read: let whatever is still coming drain away.
    subscription.resume()
    await subscription.unsubscribe()
  }

  return { next, close }
}
