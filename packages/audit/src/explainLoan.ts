/**
 * Why a loan was decided as it was: every decision on it in stream order, each with the evidence the
 * decision recorded (LoanApproved carries the household's class in force, the decision recognising
 * it, the standard, the programme terms in force and the capital source; LoanDisbursed the capital
 * stream whose reservation funded it), who took it and when (business date and recorded instant).
 * Where the evidence names a fact kept in another stream (the class decision in the household's
 * stream, the capital reservation, the inspection's finding), the explanation looks for it there and
 * says whether it agrees and whether it was already recorded when the decision was taken.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { match } from 'ts-pattern'
import { Capital, foldHistory, Household, Loan, type DomainEvent } from '@policy-credit/core'
import type { EventStore, RecordedEvent } from '@policy-credit/event-store'
import { decodeAudited } from './domainEvents.ts'
import { storeFailed, type AuditError } from './errors.ts'
import { historyRow, type HistoryRow } from './history.ts'
import { toJsonSafe, type JsonValue } from './json.ts'
import { streamIdFor } from './streamKinds.ts'

/** A field of a decision's evidence that the fact in the other stream does not bear out. */
export interface Disagreement {
  readonly field: string
  readonly recorded: JsonValue
  readonly found: JsonValue
}

export type Corroboration =
  | {
      readonly _tag: 'Found'
      /** What was looked for, in words ('the decision recognising the household's class'). */
      readonly lookingFor: string
      readonly streamId: string
      readonly version: string
      readonly type: string
      readonly recordedAt: string
      /** Recorded no later than the decision: the decision could have seen it. */
      readonly recordedBeforeDecision: boolean
      readonly disagreements: ReadonlyArray<Disagreement>
    }
  | { readonly _tag: 'NotFound'; readonly lookingFor: string; readonly streamId: string }

export interface LoanDecision {
  /** The event, its envelope and its decoded data, as `history` shows it. */
  readonly event: HistoryRow
  /** What was decided, in words ('approved by the bank'). */
  readonly decision: string
  /** The day the decision names in its data (approvedOn, repaidOn, …); null for an unreadable event. */
  readonly decidedOn: string | null
  /** The evidence the decision recorded, by heading ('householdClass', 'programmeTerms', 'capitalSource', …). */
  readonly evidence: { readonly [heading: string]: JsonValue }
  readonly corroborations: ReadonlyArray<Corroboration>
}

export interface LoanExplanation {
  readonly loanId: string
  readonly streamId: string
  /** The loan's status after the last decision; null when an unreadable event stops the fold. */
  readonly status: string | null
  readonly decisions: ReadonlyArray<LoanDecision>
}

type LoanEvent = Loan.LoanEvent
type DataOf<Type extends LoanEvent['type']> = Extract<LoanEvent, { readonly type: Type }>['data']

/** Who borrows, through which group: the report dimensions every later event repeats, shown on the request and the approval. */
const borrower = (data: Pick<DataOf<'LoanRequested'>, 'householdId' | 'communeId' | 'savingsGroupId' | 'massOrganisationKind' | 'massOrganisationId'>) => ({
  householdId: data.householdId,
  communeId: data.communeId,
  savingsGroupId: data.savingsGroupId,
  massOrganisationKind: data.massOrganisationKind,
  massOrganisationId: data.massOrganisationId,
})

