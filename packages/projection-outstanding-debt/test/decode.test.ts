/**
 * The projection's decoder, which reads only the fields it uses (`usedFields` in projection.ts), against
 * the domain codec, over generated debt histories as stored (encoded), intact and damaged: the same
 * movement when both accept, the same decision wherever the damage is in a field the projection reads,
 * and a refusal that names the damaged field.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeDomainEvent, eventCodecs, type DomainEvent } from '@policy-credit/core'
import type { RecordedEvent } from '@policy-credit/event-store'
import { damagedFieldProperty } from '@policy-credit/projections/testing'
import { movementOf, outstandingDebtProjection, type DebtFact } from '../src/index.ts'
import { debtHistory } from './debtHistory.ts'

const dimensions = ['householdId', 'communeId', 'programme', 'capitalSourceKind', 'capitalSourceId', 'massOrganisationKind', 'massOrganisationId', 'savingsGroupId']
const fundDimensions = ['communeId', 'programme', 'capitalSourceKind', 'capitalSourceId']

/** The fields the projection reads, per followed type: written out here, not taken from projection.ts. */
const readFields: Readonly<Record<string, ReadonlyArray<string>>> = {
  LoanDisbursed: [...dimensions, 'jobsCreated', 'amount', 'disbursedOn'],
  PrincipalRepaid: [...dimensions, 'amount', 'fromOverdue', 'fromFrozen', 'repaidOn'],
  PrincipalWrittenOff: [...dimensions, 'amount', 'fromOverdue', 'fromFrozen', 'writtenOffOn'],
  AmountTransferredToOverdue: [...dimensions, 'amount', 'transferredOn'],
  DebtFrozen: [...dimensions, 'amount', 'fromOverdue', 'frozenOn'],
  DebtUnfrozen: [...dimensions, 'amount', 'unfrozenOn'],
  InterestCollected: [...dimensions, 'amount', 'collectedOn'],
  InterestWrittenOff: [...dimensions, 'amount', 'writtenOffOn'],
  CentralCapitalAllocated: [...fundDimensions, 'amount', 'allocatedOn'],
  LocalBudgetCapitalEntrusted: [...fundDimensions, 'amount', 'entrustedOn'],
  CapitalReallocatedAway: [...fundDimensions, 'amount', 'reallocatedOn'],
  ReallocatedCapitalReceived: [...fundDimensions, 'amount', 'receivedOn'],
  JobCreationPlanSet: ['unitId', 'year', 'jobsPlanned', 'decisionNumber', 'decisionDate'],
}

const stored = (event: DomainEvent): { readonly type: string; readonly data: Readonly<Record<string, unknown>> } => {
  const codec = eventCodecs[event.type] as unknown as { readonly encode: (event: DomainEvent) => { readonly data: Readonly<Record<string, unknown>> } }
  return { type: event.type, data: codec.encode(event).data }
}

const recorded = (type: string, data: unknown): RecordedEvent => ({ type, data, streamId: 'loan-x', version: 1n, position: '0', eventId: 'e', metadata: {} }) as unknown as RecordedEvent

/** Followed events as stored, from generated histories. */
const followedEvents = debtHistory({ maxLoans: 4 }).map((log) => log.map(({ event }) => event).filter((event) => Object.hasOwn(readFields, event.type)).map(stored))

/** Values a damaged field may hold: wrong types, empty, negative and fractional amounts, near misses of dates and ids. */
const damage = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, '', 0, 1, -1, 2.5, true, [], {}, '-5', '1.5', '01', '1e6', '2022-02-30', '2022-6-01', ' C01', 'POOR_HOUSEHOLD ', 'central'),
  fc.constantFrom<unknown>('2022-06-30', '500000', 'C01', 'POOR_HOUSEHOLD', 'CENTRAL', 'FARMERS_ASSOCIATION', 'QD-1'),
  fc.string(),
)


describe('the decoder of the fields outstanding-debt reads', () => {
  it('accepts every intact followed event, giving the movement the whole domain event gives', () => {
    fc.assert(
      fc.property(followedEvents, (events) => {
        for (const { type, data } of events) {
          const light = outstandingDebtProjection.decode(recorded(type, data))
          const domain = decodeDomainEvent({ type, data })
          if (E.isLeft(light) || E.isLeft(domain)) throw new Error(`${type} refused: ${JSON.stringify(light)}`)
          expect(light.right).toStrictEqual(movementOf(domain.right as DebtFact))
        }
      }),
      { numRuns: 100 },
    )
  })

  it('decides as the domain codec when a field it reads is damaged or missing, and names the field when it refuses', () => {
    const events = followedEvents.filter((stored) => stored.length > 0).chain((stored) => fc.constantFrom(...stored))
    fc.assert(
      damagedFieldProperty({
        events,
        readFields,
        projectionDecode: (type, data) => outstandingDebtProjection.decode(recorded(type, data)),
        domainDecode: (type, data) => decodeDomainEvent({ type, data }),
        damage,
      }),
      { numRuns: 1_000 },
    )
  })

  it('refuses an event whose data is not an object, and a type it does not follow', () => {
    expect(outstandingDebtProjection.decode(recorded('PrincipalRepaid', null))).toStrictEqual(E.left('PrincipalRepaid does not decode: PrincipalRepaid: data expected an object'))
    expect(E.isLeft(outstandingDebtProjection.decode(recorded('LoanRequested', {})))).toBe(true)
  })
})
