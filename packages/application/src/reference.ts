/**
 * The dated reference data decisions are judged by. A deployment injects its own (a province's
 * income lines with `withProvincialLines`, its local programme versions with `withProgrammeVersions`);
 * what it leaves out is the core's national data. Communes and towns are not here: a deployment
 * declares them as commands (`DeclareCommune`, `JoinTown`), so they live in the store.
 */
import {
  nationalPovertyStandards,
  nationalProgrammes,
  nationalReviewRules,
  type PovertyStandardCatalogue,
  type ProgrammeCatalogue,
  type ReviewRules,
} from '@policy-credit/core'

export interface ReferenceData {
  /** Income lines and deprivation indicators, for assessing households. */
  readonly povertyStandards: PovertyStandardCatalogue
  /** Review periods and when results take effect, for assessments and recognitions. */
  readonly reviewRules: ReadonlyArray<ReviewRules>
  /** Programme terms by date, for approvals and interest. */
  readonly programmes: ProgrammeCatalogue
}

export const nationalReference: ReferenceData = {
  povertyStandards: nationalPovertyStandards,
  reviewRules: nationalReviewRules,
  programmes: nationalProgrammes,
}

/** The national data with a deployment's replacements. */
export const referenceData = (overrides: Partial<ReferenceData> = {}): ReferenceData => ({ ...nationalReference, ...overrides })