/** The decision's words, its business day and its evidence, for each kind of loan event. */
const explained = (event: LoanEvent): { readonly decision: string; readonly decidedOn: string; readonly evidence: Record<string, unknown> } =>
  match(event)
    .returnType<{ readonly decision: string; readonly decidedOn: string; readonly evidence: Record<string, unknown> }>()
    .with({ type: 'LoanRequested' }, ({ data }) => ({
      decision: 'requested by the household',
      decidedOn: data.requestedOn,
      evidence: {
        borrower: borrower(data),
        application: {
          programme: data.programme,
          requestedAmount: data.requestedAmount,
          termMonths: data.termMonths,
          purpose: data.purpose,
          workers: data.workers,
          monthsOfStudy: data.monthsOfStudy,
          facilityTypes: data.facilityTypes,
        },
      },
    }))
    .with({ type: 'LoanVettedByGroup' }, ({ data }) => ({
      decision: "put on the borrowers' list by the savings-and-loan group's vetting (bình xét)",
      decidedOn: data.vettedOn,
      evidence: { vetting: { savingsGroupId: data.savingsGroupId, meetingMinutesId: data.meetingMinutesId } },
    }))
    .with({ type: 'LoanCertifiedByCommune' }, ({ data }) => ({
      decision: "certified by the commune People's Committee",
      decidedOn: data.certifiedOn,
      evidence: { certification: { communeId: data.communeId, certificationNumber: data.certificationNumber } },
    }))
    .with({ type: 'LoanRejected' }, ({ data }) => ({
      decision: 'rejected',
      decidedOn: data.rejectedOn,
      evidence: { rejection: { rejectedBy: data.rejectedBy, reason: data.reason } },
    }))
    .with({ type: 'LoanApproved' }, ({ data }) => ({
      decision: 'approved by the bank',
      decidedOn: data.approvedOn,
      evidence: {
        approval: { approvedAmount: data.approvedAmount, termMonths: data.termMonths, programme: data.programme, jobsCreated: data.jobsCreated },
        borrower: borrower(data),
        householdClass: {
          householdClass: data.householdClass,
          decisionNumber: data.classDecisionNumber,
          decidedOn: data.classDecidedOn,
          povertyStandardId: data.povertyStandardId,
          effectiveFrom: data.classEffectiveFrom,
          escapedStatusEndsOn: data.escapedStatusEndsOn,
        },
        programmeTerms: {
          termsVersionId: data.termsVersionId,
          yearlyRate: data.yearlyRate,
          overdueYearlyRate: data.overdueYearlyRate,
          capBasis: data.capBasis,
          capPerUnit: data.capPerUnit,
          capUnits: data.capUnits,
          cap: data.cap,
          collateral: data.collateral,
        },
        capitalSource: { capitalSourceKind: data.capitalSourceKind, capitalSourceId: data.capitalSourceId },
      },
    }))
    .with({ type: 'LoanDisbursed' }, ({ data }) => ({
      decision: 'disbursed',
      decidedOn: data.disbursedOn,
      evidence: {
        disbursement: { amount: data.amount, transactionPointId: data.transactionPointId, instalments: data.instalments },
        capitalSource: {
          capitalSourceKind: data.capitalSourceKind,
          capitalSourceId: data.capitalSourceId,
          capitalStream: Capital.capitalStreamId(data.communeId, data.capitalYear),
        },
      },
    }))
    .with({ type: 'InterestCollected' }, ({ data }) => ({
      decision: 'interest collected',
      decidedOn: data.collectedOn,
      evidence: { interest: { amount: data.amount, collector: data.collector, interestOwedBefore: data.interestOwedBefore } },
    }))
    .with({ type: 'PrincipalRepaid' }, ({ data }) => ({
      decision: 'principal repaid',
      decidedOn: data.repaidOn,
      evidence: { repayment: { amount: data.amount, fromOverdue: data.fromOverdue, fromInstalments: data.fromInstalments, fromFrozen: data.fromFrozen } },
    }))
    .with({ type: 'InstalmentTermAdjusted' }, ({ data }) => ({
      decision: "an instalment's due date adjusted (điều chỉnh kỳ hạn nợ)",
      decidedOn: data.adjustedOn,
      evidence: { adjustment: { instalmentNumber: data.instalmentNumber, amount: data.amount, previousDueOn: data.previousDueOn, newDueOn: data.newDueOn, reason: data.reason } },
    }))
    .with({ type: 'LoanExtended' }, ({ data }) => ({
      decision: data.kind === 'RISK' ? 'extended for a risk (gia hạn nợ, Decision 50/2010)' : 'extended (gia hạn nợ)',
      decidedOn: data.extendedOn,
      evidence: {
        extension: { instalmentNumber: data.instalmentNumber, amount: data.amount, kind: data.kind, previousDueOn: data.previousDueOn, extendedTo: data.extendedTo, lossShare: data.lossShare },
      },
    }))
    .with({ type: 'AmountTransferredToOverdue' }, ({ data }) => ({
      decision: 'became overdue (chuyển nợ quá hạn)',
      decidedOn: data.transferredOn,
      evidence: { overdue: { amount: data.amount, fromInstalments: data.fromInstalments } },
    }))
    .with({ type: 'LoanRecalledEarly' }, ({ data }) => ({
      decision: 'recalled early after an inspection found misuse (thu hồi nợ trước hạn)',
      decidedOn: data.recalledOn,
      evidence: { recall: { inspectionId: data.inspectionId, amountDue: data.amountDue } },
    }))
    .with({ type: 'DebtFrozen' }, ({ data }) => ({
      decision: 'frozen (khoanh nợ)',
      decidedOn: data.frozenOn,
      evidence: {
        freeze: { amount: data.amount, fromOverdue: data.fromOverdue, fromInstalments: data.fromInstalments, cause: data.cause, decisionNumber: data.decisionNumber, frozenUntil: data.frozenUntil },
      },
    }))
    .with({ type: 'DebtUnfrozen' }, ({ data }) => ({
      decision: 'unfrozen',
      decidedOn: data.unfrozenOn,
      evidence: { unfreeze: { amount: data.amount, instalmentNumber: data.instalmentNumber, dueOn: data.dueOn } },
    }))
    .with({ type: 'PrincipalWrittenOff' }, ({ data }) => ({
      decision: 'principal written off (xóa nợ)',
      decidedOn: data.writtenOffOn,
      evidence: {
        writeOff: { amount: data.amount, fromFrozen: data.fromFrozen, fromOverdue: data.fromOverdue, fromInstalments: data.fromInstalments, cause: data.cause, decisionNumber: data.decisionNumber },
      },
    }))
    .with({ type: 'InterestWrittenOff' }, ({ data }) => ({
      decision: 'interest written off',
      decidedOn: data.writtenOffOn,
      evidence: { writeOff: { amount: data.amount, interestOwedBefore: data.interestOwedBefore, cause: data.cause, decisionNumber: data.decisionNumber } },
    }))
    .with({ type: 'LoanClosed' }, ({ data }) => ({
      decision: 'closed (tất toán)',
      decidedOn: data.closedOn,
      evidence: { closure: { disbursed: data.disbursed, repaid: data.repaid, writtenOff: data.writtenOff } },
    }))
    .exhaustive()

