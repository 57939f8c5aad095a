/**
 * The projections the job can run, by the name an operator lists in POLICY_CREDIT_PROJECTIONS. The
 * job runs any set of them; each keeps its own checkpoint, so adding one later builds it from the start
 * while the others resume.
 */
import type { Projection } from '@policy-credit/projections'
import { outstandingDebtProjection } from '@policy-credit/projection-outstanding-debt'
import { povertyRateProjection } from '@policy-credit/projection-poverty-rate'
import { eventsByTypeProjection } from './eventsByType.ts'

/** The job handles every projection alike; their document and event types stay inside them. */
export type AnyProjection = Projection<any, any>

export const projectionCatalogue: ReadonlyMap<string, AnyProjection> = new Map<string, AnyProjection>(
  [povertyRateProjection, outstandingDebtProjection, eventsByTypeProjection].map((projection) => [projection.name, projection]),
)

/** What runs when POLICY_CREDIT_PROJECTIONS is not set: the reports. `events-by-type` is there to be asked for. */
export const defaultProjections: ReadonlyArray<string> = [povertyRateProjection.name, outstandingDebtProjection.name]
