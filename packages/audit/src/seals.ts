/**
 * Tamper evidence. `sealLog` extends the hash chain over the events appended since the last seal and
 * appends `AuditSealed` events recording it (the chain hash and each event's digest, by ordinal).
 * `verifyLog` recomputes every digest and the chain from the events as they are now, and names the
 * first event that no longer matches what a seal recorded: altered, missing or inserted. A seal is
 * itself an event of the log, so the next seal covers it; the newest seal, and a log cut short after
 * it, are covered by an anchor: a chain hash kept outside the store (printed, signed, sent away).
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { LocalDate } from '@policy-credit/core'
import { deterministicEventId, exactly, noStream, type EventStore, type EventStoreError, type NewEvent, type Position, type RecordedEvent } from '@policy-credit/event-store'
import { decodeAudited } from './domainEvents.ts'
import { storeFailed, type AuditError } from './errors.ts'
import { chainOf, eventDigest, GENESIS_CHAIN_HASH, nextChainHash } from './hashChain.ts'
import { AUDIT_SEALS_STREAM, auditSealedSchema, type AuditSealed, type Ordinal, type Sha256Hex } from './sealEvents.ts'

const PAGE_SIZE = 1_000
/** Events per `AuditSealed`: 1 000 digests keep one seal near 70 kB, well inside every store's event size. */
export const DEFAULT_EVENTS_PER_SEAL = 1_000
const SEALING_ATTEMPTS = 3

/** Reads the global log after `after` page by page, calling `visit` for each event in order. */
const eachEventInLog = async (store: EventStore, after: Position | undefined, visit: (event: RecordedEvent) => void): Promise<E.Either<EventStoreError, void>> => {
  let checkpoint = after
  for (;;) {
    const page = await store.readAll({ ...(checkpoint === undefined ? {} : { after: checkpoint }), maxCount: PAGE_SIZE })()
    if (E.isLeft(page)) return page
    for (const event of page.right.events) visit(event)
    if (page.right.isEnd || page.right.checkpoint === undefined) return E.right(undefined)
    checkpoint = page.right.checkpoint
  }
}

/** Where the chain stands at the end of the newest seal. */
interface ChainPoint {
  readonly ordinal: number
  readonly chainHash: Sha256Hex
  readonly position: Position | undefined
  /** Version of the seals stream. */
  readonly sealsVersion: bigint
}

const lastSeal = async (store: EventStore): Promise<E.Either<AuditError, ChainPoint>> => {
  const read = await store.readStream(AUDIT_SEALS_STREAM, { direction: 'backwards', maxCount: 1 })()
  if (E.isLeft(read)) return E.left(storeFailed(read.left))
  const newest = read.right[0]
  if (newest === undefined) return E.right({ ordinal: 0, chainHash: GENESIS_CHAIN_HASH, position: undefined, sealsVersion: 0n })
  const decoded = decodeAudited(newest)
  if (E.isLeft(decoded)) return E.left({ _tag: 'SealUnreadable', event: decoded.left })
  if (decoded.right.event.type !== 'AuditSealed') {
    return E.left({ _tag: 'SealUnreadable', event: { _tag: 'InvalidStoredEvent', streamId: newest.streamId, version: newest.version, position: newest.position, type: newest.type, message: 'not an AuditSealed event' } })
  }
  const { data } = decoded.right.event
  return E.right({ ordinal: data.throughOrdinal, chainHash: data.chainHash, position: data.throughPosition as Position, sealsVersion: newest.version })
}

export interface SealOptions {
  /** Business date of the sealing ('YYYY-MM-DD'), recorded as the seals' `occurredOn`. */
  readonly sealedOn: string
  readonly actor?: string
  readonly eventsPerSeal?: number
}

