/**
 * The stable API of the poverty-rate read model (docs/poverty-rate.md): the projection a runner keeps
 * up to date, the queries a report is built on, and the rows they answer with. Documents, timelines and
 * the counting helpers are internal and may change with the projection's version.
 */
export { povertyRateProjection, povertyRateProjectionName, followedEventTypes, type PovertyRateEvent } from './projection.ts'
export type { PovertyRateDocument } from './documents.ts'
export {
  povertyRateReadModel,
  povertyYear,
  povertySeries,
  povertyChange,
  povertyAsOf,
  povertyYearByCommune,
  povertyAsOfByCommune,
  type PovertyRateReadModel,
  type PovertyQueryError,
  type YearQuery,
  type SeriesQuery,
  type AsOfQuery,
  type TownBreakdown,
} from './queries.ts'
export {
  nationalReportContext,
  periodicListOf,
  standardsOfYear,
  type ReportContext,
  type ReportingUnit,
  type ClassCounts,
  type Exits,
  type PovertyFigures,
  type PovertyYear,
  type PovertyTarget,
  type PovertyChange,
  type PeriodicList,
} from './figures.ts'
export { rate, rateReduction, type Rate, type RateChange } from './rate.ts'
