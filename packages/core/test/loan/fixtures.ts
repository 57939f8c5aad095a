/** A job-creation loan in Nghĩa An commune of Nghĩa Lộ town, funded from the town's entrusted budget capital (seed article, F7–F9). */
import * as E from 'fp-ts/lib/Either.js'
import {
  CapitalSourceId,
  CommuneId,
  DecisionNumber,
  HouseholdId,
  idOf,
  InspectionId,
  LoanId,
  MassOrganisationId,
  SavingsGroupId,
  TransactionPointId,
  day,
  termsOn,
  vnd,
  ratePpm,
  type LocalDate,
  type ProgrammeId,
  type ProgrammeTerms,
  Loan,
} from '@policy-credit/core'

export const loanId = idOf(LoanId, 'LN-2022-0001')
export const householdId = idOf(HouseholdId, 'HH-NGHIA-AN-0042')
export const communeId = idOf(CommuneId, 'NGHIA-AN')
export const savingsGroupId = idOf(SavingsGroupId, 'SG-NGHIA-AN-03')
export const massOrganisationId = idOf(MassOrganisationId, 'WU-NGHIA-AN')
export const capitalSourceId = idOf(CapitalSourceId, 'LOCAL_BUDGET-NGHIA-LO')
export const transactionPointId = idOf(TransactionPointId, 'TP-NGHIA-AN')
export const inspectionId = idOf(InspectionId, 'INSPECTION-2022-07')
export const classDecision = idOf(DecisionNumber, 'QD-123-UBND-2021')
export const certification = idOf(DecisionNumber, 'CERT-NGHIA-AN-2022-05')
export const riskDecision = idOf(DecisionNumber, 'QD-50-KHOANH-2023')

export const termsFor = (programme: ProgrammeId, date: LocalDate): ProgrammeTerms =>
  E.getOrElse((): ProgrammeTerms => {
    throw new Error(`fixture needs terms for ${programme} on ${date}`)
  })(termsOn(programme, date))

export const nationalTerms: Loan.TermsLookup = (programme, date) => termsOn(programme, date)

export const requestedOn = day('2022-05-04')
export const approvedOn = day('2022-05-16')
export const disbursedOn = day('2022-05-20')

export const dimensions = {
  loanId,
  householdId,
  communeId,
  programme: 'JOB_CREATION',
  capitalSourceKind: 'LOCAL_BUDGET',
  capitalSourceId,
  massOrganisationKind: 'WOMENS_UNION',
  massOrganisationId,
  savingsGroupId,
  jobsCreated: Loan.count(1),
} as const satisfies Loan.ReportDimensions

export const loanRequested: Loan.LoanEvent = {
  type: 'LoanRequested',
  data: {
    loanId,
    householdId,
    communeId,
    programme: 'JOB_CREATION',
    savingsGroupId,
    massOrganisationKind: 'WOMENS_UNION',
    massOrganisationId,
    requestedAmount: vnd(60_000_000n),
    termMonths: Loan.positiveCount(36),
    purpose: Loan.text('open a tailoring workshop'),
    workers: Loan.positiveCount(1),
    monthsOfStudy: null,
    facilityTypes: null,
    requestedOn,
  },
}
export const loanVetted: Loan.LoanEvent = { type: 'LoanVettedByGroup', data: { loanId, savingsGroupId, meetingMinutesId: Loan.text('BB-03/2022'), vettedOn: day('2022-05-08') } }
export const loanCertified: Loan.LoanEvent = { type: 'LoanCertifiedByCommune', data: { loanId, communeId, certificationNumber: certification, certifiedOn: day('2022-05-12') } }

export const classInForce = {
  householdClass: 'NEAR_POOR',
  evidence: { standardId: 'ND-07-2021', decisionNumber: classDecision, decisionDate: day('2021-12-20'), effectiveFrom: day('2022-01-01') },
} as const satisfies Loan.ClassInForceEvidence

export const approvalContext: Loan.LoanContext = {
  approval: { householdId, classInForce, terms: termsFor('JOB_CREATION', approvedOn) },
}

export const loanApproved: Loan.LoanEvent = {
  type: 'LoanApproved',
  data: {
    ...dimensions,
    approvedAmount: vnd(60_000_000n),
    termMonths: Loan.positiveCount(36),
    approvedOn,
    householdClass: 'NEAR_POOR',
    classDecisionNumber: classDecision,
    classDecidedOn: day('2021-12-20'),
    povertyStandardId: 'ND-07-2021',
    classEffectiveFrom: day('2022-01-01'),
    escapedStatusEndsOn: null,
    termsVersionId: Loan.text('JOB_CREATION@2019-11-08'),
    yearlyRate: ratePpm(79_200),
    overdueYearlyRate: ratePpm(102_960),
    capBasis: 'PER_WORKER',
    capPerUnit: vnd(100_000_000n),
    capUnits: Loan.positiveCount(1),
    cap: vnd(100_000_000n),
    collateral: null,
  },
}

/** Three instalments of 20 m, a year apart. */
export const instalments = [
  { dueOn: day('2023-05-20'), principal: vnd(20_000_000n) },
  { dueOn: day('2024-05-20'), principal: vnd(20_000_000n) },
  { dueOn: day('2025-05-20'), principal: vnd(20_000_000n) },
]

export const reservation = {
  communeId,
  year: Loan.positiveCount(2022),
  programme: 'JOB_CREATION',
  capitalSourceKind: 'LOCAL_BUDGET',
  capitalSourceId,
  loanId,
  amount: vnd(60_000_000n),
  reservedOn: disbursedOn,
} as const

export const loanDisbursed: Loan.LoanEvent = {
  type: 'LoanDisbursed',
  data: {
    ...dimensions,
    amount: vnd(60_000_000n),
    transactionPointId,
    capitalYear: Loan.positiveCount(2022),
    instalments: instalments.map((instalment, index) => ({ number: Loan.positiveCount(index + 1), ...instalment })),
    disbursedOn,
  },
}

export const approvedHistory: ReadonlyArray<Loan.LoanEvent> = [loanRequested, loanVetted, loanCertified, loanApproved]
export const activeHistory: ReadonlyArray<Loan.LoanEvent> = [...approvedHistory, loanDisbursed]
export const termsContext: Loan.LoanContext = { termsLookup: nationalTerms }