export type SealResult =
  | {
      readonly _tag: 'Sealed'
      /** How many `AuditSealed` events were appended. */
      readonly seals: number
      readonly firstOrdinal: number
      readonly throughOrdinal: number
      readonly throughPosition: Position
      /** The chain hash through `throughOrdinal`: keep it outside the store as an anchor for `verifyLog`. */
      readonly chainHash: Sha256Hex
    }
  | { readonly _tag: 'NothingToSeal'; readonly throughOrdinal: number; readonly chainHash: Sha256Hex }

interface Sealed {
  readonly ordinal: number
  readonly position: Position
  readonly digest: Sha256Hex
}

const sealEvents = (start: ChainPoint, sealed: ReadonlyArray<Sealed>, eventsPerSeal: number): ReadonlyArray<AuditSealed> => {
  const seals: Array<AuditSealed> = []
  let previousChainHash = start.chainHash
  for (let from = 0; from < sealed.length; from += eventsPerSeal) {
    const run = sealed.slice(from, from + eventsPerSeal)
    const first = run[0]
    const last = run.at(-1)
    if (first === undefined || last === undefined) break
    const eventDigests = run.map((event) => event.digest)
    const chainHash = chainOf(previousChainHash, eventDigests)
    seals.push({
      type: 'AuditSealed',
      data: { firstOrdinal: first.ordinal as Ordinal, throughOrdinal: last.ordinal as Ordinal, throughPosition: last.position, previousChainHash, chainHash, eventDigests },
    })
    previousChainHash = chainHash
  }
  return seals
}

/**
 * Seals every event appended since the last seal (the previous seals included). Idempotent for a
 * given log: event ids derive from what is sealed. Against a store that validates appends, the
 * validator must know `AuditSealed` (`validateWith(auditedEventRegistry)`).
 */
export const sealLog =
  (store: EventStore, options: SealOptions): TE.TaskEither<AuditError, SealResult> =>
  async () => {
    if (E.isLeft(LocalDate.decode(options.sealedOn))) return E.left({ _tag: 'InvalidQuery', field: 'sealedOn', value: options.sealedOn, expected: "a calendar day 'YYYY-MM-DD'" })
    const eventsPerSeal = options.eventsPerSeal ?? DEFAULT_EVENTS_PER_SEAL
    if (!Number.isSafeInteger(eventsPerSeal) || eventsPerSeal < 1) return E.left({ _tag: 'InvalidQuery', field: 'eventsPerSeal', value: eventsPerSeal, expected: 'a positive whole number' })
    for (let attempt = 1; attempt <= SEALING_ATTEMPTS; attempt++) {
      const start = await lastSeal(store)
      if (E.isLeft(start)) return start
      const sealed: Array<Sealed> = []
      let ordinal = start.right.ordinal
      const read = await eachEventInLog(store, start.right.position, (event) => {
        sealed.push({ ordinal: ++ordinal, position: event.position, digest: eventDigest(event) })
      })
      if (E.isLeft(read)) return E.left(storeFailed(read.left))
      const last = sealed.at(-1)
      if (last === undefined) return E.right({ _tag: 'NothingToSeal', throughOrdinal: start.right.ordinal, chainHash: start.right.chainHash })
      const seals = sealEvents(start.right, sealed, eventsPerSeal)
      const chainHash = seals.at(-1)?.data.chainHash ?? start.right.chainHash
      // Two sealers with the same view and the same words write the same seal once; differing ones race on the expected version.
      const commandId = `audit-seal:${start.right.ordinal + 1}:${last.ordinal}:${chainHash}:${options.sealedOn}:${options.actor ?? ''}`
      const newEvents: ReadonlyArray<NewEvent> = seals.map((seal, index) => {
        const encoded = auditSealedSchema.encode(seal)
        return {
          eventId: deterministicEventId(commandId, AUDIT_SEALS_STREAM, index),
          type: encoded.type,
          data: encoded.data,
          metadata: {
            occurredOn: options.sealedOn,
            schemaVersion: auditSealedSchema.currentVersion,
            correlationId: commandId,
            causationId: commandId,
            ...(options.actor === undefined ? {} : { actor: options.actor }),
          },
        }
      })
      const expected = start.right.sealsVersion === 0n ? noStream : exactly(start.right.sealsVersion)
      const appended = await store.appendToStream(AUDIT_SEALS_STREAM, expected, newEvents)()
      if (E.isRight(appended)) {
        return E.right({ _tag: 'Sealed', seals: seals.length, firstOrdinal: start.right.ordinal + 1, throughOrdinal: last.ordinal, throughPosition: last.position, chainHash })
      }
      if (appended.left._tag !== 'WrongExpectedVersion') return E.left(storeFailed(appended.left))
    }
    return E.left({ _tag: 'SealingContended', attempts: SEALING_ATTEMPTS })
  }

