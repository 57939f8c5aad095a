import { describe, expect, it } from 'vitest'
import { contents, executed, memoryApplication, refused, typesIn } from './helpers.ts'
import {
  allocate,
  approve,
  certify,
  close,
  collectInterest,
  command,
  communeId,
  conductInspection,
  planInspection,
  recallEarly,
  disburse,
  householdLife,
  loanId,
  repay,
  request,
  variant,
  vet,
} from './fixtures.ts'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { nationalProgrammes, ratePpm, type ProgrammeCatalogue } from '@policy-credit/core'
import { inMemoryEventStore, type EventStore } from '@policy-credit/event-store'
import { createApplication, domainEventValidator, type Application } from '@policy-credit/application'

const throughCertification = [...householdLife, allocate, request, vet, certify]

const run = async (application: Application, envelopes: ReadonlyArray<Parameters<Application['execute']>[0]>) => {
  for (const envelope of envelopes) await executed(application, envelope)
}

/** Interest owed on the collection day, as the loan decider computes it: the refusal of a too-large collection says how much. */
const interestOwed = async (application: Application): Promise<bigint> => {
  const refusal = await refused(application, collectInterest(10_000_000_000n))
  if (refusal._tag !== 'Rejected' || refusal.aggregate !== 'Loan' || refusal.rejection._tag !== 'InterestCollectionExceedsOwed') return expect.fail(`unexpected ${refusal._tag}`)
  return refusal.rejection.owed
}

describe('a poor household’s loan, from request to closure, through execute', () => {
  it('approves with the class in force and the terms of the day, reserves capital before disbursing, and closes', async () => {
    const { store, application } = memoryApplication()
    await run(application, throughCertification)

    const approved = await executed(application, approve)
    expect(approved.events).toMatchObject([
      {
        type: 'LoanApproved',
        data: { householdClass: 'POOR', classDecisionNumber: '15/QD-UBND', classEffectiveFrom: '2023-01-01', povertyStandardId: 'ND-07-2021', termsVersionId: 'POOR_HOUSEHOLD@2022-01-01', yearlyRate: 66_000 },
      },
    ])

    const disbursed = await executed(application, disburse)
    expect(disbursed).toMatchObject({
      streamId: `loan-${loanId}`,
      events: [{ type: 'LoanDisbursed', data: { amount: 50_000_000n, capitalYear: 2023 } }],
      alreadyHandled: false,
      reservation: {
        streamId: `capital-${communeId}-2023`,
        events: [{ type: 'CapitalReserved', data: { loanId, amount: 50_000_000n, availableBefore: 500_000_000n } }],
        alreadyHandled: false,
      },
    })

    const owed = await interestOwed(application)
    expect(owed).toBeGreaterThan(0n)
    await executed(application, collectInterest(owed))
    await executed(application, repay)
    const closed = await executed(application, close)
    expect(closed.events).toMatchObject([{ type: 'LoanClosed', data: { disbursed: 50_000_000n, repaid: 50_000_000n } }])

    expect(await typesIn(store, `loan-${loanId}`)).toStrictEqual([
      'LoanRequested',
      'LoanVettedByGroup',
      'LoanCertifiedByCommune',
      'LoanApproved',
      'LoanDisbursed',
      'InterestCollected',
      'PrincipalRepaid',
      'LoanClosed',
    ])
    expect(await typesIn(store, `capital-${communeId}-2023`)).toStrictEqual(['CentralCapitalAllocated', 'CapitalReserved'])
    const stored = await contents(store)
    expect(stored.find((event) => event.type === 'LoanApproved')?.metadata).toMatchObject({ actor: 'vbsp-officer-7', occurredOn: '2023-02-15' })
  })

  it('replaying every envelope appends nothing and reports each as already handled', async () => {
    const { store, application } = memoryApplication()
    await run(application, [...throughCertification, approve, disburse])
    const owed = await interestOwed(application)
    const lifecycle = [...throughCertification, approve, disburse, collectInterest(owed), repay, close]
    await run(application, lifecycle.slice(throughCertification.length + 2))
    const before = await contents(store)
    for (const envelope of lifecycle) {
      const again = await executed(application, envelope)
      expect(again.alreadyHandled).toBe(true)
      expect(again.events.length).toBeGreaterThan(0)
      if (again.reservation !== undefined) expect(again.reservation.alreadyHandled).toBe(true)
    }
    expect(await contents(store)).toStrictEqual(before)
  })

  it('a disbursement repeated after the loan’s append failed finds its own reservation, does not reserve twice, and completes', async () => {
    const inner = inMemoryEventStore({ validate: domainEventValidator })
    let loanAppendsToFail = 0
    const store: EventStore = {
      ...inner,
      appendToStream: (streamId, expected, events) =>
        streamId.startsWith('loan-') && loanAppendsToFail-- > 0 ? TE.left({ _tag: 'EventStoreUnavailable', cause: 'crash' }) : inner.appendToStream(streamId, expected, events),
    }
    const application = createApplication({ store })
    await run(application, [...throughCertification, approve])
    loanAppendsToFail = 1
    expect(await refused(application, disburse)).toMatchObject({ _tag: 'StoreFailed', error: { _tag: 'EventStoreUnavailable' } })
    expect(await typesIn(store, `capital-${communeId}-2023`)).toStrictEqual(['CentralCapitalAllocated', 'CapitalReserved'])
    expect(await typesIn(store, `loan-${loanId}`)).not.toContain('LoanDisbursed')
    const completed = await executed(application, disburse)
    expect(completed).toMatchObject({ alreadyHandled: false, events: [{ type: 'LoanDisbursed' }], reservation: { alreadyHandled: true, events: [{ type: 'CapitalReserved' }] } })
    expect(await typesIn(store, `capital-${communeId}-2023`)).toStrictEqual(['CentralCapitalAllocated', 'CapitalReserved'])
    expect(await typesIn(store, `loan-${loanId}`)).toContain('LoanDisbursed')
  })
})

