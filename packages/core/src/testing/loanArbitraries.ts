/**
 * fast-check arbitraries for loans: whole lifecycles produced by the loan decider itself, so a property
 * sees only histories `decide` can make. Servicing is generated as intents (repay a share of what is
 * outstanding, collect a share of the interest owed, …) that are turned into commands against the state
 * reached so far; shares above one make over-large commands, so rejections are exercised too.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { match } from 'ts-pattern'
import { addDays, addMonths, day, type LocalDate } from '../values/dates.ts'
import { CapitalSourceId, CommuneId, DecisionNumber, HouseholdId, idOf, InspectionId, LoanId, MassOrganisationId, SavingsGroupId, TransactionPointId } from '../values/identifiers.ts'
import { rateMultiple, ratePpm, vnd, type BasisPoints, type Vnd } from '../values/money.ts'
import type { ProgrammeTerms } from '../reference/types.ts'
import type { LoanCommand } from '../loan/commands.ts'
import { interestOwedOn, loanDecider, type LoanContext } from '../loan/decider.ts'
import type { LoanEvent } from '../loan/events.ts'
import { termsLookupFrom, type TermsLookup } from '../loan/interest.ts'
import type { LoanRejection } from '../loan/rejections.ts'
import { principalInTerm, principalOutstanding, type Loan } from '../loan/state.ts'
import { positiveCount, text } from '../loan/values.ts'

const OVERDUE_SHARE = rateMultiple(13_000)

/**
 * Synthetic terms for properties, not legal facts: one programme whose history reaches back before
 * the 2018 day-count change, with rate changes on 2018-06-01 and 2025-12-01, so generated loans cross
 * both kinds of boundary. Tests of real figures use the national programme catalogue.
 */
export const propertyTestTerms: ReadonlyArray<ProgrammeTerms> = [
  { validFrom: day('2010-01-01'), validTo: day('2018-06-01'), yearlyRate: ratePpm(72_000) },
  { validFrom: day('2018-06-01'), validTo: day('2025-12-01'), yearlyRate: ratePpm(66_000) },
  { validFrom: day('2025-12-01'), yearlyRate: ratePpm(62_400) },
].map((version) => ({
  ...version,
  programme: 'POOR_HOUSEHOLD',
  versionId: `PROPERTY-TEST@${version.validFrom}`,
  legalBasis: 'synthetic terms for property tests',
  eligibleClasses: ['POOR'],
  cap: vnd(100_000_000n),
  capBasis: 'PER_LOAN',
  overdueRateShare: OVERDUE_SHARE,
  maxTermMonths: 120,
  collateralRequired: false,
  evidence: 'synthetic',
}))

export const propertyTermsLookup: TermsLookup = termsLookupFrom(propertyTestTerms)

export const arbitraryLoanId: fc.Arbitrary<LoanId> = fc.integer({ min: 1, max: 99_999 }).map((n) => idOf(LoanId, `LN-${n}`))

/** A day between two bounds, inclusive. */
export const arbitraryDay = (from: LocalDate, to: LocalDate): fc.Arbitrary<LocalDate> =>
  fc.date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true }).map((date) => day(date.toISOString().slice(0, 10)))

// Per mille of what there is; above 1 000 asks for more than there is, and exactly all is common so loans can close.
const share = fc.oneof(fc.constant(1_000), fc.integer({ min: 0, max: 1_200 }))

const servicingIntent = fc.record({
  daysLater: fc.integer({ min: 0, max: 120 }),
  intent: fc.oneof(
    fc.record({ kind: fc.constant('repay' as const), share }),
    fc.record({ kind: fc.constant('collectInterest' as const), share }),
    fc.record({ kind: fc.constant('transferToOverdue' as const) }),
    fc.record({ kind: fc.constant('adjustTerm' as const), instalment: fc.nat(), days: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ kind: fc.constant('extend' as const), instalment: fc.nat(), days: fc.integer({ min: 1, max: 400 }), risk: fc.boolean(), loss: fc.integer({ min: 0, max: 10_000 }) }),
    fc.record({ kind: fc.constant('recall' as const) }),
    fc.record({ kind: fc.constant('freeze' as const), share, months: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('unfreeze' as const), days: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ kind: fc.constant('writeOffPrincipal' as const), share }),
    fc.record({ kind: fc.constant('writeOffInterest' as const), share }),
    fc.record({ kind: fc.constant('close' as const) }),
  ),
})
const part = (amount: bigint, perMille: number): Vnd => vnd((amount * BigInt(perMille) + 999n) / 1_000n)

const ids = {
  householdId: idOf(HouseholdId, 'HH-PROPERTY'),
  communeId: idOf(CommuneId, 'COMMUNE-PROPERTY'),
  savingsGroupId: idOf(SavingsGroupId, 'SG-PROPERTY'),
  massOrganisationId: idOf(MassOrganisationId, 'WU-PROPERTY'),
  capitalSourceId: idOf(CapitalSourceId, 'CENTRAL-PROPERTY'),
  transactionPointId: idOf(TransactionPointId, 'TP-PROPERTY'),
  inspectionId: idOf(InspectionId, 'INSPECTION-PROPERTY'),
  decisionNumber: idOf(DecisionNumber, 'DECISION-PROPERTY'),
}