// ---- Verification ----------------------------------------------------------------------------------

/** Which event, by its ordinal in the global log and its place in its stream. */
export interface EventRef {
  readonly ordinal: number
  readonly streamId: string
  readonly version: string
  readonly position: string
  readonly eventId: string
  readonly type: string
}

export type SealInconsistency =
  /** Its first ordinal does not follow the previous seal's last one: a seal is missing, or overlaps. */
  | 'DoesNotFollowPreviousSeal'
  /** Its previous chain hash is not the previous seal's chain hash. */
  | 'DoesNotContinuePreviousChain'
  /** Its digests, chained from its previous chain hash, do not give its chain hash: the seal was edited. */
  | 'DigestsDoNotGiveChainHash'
  /** It has more or fewer digests than ordinals it covers. */
  | 'DigestCountDiffers'
  /** It claims events at or after its own place in the log. */
  | 'CoversItselfOrLater'

export type VerifyProblem =
  /** The event at this ordinal is not the one sealed there. */
  | { readonly _tag: 'EventAltered'; readonly event: EventRef; readonly sealedDigest: Sha256Hex; readonly actualDigest: Sha256Hex; readonly seal: EventRef }
  /** The event sealed at `ordinal` is gone: the event there now was sealed later in the same run (or is the seal itself). */
  | { readonly _tag: 'EventMissing'; readonly ordinal: number; readonly sealedDigest: Sha256Hex; readonly foundInstead: EventRef; readonly seal: EventRef }
  /** This event was never sealed: the one sealed at its ordinal comes right after it. */
  | { readonly _tag: 'EventInserted'; readonly event: EventRef; readonly seal: EventRef }
  | { readonly _tag: 'SealMalformed'; readonly seal: EventRef; readonly message: string }
  | { readonly _tag: 'SealInconsistent'; readonly seal: EventRef; readonly reason: SealInconsistency }
  /** The chain through the anchor's ordinal is not the hash kept outside the store. */
  | { readonly _tag: 'AnchorMismatch'; readonly throughOrdinal: number; readonly anchoredHash: string; readonly actualHash: Sha256Hex }
  /** The log has fewer events than the anchor covers: its end was cut off. */
  | { readonly _tag: 'AnchorBeyondLog'; readonly throughOrdinal: number; readonly eventsInLog: number }

export interface VerifyReport {
  readonly ok: boolean
  readonly eventsInLog: number
  readonly seals: number
  /** The last ordinal a seal covers (0 when none does). */
  readonly sealedThroughOrdinal: number
  /** Events after the last sealed ordinal: verified only by an anchor. */
  readonly unsealedEvents: number
  /** The chain hash through the whole log as it is now. */
  readonly chainHash: Sha256Hex
  /** The problem with the lowest ordinal; an anchor's only when no seal names one. */
  readonly problem: VerifyProblem | null
  /** Every problem found (at most 100 from the seals), lowest ordinal first, then the anchor's. */
  readonly problems: ReadonlyArray<VerifyProblem>
}

/** A chain hash kept outside the store, e.g. `sealLog`'s result written in the minutes of an audit. */
export interface Anchor {
  readonly throughOrdinal: number
  readonly chainHash: string
}

