import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { BasisPoints, day, idOf, InspectionId, LoanId, Loan, vnd, type LocalDate, type ProgrammeId } from '@policy-credit/core'
import { deciderSpec } from '@policy-credit/core/testing'
import {
  activeHistory,
  approvalContext,
  approvedHistory,
  certification,
  classInForce,
  dimensions,
  disbursedOn,
  householdId,
  inspectionId,
  instalments,
  loanApproved,
  loanCertified,
  loanDisbursed,
  loanId,
  loanRequested,
  loanVetted,
  reservation,
  riskDecision,
  termsContext,
  termsFor,
  transactionPointId,
} from './fixtures.ts'

const given = deciderSpec(Loan.loanDecider)
const none: Loan.LoanContext = {}
const count = Loan.positiveCount
const basisPoints = (n: number): BasisPoints => {
  if (!BasisPoints.is(n)) throw new RangeError(`not basis points: ${n}`)
  return n
}

type Requested = Extract<Loan.LoanEvent, { readonly type: 'LoanRequested' }>
const requestedAs = (changes: Partial<Requested['data']>): ReadonlyArray<Loan.LoanEvent> => [
  { type: 'LoanRequested', data: { ...(loanRequested as Requested).data, ...changes } },
  loanVetted,
  loanCertified,
]
const approve = (changes: Partial<Extract<Loan.LoanCommand, { readonly type: 'ApproveLoan' }>['data']> = {}): Loan.LoanCommand => ({
  type: 'ApproveLoan',
  data: {
    loanId,
    approvedAmount: vnd(60_000_000n),
    termMonths: count(36),
    capitalSourceKind: 'LOCAL_BUDGET',
    capitalSourceId: dimensions.capitalSourceId,
    collateral: null,
    approvedOn: day('2022-05-16'),
    ...changes,
  },
})
const approvalWith = (programme: ProgrammeId, date: LocalDate, evidence: Partial<Loan.ApprovalContext> = {}): Loan.LoanContext => ({
  approval: { householdId, classInForce, terms: termsFor(programme, date), ...evidence },
})
const disburse = (changes: Partial<Extract<Loan.LoanCommand, { readonly type: 'DisburseLoan' }>['data']> = {}): Loan.LoanCommand => ({
  type: 'DisburseLoan',
  data: { loanId, amount: vnd(60_000_000n), transactionPointId, instalments, disbursedOn, ...changes },
})
const repay = (amount: bigint, repaidOn: string): Loan.LoanCommand => ({ type: 'RepayPrincipal', data: { loanId, amount: vnd(amount), repaidOn: day(repaidOn) } })
const transfer = (transferredOn: string): Loan.LoanCommand => ({ type: 'TransferToOverdue', data: { loanId, transferredOn: day(transferredOn) } })
const recall = (recalledOn: string): Loan.LoanCommand => ({ type: 'RecallLoanEarly', data: { loanId, inspectionId, recalledOn: day(recalledOn) } })
const misuse = (changes: Partial<NonNullable<Loan.LoanContext['inspectionFinding']>> = {}): Loan.LoanContext => ({
  inspectionFinding: { inspectionId, loanId, status: 'MISUSED', conductedOn: day('2022-09-10'), ...changes },
})
const freeze = (amount: bigint, frozenOn: string, frozenUntil = '2026-06-01'): Loan.LoanCommand => ({
  type: 'FreezeDebt',
  data: { loanId, amount: vnd(amount), cause: 'NATURAL_DISASTER', decisionNumber: riskDecision, frozenUntil: day(frozenUntil), frozenOn: day(frozenOn) },
})

/** Runs commands through decide and evolve, failing on a rejection: a history only `decide` could make. */
const historyAfter = (start: ReadonlyArray<Loan.LoanEvent>, steps: ReadonlyArray<readonly [Loan.LoanCommand, Loan.LoanContext]>): ReadonlyArray<Loan.LoanEvent> =>
  steps.reduce<ReadonlyArray<Loan.LoanEvent>>((history, [command, context]) => {
    const decision = Loan.loanDecider.decide(command, history.reduce(Loan.loanDecider.evolve, Loan.loanDecider.initialState), context)
    if (E.isLeft(decision)) throw new Error(`fixture step rejected: ${JSON.stringify(decision.left)}`)
    return [...history, ...decision.right]
  }, start)
const stateAfter = (history: ReadonlyArray<Loan.LoanEvent>): Loan.Loan => history.reduce(Loan.loanDecider.evolve, Loan.loanDecider.initialState)
const activeAfter = (history: ReadonlyArray<Loan.LoanEvent>): Loan.ActiveLoan => {
  const state = stateAfter(history)
  if (state.status !== 'Active') throw new Error(`expected an active loan, got ${state.status}`)
  return state
}