/** The context a handler would load: an eligible household, matching capital, the terms, a misuse finding. */
export const propertyContext = (command: LoanCommand): LoanContext =>
  match(command)
    .returnType<LoanContext>()
    .with({ type: 'ApproveLoan' }, ({ data }) => ({
      approval: {
        householdId: ids.householdId,
        classInForce: {
          householdClass: 'POOR',
          evidence: { standardId: 'QD-59-2015', decisionNumber: ids.decisionNumber, decisionDate: addDays(data.approvedOn, -30), effectiveFrom: addDays(data.approvedOn, -30) },
        },
        terms: E.getOrElseW(() => propertyTestTerms[0] as ProgrammeTerms)(propertyTermsLookup('POOR_HOUSEHOLD', data.approvedOn)),
      },
    }))
    .with({ type: 'DisburseLoan' }, ({ data }) => ({
      capitalReservation: {
        communeId: ids.communeId,
        year: positiveCount(Number(data.disbursedOn.slice(0, 4))),
        programme: 'POOR_HOUSEHOLD',
        capitalSourceKind: 'CENTRAL',
        capitalSourceId: ids.capitalSourceId,
        loanId: data.loanId,
        amount: data.amount,
        reservedOn: data.disbursedOn,
      },
    }))
    .with({ type: 'RecallLoanEarly' }, ({ data }) => ({
      inspectionFinding: { inspectionId: data.inspectionId, loanId: data.loanId, status: 'MISUSED', conductedOn: data.recalledOn },
    }))
    .otherwise(() => ({ termsLookup: propertyTermsLookup }))

export interface LoanLifecycle {
  readonly commands: ReadonlyArray<LoanCommand>
  readonly decisions: ReadonlyArray<E.Either<LoanRejection, ReadonlyArray<LoanEvent>>>
  readonly events: ReadonlyArray<LoanEvent>
  readonly state: Loan
}

const step = (lifecycle: LoanLifecycle, command: LoanCommand): LoanLifecycle => {
  const decision = loanDecider.decide(command, lifecycle.state, propertyContext(command))
  const events = E.isRight(decision) ? decision.right : []
  return {
    commands: [...lifecycle.commands, command],
    decisions: [...lifecycle.decisions, decision],
    events: [...lifecycle.events, ...events],
    state: events.reduce(loanDecider.evolve, lifecycle.state),
  }
}

/** Turns an intent into a command against the state reached so far. */
function toCommand(
  state: Loan,
  date: LocalDate,
  intent:
    | { readonly kind: 'repay' | 'collectInterest' | 'writeOffPrincipal' | 'writeOffInterest'; readonly share: number }
    | { readonly kind: 'transferToOverdue' | 'recall' | 'close' }
    | { readonly kind: 'adjustTerm'; readonly instalment: number; readonly days: number }
    | { readonly kind: 'extend'; readonly instalment: number; readonly days: number; readonly risk: boolean; readonly loss: number }
    | { readonly kind: 'freeze'; readonly share: number; readonly months: number }
    | { readonly kind: 'unfreeze'; readonly days: number },
  loanId: LoanId,
): LoanCommand {
  const active = state.status === 'Active' ? state : undefined
  const outstanding: bigint = active === undefined ? 1_000_000n : principalOutstanding(active)
  const owed: bigint = active === undefined ? 0n : E.getOrElse((): bigint => 0n)(interestOwedOn(active, date, propertyTermsLookup))
  const instalmentAt = (index: number) => (active === undefined || active.instalments.length === 0 ? undefined : active.instalments[index % active.instalments.length])
  const common = { loanId, decisionNumber: ids.decisionNumber }
  return match(intent)
    .returnType<LoanCommand>()
    .with({ kind: 'repay' }, ({ share: perMille }) => ({ type: 'RepayPrincipal', data: { loanId, amount: part(outstanding, perMille), repaidOn: date } }))
    .with({ kind: 'collectInterest' }, ({ share: perMille }) => ({
      type: 'CollectInterest',
      data: { loanId, amount: part(owed, perMille), collector: 'GROUP_LEADER', collectedOn: date },
    }))
    .with({ kind: 'writeOffPrincipal' }, ({ share: perMille }) => ({
      type: 'WriteOffPrincipal',
      data: { ...common, amount: part(outstanding, perMille), cause: 'DEATH', writtenOffOn: date },
    }))
    .with({ kind: 'writeOffInterest' }, ({ share: perMille }) => ({
      type: 'WriteOffInterest',
      data: { ...common, amount: part(owed, perMille), cause: 'DEATH', writtenOffOn: date },
    }))
    .with({ kind: 'transferToOverdue' }, () => ({ type: 'TransferToOverdue', data: { loanId, transferredOn: date } }))
    .with({ kind: 'recall' }, () => ({ type: 'RecallLoanEarly', data: { loanId, inspectionId: ids.inspectionId, recalledOn: date } }))
    .with({ kind: 'close' }, () => ({ type: 'CloseLoan', data: { loanId, closedOn: date } }))
    .with({ kind: 'adjustTerm' }, ({ instalment, days }) => {
      const target = instalmentAt(instalment)
      return {
        type: 'AdjustInstalmentTerm',
        data: { loanId, instalmentNumber: target?.number ?? positiveCount(1), newDueOn: addDays(target?.dueOn ?? date, days), reason: text('harvest lost to flood'), adjustedOn: date },
      }
    })
    .with({ kind: 'extend' }, ({ instalment, days, risk, loss }) => {
      const target = instalmentAt(instalment)
      return {
        type: 'ExtendLoan',
        data: {
          loanId,
          instalmentNumber: target?.number ?? positiveCount(1),
          kind: risk ? 'RISK' : 'ORDINARY',
          extendedTo: addDays(target?.dueOn ?? date, days),
          lossShare: risk ? (loss as BasisPoints) : null,
          extendedOn: date,
        },
      }
    })
    .with({ kind: 'freeze' }, ({ share: perMille, months }) => ({
      type: 'FreezeDebt',
      data: {
        ...common,
        amount: part(active === undefined ? outstanding : active.overdue + principalInTerm(active), perMille),
        cause: 'NATURAL_DISASTER',
        frozenUntil: addMonths(date, months),
        frozenOn: date,
      },
    }))
    .with({ kind: 'unfreeze' }, ({ days }) => ({ type: 'UnfreezeDebt', data: { loanId, dueOn: addDays(date, days), unfrozenOn: date } }))
    .exhaustive()
}