describe('every refusal on the loan routes appends nothing', () => {
  const refusedWithoutChange = async (application: Application, store: Parameters<typeof contents>[0], envelope: Parameters<Application['execute']>[0]) => {
    const before = await contents(store)
    const refusal = await refused(application, envelope)
    expect(await contents(store)).toStrictEqual(before)
    return refusal
  }

  it('approval: a household not in an eligible class is refused, with the class the decision saw', async () => {
    const { store, application } = memoryApplication()
    // Without the recognition, the household has no class on the approval day.
    await run(application, [...householdLife.slice(0, 4), allocate, request, vet, certify])
    expect(await refusedWithoutChange(application, store, approve)).toMatchObject({
      _tag: 'Rejected',
      aggregate: 'Loan',
      commandType: 'ApproveLoan',
      rejection: { _tag: 'HouseholdHasNoClassOnApprovalDate', householdId: 'HH-1' },
    })
  })

  it('approval: a programme without terms on the day is missing context, and the reference data can supply them', async () => {
    const { store, application } = memoryApplication({ programmes: { versions: [] } })
    await run(application, throughCertification)
    expect(await refusedWithoutChange(application, store, approve)).toMatchObject({
      _tag: 'ContextMissing',
      aggregate: 'Loan',
      commandType: 'ApproveLoan',
      missing: { _tag: 'NoTermsInForce', programme: 'POOR_HOUSEHOLD', date: '2023-02-15' },
    })
  })

  it('approval before certification is refused by the loan’s status', async () => {
    const { store, application } = memoryApplication()
    await run(application, [...householdLife, request])
    expect(await refusedWithoutChange(application, store, approve)).toMatchObject({ _tag: 'Rejected', aggregate: 'Loan', rejection: { _tag: 'LoanStatusDisallowsCommand', status: 'Requested' } })
  })

  it('disbursement beyond the commune’s capital is refused by the capital stream', async () => {
    const { store, application } = memoryApplication()
    const small = command('allocate-small', 'AllocateCentralCapital', {
      communeId,
      year: 2023,
      programme: 'POOR_HOUSEHOLD',
      capitalSourceId: 'CENTRAL-2023',
      amount: '30000000',
      decisionNumber: '7/QD-HDQT',
      allocatedOn: '2023-01-10',
    })
    await run(application, [...householdLife, small, request, vet, certify, approve])
    expect(await refusedWithoutChange(application, store, disburse)).toMatchObject({
      _tag: 'Rejected',
      aggregate: 'Capital',
      commandType: 'DisburseLoan',
      rejection: { _tag: 'CapitalInsufficient', available: 30_000_000n, requested: 50_000_000n },
    })
  })

  it('disbursement with a schedule that does not add up is refused by the loan, before any reservation', async () => {
    const { store, application } = memoryApplication()
    await run(application, [...throughCertification, approve])
    const badSchedule = command('disburse-bad', 'DisburseLoan', {
      loanId,
      amount: '50000000',
      transactionPointId: 'TP-NGHIA-AN',
      instalments: [{ dueOn: '2024-02-20', principal: '20000000' }],
      disbursedOn: '2023-02-20',
    })
    expect(await refusedWithoutChange(application, store, badSchedule)).toMatchObject({ _tag: 'Rejected', aggregate: 'Loan', rejection: { _tag: 'ScheduleDoesNotMatchAmount' } })
  })

  it('disbursement of a loan never approved is refused by its status', async () => {
    const { store, application } = memoryApplication()
    await run(application, [...householdLife, allocate, request])
    expect(await refusedWithoutChange(application, store, disburse)).toMatchObject({ _tag: 'Rejected', aggregate: 'Loan', rejection: { _tag: 'LoanStatusDisallowsCommand', status: 'Requested' } })
  })

  it('interest collection above what is owed, repayment above what is outstanding, and closure with debt left are refused', async () => {
    const { store, application } = memoryApplication()
    await run(application, [...throughCertification, approve, disburse])
    expect(await refusedWithoutChange(application, store, collectInterest(10_000_000_000n))).toMatchObject({ rejection: { _tag: 'InterestCollectionExceedsOwed' } })
    const tooMuch = command('repay-too-much', 'RepayPrincipal', { loanId, amount: '50000001', repaidOn: '2023-08-20' })
    expect(await refusedWithoutChange(application, store, tooMuch)).toMatchObject({ rejection: { _tag: 'RepaymentExceedsOutstanding', outstanding: 50_000_000n } })
    expect(await refusedWithoutChange(application, store, close)).toMatchObject({ rejection: { _tag: 'PrincipalStillOutstanding' } })
  })
})

