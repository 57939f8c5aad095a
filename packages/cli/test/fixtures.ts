/**
 * A household of Nghĩa An commune through a poor-household loan, as the JSONL lines `import` reads
 * (docs/commands.md): the commune, the household's review, the commune's capital, and the loan from
 * request to disbursement and a first repayment.
 */
import { writeFileSync } from 'node:fs'

export const communeId = 'XA-NGHIA-AN'
export const householdId = 'HH-1'
export const loanId = 'LN-1'

export const line = (commandId: string, type: string, data: Readonly<Record<string, unknown>>, envelope: Readonly<Record<string, unknown>> = {}): string =>
  JSON.stringify({ commandId, ...envelope, command: { type, data } })

export const town: ReadonlyArray<string> = [
  line('declare-nghia-an', 'DeclareCommune', { communeId, name: 'Nghĩa An', unitKind: 'COMMUNE', declaredOn: '2019-12-01' }),
  line('join-nghia-lo', 'JoinTown', { communeId, townId: 'TX-NGHIA-LO', joinedOn: '2020-01-01' }),
  line('register-hh-1', 'RegisterHousehold', { householdId, communeId, areaType: 'RURAL', members: 4, registeredOn: '2022-03-01' }),
  line('assess-hh-1-2022', 'AssessHousehold', {
    householdId,
    standardId: 'ND-07-2021',
    reviewYear: 2022,
    reviewKind: 'PERIODIC',
    assessedOn: '2022-10-05',
    incomePerPersonPerMonth: '1200000',
    deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE'],
  }),
  line('recognise-hh-1-2022', 'RecogniseHouseholdClass', {
    householdId,
    standardId: 'ND-07-2021',
    reviewYear: 2022,
    reviewKind: 'PERIODIC',
    decisionNumber: '15/QD-UBND',
    decisionDate: '2022-12-10',
  }),
  line('allocate-nghia-an-2023', 'AllocateCentralCapital', {
    communeId,
    year: 2023,
    programme: 'POOR_HOUSEHOLD',
    capitalSourceId: 'CENTRAL-2023',
    amount: '500000000',
    decisionNumber: '7/QD-HDQT',
    allocatedOn: '2023-01-10',
  }),
  line('request-ln-1', 'RequestLoan', {
    loanId,
    householdId,
    communeId,
    programme: 'POOR_HOUSEHOLD',
    savingsGroupId: 'SG-NGHIA-AN-03',
    massOrganisationKind: 'WOMENS_UNION',
    massOrganisationId: 'WU-NGHIA-AN',
    requestedAmount: '50000000',
    termMonths: 36,
    purpose: 'raise two buffaloes',
    workers: null,
    monthsOfStudy: null,
    facilityTypes: null,
    requestedOn: '2023-02-01',
  }),
  line('vet-ln-1', 'VetLoanByGroup', { loanId, meetingMinutesId: 'BB-03/2023', vettedOn: '2023-02-05' }),
  line('certify-ln-1', 'CertifyLoanByCommune', { loanId, certificationNumber: 'CERT-2023-02', certifiedOn: '2023-02-10' }),
  line(
    'approve-ln-1',
    'ApproveLoan',
    { loanId, approvedAmount: '50000000', termMonths: 36, capitalSourceKind: 'CENTRAL', capitalSourceId: 'CENTRAL-2023', collateral: null, approvedOn: '2023-02-15' },
    { actor: 'vbsp-officer-7' },
  ),
  line('disburse-ln-1', 'DisburseLoan', {
    loanId,
    amount: '50000000',
    transactionPointId: 'TP-NGHIA-AN',
    instalments: [
      { dueOn: '2024-02-20', principal: '20000000' },
      { dueOn: '2025-02-20', principal: '15000000' },
      { dueOn: '2026-02-20', principal: '15000000' },
    ],
    disbursedOn: '2023-02-20',
  }),
  line('repay-ln-1-1', 'RepayPrincipal', { loanId, amount: '20000000', repaidOn: '2024-02-20' }),
]

export const writeLines = (file: string, lines: ReadonlyArray<string>): string => {
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}
