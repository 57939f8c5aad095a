/**
 * Executes envelopes one after the other, as `policy-credit import` does: each outcome is reported,
 * a refused command does not stop the run (it appended nothing), a store failure does (later commands
 * may depend on the one that failed; executing the same envelopes again resumes, since what was
 * appended is recognised by its ids).
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as T from 'fp-ts/lib/Task.js'
import { isStoreFailure, type Application, type ExecutionError, type Outcome, type StoreFailure } from './application.ts'
import type { CommandEnvelope } from './commandLine.ts'

export interface ExecuteAllOptions {
  /** Called after each envelope, in order, before the next is executed. */
  readonly onOutcome?: (result: E.Either<ExecutionError, Outcome>, envelope: CommandEnvelope, index: number) => void | Promise<void>
}

export interface ExecuteAllSummary {
  /** Envelopes executed, refused ones included. */
  readonly executed: number
  /** Envelopes whose events this run appended (on at least one stream). */
  readonly appended: number
  /** Events this run appended, on every stream. */
  readonly eventsAppended: number
  /** Envelopes an earlier run had already handled. */
  readonly alreadyHandled: number
  /** Envelopes refused (rejected, context missing, reservation released): nothing appended. */
  readonly refused: number
  /** The store failure that stopped the run, with the index of its envelope; absent when every envelope was executed. */
  readonly stoppedBy?: { readonly index: number; readonly error: StoreFailure }
}

/** Events this outcome appended now, on the command's stream and its reservation's. */
export const eventsAppendedBy = (outcome: Outcome): number =>
  (outcome.alreadyHandled ? 0 : outcome.events.length) + (outcome.reservation === undefined || outcome.reservation.alreadyHandled ? 0 : outcome.reservation.events.length)

export const executeAll =
  (application: Pick<Application, 'execute'>, envelopes: Iterable<CommandEnvelope> | AsyncIterable<CommandEnvelope>, options: ExecuteAllOptions = {}): T.Task<ExecuteAllSummary> =>
  async () => {
    let index = 0
    let appended = 0
    let eventsAppended = 0
    let alreadyHandled = 0
    let refused = 0
    const summary = (): ExecuteAllSummary => ({ executed: index, appended, eventsAppended, alreadyHandled, refused })
    for await (const envelope of envelopes) {
      const result = await application.execute(envelope)()
      await options.onOutcome?.(result, envelope, index)
      if (E.isLeft(result)) {
        if (isStoreFailure(result.left)) return { ...summary(), executed: index + 1, stoppedBy: { index, error: result.left } }
        refused++
      } else if (result.right.alreadyHandled) {
        alreadyHandled++
      } else {
        const count = eventsAppendedBy(result.right)
        if (count > 0) appended++
        eventsAppended += count
      }
      index++
    }
    return summary()
  }