describe('requesting, vetting and certifying', () => {
  it('records a request', () => given([]).when({ type: 'RequestLoan', data: (loanRequested as Requested).data }, none).thenEvents([loanRequested]))
  it('rejects a second request on the same loan', () =>
    given([loanRequested])
      .when({ type: 'RequestLoan', data: (loanRequested as Requested).data }, none)
      .thenRejects({ _tag: 'LoanStatusDisallowsCommand', command: 'RequestLoan', status: 'Requested' }))
  it('rejects a request for nothing', () =>
    given([])
      .when({ type: 'RequestLoan', data: { ...(loanRequested as Requested).data, requestedAmount: vnd(0n) } }, none)
      .thenRejects({ _tag: 'AmountMustBePositive', command: 'RequestLoan' }))
  it('records the group vetting with the group', () =>
    given([loanRequested]).when({ type: 'VetLoanByGroup', data: { loanId, meetingMinutesId: Loan.text('BB-03/2022'), vettedOn: day('2022-05-08') } }, none).thenEvents([loanVetted]))
  it('rejects vetting before a request', () =>
    given([])
      .when({ type: 'VetLoanByGroup', data: { loanId, meetingMinutesId: Loan.text('BB'), vettedOn: day('2022-05-08') } }, none)
      .thenRejects({ _tag: 'LoanStatusDisallowsCommand', command: 'VetLoanByGroup', status: 'Initial' }))
  it('rejects vetting dated before the request', () =>
    given([loanRequested])
      .when({ type: 'VetLoanByGroup', data: { loanId, meetingMinutesId: Loan.text('BB'), vettedOn: day('2022-05-01') } }, none)
      .thenRejects({ _tag: 'DatedBeforeLastActivity', command: 'VetLoanByGroup', lastActivityOn: day('2022-05-04'), date: day('2022-05-01') }))
  it('records the commune certification with the commune', () =>
    given([loanRequested, loanVetted])
      .when({ type: 'CertifyLoanByCommune', data: { loanId, certificationNumber: certification, certifiedOn: day('2022-05-12') } }, none)
      .thenEvents([loanCertified]))
  it('rejects certification before the group has vetted the loan', () =>
    given([loanRequested])
      .when({ type: 'CertifyLoanByCommune', data: { loanId, certificationNumber: certification, certifiedOn: day('2022-05-12') } }, none)
      .thenRejects({ _tag: 'LoanStatusDisallowsCommand', command: 'CertifyLoanByCommune', status: 'Requested' }))
  it('records a rejection by the commune', () => {
    const rejection = { loanId, rejectedBy: 'COMMUNE', reason: Loan.text('not resident'), rejectedOn: day('2022-05-12') } as const
    given([loanRequested, loanVetted]).when({ type: 'RejectLoan', data: rejection }, none).thenEvents([{ type: 'LoanRejected', data: rejection }])
  })
  it('rejects turning down a loan already disbursed', () =>
    given(activeHistory)
      .when({ type: 'RejectLoan', data: { loanId, rejectedBy: 'BANK', reason: Loan.text('late'), rejectedOn: day('2022-06-01') } }, none)
      .thenRejects({ _tag: 'LoanStatusDisallowsCommand', command: 'RejectLoan', status: 'Active' }))
})

