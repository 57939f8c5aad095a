/**
 * The households of the town and their periodic reviews. Each unit numbers its households; a review
 * year's count says how many exist, so household k of a unit is registered in the first review year
 * whose count reaches k. At each review every household of the part is assessed: they are ranked by a
 * welfare score that drifts from year to year (so some leave the poor list and others fall onto it),
 * and the poorest get findings the standard classifies as poor, the next near-poor, and so on, in the
 * numbers the review plan asks for. The commune's recognition decision follows; its class is the one
 * the core computes from the assessment.
 */
import { AdministrativeUnit, Household, idOf, HouseholdId, day, type AreaType, type ReviewClass } from '@policy-credit/core'
import { command, dated, pad, type DatedLine } from './commandLine.ts'
import { findingsFor, standardNamed } from './findings.ts'
import { draw, drawInt } from './random.ts'
import { householdsPerUnit, partHistory, reviewPlans, units, type PartReview, type ReviewPlan, type TownPart, type UnitSpec } from './town.ts'

export interface HouseholdSpec {
  readonly householdId: HouseholdId
  readonly unit: UnitSpec
  readonly areaType: AreaType
  readonly number: number
}

const areaTypeOf = (unit: UnitSpec): AreaType => AdministrativeUnit.areaTypeOfUnitKind(unit.unitKind)

export const householdIdOf = (unit: UnitSpec, number: number): HouseholdId => idOf(HouseholdId, `${unit.communeId}-${pad(number, 5)}`)

const unitIndex = (unit: UnitSpec): number => units.indexOf(unit)

/** The review plans that cover a part, in year order. */
const plansOf = (part: TownPart): ReadonlyArray<ReviewPlan & { readonly review: PartReview }> =>
  reviewPlans.flatMap((plan) => {
    const review = plan.parts[part]
    return review === undefined ? [] : [{ ...plan, review }]
  })

/** The households of a part at one review, unit by unit. */
export const householdsAtReview = (part: TownPart, households: number): ReadonlyArray<HouseholdSpec> =>
  householdsPerUnit(part, households).flatMap(({ unit, households: count }) =>
    Array.from({ length: count }, (_, index) => ({ householdId: householdIdOf(unit, index + 1), unit, areaType: areaTypeOf(unit), number: index + 1 })),
  )

/** The year a household first appears in its part's reviews, so the day it is registered. */
const registrationDay = (part: TownPart, household: HouseholdSpec, firstReviewYear: number, year: number): string =>
  year === firstReviewYear
    ? partHistory[part].declaredOn
    : `${year}-${pad(drawInt(3, 9, household.householdId, 'registered month'))}-${pad(drawInt(1, 28, household.householdId, 'registered day'))}`

/**
 * A score where lower is poorer: a household's lasting position, plus a drift that changes each year.
 * Rural communes sit a little lower, as they do in the town's reports.
 */
const welfare = (household: HouseholdSpec, year: number): number =>
  draw(household.householdId, 'welfare') + (household.areaType === 'RURAL' ? -0.08 : 0) + 0.3 * (draw(household.householdId, 'drift', year) - 0.5)

/** The class each household of the part should get at this review: the poorest first, in the plan's numbers. */
export const wantedClasses = (households: ReadonlyArray<HouseholdSpec>, year: number, review: PartReview): ReadonlyMap<HouseholdId, ReviewClass> => {
  const ranked = households
    .map((household) => ({ household, score: welfare(household, year) }))
    .sort((a, b) => a.score - b.score || (a.household.householdId < b.household.householdId ? -1 : 1))
  const classOfRank = (rank: number): ReviewClass =>
    rank < review.poor
      ? 'POOR'
      : rank < review.poor + review.nearPoor
        ? 'NEAR_POOR'
        : rank < review.poor + review.nearPoor + review.averageLiving
          ? 'AVERAGE_LIVING'
          : 'NONE'
  return new Map(ranked.map(({ household }, rank) => [household.householdId, classOfRank(rank)]))
}

const assessedOn = (unit: UnitSpec, year: number): string => `${year}-10-${pad(1 + unitIndex(unit))}`
const decidedOn = (unit: UnitSpec, year: number): string => `${year}-12-${pad(1 + (unitIndex(unit) % 10))}`
/** Numbered as Vietnamese decisions are: number / year / issuer. */
const recognitionDecision = (unit: UnitSpec, year: number): string => `${120 + unitIndex(unit)}/${year}/QĐ-UBND`

export interface ReviewYearHistory {
  readonly lines: ReadonlyArray<DatedLine>
  /** The class each reviewed household was meant to get (and, checked by `classify`, will get). */
  readonly classes: ReadonlyMap<HouseholdId, { readonly household: HouseholdSpec; readonly reviewClass: ReviewClass }>
}

/** Registrations of new households, assessments and recognitions of one review year, for every part reviewed that year. */
export const reviewYearHistory = (year: number): ReviewYearHistory => {
  const lines: Array<DatedLine> = []
  const classes = new Map<HouseholdId, { readonly household: HouseholdSpec; readonly reviewClass: ReviewClass }>()
  for (const part of ['ORIGINAL', 'VAN_CHAN'] as const) {
    const plans = plansOf(part)
    const index = plans.findIndex((plan) => plan.reviewYear === year)
    const plan = plans[index]
    if (plan === undefined) continue
    const previous = plans[index - 1]
    const known = new Set(previous === undefined ? [] : householdsAtReview(part, previous.review.households).map((household) => household.householdId))
    const households = householdsAtReview(part, plan.review.households)
    const standard = standardNamed(plan.standardId)
    const wanted = wantedClasses(households, year, plan.review)
    for (const household of households) {
      const { householdId, unit, areaType } = household
      const communeActor = `commune-pc:${unit.communeId}`
      if (!known.has(householdId)) {
        const registeredOn = registrationDay(part, household, plans[0]?.reviewYear ?? year, year)
        lines.push(
          dated(
            registeredOn,
            `nghia-lo:register:${householdId}`,
            communeActor,
            command(Household.RegisterHousehold, {
              householdId,
              communeId: unit.communeId,
              areaType,
              members: drawInt(1, 7, householdId, 'members'),
              registeredOn,
            }),
          ),
        )
      }
      const reviewClass = wanted.get(householdId) ?? 'NONE'
      classes.set(householdId, { household, reviewClass })
      const onDay = assessedOn(unit, year)
      const findings = findingsFor(reviewClass, standard, areaType, day(onDay), [householdId, year])
      const review = { householdId, standardId: plan.standardId, reviewYear: year, reviewKind: 'PERIODIC' } as const
      lines.push(
        dated(
          onDay,
          `nghia-lo:assess:${householdId}:${year}`,
          `reviewer:${unit.communeId}`,
          command(Household.AssessHousehold, {
            ...review,
            assessedOn: onDay,
            incomePerPersonPerMonth: findings.incomePerPersonPerMonth.toString(),
            deprivedIndicators: findings.deprivedIndicators,
          }),
        ),
      )
      const decisionDate = decidedOn(unit, year)
      lines.push(
        dated(
          decisionDate,
          `nghia-lo:recognise:${householdId}:${year}`,
          communeActor,
          command(Household.RecogniseHouseholdClass, { ...review, decisionNumber: recognitionDecision(unit, year), decisionDate }),
        ),
      )
    }
  }
  return { lines, classes }
}

/** Every year with a periodic review, ascending. */
export const reviewYears: ReadonlyArray<number> = [...new Set(reviewPlans.map((plan) => plan.reviewYear))].sort((a, b) => a - b)
