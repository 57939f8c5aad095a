/**
 * The loan decider: the whole lifecycle of a policy loan (domain.md §4) as a pure function of the
 * command, the loan's own history and a context the command handler loads from outside the stream.
 * Eligibility is judged on the approval date against the household's class in force that day and the
 * programme terms in force that day, and `LoanApproved` records both, so an auditor sees what the
 * decision saw. A disbursement spends a capital reservation already made on the commune's capital
 * stream (see `planDisbursement`); an early recall reads an inspection's finding. Neither the
 * inspection nor the capital stream ever writes to a loan's stream.
 */
import * as E from 'fp-ts/lib/Either.js'
import { match, P } from 'ts-pattern'
import type { Decider } from '../shared/decider.ts'
import { addMonths, isInForceOn, yearOf, type LocalDate } from '../values/dates.ts'
import type { DecisionNumber, HouseholdId } from '../values/identifiers.ts'
import { minVnd, ratePpm, sumVnd, vnd, type Vnd } from '../values/money.ts'
import type { HouseholdClass, PovertyStandardId, ProgrammeTerms } from '../reference/types.ts'
import type { CapitalReservation } from '../capital/events.ts'
import type { LoanUseFinding } from '../inspection/state.ts'
import type { LoanCommand } from './commands.ts'
import type { CapBasis, LoanEvent, ReportDimensions } from './events.ts'
import { interestDue, type BalanceSegment, type TermsLookup } from './interest.ts'
import type { LoanContextPart, LoanRejection } from './rejections.ts'
import { extensionLimitMonths, lendingRulesOn, type LendingRules } from './rules.ts'
import { takeEarliestFirst, takeLatestFirst, totalOf, unpaidDueBefore, withoutParts } from './schedule.ts'
import { currentMaturity, principalInTerm, principalOutstanding, type ActiveLoan, type InstalmentBalance, type Loan, type LoanApplication } from './state.ts'
import { count, positiveCount, text, type PositiveCount } from './values.ts'

/**
 * The household's class in force on the approval day and the decision that recognised it; the
 * household module's `classInForceOn` gives exactly this shape.
 */
export interface ClassInForceEvidence {
  readonly householdClass: HouseholdClass
  readonly evidence: {
    readonly standardId: PovertyStandardId
    readonly decisionNumber: DecisionNumber
    readonly decisionDate: LocalDate
    readonly effectiveFrom: LocalDate
  }
  /** For a newly-escaped status: the first day it no longer holds. */
  readonly endsOn?: LocalDate
}

export interface ApprovalContext {
  readonly householdId: HouseholdId
  /** Null when the household had no recognised class on the approval day. */
  readonly classInForce: ClassInForceEvidence | null
  /** The programme terms in force on the approval day (`termsOn(programme, approvedOn)`). */
  readonly terms: ProgrammeTerms
}

/** What the command handler loads from outside the loan's stream; each command needs at most one part. */
export interface LoanContext {
  readonly approval?: ApprovalContext
  readonly capitalReservation?: CapitalReservation
  readonly termsLookup?: TermsLookup
  readonly inspectionFinding?: LoanUseFinding
}

/** Which part of the context a command needs, so a handler loads only that. */
export const contextNeeded = (command: LoanCommand): LoanContextPart | undefined =>
  match(command)
    .returnType<LoanContextPart | undefined>()
    .with({ type: 'ApproveLoan' }, () => 'approval')
    .with({ type: 'DisburseLoan' }, () => 'capitalReservation')
    .with({ type: P.union('CollectInterest', 'WriteOffInterest', 'CloseLoan') }, () => 'termsLookup')
    .with({ type: 'RecallLoanEarly' }, () => 'inspectionFinding')
    .with(
      {
        type: P.union(
          'RequestLoan',
          'VetLoanByGroup',
          'CertifyLoanByCommune',
          'RejectLoan',
          'RepayPrincipal',
          'AdjustInstalmentTerm',
          'ExtendLoan',
          'TransferToOverdue',
          'FreezeDebt',
          'UnfreezeDebt',
          'WriteOffPrincipal',
        ),
      },
      () => undefined,
    )
    .exhaustive()

type Decision = E.Either<LoanRejection, ReadonlyArray<LoanEvent>>
type DataOf<Type extends LoanCommand['type']> = Extract<LoanCommand, { readonly type: Type }>['data']
type StateOf<Status extends Loan['status']> = Extract<Loan, { readonly status: Status }>

const reject = (rejection: LoanRejection): Decision => E.left(rejection)

