/**
 * Which aggregate a stream belongs to, by its prefix, and the decider that folds it. The prefixes come
 * from the core's event catalogue (`loan-<loanId>` → `loan-`), so a stream-id convention is written
 * once; this module only pairs each catalogued aggregate with its decider's `evolve`.
 */
import { AdministrativeUnit, Capital, eventCatalogue, Household, Inspection, Loan, Plan, type DomainEvent } from '@policy-credit/core'

export interface StreamKind {
  /** The aggregate's name in the core's catalogue ('Loan', 'Household', …). */
  readonly aggregate: string
  /** How its stream ids are built, as the catalogue says ('loan-<loanId>'). */
  readonly streamPattern: string
  /** What every stream id of this aggregate starts with ('loan-'). */
  readonly streamPrefix: string
  readonly eventTypes: ReadonlySet<string>
  readonly initialState: unknown
  /** The decider's `evolve`; only called with an event of `eventTypes`. */
  readonly evolve: (state: unknown, event: DomainEvent) => unknown
}

type Fold = Pick<StreamKind, 'initialState' | 'evolve'>

/** Hides the aggregate's own state and event types behind `unknown`: `stateAsOf` checks the event type first. */
const foldWith = <Event, State>(decider: { readonly initialState: State; readonly evolve: (state: State, event: Event) => State }): Fold => ({
  initialState: decider.initialState,
  evolve: (state, event) => decider.evolve(state as State, event as unknown as Event),
})

const foldsByAggregate: Readonly<Record<string, Fold>> = {
  'Administrative unit': foldWith(AdministrativeUnit.administrativeUnitDecider),
  Household: foldWith(Household.householdDecider),
  Loan: foldWith(Loan.loanDecider),
  Capital: foldWith(Capital.capitalDecider),
  Inspection: foldWith(Inspection.inspectionDecider),
  Plan: foldWith(Plan.planDecider),
}

/** 'loan-<loanId>' → 'loan-'. */
const prefixOf = (pattern: string): string => pattern.slice(0, pattern.indexOf('<') === -1 ? pattern.length : pattern.indexOf('<'))

/** Every aggregate the audit can fold, longest prefix first so that a longer prefix wins over one it extends. */
export const streamKinds: ReadonlyArray<StreamKind> = eventCatalogue
  .flatMap((entry) => {
    const fold = foldsByAggregate[entry.aggregate]
    return fold === undefined
      ? []
      : [{ aggregate: entry.aggregate, streamPattern: entry.stream, streamPrefix: prefixOf(entry.stream), eventTypes: new Set(Object.keys(entry.codecs)), ...fold }]
  })
  .sort((left, right) => right.streamPrefix.length - left.streamPrefix.length)

/** Aggregates of the catalogue with no decider paired here: a test keeps this empty. */
export const aggregatesWithoutFold: ReadonlyArray<string> = eventCatalogue.map((entry) => entry.aggregate).filter((aggregate) => foldsByAggregate[aggregate] === undefined)

export const streamKindOf = (streamId: string): StreamKind | undefined =>
  streamKinds.find((kind) => streamId.startsWith(kind.streamPrefix) && streamId.length > kind.streamPrefix.length)

/** The stream of one aggregate instance: `streamIdFor('Loan', 'LN-1')` is 'loan-LN-1'. */
export const streamIdFor = (aggregate: string, id: string): string | undefined => {
  const kind = streamKinds.find((candidate) => candidate.aggregate === aggregate)
  return kind === undefined ? undefined : `${kind.streamPrefix}${id}`
}