export interface VerifyOptions {
  readonly anchor?: Anchor
}

const refOf = (event: RecordedEvent, ordinal: number): EventRef => ({
  ordinal,
  streamId: event.streamId,
  version: event.version.toString(),
  position: event.position,
  eventId: event.eventId,
  type: event.type,
})

/** The events met since the last seal that held, in log order: `events[i]` has ordinal `firstOrdinal + i`. */
interface Pending {
  readonly firstOrdinal: number
  readonly events: ReadonlyArray<{ readonly ref: EventRef; readonly digest: Sha256Hex }>
}

/** Compares the events a seal covers with the digests it recorded; undefined when they all match. */
const compareWithEvents = (seal: AuditSealed['data'], sealRef: EventRef, pending: Pending): VerifyProblem | undefined => {
  for (let ordinal = Math.max(seal.firstOrdinal, pending.firstOrdinal); ordinal <= seal.throughOrdinal; ordinal++) {
    const index = ordinal - seal.firstOrdinal
    const sealedDigest = seal.eventDigests[index] as Sha256Hex
    const found = pending.events[ordinal - pending.firstOrdinal]
    // Past the events before the seal, the seal itself holds the ordinal: what it covered there is gone.
    if (found === undefined) return { _tag: 'EventMissing', ordinal, sealedDigest, foundInstead: sealRef, seal: sealRef }
    if (found.digest === sealedDigest) continue
    if (seal.eventDigests.indexOf(found.digest, index + 1) !== -1) return { _tag: 'EventMissing', ordinal, sealedDigest, foundInstead: found.ref, seal: sealRef }
    if (pending.events[ordinal - pending.firstOrdinal + 1]?.digest === sealedDigest) return { _tag: 'EventInserted', event: found.ref, seal: sealRef }
    return { _tag: 'EventAltered', event: found.ref, sealedDigest, actualDigest: found.digest, seal: sealRef }
  }
  return undefined
}

/**
 * Checks a seal: first that it is whole (an edited seal does not chain to its own hash), then the
 * events it covers (so an edit is named at the event, even when it hid an earlier seal), then that it
 * continues the previous seal. Undefined when all hold.
 */
const checkSeal = (seal: AuditSealed['data'], sealRef: EventRef, pending: Pending, previous: { readonly ordinal: number; readonly chainHash: Sha256Hex }): VerifyProblem | undefined => {
  const inconsistent = (reason: SealInconsistency): VerifyProblem => ({ _tag: 'SealInconsistent', seal: sealRef, reason })
  if (seal.throughOrdinal < seal.firstOrdinal || seal.eventDigests.length !== seal.throughOrdinal - seal.firstOrdinal + 1) return inconsistent('DigestCountDiffers')
  if (chainOf(seal.previousChainHash, seal.eventDigests) !== seal.chainHash) return inconsistent('DigestsDoNotGiveChainHash')
  const eventProblem = compareWithEvents(seal, sealRef, pending)
  if (eventProblem !== undefined) return eventProblem
  if (seal.throughOrdinal >= sealRef.ordinal) return inconsistent('CoversItselfOrLater')
  if (seal.firstOrdinal !== previous.ordinal + 1) return inconsistent('DoesNotFollowPreviousSeal')
  if (seal.previousChainHash !== previous.chainHash) return inconsistent('DoesNotContinuePreviousChain')
  return undefined
}

/** The ordinal a problem names: the event that no longer matches, the seal that no longer holds, or the anchor's end. */
export const problemOrdinal = (problem: VerifyProblem): number => {
  switch (problem._tag) {
    case 'EventAltered':
    case 'EventInserted':
      return problem.event.ordinal
    case 'EventMissing':
      return problem.ordinal
    case 'SealMalformed':
    case 'SealInconsistent':
      return problem.seal.ordinal
    case 'AnchorMismatch':
    case 'AnchorBeyondLog':
      return problem.throughOrdinal
  }
}