/** The business date every command carries. */
export const commandDate = (command: LoanCommand): LocalDate =>
  match(command)
    .returnType<LocalDate>()
    .with({ type: 'RequestLoan' }, ({ data }) => data.requestedOn)
    .with({ type: 'VetLoanByGroup' }, ({ data }) => data.vettedOn)
    .with({ type: 'CertifyLoanByCommune' }, ({ data }) => data.certifiedOn)
    .with({ type: 'RejectLoan' }, ({ data }) => data.rejectedOn)
    .with({ type: 'ApproveLoan' }, ({ data }) => data.approvedOn)
    .with({ type: 'DisburseLoan' }, ({ data }) => data.disbursedOn)
    .with({ type: 'CollectInterest' }, ({ data }) => data.collectedOn)
    .with({ type: 'RepayPrincipal' }, ({ data }) => data.repaidOn)
    .with({ type: 'AdjustInstalmentTerm' }, ({ data }) => data.adjustedOn)
    .with({ type: 'ExtendLoan' }, ({ data }) => data.extendedOn)
    .with({ type: 'TransferToOverdue' }, ({ data }) => data.transferredOn)
    .with({ type: 'RecallLoanEarly' }, ({ data }) => data.recalledOn)
    .with({ type: 'FreezeDebt' }, ({ data }) => data.frozenOn)
    .with({ type: 'UnfreezeDebt' }, ({ data }) => data.unfrozenOn)
    .with({ type: 'WriteOffPrincipal' }, ({ data }) => data.writtenOffOn)
    .with({ type: 'WriteOffInterest' }, ({ data }) => data.writtenOffOn)
    .with({ type: 'CloseLoan' }, ({ data }) => data.closedOn)
    .exhaustive()

const commandAmount = (command: LoanCommand): Vnd | undefined =>
  match(command)
    .returnType<Vnd | undefined>()
    .with({ type: 'RequestLoan' }, ({ data }) => data.requestedAmount)
    .with({ type: 'ApproveLoan' }, ({ data }) => data.approvedAmount)
    .with({ type: P.union('DisburseLoan', 'CollectInterest', 'RepayPrincipal', 'FreezeDebt', 'WriteOffPrincipal', 'WriteOffInterest') }, ({ data }) => data.amount)
    .with(
      {
        type: P.union(
          'VetLoanByGroup',
          'CertifyLoanByCommune',
          'RejectLoan',
          'AdjustInstalmentTerm',
          'ExtendLoan',
          'TransferToOverdue',
          'RecallLoanEarly',
          'UnfreezeDebt',
          'CloseLoan',
        ),
      },
      () => undefined,
    )
    .exhaustive()

/** Rules every command shares once its status allows it: no back-dating before the last event, no zero amounts. */
const checked = (command: LoanCommand, lastActivityOn: LocalDate | undefined, decision: () => Decision): Decision => {
  const date = commandDate(command)
  if (lastActivityOn !== undefined && date < lastActivityOn) return reject({ _tag: 'DatedBeforeLastActivity', command: command.type, lastActivityOn, date })
  if (commandAmount(command) === 0n) return reject({ _tag: 'AmountMustBePositive', command: command.type })
  return decision()
}

const needs = <Part extends keyof LoanContext>(
  command: LoanCommand,
  context: LoanContext,
  part: Part,
  decision: (value: NonNullable<LoanContext[Part]>) => Decision,
): Decision => {
  const value = context[part]
  return value === undefined ? reject({ _tag: 'ContextMissing', command: command.type, missing: part }) : decision(value as NonNullable<LoanContext[Part]>)
}

// ---- Approval ------------------------------------------------------------------------------------

const capUnitsFor = (capBasis: CapBasis, application: LoanApplication): number | null =>
  match(capBasis)
    .returnType<number | null>()
    .with('PER_LOAN', () => 1)
    .with('PER_WORKER', () => application.workers)
    .with('PER_MONTH_OF_STUDY', () => application.monthsOfStudy)
    .with('PER_FACILITY_TYPE', () => application.facilityTypes)
    .exhaustive()

const isNewlyEscaped = (householdClass: HouseholdClass): boolean => householdClass === 'ESCAPED_POVERTY' || householdClass === 'ESCAPED_NEAR_POVERTY'

/** Jobs created count for job-creation loans only (domain.md §7.11): one per worker the loan employs. */
const jobsCreatedBy = (application: LoanApplication): number => (application.programme === 'JOB_CREATION' ? (application.workers ?? 0) : 0)

