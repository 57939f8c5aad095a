/**
 * One line of the example's JSONL: a command in its JSON form (money as decimal strings), with a
 * command id that is the same on every run (event ids, and so idempotent re-imports, derive from it)
 * and the actor who issued it. The business date is the command's own date field; `date` is kept
 * beside it only to order the history.
 */
import type * as t from 'io-ts'

export interface ExampleCommand {
  readonly type: string
  readonly data: unknown
}

export interface CommandLine {
  readonly commandId: string
  readonly actor: string
  readonly command: ExampleCommand
}

export interface DatedLine {
  readonly date: string
  readonly line: CommandLine
}

/**
 * A command in JSON form, checked by the compiler against the core codec's encoded type, so a field
 * the core renames breaks the build rather than the import.
 */
export const command = <Codec extends t.Mixed>(codec: Codec, data: t.OutputOf<Codec>['data']): ExampleCommand => ({ type: codec.name, data })

export const dated = (date: string, commandId: string, actor: string, exampleCommand: ExampleCommand): DatedLine => ({
  date,
  line: { commandId, actor, command: exampleCommand },
})

/** Stable: lines of the same day keep the order they were issued in. */
export const chronological = (lines: ReadonlyArray<DatedLine>): ReadonlyArray<DatedLine> =>
  lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => (a.line.date < b.line.date ? -1 : a.line.date > b.line.date ? 1 : a.index - b.index))
    .map(({ line }) => line)

export const pad = (value: number, width = 2): string => String(value).padStart(width, '0')
