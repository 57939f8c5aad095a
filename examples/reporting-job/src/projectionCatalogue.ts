/**
 * The projections the job can run, by the name an operator lists in POLICY_CREDIT_PROJECTIONS. The
 * job runs any set of them; each keeps its own checkpoint, so adding one later builds it from the start
 * while the others resume.
 */
import type { Projection } from '@policy-credit/projections'
import { eventsByTypeProjection } from './eventsByType.ts'

/** The job handles every projection alike; their document and event types stay inside them. */
export type AnyProjection = Projection<any, any>

export const projectionCatalogue: ReadonlyMap<string, AnyProjection> = new Map<string, AnyProjection>([[eventsByTypeProjection.name, eventsByTypeProjection]])

/** What runs when POLICY_CREDIT_PROJECTIONS is not set. */
export const defaultProjections: ReadonlyArray<string> = [...projectionCatalogue.keys()]