const approve = (data: DataOf<'ApproveLoan'>, certified: StateOf<'CommuneCertified'>, context: ApprovalContext): Decision => {
  const { application } = certified
  const { terms, classInForce } = context
  const approvedOn = data.approvedOn
  if (context.householdId !== application.householdId)
    return reject({ _tag: 'EvidenceForAnotherHousehold', householdId: application.householdId, evidenceHouseholdId: context.householdId })
  if (terms.programme !== application.programme) return reject({ _tag: 'TermsForAnotherProgramme', programme: application.programme, termsProgramme: terms.programme })
  if (!isInForceOn(terms, approvedOn))
    return reject({ _tag: 'TermsNotInForceOnApprovalDate', termsVersionId: terms.versionId, validFrom: terms.validFrom, validTo: terms.validTo ?? null, approvedOn })
  if (classInForce === null) return reject({ _tag: 'HouseholdHasNoClassOnApprovalDate', householdId: application.householdId, approvedOn })
  if (classInForce.evidence.effectiveFrom > approvedOn) return reject({ _tag: 'ClassNotInForceOnApprovalDate', effectiveFrom: classInForce.evidence.effectiveFrom, approvedOn })
  if (!terms.eligibleClasses.includes(classInForce.householdClass))
    return reject({ _tag: 'HouseholdClassNotEligible', householdClass: classInForce.householdClass, eligibleClasses: terms.eligibleClasses })
  // Decision 28/2015/QĐ-TTg: newly escaped for three years after leaving the list [V:S12]; the review rules set `endsOn`.
  if (isNewlyEscaped(classInForce.householdClass) && (classInForce.endsOn === undefined || approvedOn >= classInForce.endsOn))
    return reject({ _tag: 'NewlyEscapedWindowExpired', escapedStatusEndsOn: classInForce.endsOn ?? null, approvedOn })
  const capUnits = capUnitsFor(terms.capBasis, application)
  if (capUnits === null) return reject({ _tag: 'CapQuantityMissing', capBasis: terms.capBasis })
  const cap = vnd(terms.cap * BigInt(capUnits))
  if (data.approvedAmount > application.requestedAmount)
    return reject({ _tag: 'ApprovedAmountExceedsRequested', requested: application.requestedAmount, approved: data.approvedAmount })
  if (data.approvedAmount > cap) return reject({ _tag: 'AmountExceedsCap', cap, capBasis: terms.capBasis, capUnits, requested: data.approvedAmount })
  if (data.termMonths > terms.maxTermMonths) return reject({ _tag: 'TermExceedsProgrammeMaximum', maxTermMonths: terms.maxTermMonths, termMonths: data.termMonths })
  if (terms.collateralRequired && data.collateral === null) return reject({ _tag: 'CollateralRequired', termsVersionId: terms.versionId })
  return E.right([
    {
      type: 'LoanApproved',
      data: {
        loanId: application.loanId,
        householdId: application.householdId,
        communeId: application.communeId,
        programme: application.programme,
        capitalSourceKind: data.capitalSourceKind,
        capitalSourceId: data.capitalSourceId,
        massOrganisationKind: application.massOrganisationKind,
        massOrganisationId: application.massOrganisationId,
        savingsGroupId: application.savingsGroupId,
        jobsCreated: count(jobsCreatedBy(application)),
        approvedAmount: data.approvedAmount,
        termMonths: data.termMonths,
        approvedOn,
        householdClass: classInForce.householdClass,
        classDecisionNumber: classInForce.evidence.decisionNumber,
        classDecidedOn: classInForce.evidence.decisionDate,
        povertyStandardId: classInForce.evidence.standardId,
        classEffectiveFrom: classInForce.evidence.effectiveFrom,
        escapedStatusEndsOn: classInForce.endsOn ?? null,
        termsVersionId: text(terms.versionId),
        yearlyRate: terms.yearlyRate,
        // Recorded for the reader; interest itself applies the exact share.
        overdueYearlyRate: ratePpm(Math.round((terms.yearlyRate * terms.overdueRateShare) / 10_000)),
        capBasis: terms.capBasis,
        capPerUnit: terms.cap,
        capUnits: positiveCount(capUnits),
        cap,
        collateral: data.collateral,
      },
    },
  ])
}

// ---- Disbursement --------------------------------------------------------------------------------

const dimensionsOf = (approval: StateOf<'Approved'>['approval'] | ActiveLoan['dimensions']): ReportDimensions => ({
  loanId: approval.loanId,
  householdId: approval.householdId,
  communeId: approval.communeId,
  programme: approval.programme,
  capitalSourceKind: approval.capitalSourceKind,
  capitalSourceId: approval.capitalSourceId,
  massOrganisationKind: approval.massOrganisationKind,
  massOrganisationId: approval.massOrganisationId,
  savingsGroupId: approval.savingsGroupId,
  jobsCreated: approval.jobsCreated,
})

const reservationMismatch = (data: DataOf<'DisburseLoan'>, approved: StateOf<'Approved'>, reservation: CapitalReservation): LoanRejection | undefined => {
  const { approval } = approved
  const comparisons: ReadonlyArray<readonly [Extract<LoanRejection, { readonly _tag: 'CapitalReservationMismatch' }>['field'], string, string]> = [
    ['loanId', approval.loanId, reservation.loanId],
    ['amount', data.amount.toString(), reservation.amount.toString()],
    ['communeId', approval.communeId, reservation.communeId],
    ['year', String(yearOf(data.disbursedOn)), String(reservation.year)],
    ['programme', approval.programme, reservation.programme],
    ['capitalSource', `${approval.capitalSourceKind}:${approval.capitalSourceId}`, `${reservation.capitalSourceKind}:${reservation.capitalSourceId}`],
  ]
  const mismatch = comparisons.find(([, expected, reserved]) => expected !== reserved)
  return mismatch === undefined ? undefined : { _tag: 'CapitalReservationMismatch', field: mismatch[0], expected: mismatch[1], reserved: mismatch[2] }
}

const scheduleIsOrdered = (data: DataOf<'DisburseLoan'>, latestDueOn: LocalDate): boolean =>
  data.instalments.length > 0 &&
  data.instalments.every((instalment, index) => {
    const previous = index === 0 ? data.disbursedOn : data.instalments[index - 1]?.dueOn
    return previous !== undefined && instalment.dueOn > previous && instalment.dueOn <= latestDueOn
  })

