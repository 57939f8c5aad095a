/** Renders docs/commands.md from the command catalogue, the core's field listing and field notes, and the command meanings. */
import { eventFields, fieldNotes, Loan } from '@policy-credit/core'
import { businessDateFields, commandCatalogue, commandMeanings, type DomainCommandType } from '@policy-credit/application'

const cell = (text: string): string => text.replaceAll('|', '\\|')

type Codec = { readonly name: string; readonly _tag?: string; readonly type?: Codec; readonly types?: ReadonlyArray<Codec>; readonly props?: Readonly<Record<string, Codec>> }

/** Object values nested in command fields (an instalment, a loan check), with their own fields. */
const nestedObjects = (): Map<string, Readonly<Record<string, Codec>>> => {
  const found = new Map<string, Readonly<Record<string, Codec>>>()
  const visit = (codec: Codec): void => {
    // A strict object is an exact wrapper, named by its declaration, around an object whose name lists its fields.
    const props = codec.props ?? (codec._tag === 'ExactType' ? codec.type?.props : undefined)
    if (props !== undefined) found.set(codec.name, props)
    else if (codec.type !== undefined) visit(codec.type)
    for (const member of codec.types ?? []) visit(member)
  }
  for (const { codecs } of commandCatalogue) for (const codec of Object.values(codecs)) for (const field of eventFields(codec)) visit(field.codec as unknown as Codec)
  return found
}

const loanContext = (type: string): string | undefined => {
  if (!Object.hasOwn(Loan.loanCommandCodecs, type)) return undefined
  // contextNeeded reads only the type, so a command with empty data answers for its type.
  return Loan.contextNeeded({ type, data: {} } as unknown as Loan.LoanCommand)
}

const CONTEXT_LOADED: Readonly<Record<string, string>> = {
  approval: "the household's class in force on the approval day (from `household-<householdId>`) and the programme terms in force that day (reference data)",
  capitalReservation: 'a capital reservation on `capital-<communeId>-<year of disbursedOn>`, made before the loan event is appended',
  termsLookup: 'the programme terms by date (reference data), to compute interest owed',
  inspectionFinding: "the inspection's finding for this loan (from `inspection-<inspectionId>`)",
}

export const renderCommandsDoc = (): string => {
  const lines: Array<string> = [
    '# Commands',
    '',
    'Every command the domain accepts, by aggregate: what it asks, the stream it goes to, its business date and the fields of its `data`.',
    'Generated from the codecs gathered in `packages/application/src/commands.ts` (`commandCatalogue`, `businessDateFields`) and',
    '`commandMeanings`, with the core’s field notes; `packages/application/test/docs/commands.test.ts` fails when this file and the',
    'codecs differ. To regenerate: `UPDATE_COMMANDS_DOC=1 npx vitest run packages/application/test/docs`.',
    '',
    '## The command line',
    '',
    '`policy-credit import` reads one command per line of JSON (JSONL); `decodeCommandLine` in `@policy-credit/application` decodes one:',
    '',
    '```json',
    '{"commandId": "repay-ln-1-2023-08", "actor": "vbsp-officer-7", "command": {"type": "RepayPrincipal", "data": {"loanId": "LN-1", "amount": "50000000", "repaidOn": "2023-08-20"}}}',
    '```',
    '',
    '| field | required | meaning |',
    '| --- | --- | --- |',
    '| `commandId` | yes | Unique per command, never reused: event ids derive from it, so a line executed twice appends nothing the second time. |',
    '| `occurredOn` | no | The business date (`YYYY-MM-DD`) the events record; defaults to the command’s own date field, named below. |',
    '| `actor` | no | Who issued the command; recorded with each event. |',
    '| `correlationId` | no | The conversation the command belongs to (an import run, a review); the command id when absent. |',
    '| `command` | yes | `{ "type", "data" }`, as below. |',
    '',
    'Any other field is refused (a misspelt `occuredOn` is an error, not ignored). Money is whole đồng as a decimal string (`"1500000"`);',
    'dates are calendar days `YYYY-MM-DD`; a `… | null` field must be present, as `null` when it does not apply. The closed sets of values',
    '(`UnitKind`, `ProgrammeId`, …) are listed under “Value codecs” in [events.md](events.md).',
    '',
  ]
  for (const { aggregate, title, stream, codecs } of commandCatalogue) {
    lines.push(`## ${title}`, '', `Aggregate \`${aggregate}\`; stream: \`${stream}\`.`, '')
    for (const [type, codec] of Object.entries(codecs)) {
      const commandType = type as DomainCommandType
      lines.push(`### ${type}`, '', commandMeanings[commandType], '', `Business date: \`${businessDateFields[commandType]}\`.`)
      const context = loanContext(type)
      if (context !== undefined) lines.push('', `Loaded before deciding: ${CONTEXT_LOADED[context] ?? context}.`)
      lines.push('', '| field | codec | note |', '| --- | --- | --- |')
      for (const field of eventFields(codec)) lines.push(`| \`${field.name}\` | ${cell(field.type)} | ${cell(fieldNotes[field.name] ?? '')} |`)
      lines.push('')
    }
  }
  lines.push('## Nested values', '', 'Objects some fields hold, with their own fields.', '')
  for (const [name, props] of [...nestedObjects().entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`### ${name}`, '', '| field | codec |', '| --- | --- |')
    for (const [field, codec] of Object.entries(props)) lines.push(`| \`${field}\` | ${cell(codec.name)} |`)
    lines.push('')
  }
  return `${lines.join('\n').trimEnd()}\n`
}
