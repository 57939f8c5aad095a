/**
 * A subscription built on `readAll`: read batches from a position until the end, say `CaughtUp`
 * once, then wait for new events and read again, until closed. Any store that can tell (or guess,
 * by polling) when new events may exist gets catch-up-then-live for free, with the no-skip and
 * no-repeat guarantees of its `readAll` checkpoints.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { EventStore, Position, SubscribeOptions, Subscription, SubscriptionMessage } from './port.ts'
import { laterPosition } from './position.ts'

export interface CatchUpSource {
  readonly readAll: EventStore['readAll']
  /**
   * Resolves once events after `checkpoint` may exist, at once if they already do, or when `signal`
   * aborts. A polling store sleeps for its interval; an in-process store resolves on its next append.
   */
  readonly waitForEvents: (checkpoint: Position | undefined, signal: AbortSignal) => Promise<void>
  readonly batchSize?: number
}

const DEFAULT_BATCH_SIZE = 500

export const catchUpSubscription = (source: CatchUpSource, options: SubscribeOptions = {}): Subscription => {
  const controller = new AbortController()
  const { signal } = controller
  const batchSize = source.batchSize ?? DEFAULT_BATCH_SIZE

  async function* messages(): AsyncGenerator<SubscriptionMessage, void, undefined> {
    let after = options.after
    let caughtUp = false
    try {
      while (!signal.aborted) {
        const read = await source.readAll({
          maxCount: batchSize,
          ...(after === undefined ? {} : { after }),
          ...(options.filter === undefined ? {} : { filter: options.filter }),
        })()
        if (signal.aborted) return
        if (E.isLeft(read)) {
          yield { _tag: 'Failed', error: read.left }
          return
        }
        for (const event of read.right.events) {
          if (signal.aborted) return
          yield { _tag: 'Event', event }
        }
        after = laterPosition(after, read.right.checkpoint)
        if (read.right.isEnd) {
          if (!caughtUp) {
            caughtUp = true
            if (signal.aborted) return
            yield { _tag: 'CaughtUp', ...(after === undefined ? {} : { checkpoint: after }) }
          }
          if (!signal.aborted) await source.waitForEvents(after, signal)
        }
      }
    } finally {
      controller.abort()
    }
  }

  const iterator = messages()
  return {
    close: () => {
      controller.abort()
      return Promise.resolve()
    },
    [Symbol.asyncIterator]: () => iterator,
  }
}
