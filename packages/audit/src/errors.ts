/** What the audit functions return in `Left`: data, no prose; the renderers and the CLI word them. */
import type { EventStoreError, InvalidStoredEvent } from '@policy-credit/event-store'

export type AuditError =
  /** The store failed or refused a read or an append. */
  | { readonly _tag: 'StoreFailed'; readonly error: EventStoreError }
  /** No catalogued aggregate's stream prefix matches: the audit cannot tell which decider folds it. */
  | { readonly _tag: 'UnknownStreamKind'; readonly streamId: string; readonly knownPatterns: ReadonlyArray<string> }
  /** A query argument that is not what it must be (a date that is no calendar day, an instant that is no ISO instant). */
  | { readonly _tag: 'InvalidQuery'; readonly field: string; readonly value: unknown; readonly expected: string }
  /** A stored event the fold needs does not decode: the state past it cannot be known. */
  | { readonly _tag: 'CannotFoldMalformedEvent'; readonly event: InvalidStoredEvent }
  /** A stream holds an event of another aggregate's type. */
  | { readonly _tag: 'EventOfAnotherAggregate'; readonly streamId: string; readonly version: bigint; readonly type: string; readonly aggregate: string }
  | { readonly _tag: 'LoanNotFound'; readonly loanId: string }
  /** The seals stream holds a seal that does not decode, so sealing cannot go on from it. */
  | { readonly _tag: 'SealUnreadable'; readonly event: InvalidStoredEvent }
  /** Another sealer appended seals meanwhile, every time it was tried. */
  | { readonly _tag: 'SealingContended'; readonly attempts: number }

export const storeFailed = (error: EventStoreError): AuditError => ({ _tag: 'StoreFailed', error })
