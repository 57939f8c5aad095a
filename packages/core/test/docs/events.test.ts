import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { Capital, decodeDomainEvent, eventCatalogue, eventCodecs, eventMeanings, Household, Inspection, Loan } from '@policy-credit/core'
import { renderEventsDoc } from './renderEventsDoc.ts'

const docPath = fileURLToPath(new URL('../../../../docs/events.md', import.meta.url))

describe('docs/events.md', () => {
  it('is what the codecs say (regenerate with UPDATE_EVENTS_DOC=1)', () => {
    const rendered = renderEventsDoc()
    if (process.env.UPDATE_EVENTS_DOC === '1') writeFileSync(docPath, rendered)
    expect(readFileSync(docPath, 'utf8')).toBe(rendered)
  })
})

describe('the event registry', () => {
  const unionMembers = [
    ...Household.HouseholdEvent.types.map((codec) => codec.name),
    ...Object.keys(Loan.loanEventCodecs),
    ...Object.keys(Capital.capitalEventCodecs),
    ...Object.keys(Inspection.inspectionEventCodecs),
  ]
  it('holds every aggregate event type, each with a meaning, once', () => {
    const catalogued = eventCatalogue.flatMap(({ codecs }) => Object.keys(codecs))
    expect(new Set(catalogued).size).toBe(catalogued.length)
    expect([...catalogued].sort()).toStrictEqual(Object.keys(eventCodecs).sort())
    expect(unionMembers.every((type) => catalogued.includes(type))).toBe(true)
    expect(Object.keys(eventMeanings).sort()).toStrictEqual(Object.keys(eventCodecs).sort())
  })
  it('keys each codec by the type it decodes', () =>
    expect(Object.entries(eventCodecs).filter(([type, codec]) => codec.name !== type)).toStrictEqual([]))
  it('decodes a stored event by its type and names the bad fields', () => {
    expect(decodeDomainEvent({ type: 'CorrectionCompleted', data: { inspectionId: 'I-1', communeId: 'C-1', correctionNumber: 0, late: 'no', completedOn: '2022-10-20' } })).toMatchObject(
      E.left({ codec: 'CorrectionCompleted', errors: [{ path: 'data.correctionNumber' }, { path: 'data.late' }] }),
    )
  })
})
