import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import {
  classify,
  day,
  nationalPovertyStandards,
  overlappingStandards,
  ProvincialIncomeLines,
  standardById,
  standardInForceOn,
  vnd,
  withProvincialLines,
  type AreaType,
  type DeprivationIndicator,
  type PovertyStandard,
  type PovertyStandardId,
  type ReviewClass,
} from '@policy-credit/core'

const standard = (id: PovertyStandardId): PovertyStandard =>
  O.getOrElseW(() => {
    throw new Error(`the national catalogue lacks ${id}`)
  })(standardById(id))

/**
 * The rules as domain.md §1.2 words them, with the figures written out again here, so the test does
 * not read the lines it checks from the data it checks.
 */
const DOMAIN_RULES: Record<PovertyStandardId, { readonly lines: Record<AreaType, ReadonlyArray<bigint>>; readonly expected: (income: bigint, deprivations: number, area: AreaType) => ReviewClass }> = {
  'QD-09-2011': {
    lines: { RURAL: [400_000n, 520_000n], URBAN: [500_000n, 650_000n] },
    expected: (income, _deprivations, area) => {
      const line = area === 'RURAL' ? 400_000n : 500_000n
      // Near-poor up to 130 % of the line [V:S6]; 1.3 × line is whole for both lines.
      return income <= line ? 'POOR' : income * 10n <= line * 13n ? 'NEAR_POOR' : 'NONE'
    },
  },
  'QD-59-2015': {
    lines: { RURAL: [700_000n, 1_000_000n, 1_500_000n], URBAN: [900_000n, 1_300_000n, 1_950_000n] },
    expected: (income, deprivations, area) => {
      const [poverty, nearPoverty, average] = area === 'RURAL' ? [700_000n, 1_000_000n, 1_500_000n] : [900_000n, 1_300_000n, 1_950_000n]
      if (income <= poverty || (income <= nearPoverty && deprivations >= 3)) return 'POOR'
      if (income <= nearPoverty) return 'NEAR_POOR'
      return income <= average ? 'AVERAGE_LIVING' : 'NONE'
    },
  },
  'ND-07-2021': {
    lines: { RURAL: [1_500_000n, 2_250_000n], URBAN: [2_000_000n, 3_000_000n] },
    expected: (income, deprivations, area) => {
      const [line, average] = area === 'RURAL' ? [1_500_000n, 2_250_000n] : [2_000_000n, 3_000_000n]
      if (income <= line && deprivations >= 3) return 'POOR'
      if (income <= line) return 'NEAR_POOR'
      return income <= average ? 'AVERAGE_LIVING' : 'NONE'
    },
  },
}

const STANDARD_IDS: ReadonlyArray<PovertyStandardId> = ['QD-09-2011', 'QD-59-2015', 'ND-07-2021']

/** An income on a line, one đồng below it or one above it, for a standard, an area and one of its lines. */
const incomeAroundALine = (id: PovertyStandardId, area: AreaType) =>
  fc.tuple(fc.constantFrom(...DOMAIN_RULES[id].lines[area]), fc.constantFrom(-1n, 0n, 1n)).map(([line, offset]) => line + offset)

const deprivedSubset = (id: PovertyStandardId) => fc.subarray([...standard(id).indicators])

/** Exactly 2 or 3 deprived indicators of the standard, either side of the threshold (none for an income-only standard). */
const deprivedAroundTheThreshold = (id: PovertyStandardId) =>
  standard(id).indicators.length === 0
    ? fc.constant([])
    : fc.constantFrom(2, 3).chain((count) => fc.shuffledSubarray([...standard(id).indicators], { minLength: count, maxLength: count }))

const aroundTheLines = (id: PovertyStandardId) =>
  fc.constantFrom<AreaType>('RURAL', 'URBAN').chain((area) => fc.tuple(fc.constant(area), incomeAroundALine(id, area), deprivedAroundTheThreshold(id)))

describe('classify', () => {
  for (const id of STANDARD_IDS) {
    test.prop([aroundTheLines(id)])(
      `${id}: agrees with domain.md §1.2 on every line, one đồng either side, and at 2 or 3 deprivations`,
      ([area, income, deprived]) => {
        const assessment = { areaType: area, assessedOn: standard(id).validFrom, incomePerPersonPerMonth: vnd(income), deprivedIndicators: deprived }
        expect(classify(assessment, standard(id))).toBe(DOMAIN_RULES[id].expected(income, deprived.length, area))
      },
    )

    test.prop([fc.constantFrom<AreaType>('RURAL', 'URBAN'), fc.bigInt({ min: 0n, max: 5_000_000n }), deprivedSubset(id)])(
      `${id}: agrees with domain.md §1.2 for any income`,
      (area, income, deprived) => {
        const assessment = { areaType: area, assessedOn: standard(id).validFrom, incomePerPersonPerMonth: vnd(income), deprivedIndicators: deprived }
        expect(classify(assessment, standard(id))).toBe(DOMAIN_RULES[id].expected(income, deprived.length, area))
      },
    )
  }

  const rural = (income: bigint, deprived: ReadonlyArray<DeprivationIndicator>) => ({
    areaType: 'RURAL' as const,
    assessedOn: day('2023-10-01'),
    incomePerPersonPerMonth: vnd(income),
    deprivedIndicators: deprived,
  })
  const threeDeprivations: ReadonlyArray<DeprivationIndicator> = ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE']

  it('ND-07-2021 needs low income AND three deprivations: twelve deprivations above the line are not poverty', () =>
    expect(classify(rural(1_500_001n, standard('ND-07-2021').indicators), standard('ND-07-2021'))).toBe('AVERAGE_LIVING'))
  it('ND-07-2021 counts a household on the line with three deprivations as poor', () =>
    expect(classify(rural(1_500_000n, threeDeprivations), standard('ND-07-2021'))).toBe('POOR'))
  it('ND-07-2021 counts a household with no income but fewer than three deprivations as near-poor', () =>
    expect(classify(rural(0n, ['EMPLOYMENT', 'NUTRITION']), standard('ND-07-2021'))).toBe('NEAR_POOR'))
  it('counts an indicator named twice once', () =>
    expect(classify(rural(1_000_000n, ['EMPLOYMENT', 'EMPLOYMENT', 'NUTRITION']), standard('ND-07-2021'))).toBe('NEAR_POOR'))
  it('ignores an indicator the standard does not use', () =>
    expect(classify(rural(800_000n, ['EMPLOYMENT', 'NUTRITION', 'WATER_SOURCE']), standard('QD-59-2015'))).toBe('NEAR_POOR'))
  it('QD-09-2011 has no average-living band', () => expect(classify(rural(520_001n, []), standard('QD-09-2011'))).toBe('NONE'))
})