describe('approval checks eligibility on the approval date and records the evidence', () => {
  it('approves and records the class, its decision, the standard, the terms version, rate, cap and capital source', () =>
    given([loanRequested, loanVetted, loanCertified]).when(approve(), approvalContext).thenEvents([loanApproved]))
  it('needs the approval evidence in its context', () =>
    given([loanRequested, loanVetted, loanCertified]).when(approve(), none).thenRejects({ _tag: 'ContextMissing', command: 'ApproveLoan', missing: 'approval' }))
  it('rejects evidence about another household', () => {
    const other = idOf(LoanId, 'HH-OTHER') as unknown as typeof householdId
    given(requestedAs({}))
      .when(approve(), approvalWith('JOB_CREATION', day('2022-05-16'), { householdId: other }))
      .thenRejects({ _tag: 'EvidenceForAnotherHousehold', householdId, evidenceHouseholdId: other })
  })
  it('rejects terms of another programme', () =>
    given(requestedAs({}))
      .when(approve(), approvalWith('POOR_HOUSEHOLD', day('2022-05-16')))
      .thenRejects({ _tag: 'TermsForAnotherProgramme', programme: 'JOB_CREATION', termsProgramme: 'POOR_HOUSEHOLD' }))
  it('rejects terms not in force on the approval day', () => {
    const later = termsFor('JOB_CREATION', day('2025-12-01'))
    given(requestedAs({}))
      .when(approve(), approvalWith('JOB_CREATION', day('2025-12-01')))
      .thenRejects({ _tag: 'TermsNotInForceOnApprovalDate', termsVersionId: later.versionId, validFrom: later.validFrom, validTo: null, approvedOn: day('2022-05-16') })
  })
  it('rejects a household with no class on the approval day', () =>
    given(requestedAs({}))
      .when(approve(), approvalWith('JOB_CREATION', day('2022-05-16'), { classInForce: null }))
      .thenRejects({ _tag: 'HouseholdHasNoClassOnApprovalDate', householdId, approvedOn: day('2022-05-16') }))
  it('rejects a class that takes effect after the approval day', () =>
    given(requestedAs({}))
      .when(approve(), approvalWith('JOB_CREATION', day('2022-05-16'), { classInForce: { ...classInForce, evidence: { ...classInForce.evidence, effectiveFrom: day('2022-06-01') } } }))
      .thenRejects({ _tag: 'ClassNotInForceOnApprovalDate', effectiveFrom: day('2022-06-01'), approvedOn: day('2022-05-16') }))
  it('rejects a near-poor household for a poor-household loan', () =>
    given(requestedAs({ programme: 'POOR_HOUSEHOLD', workers: null }))
      .when(approve(), approvalWith('POOR_HOUSEHOLD', day('2022-05-16')))
      .thenRejects({ _tag: 'HouseholdClassNotEligible', householdClass: 'NEAR_POOR', eligibleClasses: ['POOR'] }))
  describe('newly escaped households borrow for three years after leaving the list', () => {
    const escaped = (endsOn: string): Loan.LoanContext =>
      approvalWith('NEWLY_ESCAPED_POVERTY', day('2022-05-16'), {
        classInForce: { householdClass: 'ESCAPED_POVERTY', evidence: { ...classInForce.evidence, effectiveFrom: day('2019-06-01') }, endsOn: day(endsOn) },
      })
    const history = requestedAs({ programme: 'NEWLY_ESCAPED_POVERTY', workers: null })
    it('approves within the window and records when it ends', () => {
      const decision = given(history).when(approve(), escaped('2022-06-01')).decision
      expect(E.isRight(decision) && decision.right[0]?.type === 'LoanApproved' && decision.right[0].data.escapedStatusEndsOn).toBe('2022-06-01')
    })
    it('rejects on the day the window ends', () =>
      given(history).when(approve(), escaped('2022-05-16')).thenRejects({ _tag: 'NewlyEscapedWindowExpired', escapedStatusEndsOn: day('2022-05-16'), approvedOn: day('2022-05-16') }))
  })
  it('needs the number of workers for a per-worker cap', () =>
    given(requestedAs({ workers: null })).when(approve(), approvalContext).thenRejects({ _tag: 'CapQuantityMissing', capBasis: 'PER_WORKER' }))
  it('caps an establishment loan at 100 m per worker', () =>
    given(requestedAs({ workers: count(3), requestedAmount: vnd(350_000_000n) }))
      .when(approve({ approvedAmount: vnd(301_000_000n) }), approvalContext)
      .thenRejects({ _tag: 'AmountExceedsCap', cap: vnd(300_000_000n), capBasis: 'PER_WORKER', capUnits: 3, requested: vnd(301_000_000n) }))
  it('caps a student loan by month of study with the cap in force that day (2.5 m, then 4 m from 19 May 2022)', () => {
    const history = requestedAs({ programme: 'STUDENT', workers: null, monthsOfStudy: count(10), requestedAmount: vnd(40_000_000n) })
    const student = (approvedOn: string) => approvalWith('STUDENT', day(approvedOn), { classInForce: { ...classInForce, evidence: { ...classInForce.evidence } } })
    given(history)
      .when(approve({ approvedAmount: vnd(30_000_000n), approvedOn: day('2022-05-18') }), student('2022-05-18'))
      .thenRejects({ _tag: 'AmountExceedsCap', cap: vnd(25_000_000n), capBasis: 'PER_MONTH_OF_STUDY', capUnits: 10, requested: vnd(30_000_000n) })
    expect(E.isRight(given(history).when(approve({ approvedAmount: vnd(30_000_000n), approvedOn: day('2022-05-19') }), student('2022-05-19')).decision)).toBe(true)
  })
  it('rejects approving more than was requested', () =>
    given(requestedAs({}))
      .when(approve({ approvedAmount: vnd(61_000_000n) }), approvalContext)
      .thenRejects({ _tag: 'ApprovedAmountExceedsRequested', requested: vnd(60_000_000n), approved: vnd(61_000_000n) }))
  it('rejects a term longer than the programme allows', () =>
    given(requestedAs({})).when(approve({ termMonths: count(121) }), approvalContext).thenRejects({ _tag: 'TermExceedsProgrammeMaximum', maxTermMonths: 120, termMonths: 121 }))
  it('requires collateral where the programme does (social housing)', () => {
    const history = requestedAs({ programme: 'SOCIAL_HOUSING', workers: null, requestedAmount: vnd(300_000_000n) })
    const context = approvalWith('SOCIAL_HOUSING', day('2023-06-01'))
    const housing = { approvedAmount: vnd(272_000_000n), termMonths: count(240), approvedOn: day('2023-06-01') }
    given(history).when(approve(housing), context).thenRejects({ _tag: 'CollateralRequired', termsVersionId: 'SOCIAL_HOUSING@2023-05-10' })
    const secured = approve({ ...housing, collateral: { description: Loan.text('house and land use right'), value: vnd(400_000_000n) } })
    expect(E.isRight(given(history).when(secured, context).decision)).toBe(true)
  })
})

