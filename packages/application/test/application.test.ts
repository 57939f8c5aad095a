import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { deterministicEventId } from '@policy-credit/event-store'
import { contents, executed, memoryApplication, refused, typesIn } from './helpers.ts'
import { assess, command, declareCommune, householdId, householdLife, joinTown, recognise, register } from './fixtures.ts'

describe('administrative units and households through execute', () => {
  it('declares a commune in its stream, with event ids derived from the command id and its business date as occurredOn', async () => {
    const { store, application } = memoryApplication()
    const outcome = await executed(application, declareCommune)
    expect(outcome).toMatchObject({
      commandId: 'declare-nghia-an',
      commandType: 'DeclareCommune',
      aggregate: 'AdministrativeUnit',
      streamId: 'commune-XA-NGHIA-AN',
      events: [{ type: 'CommuneDeclared', data: { communeId: 'XA-NGHIA-AN', areaType: 'RURAL' } }],
      nextExpectedVersion: 1n,
      alreadyHandled: false,
    })
    const [stored] = await contents(store)
    expect(stored).toMatchObject({ streamId: 'commune-XA-NGHIA-AN', eventId: deterministicEventId('declare-nghia-an', 'commune-XA-NGHIA-AN', 0), metadata: { occurredOn: '2019-12-01', causationId: 'declare-nghia-an' } })
    expect(outcome.position).toBe(stored?.position)
  })

  it('registers, assesses and recognises a household; the class comes from the core’s classification', async () => {
    const { store, application } = memoryApplication()
    for (const envelope of householdLife) await executed(application, envelope)
    expect(await typesIn(store, `household-${householdId}`)).toStrictEqual(['HouseholdRegistered', 'HouseholdAssessed', 'HouseholdClassRecognised'])
    expect(await typesIn(store, 'commune-XA-NGHIA-AN')).toStrictEqual(['CommuneDeclared', 'CommuneJoinedTown'])
    const [, assessed, recognised] = (await contents(store)).filter((event) => event.streamId === `household-${householdId}`)
    expect(assessed?.data).toMatchObject({ assessedClass: 'POOR' })
    expect(recognised?.data).toMatchObject({ householdClass: 'POOR', effectiveFrom: '2023-01-01' })
  })

  it('executing the same envelope again appends nothing and reports alreadyHandled with the first run’s events', async () => {
    const { store, application } = memoryApplication()
    const first = await executed(application, register)
    await executed(application, assess)
    const before = await contents(store)
    expect(await executed(application, register)).toStrictEqual({ ...first, alreadyHandled: true })
    expect(await contents(store)).toStrictEqual(before)
  })

  it('a rejected household or commune command appends nothing and names the aggregate and the rule', async () => {
    const { store, application } = memoryApplication()
    expect(await refused(application, assess)).toMatchObject({ _tag: 'Rejected', aggregate: 'Household', commandType: 'AssessHousehold', rejection: { _tag: 'HouseholdStatusDisallowsCommand', status: 'Unregistered' } })
    expect(await refused(application, joinTown)).toMatchObject({ _tag: 'Rejected', aggregate: 'AdministrativeUnit', rejection: { _tag: 'CommuneStatusDisallowsCommand', status: 'Undeclared' } })
    expect(await contents(store)).toStrictEqual([])
  })

  it('judges assessments by the reference data it was given', async () => {
    const { application } = memoryApplication({ povertyStandards: { standards: [] } })
    await executed(application, register)
    expect(await refused(application, assess)).toMatchObject({ _tag: 'Rejected', aggregate: 'Household', rejection: { _tag: 'PovertyStandardNotInCatalogue', standardId: 'ND-07-2021' } })
  })
})

describe('a town’s yearly plan through execute', () => {
  const target = (standardId: string) =>
    command(`target-nghia-lo-2022-${standardId}`, 'SetPovertyReductionTarget', {
      unitId: 'TX-NGHIA-LO',
      year: 2022,
      standardId,
      reductionHouseholds: 933,
      decisionNumber: '12/NQ-HĐND',
      decisionDate: '2021-12-20',
    })

  it('records the poverty reduction target in plan-<unitId>-<year>', async () => {
    const { application } = memoryApplication()
    expect(await executed(application, target('ND-07-2021'))).toMatchObject({
      aggregate: 'Plan',
      streamId: 'plan-TX-NGHIA-LO-2022',
      events: [{ type: 'PovertyReductionTargetSet', data: { reductionHouseholds: 933, previousReductionHouseholds: null } }],
    })
  })

  it('refuses a target under a standard not applied that year, judged by the reference data given, and appends nothing', async () => {
    const national = memoryApplication()
    expect(await refused(national.application, target('QD-59-2015'))).toMatchObject({
      _tag: 'Rejected',
      aggregate: 'Plan',
      rejection: { _tag: 'StandardDoesNotApplyToPlanYear', applicableStandardId: 'ND-07-2021' },
    })
    const withoutStandards = memoryApplication({ povertyStandards: { standards: [] } })
    expect(await refused(withoutStandards.application, target('ND-07-2021'))).toMatchObject({ rejection: { _tag: 'StandardDoesNotApplyToPlanYear', applicableStandardId: null } })
    expect(await contents(national.store)).toStrictEqual([])
    expect(await contents(withoutStandards.store)).toStrictEqual([])
  })
})