// ---- Corroboration in other streams ---------------------------------------------------------------

/** Reads other streams once each, keeping the events that decode. */
type StreamReader = (streamId: string) => Promise<E.Either<AuditError, ReadonlyArray<{ readonly recorded: RecordedEvent; readonly event: DomainEvent }>>>

const cachedReader = (store: EventStore): StreamReader => {
  const cache = new Map<string, ReadonlyArray<{ readonly recorded: RecordedEvent; readonly event: DomainEvent }>>()
  return async (streamId) => {
    const cached = cache.get(streamId)
    if (cached !== undefined) return E.right(cached)
    const read = await store.readStream(streamId)()
    if (E.isLeft(read)) return E.left(storeFailed(read.left))
    const decoded = read.right.flatMap((recorded) => {
      const result = decodeAudited(recorded)
      return E.isRight(result) && result.right.event.type !== 'AuditSealed' ? [{ recorded, event: result.right.event as DomainEvent }] : []
    })
    cache.set(streamId, decoded)
    return E.right(decoded)
  }
}

const disagreementsOf = (pairs: ReadonlyArray<readonly [field: string, recorded: unknown, found: unknown]>): ReadonlyArray<Disagreement> =>
  pairs.filter(([, recorded, found]) => recorded !== found).map(([field, recorded, found]) => ({ field, recorded: toJsonSafe(recorded), found: toJsonSafe(found) }))

interface Lookup {
  readonly lookingFor: string
  readonly streamId: string
  /** The disagreements with the candidate, or undefined when it is not the fact looked for. */
  readonly compare: (event: DomainEvent) => ReadonlyArray<Disagreement> | undefined
}

const corroborate = async (read: StreamReader, lookup: Lookup, decision: RecordedEvent): Promise<E.Either<AuditError, Corroboration>> => {
  const events = await read(lookup.streamId)
  if (E.isLeft(events)) return events
  for (const { recorded, event } of events.right) {
    const disagreements = lookup.compare(event)
    if (disagreements === undefined) continue
    return E.right({
      _tag: 'Found',
      lookingFor: lookup.lookingFor,
      streamId: lookup.streamId,
      version: recorded.version.toString(),
      type: recorded.type,
      recordedAt: recorded.metadata.recordedAt,
      recordedBeforeDecision: Date.parse(recorded.metadata.recordedAt) <= Date.parse(decision.metadata.recordedAt),
      disagreements,
    })
  }
  return E.right({ _tag: 'NotFound', lookingFor: lookup.lookingFor, streamId: lookup.streamId })
}