describe('disbursement', () => {
  it('disburses against a matching capital reservation and records the transaction point and the schedule', () =>
    given(approvedHistory).when(disburse(), { capitalReservation: reservation }).thenEvents([loanDisbursed]))
  it('needs a capital reservation', () =>
    given(approvedHistory).when(disburse(), none).thenRejects({ _tag: 'ContextMissing', command: 'DisburseLoan', missing: 'capitalReservation' }))
  it('never disburses before approval', () =>
    given([loanRequested, loanVetted, loanCertified])
      .when(disburse(), { capitalReservation: reservation })
      .thenRejects({ _tag: 'LoanStatusDisallowsCommand', command: 'DisburseLoan', status: 'CommuneCertified' }))
  it('never disburses more than approved', () =>
    given(approvedHistory)
      .when(disburse({ amount: vnd(60_000_001n) }), { capitalReservation: { ...reservation, amount: vnd(60_000_001n) } })
      .thenRejects({ _tag: 'DisbursementExceedsApprovedAmount', approvedAmount: vnd(60_000_000n), requested: vnd(60_000_001n) }))
  it('rejects a schedule that does not add up to the amount', () =>
    given(approvedHistory)
      .when(disburse({ amount: vnd(50_000_000n) }), { capitalReservation: { ...reservation, amount: vnd(50_000_000n) } })
      .thenRejects({ _tag: 'ScheduleDoesNotMatchAmount', scheduled: vnd(60_000_000n), amount: vnd(50_000_000n) }))
  it('rejects instalments due after the approved term', () =>
    given(approvedHistory)
      .when(disburse({ instalments: [...instalments.slice(0, 2), { dueOn: day('2025-05-21'), principal: vnd(20_000_000n) }] }), { capitalReservation: reservation })
      .thenRejects({ _tag: 'ScheduleDatesInvalid', disbursedOn, latestDueOn: day('2025-05-20') }))
  it('rejects a reservation for another amount', () =>
    given(approvedHistory)
      .when(disburse(), { capitalReservation: { ...reservation, amount: vnd(50_000_000n) } })
      .thenRejects({ _tag: 'CapitalReservationMismatch', field: 'amount', expected: '60000000', reserved: '50000000' }))
  it('rejects a reservation from another capital source', () =>
    given(approvedHistory)
      .when(disburse(), { capitalReservation: { ...reservation, capitalSourceKind: 'CENTRAL' } })
      .thenRejects({ _tag: 'CapitalReservationMismatch', field: 'capitalSource', expected: `LOCAL_BUDGET:${reservation.capitalSourceId}`, reserved: `CENTRAL:${reservation.capitalSourceId}` }))
})

describe('interest collection', () => {
  const collect = (amount: bigint, collectedOn = '2022-06-20'): Loan.LoanCommand => ({
    type: 'CollectInterest',
    data: { loanId, amount: vnd(amount), collector: 'GROUP_LEADER', collectedOn: day(collectedOn) },
  })
  // 60 m × 7.92 % × 31 days / 365 = 403,594.52 → 403,595 đồng.
  it('collects the interest owed for the days since disbursement and records what was owed', () =>
    given(activeHistory)
      .when(collect(403_595n), termsContext)
      .thenEvents([
        { type: 'InterestCollected', data: { ...dimensions, amount: vnd(403_595n), collector: 'GROUP_LEADER', interestOwedBefore: vnd(403_595n), collectedOn: day('2022-06-20') } },
      ]))
  it('never collects more than is owed', () =>
    given(activeHistory).when(collect(403_596n), termsContext).thenRejects({ _tag: 'InterestCollectionExceedsOwed', owed: vnd(403_595n), requested: vnd(403_596n) }))
  it('owes only what was not collected before', () => {
    const history = historyAfter(activeHistory, [[collect(400_000n), termsContext]])
    given(history).when(collect(3_596n), termsContext).thenRejects({ _tag: 'InterestCollectionExceedsOwed', owed: vnd(3_595n), requested: vnd(3_596n) })
  })
  it('needs the terms lookup', () => given(activeHistory).when(collect(1n), none).thenRejects({ _tag: 'ContextMissing', command: 'CollectInterest', missing: 'termsLookup' }))
  it('names the day no terms were in force', () =>
    given(activeHistory)
      .when(collect(1n), { termsLookup: () => E.left('none') })
      .thenRejects({ _tag: 'NoTermsInForce', programme: 'JOB_CREATION', date: disbursedOn }))
})

