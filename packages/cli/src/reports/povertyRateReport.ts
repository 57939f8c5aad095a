/**
 * The poverty-rate report as a `Report`, from the poverty-rate read model's queries: a series of years
 * (each year's list on 1 January and the list its review put in force on 1 January of the next year,
 * the exits and the plan's target), or the figures on one business day; for a town, optionally with
 * each of its communes beside it. Every figure names its standard: rates under different standards
 * are never put on one line of the chart.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { LocalDate, PovertyStandardId, TownId } from '@policy-credit/core'
import {
  povertyAsOf,
  povertyAsOfByCommune,
  povertySeries,
  povertyYearByCommune,
  type PovertyFigures,
  type PovertyQueryError,
  type PovertyRateReadModel,
  type PovertyYear,
  type Rate,
  type ReportingUnit,
} from '@policy-credit/projection-poverty-rate'
import type { Chart, Column, Ratio, Report, ReportTable, CellValue } from './report.ts'

const unitId = (unit: ReportingUnit): string => (unit.kind === 'COMMUNE' ? unit.communeId : unit.townId)

const ratioOf = (rate: Rate | null): Ratio | undefined => (rate === null ? undefined : { numerator: BigInt(rate.numerator), denominator: BigInt(rate.denominator) })
const count = (value: number | undefined): bigint | undefined => (value === undefined ? undefined : BigInt(value))

const yearColumns: ReadonlyArray<Column> = [
  { key: 'unit', heading: 'Unit', kind: 'text' },
  { key: 'year', heading: 'Year', kind: 'text' },
  { key: 'standard', heading: 'Standard', kind: 'text' },
  { key: 'openingHouseholds', heading: 'Households 1 Jan', kind: 'count' },
  { key: 'openingPoor', heading: 'Poor 1 Jan', kind: 'count' },
  { key: 'openingPovertyRate', heading: 'Rate 1 Jan', kind: 'percent' },
  { key: 'closingHouseholds', heading: 'Households end', kind: 'count' },
  { key: 'closingPoor', heading: 'Poor end', kind: 'count' },
  { key: 'closingPovertyRate', heading: 'Rate end', kind: 'percent' },
  { key: 'closingNearPoor', heading: 'Near-poor end', kind: 'count' },
  { key: 'closingNearPovertyRate', heading: 'Near-poor rate end', kind: 'percent' },
  { key: 'exitedFromPoor', heading: 'Exited poverty', kind: 'count' },
  { key: 'targetPoor', heading: 'Target poor', kind: 'count' },
  { key: 'targetPovertyRate', heading: 'Target rate', kind: 'percent' },
]

const yearRow = (year: PovertyYear): ReadonlyArray<CellValue> => [
  unitId(year.unit),
  String(year.year),
  year.standardId,
  count(year.opening?.households),
  count(year.opening?.poor),
  ratioOf(year.opening?.povertyRate ?? null),
  count(year.closing?.households),
  count(year.closing?.poor),
  ratioOf(year.closing?.povertyRate ?? null),
  count(year.closing?.nearPoor),
  ratioOf(year.closing?.nearPovertyRate ?? null),
  count(year.exited?.fromPoor),
  count(year.target?.poorHouseholds),
  ratioOf(year.target?.povertyRate ?? null),
]

/**
 * The rate of each review's list, per standard: a year's closing list and the next year's opening list
 * are the same list, so both land on the review year and the later one wins.
 */
const seriesChart = (unit: ReportingUnit, years: ReadonlyArray<PovertyYear>): Chart => {
  const byStandard = new Map<string, Map<number, Ratio>>()
  for (const year of years) {
    const points = byStandard.get(year.standardId) ?? new Map<number, Ratio>()
    byStandard.set(year.standardId, points)
    const opening = ratioOf(year.opening?.povertyRate ?? null)
    const closing = ratioOf(year.closing?.povertyRate ?? null)
    if (opening !== undefined && !points.has(year.year - 1)) points.set(year.year - 1, opening)
    if (closing !== undefined) points.set(year.year, closing)
  }
  const reviewYears = [...new Set([...byStandard.values()].flatMap((points) => [...points.keys()]))].sort((a, b) => a - b)
  return {
    _tag: 'Line',
    title: `Poverty rate of ${unitId(unit)} by each year's review list, per standard`,
    categories: reviewYears.map(String),
    series: [...byStandard].map(([standard, points]) => ({ name: standard, values: reviewYears.map((year) => points.get(year)) })),
  }
}

