/**
 * `--programme-versions <file.json>`: programme terms a deployment adds to the national catalogue (a
 * version the catalogue does not record, a local budget's own terms), as a JSON list in the core's
 * `ProgrammeTerms` form (money as decimal strings). Read and checked before any store is opened: a
 * malformed file or a version that overlaps another of its programme is refused and nothing runs.
 */
import { readFileSync } from 'node:fs'
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { describeFieldErrors, fieldErrors, nationalProgrammes, ProgrammeTerms, withProgrammeVersions, type ProgrammeCatalogue } from '@policy-credit/core'
import { describeTagged } from './describe.ts'
import { describeCause } from './failures.ts'

const ProgrammeVersionList = t.readonlyArray(ProgrammeTerms, 'ProgrammeTerms[]')

/** The national catalogue with the file's versions, or why the file cannot be used, in words. */
export const readProgrammeVersions = (file: string): E.Either<string, ProgrammeCatalogue> => {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    return E.left(`cannot read programme versions from ${file}: ${describeCause(cause)}`)
  }
  const versions = ProgrammeVersionList.decode(json)
  if (E.isLeft(versions)) return E.left(`${file} is not a list of programme versions: ${describeFieldErrors(fieldErrors(versions.left))}`)
  const catalogue = withProgrammeVersions(nationalProgrammes, versions.right)
  return E.isLeft(catalogue) ? E.left(`${file} does not fit the national catalogue: ${describeTagged(catalogue.left)}`) : catalogue
}