/**
 * A loan's life as `decide` makes it: requested, vetted, certified, approved and disbursed between
 * 2016 and 2026 (so across the 2018 day-count change and rate changes), then up to `maxServicing`
 * servicing commands, some of them rejected.
 */
export const loanLifecycle = (maxServicing = 30): fc.Arbitrary<LoanLifecycle> =>
  fc
    .record({
      loanId: arbitraryLoanId,
      requestedOn: arbitraryDay(day('2016-01-01'), day('2025-06-30')),
      amount: fc.bigInt({ min: 1_000_000n, max: 100_000_000n }),
      instalmentCount: fc.integer({ min: 1, max: 12 }),
      termMonths: fc.integer({ min: 12, max: 60 }),
      servicing: fc.array(servicingIntent, { maxLength: maxServicing }),
    })
    .map(({ loanId, requestedOn, amount, instalmentCount, termMonths, servicing }) => {
      const disbursedOn = addDays(requestedOn, 20)
      const instalmentPrincipal = amount / BigInt(instalmentCount)
      const instalments = Array.from({ length: instalmentCount }, (_, index) => ({
        dueOn: addMonths(disbursedOn, Math.max(1, Math.floor(((index + 1) * termMonths) / instalmentCount))),
        principal: vnd(index === instalmentCount - 1 ? amount - instalmentPrincipal * BigInt(instalmentCount - 1) : instalmentPrincipal),
      }))
      const opening: ReadonlyArray<LoanCommand> = [
        {
          type: 'RequestLoan',
          data: {
            loanId,
            householdId: ids.householdId,
            communeId: ids.communeId,
            programme: 'POOR_HOUSEHOLD',
            savingsGroupId: ids.savingsGroupId,
            massOrganisationKind: 'WOMENS_UNION',
            massOrganisationId: ids.massOrganisationId,
            requestedAmount: vnd(amount),
            termMonths: positiveCount(termMonths),
            purpose: text('raise pigs'),
            workers: null,
            monthsOfStudy: null,
            facilityTypes: null,
            requestedOn,
          },
        },
        { type: 'VetLoanByGroup', data: { loanId, meetingMinutesId: text('minutes 1'), vettedOn: addDays(requestedOn, 5) } },
        { type: 'CertifyLoanByCommune', data: { loanId, certificationNumber: ids.decisionNumber, certifiedOn: addDays(requestedOn, 10) } },
        {
          type: 'ApproveLoan',
          data: {
            loanId,
            approvedAmount: vnd(amount),
            termMonths: positiveCount(termMonths),
            capitalSourceKind: 'CENTRAL',
            capitalSourceId: ids.capitalSourceId,
            collateral: null,
            approvedOn: addDays(requestedOn, 15),
          },
        },
        { type: 'DisburseLoan', data: { loanId, amount: vnd(amount), transactionPointId: ids.transactionPointId, instalments, disbursedOn } },
      ]
      const empty: LoanLifecycle = { commands: [], decisions: [], events: [], state: loanDecider.initialState }
      const opened = opening.reduce(step, empty)
      return servicing.reduce<{ readonly lifecycle: LoanLifecycle; readonly date: LocalDate }>(
        ({ lifecycle, date }, { daysLater, intent }) => {
          const next = addDays(date, daysLater)
          return { lifecycle: step(lifecycle, toCommand(lifecycle.state, next, intent, loanId)), date: next }
        },
        { lifecycle: opened, date: disbursedOn },
      ).lifecycle
    })
