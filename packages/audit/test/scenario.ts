/**
 * Scenarios for the audit's tests, written the way an application writes them: commands through the
 * event-store's `handleCommand` with the core's deciders, into a store that validates appends with the
 * audit's registry and records instants from a stepping clock (one second per append).
 */
import * as E from 'fp-ts/lib/Either.js'
import { Loan } from '@policy-credit/core'
import { propertyContext, type LoanLifecycle } from '@policy-credit/core/testing'
import { eventCodec, handleCommand, inMemoryEventStore, validateWith, type EventCodec, type EventStore, type StreamCommandHandler } from '@policy-credit/event-store'
import { steppingClock } from '@policy-credit/event-store/testing'
import { auditedEventRegistry, streamIdFor, type AuditedEvent } from '../src/index.ts'

export const auditedCodec: EventCodec<AuditedEvent> = eventCodec(auditedEventRegistry)

/** A codec for one aggregate's events: the audited codec, narrowed (the decider only ever hands it its own). */
export const codecFor = <Event extends AuditedEvent>(): EventCodec<Event> => auditedCodec as unknown as EventCodec<Event>

export const loanStreamId = (loanId: string): string => {
  const streamId = streamIdFor('Loan', loanId)
  if (streamId === undefined) throw new Error('the core catalogue has no Loan aggregate')
  return streamId
}

export const loanHandler: StreamCommandHandler<Loan.LoanCommand, Loan.LoanEvent, Loan.Loan, Loan.LoanRejection, Loan.LoanContext> = {
  decider: Loan.loanDecider,
  codec: codecFor<Loan.LoanEvent>(),
  streamId: (command) => loanStreamId(command.data.loanId),
  loadContext: (command) => async () => E.right(propertyContext(command)),
}

export const validatingStore = (storage?: Parameters<typeof inMemoryEventStore>[0]): EventStore =>
  inMemoryEventStore({ validate: validateWith(auditedEventRegistry), clock: steppingClock('2026-01-01T00:00:00.000Z'), ...storage })

/** The actor recorded for command `index`: loan officers take turns, so actors differ between events. */
export const actorOf = (index: number): string => `officer-${index % 3}`

/** Runs a generated loan lifecycle's commands through `handleCommand`; rejected commands append nothing. */
export const recordLifecycle = async (store: EventStore, lifecycle: LoanLifecycle): Promise<void> => {
  for (const [index, command] of lifecycle.commands.entries()) {
    const handled = await handleCommand(store, loanHandler)({
      commandId: `${command.data.loanId}-command-${index}`,
      command,
      occurredOn: Loan.commandDate(command),
      actor: actorOf(index),
    })()
    if (E.isLeft(handled) && handled.left._tag !== 'Rejected') throw new Error(`the store failed: ${JSON.stringify(handled.left)}`)
  }
}

export { expectLeft, expectRight } from '@policy-credit/event-store/testing'