/** Problems kept in a report; a log rewritten from early on would otherwise list every later seal. */
const MAX_PROBLEMS = 100

/** A seal whose digests do not give its own hash is not a starting point for the next one. */
const isUnusable = (problem: VerifyProblem | undefined): boolean =>
  problem?._tag === 'SealInconsistent' && (problem.reason === 'DigestCountDiffers' || problem.reason === 'DigestsDoNotGiveChainHash')

/**
 * Recomputes the chain over the whole log and checks it against every seal (and the anchor, if
 * given). It goes on past a problem, because a later seal may name an earlier event (a seal edited
 * out of the seals stream is named by the seal that covers it), and reports the problem with the
 * lowest ordinal first. Reads the log once; holds only the events since the last seal met.
 */
export const verifyLog =
  (store: EventStore, options: VerifyOptions = {}): TE.TaskEither<AuditError, VerifyReport> =>
  async () => {
    let ordinal = 0
    let chainHash = GENESIS_CHAIN_HASH
    let pending: { readonly firstOrdinal: number; readonly events: Array<{ readonly ref: EventRef; readonly digest: Sha256Hex }> } = { firstOrdinal: 1, events: [] }
    let sealed = { ordinal: 0, chainHash: GENESIS_CHAIN_HASH }
    let seals = 0
    const problems: Array<VerifyProblem> = []
    const anchorProblems: Array<VerifyProblem> = []
    const report = (problem: VerifyProblem | undefined): void => {
      if (problem !== undefined && problems.length < MAX_PROBLEMS) problems.push(problem)
    }
    const { anchor } = options

    const read = await eachEventInLog(store, undefined, (event) => {
      ordinal++
      const ref = refOf(event, ordinal)
      const digest = eventDigest(event)
      chainHash = nextChainHash(chainHash, digest)
      if (anchor !== undefined && ordinal === anchor.throughOrdinal && chainHash !== anchor.chainHash) {
        anchorProblems.push({ _tag: 'AnchorMismatch', throughOrdinal: ordinal, anchoredHash: anchor.chainHash, actualHash: chainHash })
      }
      if (event.streamId === AUDIT_SEALS_STREAM) {
        seals++
        const decoded = decodeAudited(event)
        if (E.isLeft(decoded) || decoded.right.event.type !== 'AuditSealed') {
          report({ _tag: 'SealMalformed', seal: ref, message: E.isLeft(decoded) ? decoded.left.message : `a ${event.type} event in ${AUDIT_SEALS_STREAM}` })
        } else {
          const seal = decoded.right.event.data
          const problem = checkSeal(seal, ref, pending, sealed)
          report(problem)
          if (!isUnusable(problem)) {
            const keepFrom = Math.max(pending.firstOrdinal, Math.min(seal.throughOrdinal + 1, ordinal))
            pending = { firstOrdinal: keepFrom, events: pending.events.slice(keepFrom - pending.firstOrdinal) }
            sealed = { ordinal: seal.throughOrdinal, chainHash: seal.chainHash }
          }
        }
      }
      pending.events.push({ ref, digest })
    })
    if (E.isLeft(read)) return E.left(storeFailed(read.left))
    if (anchor !== undefined && anchor.throughOrdinal > ordinal) anchorProblems.push({ _tag: 'AnchorBeyondLog', throughOrdinal: anchor.throughOrdinal, eventsInLog: ordinal })
    const ordered = [...problems].sort((left, right) => problemOrdinal(left) - problemOrdinal(right))
    const all = [...ordered, ...anchorProblems]
    return E.right({
      ok: all.length === 0,
      eventsInLog: ordinal,
      seals,
      sealedThroughOrdinal: sealed.ordinal,
      unsealedEvents: Math.max(0, ordinal - sealed.ordinal),
      chainHash,
      problem: all[0] ?? null,
      problems: all,
    })
  }
