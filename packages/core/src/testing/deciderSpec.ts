/**
 * Given/when/then for deciders: the history is events, never a hand-built state.
 * @example given([loanRequested]).when(vetLoan).thenEvents([loanVetted])
 */
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'
import type { Decider } from '../shared/decider.ts'

export const deciderSpec =
  <Command, Event, State, Rejection, Context>(decider: Decider<Command, Event, State, Rejection, Context>) =>
  (history: ReadonlyArray<Event>) => ({
    when: (command: Command, context: Context) => {
      const decision = decider.decide(command, history.reduce(decider.evolve, decider.initialState), context)
      return {
        decision,
        thenEvents: (expected: ReadonlyArray<Event>) => expect(decision).toStrictEqual(E.right(expected)),
        thenRejects: (expected: Rejection) => expect(decision).toStrictEqual(E.left(expected)),
        thenNothing: () => expect(decision).toStrictEqual(E.right([])),
      }
    },
  })