export interface PovertyRateRequest {
  readonly unit: ReportingUnit
  readonly standardId?: PovertyStandardId
  /** A business day: the figures on it, instead of a series of years. */
  readonly asOf?: LocalDate
  readonly fromYear: number
  readonly toYear: number
  /** `commune`: a town's communes beside it (one year, or one day). */
  readonly byCommune: boolean
}

const parameters = (request: PovertyRateRequest): Report['parameters'] => [
  { name: request.unit.kind === 'TOWN' ? 'town' : 'commune', value: unitId(request.unit) },
  ...(request.asOf === undefined ? [{ name: 'years', value: request.fromYear === request.toYear ? String(request.fromYear) : `${request.fromYear}–${request.toYear}` }] : [{ name: 'as of', value: request.asOf }]),
  ...(request.standardId === undefined ? [] : [{ name: 'standard', value: request.standardId }]),
  ...(request.byCommune ? [{ name: 'by', value: 'commune' }] : []),
]

const figuresColumns: ReadonlyArray<Column> = [
  { key: 'unit', heading: 'Unit', kind: 'text' },
  { key: 'on', heading: 'On', kind: 'text' },
  { key: 'standard', heading: 'Standard', kind: 'text' },
  { key: 'households', heading: 'Households', kind: 'count' },
  { key: 'poor', heading: 'Poor', kind: 'count' },
  { key: 'povertyRate', heading: 'Poverty rate', kind: 'percent' },
  { key: 'nearPoor', heading: 'Near-poor', kind: 'count' },
  { key: 'nearPovertyRate', heading: 'Near-poverty rate', kind: 'percent' },
  { key: 'notReviewedUnderStandard', heading: 'Not reviewed under it', kind: 'count' },
]

const figuresRow = (figures: PovertyFigures): ReadonlyArray<CellValue> => [
  unitId(figures.unit),
  figures.on,
  figures.standardId,
  BigInt(figures.households),
  BigInt(figures.poor),
  ratioOf(figures.povertyRate),
  BigInt(figures.nearPoor),
  ratioOf(figures.nearPovertyRate),
  BigInt(figures.notReviewedUnderStandard),
]

const report = (request: PovertyRateRequest, tables: ReadonlyArray<ReportTable>, charts: ReadonlyArray<Chart>): Report => ({
  name: 'poverty-rate',
  title: 'Poverty rate (households, by standard)',
  parameters: parameters(request),
  tables,
  charts,
})

export const povertyRateReport = async (model: PovertyRateReadModel, request: PovertyRateRequest): Promise<E.Either<PovertyQueryError, Report>> => {
  const { unit, standardId, asOf } = request
  if (asOf !== undefined) {
    if (request.byCommune && unit.kind === 'TOWN') {
      const breakdown = await povertyAsOfByCommune(model, { townId: unit.townId as TownId, on: asOf, ...(standardId === undefined ? {} : { standardId }) })()
      return E.map(({ town, communes }: { readonly town: PovertyFigures; readonly communes: ReadonlyArray<PovertyFigures> }) =>
        report(request, [{ title: `On ${asOf}`, columns: figuresColumns, rows: [town, ...communes].map(figuresRow) }], []),
      )(breakdown)
    }
    const figures = await povertyAsOf(model, { unit, on: asOf, ...(standardId === undefined ? {} : { standardId }) })()
    return E.map((found: PovertyFigures) => report(request, [{ title: `On ${asOf}`, columns: figuresColumns, rows: [figuresRow(found)] }], []))(figures)
  }
  if (request.byCommune && unit.kind === 'TOWN' && standardId !== undefined && request.fromYear === request.toYear) {
    const breakdown = await povertyYearByCommune(model, { townId: unit.townId as TownId, year: request.fromYear, standardId })()
    return E.map(({ town, communes }: { readonly town: PovertyYear; readonly communes: ReadonlyArray<PovertyYear> }) =>
      report(request, [{ title: `${request.fromYear} under ${standardId}`, columns: yearColumns, rows: [town, ...communes].map(yearRow) }], []),
    )(breakdown)
  }
  const series = await povertySeries(model, { unit, fromYear: request.fromYear, toYear: request.toYear, ...(standardId === undefined ? {} : { standardId }) })()
  return E.map((years: ReadonlyArray<PovertyYear>) =>
    report(
      request,
      [{ title: 'Each year: the list in force on 1 January, the list its review put in force for the next year, exits and the plan’s target', columns: yearColumns, rows: years.map(yearRow) }],
      years.length === 0 ? [] : [seriesChart(unit, years)],
    ),
  )(series)
}
