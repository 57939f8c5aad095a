/** Renders docs/events.md from the event codecs, their meanings and the field notes. */
import { eventCatalogue, eventFields, eventMeanings, fieldNotes, type DomainEventType } from '@policy-credit/core'

const cell = (text: string): string => text.replaceAll('|', '\\|')

type Codec = { readonly name: string; readonly _tag?: string; readonly keys?: Readonly<Record<string, unknown>>; readonly types?: ReadonlyArray<Codec> }

/** Every keyof codec the event fields use, directly or inside a nullable union, with its values. */
const enumerations = (): Map<string, ReadonlyArray<string>> => {
  const found = new Map<string, ReadonlyArray<string>>()
  const visit = (codec: Codec): void => {
    if (codec._tag === 'KeyofType' && codec.keys !== undefined) found.set(codec.name, Object.keys(codec.keys))
    for (const member of codec.types ?? []) visit(member)
  }
  for (const { codecs } of eventCatalogue) for (const codec of Object.values(codecs)) for (const field of eventFields(codec)) visit(field.codec as Codec)
  return found
}

export const renderEventsDoc = (): string => {
  const lines: Array<string> = [
    '# Events',
    '',
    'Every event type of the domain, by aggregate: its meaning and the fields of its `data`, with the codec of each field.',
    'Generated from the codecs in `packages/core/src/events.ts` (`eventCatalogue`, `eventMeanings`, `fieldNotes`);',
    '`packages/core/test/docs/events.test.ts` fails when this file and the codecs differ. To regenerate:',
    '`UPDATE_EVENTS_DOC=1 npx vitest run packages/core/test/docs`.',
    '',
    'Each event is stored as `{ type, data }`; money is whole đồng as a decimal string; dates are calendar days `YYYY-MM-DD`.',
    '',
  ]
  for (const { aggregate, stream, codecs } of eventCatalogue) {
    lines.push(`## ${aggregate}`, '', `Stream: \`${stream}\`.`, '')
    for (const [type, codec] of Object.entries(codecs)) {
      lines.push(`### ${type}`, '', eventMeanings[type as DomainEventType], '', '| field | codec | note |', '| --- | --- | --- |')
      for (const field of eventFields(codec)) lines.push(`| \`${field.name}\` | ${cell(field.type)} | ${cell(fieldNotes[field.name] ?? '')} |`)
      lines.push('')
    }
  }
  lines.push('## Value codecs', '', 'The closed sets of values the fields above use.', '', '| codec | values |', '| --- | --- |')
  for (const [name, values] of [...enumerations().entries()].sort(([a], [b]) => a.localeCompare(b))) lines.push(`| ${name} | ${values.map((value) => `\`${value}\``).join(', ')} |`)
  return `${lines.join('\n').trimEnd()}\n`
}
