import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AdministrativeUnit, Capital, eventCatalogue, Household, Inspection, Loan, Plan } from '@policy-credit/core'
import { commandCatalogue, commandCodecs, commandMeanings, commandTypes } from '@policy-credit/application'
import { renderCommandsDoc } from './renderCommandsDoc.ts'

const docPath = fileURLToPath(new URL('../../../../docs/commands.md', import.meta.url))

describe('docs/commands.md', () => {
  it('is what the codecs say (regenerate with UPDATE_COMMANDS_DOC=1)', () => {
    const rendered = renderCommandsDoc()
    if (process.env.UPDATE_COMMANDS_DOC === '1') writeFileSync(docPath, rendered)
    expect(readFileSync(docPath, 'utf8')).toBe(rendered)
  })
})

describe('the command catalogue', () => {
  it('routes every aggregate the core’s event catalogue knows, so a new aggregate cannot be left unroutable', () => {
    expect(commandCatalogue.map(({ title }) => title)).toStrictEqual(eventCatalogue.map(({ aggregate }) => aggregate))
  })

  it('holds every command of every aggregate of the core, once, keyed by the type its codec decodes', () => {
    const coreCommandTypes = [
      ...AdministrativeUnit.AdministrativeUnitCommand.types.map((codec) => codec.name),
      ...Household.HouseholdCommand.types.map((codec) => codec.name),
      ...Object.keys(Loan.loanCommandCodecs),
      ...Object.keys(Capital.capitalCommandCodecs),
      ...Object.keys(Inspection.inspectionCommandCodecs),
      ...Plan.PlanCommand.types.map((codec) => codec.name),
    ]
    expect([...commandTypes].sort()).toStrictEqual([...coreCommandTypes].sort())
    expect(new Set(commandTypes).size).toBe(commandTypes.length)
    expect(Object.entries(commandCodecs).filter(([type, codec]) => codec.name !== type)).toStrictEqual([])
    expect(Object.keys(commandMeanings).sort()).toStrictEqual([...commandTypes].sort())
    expect(commandCatalogue.map(({ stream }) => stream)).toStrictEqual([
      'commune-<communeId>',
      'household-<householdId>',
      'loan-<loanId>',
      'capital-<communeId>-<year>',
      'inspection-<inspectionId>',
      'plan-<unitId>-<year>',
    ])
  })
})