describe('an inspection’s finding of misuse recalls the loan early', () => {
  it('loads the finding from the inspection’s stream into the loan decision', async () => {
    const { store, application } = memoryApplication()
    await run(application, [...throughCertification, approve, disburse, planInspection, conductInspection('MISUSED')])
    const recalled = await executed(application, recallEarly)
    expect(recalled.events).toMatchObject([{ type: 'LoanRecalledEarly', data: { inspectionId: 'INSPECTION-2023-07', amountDue: 50_000_000n } }])
    expect(await typesIn(store, 'inspection-INSPECTION-2023-07')).toStrictEqual(['InspectionPlanned', 'InspectionConducted'])
  })

  it('before the inspection is conducted the finding is missing context; a finding of proper use is refused by the loan', async () => {
    const { store, application } = memoryApplication()
    await run(application, [...throughCertification, approve, disburse, planInspection])
    const before = await contents(store)
    expect(await refused(application, recallEarly)).toMatchObject({
      _tag: 'ContextMissing',
      aggregate: 'Loan',
      missing: { _tag: 'NoInspectionFinding', inspectionId: 'INSPECTION-2023-07', loanId },
    })
    expect(await contents(store)).toStrictEqual(before)
    await executed(application, conductInspection('PROPER_USE'))
    const conducted = await contents(store)
    expect(await refused(application, recallEarly)).toMatchObject({ _tag: 'Rejected', aggregate: 'Loan', rejection: { _tag: 'MisuseNotFound', status: 'PROPER_USE' } })
    expect(await contents(store)).toStrictEqual(conducted)
  })

  it('inspection and capital commands refused by their deciders append nothing', async () => {
    const { store, application } = memoryApplication()
    expect(await refused(application, conductInspection('MISUSED'))).toMatchObject({ _tag: 'Rejected', aggregate: 'Inspection', rejection: { _tag: 'InspectionStatusDisallowsCommand', status: 'Unplanned' } })
    const outsideYear = command('allocate-wrong-year', 'AllocateCentralCapital', {
      communeId,
      year: 2023,
      programme: 'POOR_HOUSEHOLD',
      capitalSourceId: 'CENTRAL-2023',
      amount: '1000000',
      decisionNumber: '8/QD-HDQT',
      allocatedOn: '2024-01-10',
    })
    expect(await refused(application, outsideYear)).toMatchObject({ _tag: 'Rejected', aggregate: 'Capital', rejection: { _tag: 'DateOutsideCapitalYear' } })
    expect(await contents(store)).toStrictEqual([])
  })
})

