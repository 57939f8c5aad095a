import { test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { Capital, day, Household, idOf, Loan, LoanId, nationalProgrammes, termsOn, vnd, type LocalDate } from '@policy-credit/core'
import { loanLifecycle } from '@policy-credit/core/testing'
import { handleCommand, inMemoryEventStore, loadState, type EventStore, type StreamCommandHandler } from '@policy-credit/event-store'
import { newEvent } from '@policy-credit/event-store/testing'
import { explainLoan, toJsonSafe } from '../src/index.ts'
import { codecFor, expectLeft, expectRight, loanStreamId, recordLifecycle, validatingStore } from './scenario.ts'

describe('explaining a generated loan', () => {
  test.prop([loanLifecycle(12)], { numRuns: 25 })('lists every decision in stream order, with the evidence each recorded', async (lifecycle) => {
    const store = validatingStore()
    await recordLifecycle(store, lifecycle)
    const loanId = lifecycle.commands[0]?.data.loanId ?? ''

    const explanation = expectRight(await explainLoan(store, loanId)())

    expect(explanation.streamId).toBe(loanStreamId(loanId))
    expect(explanation.decisions.map((decision) => decision.event.type)).toStrictEqual(lifecycle.events.map((event) => event.type))
    expect(explanation.decisions.map((decision) => decision.event.version)).toStrictEqual(lifecycle.events.map((_, index) => String(index + 1)))
    expect(explanation.status).toBe(lifecycle.state.status)
    for (const [index, decision] of explanation.decisions.entries()) {
      const event = lifecycle.events[index]
      if (event?.type === 'LoanApproved') {
        expect(decision.evidence).toMatchObject({
          householdClass: { householdClass: event.data.householdClass, decisionNumber: event.data.classDecisionNumber, povertyStandardId: event.data.povertyStandardId },
          programmeTerms: { termsVersionId: event.data.termsVersionId, yearlyRate: event.data.yearlyRate, cap: event.data.cap.toString() },
          capitalSource: { capitalSourceKind: event.data.capitalSourceKind, capitalSourceId: event.data.capitalSourceId },
        })
        // No household stream was recorded in this scenario: the explanation says so rather than guessing.
        expect(decision.corroborations).toStrictEqual([{ _tag: 'NotFound', lookingFor: expect.any(String), streamId: Household.householdStreamId(event.data.householdId) }])
      }
      expect(decision.decidedOn).toBe(decision.event.occurredOn)
      expect(decision.event.actor).not.toBeNull()
    }
  })
})

// ---- A loan decided the way an application decides it -------------------------------------------

const HOUSEHOLD = 'HH-1'
const COMMUNE = 'XA-NGHIA-AN'
const SOURCE = 'CENTRAL-2023'

const householdHandler: StreamCommandHandler<Household.HouseholdCommand, Household.HouseholdEvent, Household.Household, Household.HouseholdRejection, Household.HouseholdContext> = {
  decider: Household.householdDecider,
  codec: codecFor(),
  streamId: (command) => Household.householdStreamId(command.data.householdId),
  loadContext: () => async () => E.right(Household.nationalHouseholdContext),
}

const capitalHandler: StreamCommandHandler<Capital.CapitalCommand, Capital.CapitalEvent, Capital.CapitalState, Capital.CapitalRejection, void> = {
  decider: Capital.capitalDecider,
  codec: codecFor(),
  streamId: (command) => Capital.capitalStreamId(command.data.communeId, command.data.year),
  loadContext: () => async () => E.right(undefined),
}

/** The approval context as an application loads it: the class in force from the household's stream, the national terms. */
const approvalFromStreams = (store: EventStore, loan: Loan.Loan, approvedOn: LocalDate) => async (): Promise<E.Either<never, Loan.LoanContext>> => {
  if (loan.status !== 'CommuneCertified') return E.right({})
  const { application } = loan
  const household = await loadState(store, Household.householdDecider, codecFor<Household.HouseholdEvent>())(Household.householdStreamId(application.householdId))()
  const classInForce = E.isRight(household) ? Household.classInForceOn(household.right.state, approvedOn) : O.none
  const terms = termsOn(application.programme, approvedOn)
  if (E.isLeft(terms)) throw new Error('the national catalogue has POOR_HOUSEHOLD terms from 2022')
  return E.right({
    approval: {
      householdId: application.householdId,
      classInForce: O.isNone(classInForce)
        ? null
        : {
            householdClass: classInForce.value.householdClass,
            evidence: classInForce.value.evidence,
            ...(classInForce.value.escapedStatusEndsOn === undefined ? {} : { endsOn: classInForce.value.escapedStatusEndsOn }),
          },
      terms: terms.right,
    },
  })
}

const loanHandler = (store: EventStore, approvalOverride?: Loan.ApprovalContext): StreamCommandHandler<Loan.LoanCommand, Loan.LoanEvent, Loan.Loan, Loan.LoanRejection, Loan.LoanContext> => ({
  decider: Loan.loanDecider,
  codec: codecFor(),
  streamId: (command) => loanStreamId(command.data.loanId),
  loadContext: (command, loan) => {
    if (command.type === 'ApproveLoan') return approvalOverride === undefined ? approvalFromStreams(store, loan, command.data.approvedOn) : async () => E.right({ approval: approvalOverride })
    if (command.type === 'DisburseLoan' && loan.status === 'Approved') {
      const { approval } = loan
      const reservation = {
        communeId: approval.communeId,
        year: 2023 as Loan.PositiveCount,
        programme: approval.programme,
        capitalSourceKind: approval.capitalSourceKind,
        capitalSourceId: approval.capitalSourceId,
        loanId: approval.loanId,
        amount: command.data.amount,
        reservedOn: command.data.disbursedOn,
      }
      return async () => E.right({ capitalReservation: reservation })
    }
    return async () => E.right({ termsLookup: Loan.termsLookupFrom(nationalProgrammes.versions) })
  },
})

let commandCount = 0
const run = async <Command extends { readonly type: string }, Event, State, Rejection, Context>(
  store: EventStore,
  handler: StreamCommandHandler<Command, Event, State, Rejection, Context>,
  command: Command,
  occurredOn: string,
  actor: string,
): Promise<void> => {
  const handled = await handleCommand(store, handler)({ commandId: `command-${++commandCount}`, command, occurredOn, actor })()
  if (E.isLeft(handled)) throw new Error(`${command.type} failed: ${JSON.stringify(toJsonSafe(handled.left))}`)
}

const recordHousehold = async (store: EventStore, householdId: string, decisionNumber: string): Promise<void> => {
  const id = householdId as Household.HouseholdCommand['data']['householdId']
  const review = { householdId: id, standardId: 'ND-07-2021', reviewYear: 2022, reviewKind: 'PERIODIC' } as const
  await run(store, householdHandler, { type: 'RegisterHousehold', data: { householdId: id, communeId: COMMUNE, areaType: 'RURAL', members: 4, registeredOn: day('2020-03-01') } } as never, '2020-03-01', 'commune-clerk')
  await run(
    store,
    householdHandler,
    { type: 'AssessHousehold', data: { ...review, assessedOn: day('2022-10-05'), incomePerPersonPerMonth: vnd(1_200_000n), deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE'] } } as never,
    '2022-10-05',
    'review-team',
  )
  await run(store, householdHandler, { type: 'RecogniseHouseholdClass', data: { ...review, decisionNumber, decisionDate: day('2022-12-10') } } as never, '2022-12-10', 'commune-chairman')
}

const recordCapital = async (store: EventStore, loanId: string): Promise<void> => {
  const fund = { communeId: COMMUNE, year: 2023, programme: 'POOR_HOUSEHOLD', capitalSourceId: SOURCE }
  await run(store, capitalHandler, { type: 'AllocateCentralCapital', data: { ...fund, amount: vnd(500_000_000n), decisionNumber: '3/QD-HDQT', allocatedOn: day('2023-01-15') } } as never, '2023-01-15', 'bank-planner')
  await run(
    store,
    capitalHandler,
    { type: 'ReserveCapital', data: { ...fund, capitalSourceKind: 'CENTRAL', loanId, amount: vnd(50_000_000n), reservedOn: day('2023-03-20') } } as never,
    '2023-03-20',
    'bank-officer',
  )
}

const recordLoan = async (store: EventStore, loanId: string, householdId: string, approvalOverride?: Loan.ApprovalContext): Promise<void> => {
  const handler = loanHandler(store, approvalOverride)
  const id = idOf(LoanId, loanId)
  const steps: ReadonlyArray<readonly [Loan.LoanCommand, string]> = [
    [
      {
        type: 'RequestLoan',
        data: {
          loanId: id,
          householdId: householdId as never,
          communeId: COMMUNE as never,
          programme: 'POOR_HOUSEHOLD',
          savingsGroupId: 'SG-7' as never,
          massOrganisationKind: 'WOMENS_UNION',
          massOrganisationId: 'WU-NGHIA-AN' as never,
          requestedAmount: vnd(50_000_000n),
          termMonths: 24 as never,
          purpose: 'raise buffaloes' as never,
          workers: null,
          monthsOfStudy: null,
          facilityTypes: null,
          requestedOn: day('2023-03-01'),
        },
      },
      'household-head',
    ],
    [{ type: 'VetLoanByGroup', data: { loanId: id, meetingMinutesId: 'SG-7/2023/03' as never, vettedOn: day('2023-03-05') } }, 'group-leader'],
    [{ type: 'CertifyLoanByCommune', data: { loanId: id, certificationNumber: '41/XN-UBND' as never, certifiedOn: day('2023-03-08') } }, 'commune-chairman'],
    [
      { type: 'ApproveLoan', data: { loanId: id, approvedAmount: vnd(50_000_000n), termMonths: 24 as never, capitalSourceKind: 'CENTRAL', capitalSourceId: SOURCE as never, collateral: null, approvedOn: day('2023-03-10') } },
      'transaction-office-director',
    ],
    [
      {
        type: 'DisburseLoan',
        data: {
          loanId: id,
          amount: vnd(50_000_000n),
          transactionPointId: 'TP-NGHIA-AN' as never,
          instalments: [
            { dueOn: day('2024-03-20'), principal: vnd(25_000_000n) },
            { dueOn: day('2025-03-20'), principal: vnd(25_000_000n) },
          ],
          disbursedOn: day('2023-03-20'),
        },
      },
      'bank-officer',
    ],
    [{ type: 'RepayPrincipal', data: { loanId: id, amount: vnd(25_000_000n), repaidOn: day('2024-03-15') } }, 'group-leader'],
  ]
  for (const [command, actor] of steps) await run(store, handler, command, Loan.commandDate(command), actor)
}

describe('explaining a loan decided from the household and capital streams', () => {
  it('shows each decision with its evidence, who took it, and the facts it rests on in the other streams', async () => {
    const store = validatingStore()
    await recordHousehold(store, HOUSEHOLD, '15/QD-UBND')
    await recordCapital(store, 'LN-1')
    await recordLoan(store, 'LN-1', HOUSEHOLD)

    const explanation = expectRight(await explainLoan(store, 'LN-1')())

    expect(explanation.status).toBe('Active')
    expect(explanation.decisions.map((decision) => [decision.event.type, decision.decidedOn, decision.event.actor])).toStrictEqual([
      ['LoanRequested', '2023-03-01', 'household-head'],
      ['LoanVettedByGroup', '2023-03-05', 'group-leader'],
      ['LoanCertifiedByCommune', '2023-03-08', 'commune-chairman'],
      ['LoanApproved', '2023-03-10', 'transaction-office-director'],
      ['LoanDisbursed', '2023-03-20', 'bank-officer'],
      ['PrincipalRepaid', '2024-03-15', 'group-leader'],
    ])
    const [, , , approval, disbursement] = explanation.decisions
    const terms = termsOn('POOR_HOUSEHOLD', day('2023-03-10'))
    expect(approval?.evidence).toStrictEqual({
      approval: { approvedAmount: '50000000', termMonths: 24, programme: 'POOR_HOUSEHOLD', jobsCreated: 0 },
      borrower: { householdId: HOUSEHOLD, communeId: COMMUNE, savingsGroupId: 'SG-7', massOrganisationKind: 'WOMENS_UNION', massOrganisationId: 'WU-NGHIA-AN' },
      householdClass: { householdClass: 'POOR', decisionNumber: '15/QD-UBND', decidedOn: '2022-12-10', povertyStandardId: 'ND-07-2021', effectiveFrom: '2023-01-01', escapedStatusEndsOn: null },
      programmeTerms: {
        termsVersionId: E.isRight(terms) ? terms.right.versionId : 'none',
        yearlyRate: 66_000,
        overdueYearlyRate: 85_800,
        capBasis: 'PER_LOAN',
        capPerUnit: '100000000',
        capUnits: 1,
        cap: '100000000',
        collateral: null,
      },
      capitalSource: { capitalSourceKind: 'CENTRAL', capitalSourceId: SOURCE },
    })
    expect(approval?.corroborations).toStrictEqual([
      expect.objectContaining({ _tag: 'Found', streamId: 'household-HH-1', version: '3', type: 'HouseholdClassRecognised', recordedBeforeDecision: true, disagreements: [] }),
    ])
    expect(disbursement?.evidence).toMatchObject({ capitalSource: { capitalStream: 'capital-XA-NGHIA-AN-2023' } })
    expect(disbursement?.corroborations).toStrictEqual([
      expect.objectContaining({ _tag: 'Found', streamId: 'capital-XA-NGHIA-AN-2023', type: 'CapitalReserved', recordedBeforeDecision: true, disagreements: [] }),
    ])
  })

  it('says when the class decision an approval names is missing, disagrees, or was recorded only after the approval', async () => {
    const store = validatingStore()
    await recordHousehold(store, HOUSEHOLD, '15/QD-UBND')
    const claimed = (decisionNumber: string, decisionDate: string, householdId: string): Loan.ApprovalContext => {
      const terms = termsOn('POOR_HOUSEHOLD', day('2023-03-10'))
      if (E.isLeft(terms)) throw new Error('no terms')
      return {
        householdId: householdId as never,
        classInForce: { householdClass: 'POOR', evidence: { standardId: 'ND-07-2021', decisionNumber: decisionNumber as never, decisionDate: day(decisionDate), effectiveFrom: day('2023-01-01') } },
        terms: terms.right,
      }
    }
    await recordLoan(store, 'LN-MISSING', HOUSEHOLD, claimed('99/QD-UBND', '2022-12-10', HOUSEHOLD))
    await recordLoan(store, 'LN-MISDATED', HOUSEHOLD, claimed('15/QD-UBND', '2022-11-30', HOUSEHOLD))
    await recordLoan(store, 'LN-EARLY', 'HH-2', claimed('15/QD-UBND', '2022-12-10', 'HH-2'))
    await recordHousehold(store, 'HH-2', '15/QD-UBND')

    const approvalOf = async (loanId: string) => expectRight(await explainLoan(store, loanId)()).decisions.find((decision) => decision.event.type === 'LoanApproved')

    expect((await approvalOf('LN-MISSING'))?.corroborations).toStrictEqual([{ _tag: 'NotFound', lookingFor: "the decision recognising the household's class", streamId: 'household-HH-1' }])
    expect((await approvalOf('LN-MISDATED'))?.corroborations).toMatchObject([{ _tag: 'Found', disagreements: [{ field: 'decidedOn', recorded: '2022-11-30', found: '2022-12-10' }] }])
    expect((await approvalOf('LN-EARLY'))?.corroborations).toMatchObject([{ _tag: 'Found', streamId: 'household-HH-2', recordedBeforeDecision: false, disagreements: [] }])
  })

  it('refuses a loan with no events, and shows an unreadable event as such', async () => {
    expect(expectLeft(await explainLoan(validatingStore(), 'LN-NOBODY')())).toStrictEqual({ _tag: 'LoanNotFound', loanId: 'LN-NOBODY' })
    const store = inMemoryEventStore()
    expectRight(await store.appendToStream('loan-LN-1', { _tag: 'NoStream' }, [newEvent({ type: 'LoanApproved', data: { loanId: 'LN-1' } })])())
    const explanation = expectRight(await explainLoan(store, 'LN-1')())
    expect(explanation.status).toBeNull()
    expect(explanation.decisions).toMatchObject([{ decision: 'unreadable', decidedOn: null, event: { decoding: { _tag: 'Malformed' } } }])
  })
})
