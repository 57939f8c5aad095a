/**
 * The whole history, year by year, in business-date order: the units declared and joining the town,
 * households registered and reviewed, capital entrusted, and in 2022 the plan, the loans and the
 * inspection. Years are produced one at a time, so the lines can be streamed to a file.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { decodeCommandEnvelope, type CommandEnvelope } from '@policy-credit/application'
import { AdministrativeUnit } from '@policy-credit/core'
import { chronological, command, dated, type CommandLine, type DatedLine } from './commandLine.ts'
import { creditHistory2022, entrustmentLines, entrustments } from './credit.ts'
import { reviewYearHistory, reviewYears, type ReviewYearHistory } from './households.ts'
import { planLines } from './plan.ts'
import { NGHIA_LO, partHistory, units } from './town.ts'

const unitLines = (year: number): ReadonlyArray<DatedLine> =>
  units.flatMap((unit) => {
    const { declaredOn, joinsTownOn } = partHistory[unit.part]
    const actor = 'province-pc:yen-bai'
    return [
      ...(Number(declaredOn.slice(0, 4)) === year
        ? [
            dated(
              declaredOn,
              `nghia-lo:declare:${unit.communeId}`,
              actor,
              command(AdministrativeUnit.DeclareCommune, { communeId: unit.communeId, name: unit.name, unitKind: unit.unitKind, declaredOn }),
            ),
          ]
        : []),
      ...(Number(joinsTownOn.slice(0, 4)) === year
        ? [
            dated(
              joinsTownOn,
              `nghia-lo:join:${unit.communeId}:${NGHIA_LO}`,
              actor,
              command(AdministrativeUnit.JoinTown, { communeId: unit.communeId, townId: NGHIA_LO, joinedOn: joinsTownOn }),
            ),
          ]
        : []),
    ]
  })

export const FIRST_YEAR = Math.min(...reviewYears)
export const LAST_YEAR = 2022

const yearsOfHistory: ReadonlyArray<number> = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, index) => FIRST_YEAR + index)

/** The lines of one year in business-date order; 2022's loans need the 2021 review's classes. */
const yearLines = (year: number, previousReview: ReviewYearHistory | undefined): { readonly lines: ReadonlyArray<DatedLine>; readonly review: ReviewYearHistory | undefined } => {
  const review = reviewYears.includes(year) ? reviewYearHistory(year) : undefined
  const credit = year === LAST_YEAR ? creditHistory2022(previousReview?.classes ?? new Map()).lines : []
  const lines = [...unitLines(year), ...entrustmentLines(year), ...planLines(year), ...(review?.lines ?? []), ...credit]
  return { lines: chronological(lines), review }
}

/** Every command of the example, oldest first. The same lines, in the same order, on every run. */
export function* nghiaLoCommandLines(): Generator<CommandLine> {
  let previousReview: ReviewYearHistory | undefined
  for (const year of yearsOfHistory) {
    const { lines, review } = yearLines(year, previousReview)
    for (const { line } of lines) yield line
    previousReview = review ?? previousReview
  }
}

/**
 * The same lines decoded by the application, ready for `executeAll`. A line the application refuses to
 * decode is a defect of the example, so it throws, naming the line.
 */
export function* nghiaLoCommandEnvelopes(): Generator<CommandEnvelope> {
  for (const line of nghiaLoCommandLines()) {
    const decoded = decodeCommandEnvelope(line)
    if (E.isLeft(decoded)) throw new Error(`the example's command ${line.commandId} does not decode: ${JSON.stringify(decoded.left)}`)
    yield decoded.right
  }
}

/** Writes the lines as JSONL (one command per line) and returns how many it wrote. */
export const writeNghiaLoCommands = (path: string): number => {
  const file = openSync(path, 'w')
  let written = 0
  let buffer = ''
  try {
    for (const line of nghiaLoCommandLines()) {
      buffer += `${JSON.stringify(line)}\n`
      written++
      if (buffer.length > 1 << 20) {
        writeSync(file, buffer)
        buffer = ''
      }
    }
    writeSync(file, buffer)
  } finally {
    closeSync(file)
  }
  return written
}
