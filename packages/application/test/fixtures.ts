/**
 * A household of Nghĩa An commune (Nghĩa Lộ town) through a poor-household loan, written as command
 * lines (the wire format), so the scenarios go through `decodeCommandLine` as an import does.
 */
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'
import { decodeCommandLine, encodeDomainCommand, type CommandEnvelope } from '@policy-credit/application'

export const communeId = 'XA-NGHIA-AN'
export const householdId = 'HH-1'
export const loanId = 'LN-1'

/** A command line as `policy-credit import` reads it. */
export const line = (commandId: string, type: string, data: Readonly<Record<string, unknown>>, envelope: Readonly<Record<string, unknown>> = {}): string =>
  JSON.stringify({ commandId, ...envelope, command: { type, data } })

export const envelopeOf = (text: string): CommandEnvelope => {
  const decoded = decodeCommandLine(text)
  if (E.isLeft(decoded)) expect.fail(`fixture line does not decode: ${JSON.stringify(decoded.left)}`)
  return decoded.right
}

export const command = (commandId: string, type: string, data: Readonly<Record<string, unknown>>, envelope: Readonly<Record<string, unknown>> = {}): CommandEnvelope =>
  envelopeOf(line(commandId, type, data, envelope))

/** The same command under another id, with some of its data fields replaced (on the wire, so it is decoded again). */
export const variant = (envelope: CommandEnvelope, commandId: string, overrides: Readonly<Record<string, unknown>>): CommandEnvelope => {
  const { type, data } = encodeDomainCommand(envelope.command) as { readonly type: string; readonly data: Readonly<Record<string, unknown>> }
  return command(commandId, type, { ...data, ...overrides })
}

export const declareCommune = command('declare-nghia-an', 'DeclareCommune', { communeId, name: 'Nghĩa An', unitKind: 'COMMUNE', declaredOn: '2019-12-01' })
export const joinTown = command('join-nghia-lo', 'JoinTown', { communeId, townId: 'TX-NGHIA-LO', joinedOn: '2020-01-01' })

export const register = command('register-hh-1', 'RegisterHousehold', { householdId, communeId, areaType: 'RURAL', members: 4, registeredOn: '2022-03-01' })
/** The periodic review of 2022 under Decree 07/2021: 1.2 M a person a month and three deprivations make the household poor. */
export const assess = command('assess-hh-1-2022', 'AssessHousehold', {
  householdId,
  standardId: 'ND-07-2021',
  reviewYear: 2022,
  reviewKind: 'PERIODIC',
  assessedOn: '2022-10-05',
  incomePerPersonPerMonth: '1200000',
  deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE'],
})
/** In force from 1 January 2023. */
export const recognise = command('recognise-hh-1-2022', 'RecogniseHouseholdClass', {
  householdId,
  standardId: 'ND-07-2021',
  reviewYear: 2022,
  reviewKind: 'PERIODIC',
  decisionNumber: '15/QD-UBND',
  decisionDate: '2022-12-10',
})

export const allocate = command('allocate-nghia-an-2023', 'AllocateCentralCapital', {
  communeId,
  year: 2023,
  programme: 'POOR_HOUSEHOLD',
  capitalSourceId: 'CENTRAL-2023',
  amount: '500000000',
  decisionNumber: '7/QD-HDQT',
  allocatedOn: '2023-01-10',
})

export const request = command('request-ln-1', 'RequestLoan', {
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
})
export const vet = command('vet-ln-1', 'VetLoanByGroup', { loanId, meetingMinutesId: 'BB-03/2023', vettedOn: '2023-02-05' })
export const certify = command('certify-ln-1', 'CertifyLoanByCommune', { loanId, certificationNumber: 'CERT-2023-02', certifiedOn: '2023-02-10' })
export const approve = command(
  'approve-ln-1',
  'ApproveLoan',
  { loanId, approvedAmount: '50000000', termMonths: 36, capitalSourceKind: 'CENTRAL', capitalSourceId: 'CENTRAL-2023', collateral: null, approvedOn: '2023-02-15' },
  { actor: 'vbsp-officer-7' },
)
export const disburse = command('disburse-ln-1', 'DisburseLoan', {
  loanId,
  amount: '50000000',
  transactionPointId: 'TP-NGHIA-AN',
  instalments: [
    { dueOn: '2024-02-20', principal: '20000000' },
    { dueOn: '2025-02-20', principal: '15000000' },
    { dueOn: '2026-02-20', principal: '15000000' },
  ],
  disbursedOn: '2023-02-20',
})
export const collectInterest = (amount: bigint) =>
  command(`collect-ln-1-${amount}`, 'CollectInterest', { loanId, amount: amount.toString(), collector: 'TRANSACTION_POINT', collectedOn: '2023-08-20' })
export const repay = command('repay-ln-1', 'RepayPrincipal', { loanId, amount: '50000000', repaidOn: '2023-08-20' })
export const close = command('close-ln-1', 'CloseLoan', { loanId, closedOn: '2023-08-20' })

export const householdLife: ReadonlyArray<CommandEnvelope> = [declareCommune, joinTown, register, assess, recognise]

export const inspectionId = 'INSPECTION-2023-07'
export const planInspection = command('plan-inspection-2023-07', 'PlanInspection', {
  inspectionId,
  bodyKind: 'BOARD_OF_REPRESENTATIVES',
  bodyName: 'Ban đại diện HĐQT thị xã Nghĩa Lộ',
  communeId,
  periodFrom: '2023-01-01',
  periodTo: '2023-06-30',
  plannedOn: '2023-07-01',
})
export const conductInspection = (status: 'PROPER_USE' | 'MISUSED') =>
  command(`conduct-inspection-2023-07-${status}`, 'ConductInspection', {
    inspectionId,
    minutesId: 'BB-KT-07/2023',
    checks: [{ loanId, status, amountChecked: '50000000', amountMisused: status === 'MISUSED' ? '50000000' : '0' }],
    conductedOn: '2023-07-15',
  })
export const recallEarly = command('recall-ln-1', 'RecallLoanEarly', { loanId, inspectionId, recalledOn: '2023-07-20' })