/** The facts in other streams a loan event's evidence points to. */
const lookupsFor = (event: LoanEvent): ReadonlyArray<Lookup> =>
  match(event)
    .returnType<ReadonlyArray<Lookup>>()
    .with({ type: 'LoanApproved' }, ({ data }) => [
      {
        lookingFor: "the decision recognising the household's class",
        streamId: Household.householdStreamId(data.householdId),
        compare: (candidate) =>
          candidate.type === 'HouseholdClassRecognised' && candidate.data.decisionNumber === data.classDecisionNumber && candidate.data.standardId === data.povertyStandardId
            ? disagreementsOf([
                ['householdClass', data.householdClass, candidate.data.householdClass],
                ['decidedOn', data.classDecidedOn, candidate.data.decisionDate],
                ['effectiveFrom', data.classEffectiveFrom, candidate.data.effectiveFrom],
              ])
            : candidate.type === 'HouseholdExitedPoverty' && candidate.data.decisionNumber === data.classDecisionNumber && candidate.data.standardId === data.povertyStandardId
              ? disagreementsOf([
                  ['householdClass', data.householdClass, candidate.data.escapedClass],
                  ['decidedOn', data.classDecidedOn, candidate.data.decisionDate],
                  ['effectiveFrom', data.classEffectiveFrom, candidate.data.exitedOn],
                  ['escapedStatusEndsOn', data.escapedStatusEndsOn, candidate.data.escapedStatusEndsOn],
                ])
              : undefined,
      },
    ])
    .with({ type: 'LoanDisbursed' }, ({ data }) => [
      {
        lookingFor: 'the capital reservation that funds the disbursement',
        streamId: Capital.capitalStreamId(data.communeId, data.capitalYear),
        compare: (candidate) =>
          candidate.type === 'CapitalReserved' && candidate.data.loanId === data.loanId
            ? disagreementsOf([
                ['amount', data.amount, candidate.data.amount],
                ['programme', data.programme, candidate.data.programme],
                ['capitalSourceKind', data.capitalSourceKind, candidate.data.capitalSourceKind],
                ['capitalSourceId', data.capitalSourceId, candidate.data.capitalSourceId],
              ])
            : undefined,
      },
    ])
    .with({ type: 'LoanRecalledEarly' }, ({ data }) => {
      const streamId = streamIdFor('Inspection', data.inspectionId)
      return streamId === undefined
        ? []
        : [
            {
              lookingFor: "the inspection's finding on this loan",
              streamId,
              compare: (candidate) => {
                const check = candidate.type === 'InspectionConducted' ? candidate.data.checks.find((found) => found.loanId === data.loanId) : undefined
                return check === undefined ? undefined : disagreementsOf([['status', 'MISUSED', check.status]])
              },
            },
          ]
    })
    .otherwise(() => [])

// ---- The explanation ------------------------------------------------------------------------------

/** Every decision on `loanId` in stream order, with its evidence and what other streams say of it. */
export const explainLoan =
  (store: EventStore, loanId: string): TE.TaskEither<AuditError, LoanExplanation> =>
  async () => {
    const streamId = streamIdFor('Loan', loanId)
    if (streamId === undefined) return E.left({ _tag: 'UnknownStreamKind', streamId: `loan-${loanId}`, knownPatterns: [] })
    const read = await store.readStream(streamId)()
    if (E.isLeft(read)) return E.left(storeFailed(read.left))
    if (read.right.length === 0) return E.left({ _tag: 'LoanNotFound', loanId })
    const readOther = cachedReader(store)
    const decisions: Array<LoanDecision> = []
    const loanEvents: Array<LoanEvent> = []
    let readable = true
    for (const recorded of read.right) {
      const row = historyRow(recorded)
      const decoded = decodeAudited(recorded)
      const event = E.isRight(decoded) ? decoded.right.event : undefined
      if (event === undefined || !(event.type in Loan.loanEventCodecs)) {
        readable = false
        decisions.push({ event: row, decision: 'unreadable', decidedOn: null, evidence: {}, corroborations: [] })
        continue
      }
      const loanEvent = event as LoanEvent
      loanEvents.push(loanEvent)
      const corroborations: Array<Corroboration> = []
      for (const lookup of lookupsFor(loanEvent)) {
        const found = await corroborate(readOther, lookup, recorded)
        if (E.isLeft(found)) return found
        corroborations.push(found.right)
      }
      const { decision, decidedOn, evidence } = explained(loanEvent)
      decisions.push({ event: row, decision, decidedOn, evidence: toJsonSafe(evidence) as LoanDecision['evidence'], corroborations })
    }
    return E.right({ loanId, streamId, status: readable ? foldHistory(Loan.loanDecider, loanEvents).status : null, decisions })
  }
