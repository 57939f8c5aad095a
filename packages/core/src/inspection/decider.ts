/** The inspection decider: plan → conduct (a finding per loan) → corrections → completion. */
import * as E from 'fp-ts/lib/Either.js'
import { match, P } from 'ts-pattern'
import type { Decider } from '../shared/decider.ts'
import type { LocalDate } from '../values/dates.ts'
import { sumVnd } from '../values/money.ts'
import { count, positiveCount } from '../loan/values.ts'
import type { InspectionCommand } from './commands.ts'
import type { InspectionEvent, LoanCheck } from './events.ts'
import type { InspectionRejection } from './rejections.ts'
import type { Inspection } from './state.ts'

type Decision = E.Either<InspectionRejection, ReadonlyArray<InspectionEvent>>
type Conducted = Extract<Inspection, { readonly status: 'Conducted' }>

const notBefore = (command: InspectionCommand['type'], lastActivityOn: LocalDate, date: LocalDate, decision: () => Decision): Decision =>
  date < lastActivityOn ? E.left({ _tag: 'DatedBeforeLastActivity', command, lastActivityOn, date }) : decision()

const inconsistentCheck = (checks: ReadonlyArray<LoanCheck>): InspectionRejection | undefined => {
  const seen = new Set<string>()
  for (const check of checks) {
    if (seen.has(check.loanId)) return { _tag: 'LoanCheckedTwice', loanId: check.loanId }
    seen.add(check.loanId)
    const misuseConsistent = check.status === 'MISUSED' ? check.amountMisused > 0n && check.amountMisused <= check.amountChecked : check.amountMisused === 0n
    if (!misuseConsistent)
      return { _tag: 'MisusedAmountInconsistent', loanId: check.loanId, status: check.status, amountChecked: check.amountChecked, amountMisused: check.amountMisused }
  }
  return undefined
}

const conduct = (data: Extract<InspectionCommand, { readonly type: 'ConductInspection' }>['data'], planned: Extract<Inspection, { readonly status: 'Planned' }>): Decision =>
  notBefore('ConductInspection', planned.plan.plannedOn, data.conductedOn, () => {
    if (data.checks.length === 0) return E.left({ _tag: 'NoLoanChecked' })
    const inconsistency = inconsistentCheck(data.checks)
    if (inconsistency !== undefined) return E.left(inconsistency)
    return E.right([
      {
        type: 'InspectionConducted',
        data: {
          ...data,
          communeId: planned.plan.communeId,
          loansChecked: count(data.checks.length),
          amountChecked: sumVnd(data.checks.map((check) => check.amountChecked)),
          amountMisused: sumVnd(data.checks.map((check) => check.amountMisused)),
        },
      },
    ])
  })

const completeCorrection = (data: Extract<InspectionCommand, { readonly type: 'CompleteCorrection' }>['data'], conducted: Conducted): Decision =>
  notBefore('CompleteCorrection', conducted.lastActivityOn, data.completedOn, () => {
    const correction = conducted.corrections.find((candidate) => candidate.correctionNumber === data.correctionNumber)
    if (correction === undefined) return E.left({ _tag: 'NoSuchCorrection', correctionNumber: data.correctionNumber })
    if (correction.completedOn !== null)
      return E.left({ _tag: 'CorrectionAlreadyCompleted', correctionNumber: data.correctionNumber, completedOn: correction.completedOn })
    return E.right([{ type: 'CorrectionCompleted', data: { ...data, communeId: conducted.plan.communeId, late: data.completedOn > correction.deadline } }])
  })

const complete = (data: Extract<InspectionCommand, { readonly type: 'CompleteInspection' }>['data'], conducted: Conducted): Decision =>
  notBefore('CompleteInspection', conducted.lastActivityOn, data.completedOn, () => {
    const open = conducted.corrections.filter((correction) => correction.completedOn === null).map((correction) => correction.correctionNumber)
    if (open.length > 0) return E.left({ _tag: 'CorrectionsStillOpen', correctionNumbers: open })
    return E.right([
      {
        type: 'InspectionCompleted',
        data: {
          ...data,
          communeId: conducted.plan.communeId,
          loansChecked: count(conducted.checks.length),
          loansMisused: count(conducted.checks.filter((check) => check.status === 'MISUSED').length),
          correctionsRequired: count(conducted.corrections.length),
        },
      },
    ])
  })