describe('principal repayment', () => {
  it('pays overdue principal first, then instalments in due order', () => {
    const history = historyAfter(activeHistory, [[transfer('2023-05-21'), none]])
    given(history)
      .when(repay(25_000_000n, '2023-06-20'), none)
      .thenEvents([
        {
          type: 'PrincipalRepaid',
          data: { ...dimensions, amount: vnd(25_000_000n), fromOverdue: vnd(20_000_000n), fromInstalments: [{ number: count(2), amount: vnd(5_000_000n) }], fromFrozen: vnd(0n), repaidOn: day('2023-06-20') },
        },
      ])
  })
  it('never repays more than is outstanding', () =>
    given(activeHistory).when(repay(60_000_001n, '2022-07-01'), none).thenRejects({ _tag: 'RepaymentExceedsOutstanding', outstanding: vnd(60_000_000n), requested: vnd(60_000_001n) }))
  it('rejects a repayment dated before the last event', () =>
    given(activeHistory)
      .when(repay(1n, '2022-05-19'), none)
      .thenRejects({ _tag: 'DatedBeforeLastActivity', command: 'RepayPrincipal', lastActivityOn: disbursedOn, date: day('2022-05-19') }))
})

describe('instalment term adjustment and extension', () => {
  const adjust = (instalmentNumber: number, newDueOn: string, adjustedOn = '2023-05-01'): Loan.LoanCommand => ({
    type: 'AdjustInstalmentTerm',
    data: { loanId, instalmentNumber: count(instalmentNumber), newDueOn: day(newDueOn), reason: Loan.text('drought'), adjustedOn: day(adjustedOn) },
  })
  const extend = (kind: 'ORDINARY' | 'RISK', extendedTo: string, lossShare: number | null = null, extendedOn = '2025-05-01'): Loan.LoanCommand => ({
    type: 'ExtendLoan',
    data: { loanId, instalmentNumber: count(3), kind, extendedTo: day(extendedTo), lossShare: lossShare === null ? null : basisPoints(lossShare), extendedOn: day(extendedOn) },
  })
  it('moves an instalment within the final maturity', () =>
    given(activeHistory)
      .when(adjust(1, '2023-11-20'), none)
      .thenEvents([
        { type: 'InstalmentTermAdjusted', data: { ...dimensions, instalmentNumber: count(1), amount: vnd(20_000_000n), previousDueOn: day('2023-05-20'), newDueOn: day('2023-11-20'), reason: Loan.text('drought'), adjustedOn: day('2023-05-01') } },
      ]))
  it('never moves the final maturity', () =>
    given(activeHistory).when(adjust(1, '2025-05-21'), none).thenRejects({ _tag: 'AdjustmentWouldMoveMaturity', maturity: day('2025-05-20'), newDueOn: day('2025-05-21') }))
  it('rejects an instalment that does not exist', () => given(activeHistory).when(adjust(4, '2023-11-20'), none).thenRejects({ _tag: 'NoSuchInstalment', instalmentNumber: count(4) }))
  it('rejects an instalment that has already fallen due', () =>
    given(activeHistory)
      .when(adjust(1, '2023-11-20', '2023-05-21'), none)
      .thenRejects({ _tag: 'InstalmentAlreadyFallenDue', instalmentNumber: count(1), dueOn: day('2023-05-20'), date: day('2023-05-21') }))
  it('rejects a due date that is not later', () =>
    given(activeHistory).when(adjust(1, '2023-05-20'), none).thenRejects({ _tag: 'NewDueDateNotLater', dueOn: day('2023-05-20'), newDueOn: day('2023-05-20') }))
  it('rejects an instalment already paid', () =>
    given(historyAfter(activeHistory, [[repay(20_000_000n, '2023-01-10'), none]])).when(adjust(1, '2023-11-20'), none).thenRejects({ _tag: 'InstalmentAlreadySettled', instalmentNumber: count(1) }))
  it('extends the last instalment by up to half the original term (18 months of 36)', () => {
    const decision = given(activeHistory).when(extend('ORDINARY', '2026-11-20'), none).decision
    expect(E.isRight(decision) && decision.right[0]?.type === 'LoanExtended' && decision.right[0].data.extendedTo).toBe('2026-11-20')
  })
  it('rejects an extension beyond the limit', () =>
    given(activeHistory).when(extend('ORDINARY', '2026-11-21'), none).thenRejects({ _tag: 'ExtensionBeyondLimit', limit: day('2026-11-20'), extendedTo: day('2026-11-21') }))
  it('grants a risk extension from a 40 % loss', () => expect(E.isRight(given(activeHistory).when(extend('RISK', '2026-05-20', 4_000), none).decision)).toBe(true))
  it('rejects a risk extension below a 40 % loss', () =>
    given(activeHistory).when(extend('RISK', '2026-05-20', 3_999), none).thenRejects({ _tag: 'RiskExtensionNeedsLoss', minimumLoss: basisPoints(4_000), lossShare: basisPoints(3_999) }))
  it('refuses risk handling to a loan recalled for misuse', () =>
    given(historyAfter(activeHistory, [[recall('2022-09-15'), misuse()]]))
      .when(extend('RISK', '2026-05-20', 5_000, '2022-09-16'), none)
      .thenRejects({ _tag: 'RiskHandlingExcludesMisusedLoan', inspectionId }))
})

