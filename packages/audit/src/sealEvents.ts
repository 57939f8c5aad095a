/**
 * `AuditSealed`, the one event the audit writes: on the `audit-seals` stream, it records the hash
 * chain over a run of the global log (by ordinal: the n-th event in global order), with the digest
 * of every event in the run, so that a verifier can name the event that no longer matches. It is not
 * a domain event: nothing folds it and no report counts it, so it lives here, not in the core; a
 * store that validates appends needs `auditedEventRegistry` (domain events and this one) to accept it.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { describeDecodeFailure } from './decodeFailure.ts'
import { fieldErrors } from '@policy-credit/core'
import type { EventSchema } from '@policy-credit/event-store'

export const AUDIT_SEALS_STREAM = 'audit-seals'

export interface Sha256HexBrand {
  readonly Sha256Hex: unique symbol
}
/** A SHA-256 digest as 64 lower-case hex digits. */
export const Sha256Hex = t.brand(t.string, (s): s is t.Branded<string, Sha256HexBrand> => /^[0-9a-f]{64}$/.test(s), 'Sha256Hex')
export type Sha256Hex = t.TypeOf<typeof Sha256Hex>

export interface OrdinalBrand {
  readonly Ordinal: unique symbol
}
/** The n-th event of the global log, counting from 1: positions differ between stores, ordinals do not. */
export const Ordinal = t.brand(t.number, (n): n is t.Branded<number, OrdinalBrand> => Number.isSafeInteger(n) && n >= 1, 'Ordinal')
export type Ordinal = t.TypeOf<typeof Ordinal>

export const AuditSealed = t.strict(
  {
    type: t.literal('AuditSealed'),
    data: t.strict({
      firstOrdinal: Ordinal,
      throughOrdinal: Ordinal,
      /** Where the run ends in this store, so the next seal reads on from there. */
      throughPosition: t.string,
      /** The chain before the run's first event: the previous seal's `chainHash`, or the genesis link. */
      previousChainHash: Sha256Hex,
      /** The chain after the run's last event. */
      chainHash: Sha256Hex,
      /** The digest of each event of the run, in order. */
      eventDigests: t.readonlyArray(Sha256Hex),
    }),
  },
  'AuditSealed',
)
export type AuditSealed = t.TypeOf<typeof AuditSealed>
export type AuditEvent = AuditSealed

export const auditSealedSchema: EventSchema<AuditSealed> = {
  type: 'AuditSealed',
  currentVersion: 1,
  decode: (encoded) =>
    pipe(
      AuditSealed.decode(encoded),
      E.mapLeft((errors) => describeDecodeFailure({ _tag: 'DecodeFailure', codec: 'AuditSealed', errors: fieldErrors(errors) })),
    ),
  encode: (event) => AuditSealed.encode(event),
}
