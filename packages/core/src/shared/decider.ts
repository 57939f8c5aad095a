/**
 * A decider (Chassaing): `decide` turns a command and the current state (plus the context the command
 * handler loaded from outside the stream) into events or a rejection; `evolve` folds an event into
 * state. Both are pure: no I/O, no clock, no randomness. An empty array means "nothing to do", so a
 * retried command is idempotent.
 */
import type * as E from 'fp-ts/lib/Either.js'

export interface Decider<Command, Event, State, Rejection, Context = void> {
  readonly initialState: State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (command: Command, state: State, context: Context) => E.Either<Rejection, ReadonlyArray<Event>>
}

/** Folds a history into the state it leads to. */
export const foldHistory = <Event, State>(
  decider: Pick<Decider<unknown, Event, State, unknown, never>, 'initialState' | 'evolve'>,
  history: ReadonlyArray<Event>,
): State => history.reduce(decider.evolve, decider.initialState)