const disburse = (data: DataOf<'DisburseLoan'>, approved: StateOf<'Approved'>, reservation: CapitalReservation): Decision => {
  const { approval } = approved
  if (data.amount > approval.approvedAmount) return reject({ _tag: 'DisbursementExceedsApprovedAmount', approvedAmount: approval.approvedAmount, requested: data.amount })
  const scheduled = sumVnd(data.instalments.map((instalment) => instalment.principal))
  if (scheduled !== data.amount) return reject({ _tag: 'ScheduleDoesNotMatchAmount', scheduled, amount: data.amount })
  const latestDueOn = addMonths(data.disbursedOn, approval.termMonths)
  if (!scheduleIsOrdered(data, latestDueOn)) return reject({ _tag: 'ScheduleDatesInvalid', disbursedOn: data.disbursedOn, latestDueOn })
  const mismatch = reservationMismatch(data, approved, reservation)
  if (mismatch !== undefined) return reject(mismatch)
  return E.right([
    {
      type: 'LoanDisbursed',
      data: {
        ...dimensionsOf(approval),
        amount: data.amount,
        transactionPointId: data.transactionPointId,
        capitalYear: reservation.year,
        instalments: data.instalments.map((instalment, index) => ({ number: positiveCount(index + 1), ...instalment })),
        disbursedOn: data.disbursedOn,
      },
    },
  ])
}

// ---- Servicing -----------------------------------------------------------------------------------

/** Interest accrued since disbursement up to (not including) `date`, less what was collected or written off. */
export const interestOwedOn = (loan: ActiveLoan, date: LocalDate, termsLookup: TermsLookup): E.Either<LoanRejection, Vnd> =>
  E.map((accrued: Vnd) => {
    const owed = accrued - loan.interestCollected - loan.interestWrittenOff
    // A catalogue corrected downwards after a collection could make this negative: nothing is owed then.
    return vnd(owed > 0n ? owed : 0n)
  })(interestDue(loan, loan.disbursedOn, date, termsLookup))

const collectInterest = (data: DataOf<'CollectInterest'>, loan: ActiveLoan, termsLookup: TermsLookup): Decision =>
  E.flatMap((owed: Vnd) =>
    data.amount > owed
      ? reject({ _tag: 'InterestCollectionExceedsOwed', owed, requested: data.amount })
      : E.right<LoanRejection, ReadonlyArray<LoanEvent>>([
          { type: 'InterestCollected', data: { ...loan.dimensions, amount: data.amount, collector: data.collector, interestOwedBefore: owed, collectedOn: data.collectedOn } },
        ]),
  )(interestOwedOn(loan, data.collectedOn, termsLookup))

const repay = (data: DataOf<'RepayPrincipal'>, loan: ActiveLoan): Decision => {
  const outstanding = principalOutstanding(loan)
  if (data.amount > outstanding) return reject({ _tag: 'RepaymentExceedsOutstanding', outstanding, requested: data.amount })
  // Overdue debt first, then instalments in due order, then frozen debt.
  const fromOverdue = minVnd(data.amount, loan.overdue)
  const fromInstalments = takeEarliestFirst(loan.instalments, vnd(data.amount - fromOverdue))
  const fromFrozen = vnd(data.amount - fromOverdue - totalOf(fromInstalments))
  return E.right([{ type: 'PrincipalRepaid', data: { ...loan.dimensions, amount: data.amount, fromOverdue, fromInstalments, fromFrozen, repaidOn: data.repaidOn } }])
}

/** The instalment a term change concerns, if it still has principal in term and has not fallen due. */
const movableInstalment = (loan: ActiveLoan, instalmentNumber: PositiveCount, date: LocalDate, newDueOn: LocalDate): E.Either<LoanRejection, InstalmentBalance> => {
  const instalment = loan.instalments.find((candidate) => candidate.number === instalmentNumber)
  if (instalment === undefined) return E.left({ _tag: 'NoSuchInstalment', instalmentNumber })
  if (instalment.remaining === 0n) return E.left({ _tag: 'InstalmentAlreadySettled', instalmentNumber })
  if (date > instalment.dueOn) return E.left({ _tag: 'InstalmentAlreadyFallenDue', instalmentNumber, dueOn: instalment.dueOn, date })
  if (newDueOn <= instalment.dueOn) return E.left({ _tag: 'NewDueDateNotLater', dueOn: instalment.dueOn, newDueOn })
  return E.right(instalment)
}

const adjustTerm = (data: DataOf<'AdjustInstalmentTerm'>, loan: ActiveLoan): Decision =>
  E.flatMap((instalment: InstalmentBalance) => {
    const maturity = currentMaturity(loan)
    return data.newDueOn > maturity
      ? reject({ _tag: 'AdjustmentWouldMoveMaturity', maturity, newDueOn: data.newDueOn })
      : E.right<LoanRejection, ReadonlyArray<LoanEvent>>([
          {
            type: 'InstalmentTermAdjusted',
            data: {
              ...loan.dimensions,
              instalmentNumber: data.instalmentNumber,
              amount: instalment.remaining,
              previousDueOn: instalment.dueOn,
              newDueOn: data.newDueOn,
              reason: data.reason,
              adjustedOn: data.adjustedOn,
            },
          },
        ])
  })(movableInstalment(loan, data.instalmentNumber, data.adjustedOn, data.newDueOn))

const riskHandlingAllowed = (loan: ActiveLoan, decision: () => Decision): Decision =>
  // Decision 50/2010/QĐ-TTg: only a loan used for its purpose qualifies for risk handling [V:S23].
  loan.recall === null ? decision() : reject({ _tag: 'RiskHandlingExcludesMisusedLoan', inspectionId: loan.recall.inspectionId })

