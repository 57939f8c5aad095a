/**
 * What the reviewers find in a household: an income per person per month and the deprivation
 * indicators it lacks, chosen so that the library's own `classify` gives the class the example wants.
 * The example never states a class: the core classifies the assessment, and this module only checks
 * (with the same `classify`) that what it chose lands where it meant to.
 */
import * as O from 'fp-ts/lib/Option.js'
import { pipe } from 'fp-ts/lib/function.js'
import {
  classify,
  incomeLinesOn,
  standardById,
  vnd,
  type AreaType,
  type DeprivationIndicator,
  type LocalDate,
  type PovertyStandard,
  type PovertyStandardId,
  type ReviewClass,
  type Vnd,
} from '@policy-credit/core'
import { draw, drawInt, drawSubset } from './random.ts'

export interface Findings {
  readonly incomePerPersonPerMonth: Vnd
  readonly deprivedIndicators: ReadonlyArray<DeprivationIndicator>
}

export const standardNamed = (standardId: PovertyStandardId): PovertyStandard =>
  pipe(
    standardById(standardId),
    O.getOrElseW(() => {
      throw new Error(`the national catalogue has no poverty standard ${standardId}`)
    }),
  )

const THOUSAND = 1_000n

/** A whole number of thousands of đồng in [low, high] (both in đồng, multiples of 1,000). */
const incomeBetween = (low: bigint, high: bigint, name: ReadonlyArray<string | number>): Vnd => {
  const lowK = Number((low + THOUSAND - 1n) / THOUSAND)
  const highK = Number(high / THOUSAND)
  if (highK < lowK) throw new RangeError(`empty income band [${low}, ${high}]`)
  return vnd(BigInt(drawInt(lowK, highK, ...name, 'income')) * THOUSAND)
}

const deprivations = (standard: PovertyStandard, min: number, max: number, name: ReadonlyArray<string | number>): ReadonlyArray<DeprivationIndicator> => {
  const wanted = Math.min(drawInt(min, max, ...name, 'deprivation count'), standard.indicators.length)
  return drawSubset(standard.indicators, wanted, ...name, 'deprivations')
}

/**
 * Findings that the standard classifies as `target` for a household of this area on this day. `name`
 * makes the choice deterministic and different per household and review.
 */
export const findingsFor = (
  target: ReviewClass,
  standard: PovertyStandard,
  areaType: AreaType,
  assessedOn: LocalDate,
  name: ReadonlyArray<string | number>,
): Findings => {
  const { lines } = incomeLinesOn(standard, areaType, assessedOn)
  const poverty = lines.poverty
  const floor = (poverty * 2n) / 5n // the poorest households the example has earn 40 % of the line
  const top = lines.averageLiving ?? lines.nearPoverty
  const rule = standard.rule._tag
  const between = (low: bigint, high: bigint, minDeprived: number, maxDeprived: number): Findings => ({
    incomePerPersonPerMonth: incomeBetween(low, high, name),
    deprivedIndicators: deprivations(standard, minDeprived, maxDeprived, name),
  })
  const findings: Findings = (() => {
    switch (target) {
      case 'POOR':
        if (rule === 'IncomeAndDeprivation') return between(floor, poverty, 3, 6)
        // Under QD-59-2015 some poor households earn above the poverty line but lack three services or more.
        if (rule === 'IncomeOrDeprivationBetweenLines' && draw(...name, 'poor by deprivation') < 0.3) return between(poverty + THOUSAND, lines.nearPoverty, 3, 5)
        return between(floor, poverty, 0, 4)
      case 'NEAR_POOR':
        return rule === 'IncomeAndDeprivation' ? between(floor, poverty, 0, 2) : between(poverty + THOUSAND, lines.nearPoverty, 0, 2)
      case 'AVERAGE_LIVING':
        if (lines.averageLiving === undefined) throw new RangeError(`${standard.id} has no average-living band`)
        return between(lines.nearPoverty + THOUSAND, lines.averageLiving, 0, 2)
      case 'NONE':
        return between(top + THOUSAND, top * 3n, 0, 1)
    }
  })()
  const assessed = classify({ areaType, assessedOn, ...findings }, standard)
  if (assessed !== target) throw new Error(`findings for ${name.join(' ')} classify as ${assessed}, not ${target}`)
  return findings
}
