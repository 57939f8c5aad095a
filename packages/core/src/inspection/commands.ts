/** What an inspecting body records about an inspection, each with its business date. */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { readonlyArray } from '../shared/codecs.ts'
import { message, type DecodeFailure } from '../shared/message.ts'
import { LocalDate } from '../values/dates.ts'
import { InspectionId, LoanId } from '../values/identifiers.ts'
import { decodeByType, unionOf, nullable, PositiveCount, Text } from '../loan/values.ts'
import { inspectionPlan, LoanCheck } from './events.ts'

export const PlanInspection = message('PlanInspection', inspectionPlan)

export const ConductInspection = message('ConductInspection', {
  inspectionId: InspectionId,
  minutesId: Text,
  checks: readonlyArray(LoanCheck),
  conductedOn: LocalDate,
})

export const RequireCorrection = message('RequireCorrection', {
  inspectionId: InspectionId,
  description: Text,
  loanId: nullable(LoanId),
  deadline: LocalDate,
  requiredOn: LocalDate,
})

export const CompleteCorrection = message('CompleteCorrection', { inspectionId: InspectionId, correctionNumber: PositiveCount, completedOn: LocalDate })

export const CompleteInspection = message('CompleteInspection', { inspectionId: InspectionId, completedOn: LocalDate })

export const inspectionCommandCodecs = { PlanInspection, ConductInspection, RequireCorrection, CompleteCorrection, CompleteInspection } as const

export const InspectionCommand = unionOf('InspectionCommand', inspectionCommandCodecs)
export type InspectionCommand = t.TypeOf<typeof InspectionCommand>

export const decodeInspectionCommand: (input: unknown) => E.Either<DecodeFailure, InspectionCommand> = decodeByType('InspectionCommand', inspectionCommandCodecs)