describe('days before the dated rules start', () => {
  // A loan from before Decree 78/2002 and Decision 652/2001: no lending rules or interest convention covers its days.
  type Data<Type extends Loan.LoanEvent['type']> = Extract<Loan.LoanEvent, { readonly type: Type }>['data']
  const early = (event: Loan.LoanEvent, changes: Partial<Record<string, unknown>>): Loan.LoanEvent => ({ ...event, data: { ...event.data, ...changes } }) as Loan.LoanEvent
  const earlyHistory: ReadonlyArray<Loan.LoanEvent> = [
    early(loanRequested, { requestedOn: day('2000-12-01') } satisfies Partial<Data<'LoanRequested'>>),
    early(loanVetted, { vettedOn: day('2000-12-05') } satisfies Partial<Data<'LoanVettedByGroup'>>),
    early(loanCertified, { certifiedOn: day('2000-12-08') } satisfies Partial<Data<'LoanCertifiedByCommune'>>),
    early(loanApproved, { approvedOn: day('2000-12-15') } satisfies Partial<Data<'LoanApproved'>>),
    early(loanDisbursed, {
      disbursedOn: day('2001-01-10'),
      instalments: [day('2001-07-10'), day('2002-01-10'), day('2002-07-10')].map((dueOn, index) => ({ number: count(index + 1), dueOn, principal: vnd(20_000_000n) })),
    } satisfies Partial<Data<'LoanDisbursed'>>),
  ]
  it('refuses an extension on a day no lending rules cover', () =>
    given(earlyHistory)
      .when({ type: 'ExtendLoan', data: { loanId, instalmentNumber: count(3), kind: 'ORDINARY', extendedTo: day('2002-12-10'), lossShare: null, extendedOn: day('2001-06-01') } }, none)
      .thenRejects({ _tag: 'NoLendingRulesInForce', date: day('2001-06-01') }))
  it('refuses to collect interest for days no day-count convention covers', () =>
    given(earlyHistory)
      .when(
        { type: 'CollectInterest', data: { loanId, amount: vnd(1n), collector: 'GROUP_LEADER', collectedOn: day('2001-02-10') } },
        { termsLookup: () => E.right(termsFor('JOB_CREATION', day('2022-05-16'))) },
      )
      .thenRejects({ _tag: 'NoInterestConventionInForce', date: day('2001-01-10') }))
})

describe('transfer to overdue', () => {
  it('moves only the unpaid part of what has fallen due', () => {
    const history = historyAfter(activeHistory, [[repay(5_000_000n, '2023-05-10'), none]])
    given(history)
      .when(transfer('2023-05-21'), none)
      .thenEvents([{ type: 'AmountTransferredToOverdue', data: { ...dimensions, amount: vnd(15_000_000n), fromInstalments: [{ number: count(1), amount: vnd(15_000_000n) }], transferredOn: day('2023-05-21') } }])
  })
  it('transfers nothing on the due day itself', () => given(activeHistory).when(transfer('2023-05-20'), none).thenRejects({ _tag: 'NothingDueToTransfer', transferredOn: day('2023-05-20') }))
})

