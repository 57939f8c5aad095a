import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { CommandEnvelope } from '@policy-credit/application'
import { approve, certify, close, collectInterest, command, disburse, repay, request, variant, vet } from './fixtures.ts'
import { contents, memoryApplication, typesIn } from './helpers.ts'

const communes = ['XA-NGHIA-AN', 'PHUONG-TAN-AN'] as const

const householdCommands = (householdId: string, communeId: string): ReadonlyArray<CommandEnvelope> => {
  const review = { householdId, standardId: 'ND-07-2021', reviewYear: 2022, reviewKind: 'PERIODIC' }
  return [
    command(`register-${householdId}`, 'RegisterHousehold', { householdId, communeId, areaType: 'RURAL', members: 4, registeredOn: '2022-03-01' }),
    command(`assess-well-off-${householdId}`, 'AssessHousehold', { ...review, assessedOn: '2022-10-05', incomePerPersonPerMonth: '9000000', deprivedIndicators: [] }),
    command(`assess-poor-${householdId}`, 'AssessHousehold', { ...review, assessedOn: '2022-10-06', incomePerPersonPerMonth: '1200000', deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE'] }),
    command(`recognise-${householdId}`, 'RecogniseHouseholdClass', { ...review, decisionNumber: `15/QD-UBND-${householdId}`, decisionDate: '2022-12-10' }),
  ]
}

/** The fixture loan's commands for another loan, household and commune (each id field the command has is replaced). */
const loanCommands = (loanId: string, householdId: string, communeId: string): ReadonlyArray<CommandEnvelope> =>
  [request, vet, certify, approve, disburse, collectInterest(1_000n), repay, close].map((envelope) =>
    variant(
      envelope,
      `${envelope.commandId}@${loanId}`,
      Object.fromEntries(Object.entries({ loanId, householdId, communeId }).filter(([field]) => field in envelope.command.data)),
    ),
  )

const allocation = (communeId: string, amount: string) =>
  command(`allocate-${communeId}-${amount}`, 'AllocateCentralCapital', {
    communeId,
    year: 2023,
    programme: 'POOR_HOUSEHOLD',
    capitalSourceId: 'CENTRAL-2023',
    amount,
    decisionNumber: `7/QD-HDQT-${amount}`,
    allocatedOn: '2023-01-10',
  })

/** Commands over two communes, two households, two loans and a town's plan; in list order they make sense, out of order many are refused. */
const pool: ReadonlyArray<CommandEnvelope> = [
  ...communes.map((communeId) => command(`declare-${communeId}`, 'DeclareCommune', { communeId, name: communeId, unitKind: 'COMMUNE', declaredOn: '2019-12-01' })),
  ...householdCommands('HH-1', communes[0]),
  ...householdCommands('HH-2', communes[1]),
  allocation(communes[0], '50000000'),
  allocation(communes[0], '30000000'),
  allocation(communes[1], '100000000'),
  ...[933, 900].map((reductionHouseholds) =>
    command(`target-${reductionHouseholds}`, 'SetPovertyReductionTarget', {
      unitId: 'TX-NGHIA-LO',
      year: 2022,
      standardId: 'ND-07-2021',
      reductionHouseholds,
      decisionNumber: `12/NQ-HĐND-${reductionHouseholds}`,
      decisionDate: '2021-12-20',
    }),
  ),
  ...loanCommands('LN-1', 'HH-1', communes[0]),
  ...loanCommands('LN-2', 'HH-2', communes[1]),
]

/** Picks from the pool, in the pool's order (mostly accepted) or as drawn (mostly refused). */
const sequences: fc.Arbitrary<ReadonlyArray<CommandEnvelope>> = fc
  .tuple(fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 40 }), fc.boolean())
  .map(([picks, inPoolOrder]) => (inPoolOrder ? [...picks].sort((a, b) => a - b) : picks).map((pick) => pool[pick] as CommandEnvelope))

const executeEach = async (envelopes: ReadonlyArray<CommandEnvelope>, times: number) => {
  const { store, application } = memoryApplication()
  const accepted: Array<CommandEnvelope> = []
  for (const envelope of envelopes)
    for (let run = 0; run < times; run++) {
      const result = await application.execute(envelope)()
      if (E.isLeft(result)) expect(result.left._tag).not.toMatch(/StoreFailed|ConcurrencyRetriesExhausted/)
      else if (run === 0) accepted.push(envelope)
    }
  return { store, application, accepted }
}

describe('idempotence over generated sequences of envelopes', () => {
  it('the pool in its own order takes both loans through disbursement to repayment, so generated sequences reach those states', async () => {
    const { store } = await executeEach(pool, 1)
    for (const loanId of ['LN-1', 'LN-2'])
      expect(await typesIn(store, `loan-${loanId}`)).toStrictEqual(['LoanRequested', 'LoanVettedByGroup', 'LoanCertifiedByCommune', 'LoanApproved', 'LoanDisbursed', 'InterestCollected', 'PrincipalRepaid'])
  })

  test.prop([sequences], { numRuns: 40 })('executing every envelope twice leaves the store as executing it once', async (envelopes) => {
    const once = await executeEach(envelopes, 1)
    const twice = await executeEach(envelopes, 2)
    expect(await contents(twice.store)).toStrictEqual(await contents(once.store))
  })

  test.prop([sequences], { numRuns: 40 })('replaying the accepted envelopes appends nothing, and each is reported already handled', async (envelopes) => {
    const { store, application, accepted } = await executeEach(envelopes, 1)
    const before = await contents(store)
    for (const envelope of accepted) {
      const again = await application.execute(envelope)()
      expect(E.isRight(again) && again.right.alreadyHandled).toBe(true)
    }
    expect(await contents(store)).toStrictEqual(before)
  })
})