describe('the national standards', () => {
  it('QD-59-2015 has 10 indicators and ND-07-2021 has 12, none repeated', () => {
    expect(new Set(standard('QD-59-2015').indicators).size).toBe(10)
    expect(new Set(standard('ND-07-2021').indicators).size).toBe(12)
  })
  it('no two standards apply to the same day', () => expect(overlappingStandards(nationalPovertyStandards)).toStrictEqual([]))

  const inForce = (date: string) => O.map((found: PovertyStandard) => found.id)(standardInForceOn(day(date)))
  it.each([
    ['2010-12-31', O.none],
    ['2011-01-01', O.some('QD-09-2011')],
    ['2015-12-31', O.some('QD-09-2011')],
    ['2016-01-01', O.some('QD-59-2015')],
    ['2021-12-31', O.some('QD-59-2015')], // 2021 still used QD-59-2015 [V:S1]
    ['2022-01-01', O.some('ND-07-2021')],
    ['2030-06-01', O.some('ND-07-2021')],
  ])('on %s the standard in force is %o', (date, expected) => expect(inForce(date)).toStrictEqual(expected))
})

describe('provincial lines', () => {
  const hanoi = (lines: { rural: bigint; urban: bigint }, validFrom = '2011-01-01', validTo = '2016-01-01'): ProvincialIncomeLines => ({
    standardId: 'QD-09-2011',
    declaredBy: 'Hanoi People’s Council resolution',
    validFrom: day(validFrom),
    validTo: day(validTo),
    lines: {
      RURAL: { poverty: vnd(lines.rural), nearPoverty: vnd((lines.rural * 13n) / 10n) },
      URBAN: { poverty: vnd(lines.urban), nearPoverty: vnd((lines.urban * 13n) / 10n) },
    },
    evidence: '[V:S4b]',
  })
  const withHanoi = withProvincialLines(nationalPovertyStandards, hanoi({ rural: 500_000n, urban: 650_000n }, '2013-01-01'))
  const urban = (income: bigint, date: string) => ({ areaType: 'URBAN' as const, assessedOn: day(date), incomePerPersonPerMonth: vnd(income), deprivedIndicators: [] })
  const classifiedUnder = (catalogue: typeof withHanoi, income: bigint, date: string) =>
    E.map((found: typeof nationalPovertyStandards) => classify(urban(income, date), O.getOrElseW(() => standard('QD-09-2011'))(standardById('QD-09-2011', found))))(catalogue)

  it('a province’s higher line applies within its period', () => expect(classifiedUnder(withHanoi, 600_000n, '2013-01-01')).toStrictEqual(E.right('POOR')))
  it('the national line applies the day before the province’s period', () => expect(classifiedUnder(withHanoi, 600_000n, '2012-12-31')).toStrictEqual(E.right('NEAR_POOR')))
  it('leaves the national catalogue unchanged', () => expect(classify(urban(600_000n, '2014-01-01'), standard('QD-09-2011'))).toBe('NEAR_POOR'))
  it('refuses a provincial line below the national one', () =>
    expect(withProvincialLines(nationalPovertyStandards, hanoi({ rural: 399_999n, urban: 650_000n }))).toStrictEqual(
      E.left({ _tag: 'ProvincialLineBelowNational', standardId: 'QD-09-2011', areaType: 'RURAL', line: 'poverty' }),
    ))
  it('refuses two provincial declarations for the same days', () =>
    expect(E.flatMap((catalogue: typeof nationalPovertyStandards) => withProvincialLines(catalogue, hanoi({ rural: 450_000n, urban: 600_000n }, '2015-01-01')))(withHanoi)).toStrictEqual(
      E.left({ _tag: 'ProvincialLinesOverlap', standardId: 'QD-09-2011', declaredBy: ['Hanoi People’s Council resolution', 'Hanoi People’s Council resolution'] }),
    ))
  it('decodes a deployment’s declaration from JSON and refuses an impossible date', () => {
    const decoded = ProvincialIncomeLines.decode({ ...ProvincialIncomeLines.encode(hanoi({ rural: 500_000n, urban: 650_000n })), validFrom: '2013-02-30' })
    expect(E.isLeft(decoded)).toBe(true)
    expect(ProvincialIncomeLines.decode(JSON.parse(JSON.stringify(ProvincialIncomeLines.encode(hanoi({ rural: 500_000n, urban: 650_000n })))))).toStrictEqual(
      E.right(hanoi({ rural: 500_000n, urban: 650_000n })),
    )
  })
})