describe('early recall for misuse', () => {
  it('recalls on an inspection finding of misuse: everything in term falls due that day', () =>
    given(activeHistory)
      .when(recall('2022-09-15'), misuse())
      .thenEvents([{ type: 'LoanRecalledEarly', data: { ...dimensions, inspectionId, amountDue: vnd(60_000_000n), recalledOn: day('2022-09-15') } }]))
  it('then transfers the whole unpaid balance to overdue the next day', () => {
    const history = historyAfter(activeHistory, [[recall('2022-09-15'), misuse()], [transfer('2022-09-16'), none]])
    const loan = activeAfter(history)
    expect([loan.overdue, Loan.principalInTerm(loan)]).toStrictEqual([60_000_000n, 0n])
  })
  it('needs the finding in its context', () => given(activeHistory).when(recall('2022-09-15'), none).thenRejects({ _tag: 'ContextMissing', command: 'RecallLoanEarly', missing: 'inspectionFinding' }))
  it('rejects a finding of proper use', () =>
    given(activeHistory).when(recall('2022-09-15'), misuse({ status: 'PROPER_USE' })).thenRejects({ _tag: 'MisuseNotFound', inspectionId, status: 'PROPER_USE' }))
  it('rejects a finding about another loan', () => {
    const otherLoan = idOf(LoanId, 'LN-OTHER')
    given(activeHistory)
      .when(recall('2022-09-15'), misuse({ loanId: otherLoan }))
      .thenRejects({ _tag: 'FindingDoesNotConcernLoan', loanId, inspectionId, findingLoanId: otherLoan, findingInspectionId: inspectionId })
  })
  it('rejects a recall dated before the inspection', () =>
    given(activeHistory).when(recall('2022-09-09'), misuse()).thenRejects({ _tag: 'RecallBeforeInspection', conductedOn: day('2022-09-10'), recalledOn: day('2022-09-09') }))
  it('recalls a loan once', () =>
    given(historyAfter(activeHistory, [[recall('2022-09-15'), misuse()]]))
      .when({ type: 'RecallLoanEarly', data: { loanId, inspectionId: idOf(InspectionId, 'INSPECTION-2'), recalledOn: day('2022-10-01') } }, misuse({ inspectionId: idOf(InspectionId, 'INSPECTION-2') }))
      .thenRejects({ _tag: 'LoanAlreadyRecalled', inspectionId, recalledOn: day('2022-09-15') }))
})

describe('freeze, unfreeze and write-off', () => {
  const overdueHistory = historyAfter(activeHistory, [[transfer('2023-05-21'), none]])
  it('freezes overdue debt first, then the latest instalments', () =>
    given(overdueHistory)
      .when(freeze(30_000_000n, '2023-06-01'), none)
      .thenEvents([
        {
          type: 'DebtFrozen',
          data: {
            ...dimensions,
            amount: vnd(30_000_000n),
            fromOverdue: vnd(20_000_000n),
            fromInstalments: [{ number: count(3), amount: vnd(10_000_000n) }],
            cause: 'NATURAL_DISASTER',
            decisionNumber: riskDecision,
            frozenUntil: day('2026-06-01'),
            frozenOn: day('2023-06-01'),
          },
        },
      ]))
  it('rejects freezing more than the unfrozen debt', () =>
    given(overdueHistory).when(freeze(60_000_001n, '2023-06-01'), none).thenRejects({ _tag: 'FreezeExceedsDebt', freezable: vnd(60_000_000n), requested: vnd(60_000_001n) }))
  it('rejects a freeze that ends before it starts', () =>
    given(overdueHistory).when(freeze(1n, '2023-06-01', '2023-06-01'), none).thenRejects({ _tag: 'FreezeEndsBeforeItStarts', frozenOn: day('2023-06-01'), frozenUntil: day('2023-06-01') }))
  it('refuses to freeze a misused loan', () =>
    given(historyAfter(activeHistory, [[recall('2022-09-15'), misuse()]])).when(freeze(1n, '2022-10-01'), none).thenRejects({ _tag: 'RiskHandlingExcludesMisusedLoan', inspectionId }))
  it('unfreezes all frozen debt as a new instalment', () => {
    const frozen = historyAfter(overdueHistory, [[freeze(30_000_000n, '2023-06-01'), none]])
    given(frozen)
      .when({ type: 'UnfreezeDebt', data: { loanId, dueOn: day('2026-12-01'), unfrozenOn: day('2026-06-01') } }, none)
      .thenEvents([{ type: 'DebtUnfrozen', data: { ...dimensions, amount: vnd(30_000_000n), instalmentNumber: count(4), dueOn: day('2026-12-01'), unfrozenOn: day('2026-06-01') } }])
  })
  it('rejects unfreezing when nothing is frozen', () =>
    given(activeHistory).when({ type: 'UnfreezeDebt', data: { loanId, dueOn: day('2026-12-01'), unfrozenOn: day('2026-06-01') } }, none).thenRejects({ _tag: 'NothingFrozen' }))
  it('rejects unfrozen debt due on the unfreezing day', () =>
    given(historyAfter(overdueHistory, [[freeze(1n, '2023-06-01'), none]]))
      .when({ type: 'UnfreezeDebt', data: { loanId, dueOn: day('2026-06-01'), unfrozenOn: day('2026-06-01') } }, none)
      .thenRejects({ _tag: 'UnfrozenDebtMustFallDueLater', unfrozenOn: day('2026-06-01'), dueOn: day('2026-06-01') }))
  const writeOff = (amount: bigint): Loan.LoanCommand => ({ type: 'WriteOffPrincipal', data: { loanId, amount: vnd(amount), cause: 'DEATH', decisionNumber: riskDecision, writtenOffOn: day('2024-01-10') } })
  it('writes off frozen debt first, then overdue, then the latest instalments', () =>
    given(historyAfter(overdueHistory, [[freeze(10_000_000n, '2023-06-01'), none]]))
      .when(writeOff(35_000_000n), none)
      .thenEvents([
        {
          type: 'PrincipalWrittenOff',
          data: {
            ...dimensions,
            amount: vnd(35_000_000n),
            fromFrozen: vnd(10_000_000n),
            fromOverdue: vnd(10_000_000n),
            fromInstalments: [{ number: count(3), amount: vnd(15_000_000n) }],
            cause: 'DEATH',
            decisionNumber: riskDecision,
            writtenOffOn: day('2024-01-10'),
          },
        },
      ]))
  it('never writes off more than is outstanding', () =>
    given(activeHistory).when(writeOff(60_000_001n), none).thenRejects({ _tag: 'WriteOffExceedsOutstanding', outstanding: vnd(60_000_000n), requested: vnd(60_000_001n) }))
  const writeOffInterest = (amount: bigint): Loan.LoanCommand => ({
    type: 'WriteOffInterest',
    data: { loanId, amount: vnd(amount), cause: 'DEATH', decisionNumber: riskDecision, writtenOffOn: day('2022-06-20') },
  })
  it('writes off interest owed', () =>
    given(activeHistory)
      .when(writeOffInterest(403_595n), termsContext)
      .thenEvents([{ type: 'InterestWrittenOff', data: { ...dimensions, amount: vnd(403_595n), interestOwedBefore: vnd(403_595n), cause: 'DEATH', decisionNumber: riskDecision, writtenOffOn: day('2022-06-20') } }]))
  it('never writes off more interest than is owed', () =>
    given(activeHistory).when(writeOffInterest(403_596n), termsContext).thenRejects({ _tag: 'InterestWriteOffExceedsOwed', owed: vnd(403_595n), requested: vnd(403_596n) }))
})

