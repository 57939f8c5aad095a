/**
 * @policy-credit/audit: what an auditor replaying history needs. Functions return plain data (JSON-safe
 * rows) in a `TaskEither`; the `render…` functions turn it into text for a terminal. See docs/audit.md.
 */
export * from './json.ts'
export * from './errors.ts'
export { auditedEventRegistry, decodeAudited, type AuditedEvent } from './domainEvents.ts'
export { describeDecodeFailure } from './decodeFailure.ts'
export * from './sealEvents.ts'
export { streamKinds, streamKindOf, streamIdFor, aggregatesWithoutFold, type StreamKind } from './streamKinds.ts'
export * from './history.ts'
export { stateAsOf, type StateQuery, type StateAsOf } from './stateAsOf.ts'
export { GENESIS_CHAIN_HASH, eventDigest, hashedForm, nextChainHash, chainOf } from './hashChain.ts'
export * from './seals.ts'
export * from './explainLoan.ts'
export * from './render.ts'