const decide = (command: InspectionCommand, inspection: Inspection): Decision =>
  match([command, inspection])
    .returnType<Decision>()
    .with([{ type: 'PlanInspection' }, { status: 'Unplanned' }], ([{ data }]) =>
      data.periodTo < data.periodFrom
        ? E.left({ _tag: 'PeriodEndsBeforeItStarts', periodFrom: data.periodFrom, periodTo: data.periodTo })
        : E.right([{ type: 'InspectionPlanned', data }]),
    )
    .with([{ type: 'ConductInspection' }, { status: 'Planned' }], ([{ data }, planned]) => conduct(data, planned))
    .with([{ type: 'RequireCorrection' }, { status: 'Conducted' }], ([{ data }, conducted]) =>
      notBefore('RequireCorrection', conducted.lastActivityOn, data.requiredOn, () =>
        data.deadline <= data.requiredOn
          ? E.left({ _tag: 'DeadlineNotAfterRequiredDate', deadline: data.deadline, requiredOn: data.requiredOn })
          : E.right([
              {
                type: 'CorrectionRequired',
                data: { ...data, communeId: conducted.plan.communeId, correctionNumber: positiveCount(conducted.corrections.length + 1) },
              },
            ]),
      ),
    )
    .with([{ type: 'CompleteCorrection' }, { status: 'Conducted' }], ([{ data }, conducted]) => completeCorrection(data, conducted))
    .with([{ type: 'CompleteInspection' }, { status: 'Conducted' }], ([{ data }, conducted]) => complete(data, conducted))
    // One fallback per command type: a new command type still fails `.exhaustive()`.
    .with(
      [{ type: 'PlanInspection' }, P._],
      [{ type: 'ConductInspection' }, P._],
      [{ type: 'RequireCorrection' }, P._],
      [{ type: 'CompleteCorrection' }, P._],
      [{ type: 'CompleteInspection' }, P._],
      ([command, other]) => E.left({ _tag: 'InspectionStatusDisallowsCommand', command: command.type, status: other.status }),
    )
    .exhaustive()

// decide emits events only in the statuses that allow them; evolve records the facts.
const evolve = (inspection: Inspection, event: InspectionEvent): Inspection =>
  match(event)
    .returnType<Inspection>()
    .with({ type: 'InspectionPlanned' }, ({ data }) => ({
      status: 'Planned',
      plan: { inspectionId: data.inspectionId, communeId: data.communeId, periodFrom: data.periodFrom, periodTo: data.periodTo, plannedOn: data.plannedOn },
    }))
    .with({ type: 'InspectionConducted' }, ({ data }) =>
      inspection.status === 'Planned'
        ? { status: 'Conducted', plan: inspection.plan, checks: data.checks, conductedOn: data.conductedOn, corrections: [], lastActivityOn: data.conductedOn }
        : inspection,
    )
    .with({ type: 'CorrectionRequired' }, ({ data }) =>
      inspection.status === 'Conducted'
        ? {
            ...inspection,
            corrections: [...inspection.corrections, { correctionNumber: data.correctionNumber, deadline: data.deadline, completedOn: null }],
            lastActivityOn: data.requiredOn,
          }
        : inspection,
    )
    .with({ type: 'CorrectionCompleted' }, ({ data }) =>
      inspection.status === 'Conducted'
        ? {
            ...inspection,
            corrections: inspection.corrections.map((correction) =>
              correction.correctionNumber === data.correctionNumber ? { ...correction, completedOn: data.completedOn } : correction,
            ),
            lastActivityOn: data.completedOn,
          }
        : inspection,
    )
    .with({ type: 'InspectionCompleted' }, ({ data }) =>
      inspection.status === 'Conducted'
        ? {
            status: 'Completed',
            plan: inspection.plan,
            checks: inspection.checks,
            conductedOn: inspection.conductedOn,
            corrections: inspection.corrections,
            completedOn: data.completedOn,
          }
        : inspection,
    )
    .exhaustive()

export const inspectionDecider: Decider<InspectionCommand, InspectionEvent, Inspection, InspectionRejection> = {
  initialState: { status: 'Unplanned' },
  evolve,
  decide,
}
