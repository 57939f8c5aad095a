/**
 * Dated reference data is a list of versions, each valid over a half-open period [validFrom, validTo).
 * These helpers are the one place that answers "which version was in force on this day" and "do two
 * versions claim the same day", for poverty standards, programme terms and review rules alike.
 */
import * as O from 'fp-ts/lib/Option.js'
import { isInForceOn, type DatedPeriod } from '../values/dates.ts'
import type { LocalDate } from '../values/dates.ts'

/** The version in force on `date`; when periods overlap (a defect a catalogue check refuses) the latest start wins. */
export const versionInForceOn = <Version extends DatedPeriod>(versions: ReadonlyArray<Version>, date: LocalDate): O.Option<Version> =>
  O.fromNullable(
    versions
      .filter((version) => isInForceOn(version, date))
      .reduce<Version | undefined>((latest, version) => (latest === undefined || version.validFrom > latest.validFrom ? version : latest), undefined),
  )

export const periodsOverlap = (a: DatedPeriod, b: DatedPeriod): boolean =>
  (a.validTo === undefined || b.validFrom < a.validTo) && (b.validTo === undefined || a.validFrom < b.validTo)

/** Pairs of versions whose periods share at least one day, in list order. */
export const overlappingVersions = <Version extends DatedPeriod>(
  versions: ReadonlyArray<Version>,
): ReadonlyArray<readonly [Version, Version]> =>
  versions.flatMap((first, index) => versions.slice(index + 1).filter((second) => periodsOverlap(first, second)).map((second) => [first, second] as const))

/** The earliest day any version covers, so a "nothing in force" answer can say where known history starts. */
export const earliestValidFrom = (versions: ReadonlyArray<DatedPeriod>): O.Option<LocalDate> =>
  versions.reduce<O.Option<LocalDate>>(
    (earliest, version) => (O.isNone(earliest) || version.validFrom < earliest.value ? O.some(version.validFrom) : earliest),
    O.none,
  )