const extend = (data: DataOf<'ExtendLoan'>, loan: ActiveLoan): Decision =>
  data.kind === 'RISK' ? riskHandlingAllowed(loan, () => extendInstalment(data, loan)) : extendInstalment(data, loan)

const extendInstalment = (data: DataOf<'ExtendLoan'>, loan: ActiveLoan): Decision =>
  E.flatMap((instalment: InstalmentBalance) =>
    E.flatMap((rules: LendingRules) => {
      const limit = addMonths(loan.originalMaturity, extensionLimitMonths(rules, loan.approval.termMonths))
      if (data.extendedTo > limit) return reject({ _tag: 'ExtensionBeyondLimit', limit, extendedTo: data.extendedTo })
      const extension: Decision = E.right([
        {
          type: 'LoanExtended',
          data: {
            ...loan.dimensions,
            instalmentNumber: data.instalmentNumber,
            amount: instalment.remaining,
            kind: data.kind,
            previousDueOn: instalment.dueOn,
            extendedTo: data.extendedTo,
            lossShare: data.kind === 'RISK' ? data.lossShare : null,
            extendedOn: data.extendedOn,
          },
        },
      ])
      if (data.kind === 'ORDINARY') return extension
      return data.lossShare === null || data.lossShare < rules.riskExtensionMinimumLoss
        ? reject({ _tag: 'RiskExtensionNeedsLoss', minimumLoss: rules.riskExtensionMinimumLoss, lossShare: data.lossShare })
        : extension
    })(lendingRulesOn(data.extendedOn)),
  )(movableInstalment(loan, data.instalmentNumber, data.extendedOn, data.extendedTo))

const transferToOverdue = (data: DataOf<'TransferToOverdue'>, loan: ActiveLoan): Decision => {
  const fromInstalments = unpaidDueBefore(loan.instalments, data.transferredOn)
  return fromInstalments.length === 0
    ? reject({ _tag: 'NothingDueToTransfer', transferredOn: data.transferredOn })
    : E.right([{ type: 'AmountTransferredToOverdue', data: { ...loan.dimensions, amount: totalOf(fromInstalments), fromInstalments, transferredOn: data.transferredOn } }])
}

const recall = (data: DataOf<'RecallLoanEarly'>, loan: ActiveLoan, finding: LoanUseFinding): Decision => {
  if (finding.loanId !== loan.dimensions.loanId || finding.inspectionId !== data.inspectionId)
    return reject({
      _tag: 'FindingDoesNotConcernLoan',
      loanId: loan.dimensions.loanId,
      inspectionId: data.inspectionId,
      findingLoanId: finding.loanId,
      findingInspectionId: finding.inspectionId,
    })
  if (finding.status !== 'MISUSED') return reject({ _tag: 'MisuseNotFound', inspectionId: finding.inspectionId, status: finding.status })
  if (data.recalledOn < finding.conductedOn) return reject({ _tag: 'RecallBeforeInspection', conductedOn: finding.conductedOn, recalledOn: data.recalledOn })
  if (loan.recall !== null) return reject({ _tag: 'LoanAlreadyRecalled', inspectionId: loan.recall.inspectionId, recalledOn: loan.recall.recalledOn })
  const amountDue = sumVnd(loan.instalments.filter((instalment) => instalment.dueOn > data.recalledOn).map((instalment) => instalment.remaining))
  return E.right([{ type: 'LoanRecalledEarly', data: { ...loan.dimensions, inspectionId: data.inspectionId, amountDue, recalledOn: data.recalledOn } }])
}

const freeze = (data: DataOf<'FreezeDebt'>, loan: ActiveLoan): Decision =>
  riskHandlingAllowed(loan, () => {
    if (data.frozenUntil <= data.frozenOn) return reject({ _tag: 'FreezeEndsBeforeItStarts', frozenOn: data.frozenOn, frozenUntil: data.frozenUntil })
    const freezable = vnd(loan.overdue + principalInTerm(loan))
    if (data.amount > freezable) return reject({ _tag: 'FreezeExceedsDebt', freezable, requested: data.amount })
    const fromOverdue = minVnd(data.amount, loan.overdue)
    const fromInstalments = takeLatestFirst(loan.instalments, vnd(data.amount - fromOverdue))
    return E.right([
      {
        type: 'DebtFrozen',
        data: {
          ...loan.dimensions,
          amount: data.amount,
          fromOverdue,
          fromInstalments,
          cause: data.cause,
          decisionNumber: data.decisionNumber,
          frozenUntil: data.frozenUntil,
          frozenOn: data.frozenOn,
        },
      },
    ])
  })

const unfreeze = (data: DataOf<'UnfreezeDebt'>, loan: ActiveLoan): Decision => {
  if (loan.frozen === 0n) return reject({ _tag: 'NothingFrozen' })
  if (data.dueOn <= data.unfrozenOn) return reject({ _tag: 'UnfrozenDebtMustFallDueLater', unfrozenOn: data.unfrozenOn, dueOn: data.dueOn })
  const instalmentNumber = positiveCount(loan.instalments.reduce((highest, instalment) => Math.max(highest, instalment.number), 0) + 1)
  return E.right([{ type: 'DebtUnfrozen', data: { ...loan.dimensions, amount: loan.frozen, instalmentNumber, dueOn: data.dueOn, unfrozenOn: data.unfrozenOn } }])
}