describe('closure', () => {
  const close = (closedOn: string): Loan.LoanCommand => ({ type: 'CloseLoan', data: { loanId, closedOn: day(closedOn) } })
  const repaidEarly = historyAfter(activeHistory, [[repay(60_000_000n, '2022-06-20'), none]])
  it('closes when neither principal nor interest is owed', () => {
    const settled = historyAfter(repaidEarly, [[{ type: 'CollectInterest', data: { loanId, amount: vnd(403_595n), collector: 'TRANSACTION_POINT', collectedOn: day('2022-06-20') } }, termsContext]])
    given(settled)
      .when(close('2022-06-25'), termsContext)
      .thenEvents([{ type: 'LoanClosed', data: { ...dimensions, disbursed: vnd(60_000_000n), repaid: vnd(60_000_000n), writtenOff: vnd(0n), closedOn: day('2022-06-25') } }])
  })
  it('does not close while principal is outstanding', () => given(activeHistory).when(close('2022-06-25'), termsContext).thenRejects({ _tag: 'PrincipalStillOutstanding', outstanding: vnd(60_000_000n) }))
  it('does not close while interest is owed', () => given(repaidEarly).when(close('2022-06-25'), termsContext).thenRejects({ _tag: 'InterestStillOwed', owed: vnd(403_595n) }))
  it('accepts no command once closed', () => {
    const settled = historyAfter(repaidEarly, [
      [{ type: 'CollectInterest', data: { loanId, amount: vnd(403_595n), collector: 'TRANSACTION_POINT', collectedOn: day('2022-06-20') } }, termsContext],
      [close('2022-06-25'), termsContext],
    ])
    given(settled).when(repay(1n, '2022-07-01'), none).thenRejects({ _tag: 'LoanStatusDisallowsCommand', command: 'RepayPrincipal', status: 'Closed' })
  })
})

describe('the disbursed state', () => {
  it('keeps outstanding principal as the schedule, and nothing overdue or frozen', () => {
    const loan = activeAfter(activeHistory)
    expect([Loan.principalOutstanding(loan), loan.overdue, loan.frozen, loan.balanceHistory]).toStrictEqual([
      60_000_000n,
      0n,
      0n,
      [{ from: disbursedOn, inTerm: 60_000_000n, overdue: 0n, frozen: 0n }],
    ])
  })
  it('has the approval recorded from the evidence', () => expect(activeAfter(activeHistory).approval).toStrictEqual(loanApproved.data))
  it('keeps the capital year of its reservation', () => expect((loanDisbursed.data as { capitalYear: number }).capitalYear).toBe(2022))
})
