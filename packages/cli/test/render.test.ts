import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { niceTicks } from '../src/reports/charts.ts'
import { csvField } from '../src/reports/escape.ts'
import { renderCsv, renderHtml, renderJson, renderTable } from '../src/reports/render.ts'
import { groupedDigits, percentText, type Report } from '../src/reports/report.ts'

const report: Report = {
  name: 'outstanding-debt',
  title: 'Outstanding debt',
  parameters: [{ name: 'as of', value: '2022-06-30' }],
  tables: [
    {
      title: 'By programme',
      columns: [
        { key: 'programme', heading: 'Programme', kind: 'text' },
        { key: 'loans', heading: 'Loans', kind: 'count' },
        { key: 'outstanding', heading: 'Outstanding (VND)', kind: 'money' },
        { key: 'overdueRatio', heading: 'Overdue', kind: 'percent' },
      ],
      rows: [
        ['MAYTINH, "computers"', 100n, 1_000_000_000n, { numerator: 0n, denominator: 1_000_000_000n }],
        ['NOXH', 13n, 3_535_000_000n, { numerator: 15_200_000n, denominator: 3_535_000_000n }],
        ['HN', 0n, 0n, { numerator: 0n, denominator: 0n }],
      ],
    },
  ],
  charts: [],
}

/** A minimal RFC 4180 reader, to read back what the CSV writer wrote. */
const readCsv = (text: string): ReadonlyArray<ReadonlyArray<string>> => {
  const rows: Array<Array<string>> = [[]]
  let field = ''
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const character = text[index]
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') (field += '"'), index++
      else if (character === '"') quoted = false
      else field += character
    } else if (character === '"') quoted = true
    else if (character === ',') rows.at(-1)?.push(field), (field = '')
    else if (character === '\r' && text[index + 1] === '\n') rows.at(-1)?.push(field), (field = ''), rows.push([]), index++
    else field += character
  }
  return rows.filter((row) => row.length > 0)
}

describe('rates', () => {
  it('rounds half up to two decimals: the article figures', () => {
    expect(percentText({ numerator: 1176n, denominator: 7162n })).toBe('16.42')
    expect(percentText({ numerator: 1025n, denominator: 7649n })).toBe('13.40')
    expect(percentText({ numerator: 416n, denominator: 2000n })).toBe('20.80')
    expect(percentText({ numerator: 1n, denominator: 8n })).toBe('12.50')
    expect(percentText({ numerator: 1n, denominator: 80000n })).toBe('0.00')
    expect(percentText({ numerator: 1n, denominator: 40000n })).toBe('0.00')
    expect(percentText({ numerator: 1n, denominator: 20000n })).toBe('0.01')
    expect(percentText({ numerator: 5n, denominator: 0n })).toBeUndefined()
  })

  test.prop([fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 15n })])(
    'is within half a hundredth of a percent of the exact rate, and never moves down on a tie',
    (numerator, denominator) => {
      const text = percentText({ numerator, denominator }) ?? ''
      const [whole = '', fraction = ''] = text.split('.')
      const hundredths = BigInt(whole) * 100n + BigInt(fraction)
      // |hundredths/10 000 − n/d| ≤ 1/20 000  ⇔  |2·d·hundredths − 20 000·n| ≤ d, with the tie rounding up.
      const difference = 2n * denominator * hundredths - 20_000n * numerator
      expect(difference <= denominator && difference > -denominator).toBe(true)
    },
  )

  it('groups digits by thousands', () => {
    expect(groupedDigits(2_036_000_000n)).toBe('2,036,000,000')
    expect(groupedDigits(999n)).toBe('999')
    expect(groupedDigits(-1_000n)).toBe('-1,000')
  })
})

describe('chart axes', () => {
  test.prop([fc.double({ min: 1e-6, max: 1e13, noNaN: true })])('ticks start at 0, rise evenly, and reach the maximum in at most 7 steps', (maximum) => {
    const ticks = niceTicks(maximum)
    expect(ticks[0]).toBe(0)
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(maximum * (1 - 1e-9))
    expect(ticks.length).toBeLessThanOrEqual(8)
    expect(ticks.length).toBeGreaterThanOrEqual(2)
  })
})

describe('output formats', () => {
  it('table: aligned columns, grouped money, rates with a percent sign, a dash where there is no rate', () => {
    const text = renderTable(report)
    expect(text).toContain('as of: 2022-06-30')
    expect(text).toContain('3,535,000,000')
    expect(text).toContain('0.43 %')
    const lines = text.split('\n').filter((line) => line.startsWith('NOXH') || line.startsWith('HN ') || line.startsWith('Programme'))
    // Right-aligned numeric columns end at the same place on every line.
    expect(new Set(lines.map((line) => line.length)).size).toBe(1)
    expect(text).toMatch(/HN .*—/)
  })

  test.prop([fc.string()])('CSV fields read back as written', (text) => {
    expect(readCsv(`${csvField(text)},x\r\n`)).toStrictEqual([[text, 'x']])
  })

  it('CSV: a header of keys, plain digits, a bare percentage', () => {
    expect(readCsv(renderCsv(report))).toStrictEqual([
      ['programme', 'loans', 'outstanding', 'overdueRatio'],
      ['MAYTINH, "computers"', '100', '1000000000', '0.00'],
      ['NOXH', '13', '3535000000', '0.43'],
      ['HN', '0', '0', ''],
    ])
  })

  it('JSON: money as decimal strings, counts as numbers, every rate with its numerator and denominator', () => {
    const json = JSON.parse(renderJson(report)) as { report: string; parameters: unknown; tables: Array<{ rows: Array<Record<string, unknown>> }> }
    expect(json.report).toBe('outstanding-debt')
    expect(json.parameters).toStrictEqual({ 'as of': '2022-06-30' })
    expect(json.tables[0]?.rows[1]).toStrictEqual({
      programme: 'NOXH',
      loans: 13,
      outstanding: '3535000000',
      overdueRatio: { percent: 0.43, numerator: '15200000', denominator: '3535000000' },
    })
    expect(json.tables[0]?.rows[2]?.['overdueRatio']).toStrictEqual({ percent: null, numerator: '0', denominator: '0' })
  })

  it('HTML: one page that references nothing outside itself and escapes the data', () => {
    const html = renderHtml('Nghĩa Lộ <town>', [report], '2026-01-01T00:00:00.000Z')
    expect(html).toContain('Nghĩa Lộ &lt;town&gt;')
    expect(html).toContain('MAYTINH, &quot;computers&quot;')
    expect(html).not.toMatch(/\b(src|href)=/)
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
    expect(html).not.toContain('<script')
  })
})