const writeOffPrincipal = (data: DataOf<'WriteOffPrincipal'>, loan: ActiveLoan): Decision =>
  riskHandlingAllowed(loan, () => {
    const outstanding = principalOutstanding(loan)
    if (data.amount > outstanding) return reject({ _tag: 'WriteOffExceedsOutstanding', outstanding, requested: data.amount })
    // Frozen debt first (write-off usually follows a freeze), then overdue, then the latest instalments.
    const fromFrozen = minVnd(data.amount, loan.frozen)
    const fromOverdue = minVnd(vnd(data.amount - fromFrozen), loan.overdue)
    const fromInstalments = takeLatestFirst(loan.instalments, vnd(data.amount - fromFrozen - fromOverdue))
    return E.right([
      {
        type: 'PrincipalWrittenOff',
        data: {
          ...loan.dimensions,
          amount: data.amount,
          fromFrozen,
          fromOverdue,
          fromInstalments,
          cause: data.cause,
          decisionNumber: data.decisionNumber,
          writtenOffOn: data.writtenOffOn,
        },
      },
    ])
  })

const writeOffInterest = (data: DataOf<'WriteOffInterest'>, loan: ActiveLoan, termsLookup: TermsLookup): Decision =>
  riskHandlingAllowed(loan, () =>
    E.flatMap((owed: Vnd) =>
      data.amount > owed
        ? reject({ _tag: 'InterestWriteOffExceedsOwed', owed, requested: data.amount })
        : E.right<LoanRejection, ReadonlyArray<LoanEvent>>([
            {
              type: 'InterestWrittenOff',
              data: {
                ...loan.dimensions,
                amount: data.amount,
                interestOwedBefore: owed,
                cause: data.cause,
                decisionNumber: data.decisionNumber,
                writtenOffOn: data.writtenOffOn,
              },
            },
          ]),
    )(interestOwedOn(loan, data.writtenOffOn, termsLookup)),
  )

const close = (data: DataOf<'CloseLoan'>, loan: ActiveLoan, termsLookup: TermsLookup): Decision => {
  const outstanding = principalOutstanding(loan)
  if (outstanding > 0n) return reject({ _tag: 'PrincipalStillOutstanding', outstanding })
  return E.flatMap((owed: Vnd) =>
    owed > 0n
      ? reject({ _tag: 'InterestStillOwed', owed })
      : E.right<LoanRejection, ReadonlyArray<LoanEvent>>([
          { type: 'LoanClosed', data: { ...loan.dimensions, disbursed: loan.disbursed, repaid: loan.repaid, writtenOff: loan.writtenOff, closedOn: data.closedOn } },
        ]),
  )(interestOwedOn(loan, data.closedOn, termsLookup))
}

// ---- decide --------------------------------------------------------------------------------------

/**
 * Runs the decision when the loan is in one of the statuses the command is allowed in, after the rules
 * every command shares; otherwise names the status that disallows it.
 */
const inStatus = <Status extends Loan['status']>(
  command: LoanCommand,
  loan: Loan,
  statuses: ReadonlyArray<Status>,
  decision: (state: StateOf<Status>) => Decision,
): Decision => {
  if (!(statuses as ReadonlyArray<Loan['status']>).includes(loan.status))
    return reject({ _tag: 'LoanStatusDisallowsCommand', command: command.type, status: loan.status })
  const state = loan as StateOf<Status>
  return checked(command, 'lastActivityOn' in state ? state.lastActivityOn : undefined, () => decision(state))
}

const ACTIVE = ['Active'] as const