describe('a household that left the poor list borrows as newly escaped', () => {
  it('the approval sees the escaped status and the day it ends, as the household module records them', async () => {
    const { application } = memoryApplication()
    const review2023 = { householdId: 'HH-1', standardId: 'ND-07-2021', reviewYear: 2023, reviewKind: 'PERIODIC' }
    const newlyEscaped = (envelope: Parameters<Application['execute']>[0], date: string, dateField: string, extra: Readonly<Record<string, unknown>> = {}) =>
      variant(envelope, `${envelope.commandId}-newly-escaped`, { [dateField]: date, ...extra })
    await run(application, [
      ...householdLife,
      command('assess-hh-1-2023', 'AssessHousehold', { ...review2023, assessedOn: '2023-10-05', incomePerPersonPerMonth: '9000000', deprivedIndicators: [] }),
      command('recognise-hh-1-2023', 'RecogniseHouseholdClass', { ...review2023, decisionNumber: '21/QD-UBND', decisionDate: '2023-12-10' }),
      newlyEscaped(request, '2024-02-01', 'requestedOn', { programme: 'NEWLY_ESCAPED_POVERTY' }),
      newlyEscaped(vet, '2024-02-05', 'vettedOn'),
      newlyEscaped(certify, '2024-02-10', 'certifiedOn'),
    ])
    const approved = await executed(application, newlyEscaped(approve, '2024-02-15', 'approvedOn', { capitalSourceId: 'CENTRAL-2024' }))
    expect(approved.events).toMatchObject([
      { type: 'LoanApproved', data: { householdClass: 'ESCAPED_POVERTY', classDecisionNumber: '21/QD-UBND', escapedStatusEndsOn: '2027-01-01', termsVersionId: 'NEWLY_ESCAPED_POVERTY@2022-01-01' } },
    ])
  })
})

describe('a household holding two statuses borrows under a programme that accepts either', () => {
  it('average living and newly escaped at once: a computer loan (which accepts average living, not escaped) is approved on the average-living status', async () => {
    const { application } = memoryApplication()
    const regular2023 = { householdId: 'HH-1', standardId: 'ND-07-2021', reviewYear: 2023, reviewKind: 'REGULAR' }
    const computer = (envelope: Parameters<Application['execute']>[0], dateField: string, date: string, extra: Readonly<Record<string, unknown>> = {}) =>
      variant(envelope, `${envelope.commandId}-computer`, { [dateField]: date, ...extra })
    await run(application, [
      ...householdLife,
      command('assess-hh-1-2023-regular', 'AssessHousehold', { ...regular2023, assessedOn: '2023-06-05', incomePerPersonPerMonth: '2000000', deprivedIndicators: [] }),
      command('recognise-hh-1-2023-regular', 'RecogniseHouseholdClass', { ...regular2023, decisionNumber: '30/QD-UBND', decisionDate: '2023-06-10' }),
      computer(request, 'requestedOn', '2023-07-01', { programme: 'ONLINE_LEARNING_COMPUTER', requestedAmount: '10000000', termMonths: 36 }),
      computer(vet, 'vettedOn', '2023-07-05'),
      computer(certify, 'certifiedOn', '2023-07-10'),
    ])
    const approved = await executed(application, computer(approve, 'approvedOn', '2023-07-15', { approvedAmount: '10000000' }))
    expect(approved.events).toMatchObject([{ type: 'LoanApproved', data: { householdClass: 'AVERAGE_LIVING', classDecisionNumber: '30/QD-UBND', escapedStatusEndsOn: null } }])
  })
})

describe('programme terms come from the reference data the application was given', () => {
  it('a deployment’s own version of the terms is what the approval records and what interest is computed at', async () => {
    const localRate = 33_000 // 3.3 %: half the national rate
    const local: ProgrammeCatalogue = {
      versions: nationalProgrammes.versions.map((terms) =>
        terms.versionId === 'POOR_HOUSEHOLD@2022-01-01' ? { ...terms, versionId: 'POOR_HOUSEHOLD-LOCAL@2022-01-01', yearlyRate: ratePpm(localRate) } : terms,
      ),
    }
    const national = memoryApplication()
    const deployment = memoryApplication({ programmes: local })
    for (const { application } of [national, deployment]) await run(application, [...throughCertification, approve, disburse])
    const approvedLocally = (await contents(deployment.store)).find((event) => event.type === 'LoanApproved')
    expect(approvedLocally?.data).toMatchObject({ termsVersionId: 'POOR_HOUSEHOLD-LOCAL@2022-01-01', yearlyRate: localRate })
    const owedNationally = await interestOwed(national.application)
    const owedLocally = await interestOwed(deployment.application)
    // Same balance over the same days at half the rate: half the interest, give or take the rounding to whole đồng.
    expect(owedLocally * 2n - owedNationally).toBeGreaterThanOrEqual(-2n)
    expect(owedLocally * 2n - owedNationally).toBeLessThanOrEqual(2n)
  })
})