// A match over the command alone: each command names the statuses it is allowed in, so a new command
// type fails `.exhaustive()` and a disallowed status is one named rejection.
const decide = (command: LoanCommand, loan: Loan, context: LoanContext): Decision =>
  match(command)
    .returnType<Decision>()
    .with({ type: 'RequestLoan' }, (request) => inStatus(request, loan, ['Initial'], () => E.right([{ type: 'LoanRequested', data: request.data }])))
    .with({ type: 'VetLoanByGroup' }, (vet) =>
      inStatus(vet, loan, ['Requested'], (requested) =>
        E.right([{ type: 'LoanVettedByGroup', data: { ...vet.data, savingsGroupId: requested.application.savingsGroupId } }]),
      ),
    )
    .with({ type: 'CertifyLoanByCommune' }, (certify) =>
      inStatus(certify, loan, ['GroupVetted'], (vetted) =>
        E.right([{ type: 'LoanCertifiedByCommune', data: { ...certify.data, communeId: vetted.application.communeId } }]),
      ),
    )
    .with({ type: 'RejectLoan' }, (rejection) =>
      inStatus(rejection, loan, ['Requested', 'GroupVetted', 'CommuneCertified', 'Approved'], () => E.right([{ type: 'LoanRejected', data: rejection.data }])),
    )
    .with({ type: 'ApproveLoan' }, (approval) =>
      inStatus(approval, loan, ['CommuneCertified'], (certified) => needs(approval, context, 'approval', (evidence) => approve(approval.data, certified, evidence))),
    )
    .with({ type: 'DisburseLoan' }, (disbursement) =>
      inStatus(disbursement, loan, ['Approved'], (approved) =>
        needs(disbursement, context, 'capitalReservation', (reservation) => disburse(disbursement.data, approved, reservation)),
      ),
    )
    .with({ type: 'CollectInterest' }, (collection) =>
      inStatus(collection, loan, ACTIVE, (active) => needs(collection, context, 'termsLookup', (lookup) => collectInterest(collection.data, active, lookup))),
    )
    .with({ type: 'RepayPrincipal' }, (repayment) => inStatus(repayment, loan, ACTIVE, (active) => repay(repayment.data, active)))
    .with({ type: 'AdjustInstalmentTerm' }, (adjustment) => inStatus(adjustment, loan, ACTIVE, (active) => adjustTerm(adjustment.data, active)))
    .with({ type: 'ExtendLoan' }, (extension) => inStatus(extension, loan, ACTIVE, (active) => extend(extension.data, active)))
    .with({ type: 'TransferToOverdue' }, (transfer) => inStatus(transfer, loan, ACTIVE, (active) => transferToOverdue(transfer.data, active)))
    .with({ type: 'RecallLoanEarly' }, (recallCommand) =>
      inStatus(recallCommand, loan, ACTIVE, (active) => needs(recallCommand, context, 'inspectionFinding', (finding) => recall(recallCommand.data, active, finding))),
    )
    .with({ type: 'FreezeDebt' }, (freezing) => inStatus(freezing, loan, ACTIVE, (active) => freeze(freezing.data, active)))
    .with({ type: 'UnfreezeDebt' }, (unfreezing) => inStatus(unfreezing, loan, ACTIVE, (active) => unfreeze(unfreezing.data, active)))
    .with({ type: 'WriteOffPrincipal' }, (writeOff) => inStatus(writeOff, loan, ACTIVE, (active) => writeOffPrincipal(writeOff.data, active)))
    .with({ type: 'WriteOffInterest' }, (writeOff) =>
      inStatus(writeOff, loan, ACTIVE, (active) => needs(writeOff, context, 'termsLookup', (lookup) => writeOffInterest(writeOff.data, active, lookup))),
    )
    .with({ type: 'CloseLoan' }, (closing) =>
      inStatus(closing, loan, ACTIVE, (active) => needs(closing, context, 'termsLookup', (lookup) => close(closing.data, active, lookup))),
    )
    .exhaustive()

// ---- evolve --------------------------------------------------------------------------------------

interface PrincipalMovement {
  readonly date: LocalDate
  readonly instalments?: ReadonlyArray<InstalmentBalance>
  readonly overdue?: bigint
  readonly frozen?: bigint
  readonly repaid?: bigint
  readonly writtenOff?: bigint
}

/** Applies a movement of principal and records the end-of-day balance it leaves, for interest. */
const moved = (loan: ActiveLoan, movement: PrincipalMovement): ActiveLoan => {
  const next: ActiveLoan = {
    ...loan,
    instalments: movement.instalments ?? loan.instalments,
    overdue: vnd(loan.overdue + (movement.overdue ?? 0n)),
    frozen: vnd(loan.frozen + (movement.frozen ?? 0n)),
    repaid: vnd(loan.repaid + (movement.repaid ?? 0n)),
    writtenOff: vnd(loan.writtenOff + (movement.writtenOff ?? 0n)),
    lastActivityOn: movement.date,
  }
  const segment: BalanceSegment = { from: movement.date, inTerm: principalInTerm(next), overdue: next.overdue, frozen: next.frozen }
  const earlier = loan.balanceHistory.filter((existing) => existing.from < movement.date)
  return { ...next, balanceHistory: [...earlier, segment] }
}

const touched = (loan: ActiveLoan, date: LocalDate): ActiveLoan => ({ ...loan, lastActivityOn: date })

const pending = (loan: Loan): loan is StateOf<'Requested' | 'GroupVetted' | 'CommuneCertified'> =>
  loan.status === 'Requested' || loan.status === 'GroupVetted' || loan.status === 'CommuneCertified'

const whenActive = (loan: Loan, change: (active: ActiveLoan) => Loan): Loan => (loan.status === 'Active' ? change(loan) : loan)

// decide emits each event only in the status that allows it; evolve records the facts and does not re-validate.
const evolve = (loan: Loan, event: LoanEvent): Loan =>
  match(event)
    .returnType<Loan>()
    .with({ type: 'LoanRequested' }, ({ data }) => ({ status: 'Requested', application: data, lastActivityOn: data.requestedOn }))
    .with({ type: 'LoanVettedByGroup' }, ({ data }) => (pending(loan) ? { status: 'GroupVetted', application: loan.application, lastActivityOn: data.vettedOn } : loan))
    .with({ type: 'LoanCertifiedByCommune' }, ({ data }) =>
      pending(loan) ? { status: 'CommuneCertified', application: loan.application, lastActivityOn: data.certifiedOn } : loan,
    )
    .with({ type: 'LoanRejected' }, ({ data }) => ({ status: 'Rejected', loanId: data.loanId, rejectedBy: data.rejectedBy, rejectedOn: data.rejectedOn }))
    .with({ type: 'LoanApproved' }, ({ data }) => (pending(loan) ? { status: 'Approved', application: loan.application, approval: data, lastActivityOn: data.approvedOn } : loan))
    .with({ type: 'LoanDisbursed' }, ({ data }) => {
      if (loan.status !== 'Approved') return loan
      const instalments = data.instalments.map((instalment) => ({ number: instalment.number, dueOn: instalment.dueOn, originalDueOn: instalment.dueOn, remaining: instalment.principal }))
      const active: ActiveLoan = {
        status: 'Active',
        dimensions: dimensionsOf(data),
        programme: data.programme,
        approval: loan.approval,
        disbursedOn: data.disbursedOn,
        originalMaturity: instalments.reduce<LocalDate>((latest, instalment) => (instalment.dueOn > latest ? instalment.dueOn : latest), data.disbursedOn),
        disbursed: data.amount,
        repaid: vnd(0n),
        writtenOff: vnd(0n),
        instalments,
        overdue: vnd(0n),
        frozen: vnd(0n),
        frozenUntil: null,
        interestCollected: vnd(0n),
        interestWrittenOff: vnd(0n),
        balanceHistory: [],
        recall: null,
        lastActivityOn: data.disbursedOn,
      }
      return moved(active, { date: data.disbursedOn })
    })
    .with({ type: 'InterestCollected' }, ({ data }) =>
      whenActive(loan, (active) => ({ ...touched(active, data.collectedOn), interestCollected: vnd(active.interestCollected + data.amount) })),
    )
    .with({ type: 'PrincipalRepaid' }, ({ data }) =>
      whenActive(loan, (active) =>
        moved(active, {
          date: data.repaidOn,
          instalments: withoutParts(active.instalments, data.fromInstalments),
          overdue: -data.fromOverdue,
          frozen: -data.fromFrozen,
          repaid: data.amount,
        }),
      ),
    )
    .with({ type: 'InstalmentTermAdjusted' }, ({ data }) =>
      whenActive(loan, (active) => ({
        ...touched(active, data.adjustedOn),
        instalments: active.instalments.map((instalment) => (instalment.number === data.instalmentNumber ? { ...instalment, dueOn: data.newDueOn } : instalment)),
      })),
    )
    .with({ type: 'LoanExtended' }, ({ data }) =>
      whenActive(loan, (active) => ({
        ...touched(active, data.extendedOn),
        instalments: active.instalments.map((instalment) => (instalment.number === data.instalmentNumber ? { ...instalment, dueOn: data.extendedTo } : instalment)),
      })),
    )
    .with({ type: 'AmountTransferredToOverdue' }, ({ data }) =>
      whenActive(loan, (active) =>
        moved(active, { date: data.transferredOn, instalments: withoutParts(active.instalments, data.fromInstalments), overdue: data.amount }),
      ),
    )
    .with({ type: 'LoanRecalledEarly' }, ({ data }) =>
      whenActive(loan, (active) => ({
        ...touched(active, data.recalledOn),
        recall: { inspectionId: data.inspectionId, recalledOn: data.recalledOn },
        instalments: active.instalments.map((instalment) => (instalment.dueOn > data.recalledOn ? { ...instalment, dueOn: data.recalledOn } : instalment)),
      })),
    )
    .with({ type: 'DebtFrozen' }, ({ data }) =>
      whenActive(loan, (active) => ({
        ...moved(active, {
          date: data.frozenOn,
          instalments: withoutParts(active.instalments, data.fromInstalments),
          overdue: -data.fromOverdue,
          frozen: data.amount,
        }),
        frozenUntil: data.frozenUntil,
      })),
    )
    .with({ type: 'DebtUnfrozen' }, ({ data }) =>
      whenActive(loan, (active) => ({
        ...moved(active, {
          date: data.unfrozenOn,
          instalments: [...active.instalments, { number: data.instalmentNumber, dueOn: data.dueOn, originalDueOn: data.dueOn, remaining: data.amount }],
          frozen: -data.amount,
        }),
        frozenUntil: null,
      })),
    )
    .with({ type: 'PrincipalWrittenOff' }, ({ data }) =>
      whenActive(loan, (active) =>
        moved(active, {
          date: data.writtenOffOn,
          instalments: withoutParts(active.instalments, data.fromInstalments),
          overdue: -data.fromOverdue,
          frozen: -data.fromFrozen,
          writtenOff: data.amount,
        }),
      ),
    )
    .with({ type: 'InterestWrittenOff' }, ({ data }) =>
      whenActive(loan, (active) => ({ ...touched(active, data.writtenOffOn), interestWrittenOff: vnd(active.interestWrittenOff + data.amount) })),
    )
    .with({ type: 'LoanClosed' }, ({ data }) => ({
      status: 'Closed',
      dimensions: dimensionsOf(data),
      disbursed: data.disbursed,
      repaid: data.repaid,
      writtenOff: data.writtenOff,
      closedOn: data.closedOn,
    }))
    .exhaustive()

export const loanDecider: Decider<LoanCommand, LoanEvent, Loan, LoanRejection, LoanContext> = {
  initialState: { status: 'Initial' },
  evolve,
  decide,
}
