import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { day, idOf, Inspection, Loan, LoanId, vnd } from '@policy-credit/core'
import { deciderSpec } from '@policy-credit/core/testing'
import { communeId, inspectionId, loanId } from '../loan/fixtures.ts'

const given = deciderSpec(Inspection.inspectionDecider)
const otherLoan = idOf(LoanId, 'LN-2022-0002')
const number = Loan.positiveCount

const plan = {
  inspectionId,
  bodyKind: 'BOARD_OF_REPRESENTATIVES',
  bodyName: Loan.text("Nghĩa Lộ town Board of Representatives, Labour Office member"),
  communeId,
  periodFrom: day('2022-01-01'),
  periodTo: day('2022-06-30'),
  plannedOn: day('2022-08-01'),
} as const
const planned: Inspection.InspectionEvent = { type: 'InspectionPlanned', data: plan }
const checks: ReadonlyArray<Inspection.LoanCheck> = [
  { loanId, status: 'MISUSED', amountChecked: vnd(60_000_000n), amountMisused: vnd(20_000_000n) },
  { loanId: otherLoan, status: 'PROPER_USE', amountChecked: vnd(40_000_000n), amountMisused: vnd(0n) },
]
const conduct = (changes: Partial<Extract<Inspection.InspectionCommand, { readonly type: 'ConductInspection' }>['data']> = {}): Inspection.InspectionCommand => ({
  type: 'ConductInspection',
  data: { inspectionId, minutesId: Loan.text('BB-KT-07/2022'), checks, conductedOn: day('2022-09-10'), ...changes },
})
const conducted: Inspection.InspectionEvent = {
  type: 'InspectionConducted',
  data: { inspectionId, communeId, minutesId: Loan.text('BB-KT-07/2022'), checks, loansChecked: Loan.count(2), amountChecked: vnd(100_000_000n), amountMisused: vnd(20_000_000n), conductedOn: day('2022-09-10') },
}
const require = (deadline: string, requiredOn = '2022-09-12'): Inspection.InspectionCommand => ({
  type: 'RequireCorrection',
  data: { inspectionId, description: Loan.text('recover the misused 20 m'), loanId, deadline: day(deadline), requiredOn: day(requiredOn) },
})
const correctionRequired: Inspection.InspectionEvent = {
  type: 'CorrectionRequired',
  data: { inspectionId, communeId, correctionNumber: number(1), description: Loan.text('recover the misused 20 m'), loanId, deadline: day('2022-10-31'), requiredOn: day('2022-09-12') },
}
const completeCorrection = (completedOn: string, correctionNumber = 1): Inspection.InspectionCommand => ({
  type: 'CompleteCorrection',
  data: { inspectionId, correctionNumber: number(correctionNumber), completedOn: day(completedOn) },
})
const correctionCompleted: Inspection.InspectionEvent = { type: 'CorrectionCompleted', data: { inspectionId, communeId, correctionNumber: number(1), late: false, completedOn: day('2022-10-20') } }
const complete = (completedOn = '2022-11-01'): Inspection.InspectionCommand => ({ type: 'CompleteInspection', data: { inspectionId, completedOn: day(completedOn) } })

describe('planning', () => {
  it('plans an inspection of a commune over a period', () => given([]).when({ type: 'PlanInspection', data: plan }, undefined).thenEvents([planned]))
  it('rejects a period that ends before it starts', () =>
    given([])
      .when({ type: 'PlanInspection', data: { ...plan, periodTo: day('2021-12-31') } }, undefined)
      .thenRejects({ _tag: 'PeriodEndsBeforeItStarts', periodFrom: day('2022-01-01'), periodTo: day('2021-12-31') }))
  it('plans once', () =>
    given([planned]).when({ type: 'PlanInspection', data: plan }, undefined).thenRejects({ _tag: 'InspectionStatusDisallowsCommand', command: 'PlanInspection', status: 'Planned' }))
})

describe('conducting', () => {
  it('records a finding per loan checked, with the totals of the minutes', () => given([planned]).when(conduct(), undefined).thenEvents([conducted]))
  it('rejects conducting an unplanned inspection', () =>
    given([]).when(conduct(), undefined).thenRejects({ _tag: 'InspectionStatusDisallowsCommand', command: 'ConductInspection', status: 'Unplanned' }))
  it('rejects an inspection that checked no loan', () => given([planned]).when(conduct({ checks: [] }), undefined).thenRejects({ _tag: 'NoLoanChecked' }))
  it('rejects a loan checked twice', () =>
    given([planned]).when(conduct({ checks: [checks[1]!, checks[1]!] }), undefined).thenRejects({ _tag: 'LoanCheckedTwice', loanId: otherLoan }))
  it('rejects misused money on a loan found properly used', () =>
    given([planned])
      .when(conduct({ checks: [{ ...checks[1]!, amountMisused: vnd(1n) }] }), undefined)
      .thenRejects({ _tag: 'MisusedAmountInconsistent', loanId: otherLoan, status: 'PROPER_USE', amountChecked: vnd(40_000_000n), amountMisused: vnd(1n) }))
  it('rejects a misuse finding with more misused than checked', () =>
    given([planned])
      .when(conduct({ checks: [{ ...checks[0]!, amountMisused: vnd(60_000_001n) }] }), undefined)
      .thenRejects({ _tag: 'MisusedAmountInconsistent', loanId, status: 'MISUSED', amountChecked: vnd(60_000_000n), amountMisused: vnd(60_000_001n) }))
  it('rejects conducting before the plan', () =>
    given([planned])
      .when(conduct({ conductedOn: day('2022-07-31') }), undefined)
      .thenRejects({ _tag: 'DatedBeforeLastActivity', command: 'ConductInspection', lastActivityOn: day('2022-08-01'), date: day('2022-07-31') }))
  it('gives the loan decider the finding for a recall', () => {
    const state = [planned, conducted].reduce(Inspection.inspectionDecider.evolve, Inspection.inspectionDecider.initialState)
    expect([Inspection.findingForLoan(state, loanId), Inspection.findingForLoan(state, idOf(LoanId, 'LN-NOT-CHECKED'))]).toStrictEqual([
      { inspectionId, loanId, status: 'MISUSED', conductedOn: day('2022-09-10') },
      undefined,
    ])
  })
})

describe('corrections', () => {
  it('requires a numbered correction with a deadline', () => given([planned, conducted]).when(require('2022-10-31'), undefined).thenEvents([correctionRequired]))
  it('rejects a deadline that is not after the requirement', () =>
    given([planned, conducted]).when(require('2022-09-12'), undefined).thenRejects({ _tag: 'DeadlineNotAfterRequiredDate', deadline: day('2022-09-12'), requiredOn: day('2022-09-12') }))
  it('rejects corrections before the inspection is conducted', () =>
    given([planned]).when(require('2022-10-31'), undefined).thenRejects({ _tag: 'InspectionStatusDisallowsCommand', command: 'RequireCorrection', status: 'Planned' }))
  it('completes a correction on time', () => given([planned, conducted, correctionRequired]).when(completeCorrection('2022-10-20'), undefined).thenEvents([correctionCompleted]))
  it('marks a correction completed after its deadline as late', () => {
    const decision = given([planned, conducted, correctionRequired]).when(completeCorrection('2022-11-02'), undefined).decision
    expect(E.isRight(decision) && decision.right[0]?.type === 'CorrectionCompleted' && decision.right[0].data.late).toBe(true)
  })
  it('rejects completing a correction never required', () =>
    given([planned, conducted, correctionRequired]).when(completeCorrection('2022-10-20', 2), undefined).thenRejects({ _tag: 'NoSuchCorrection', correctionNumber: number(2) }))
  it('rejects completing a correction twice', () =>
    given([planned, conducted, correctionRequired, correctionCompleted])
      .when(completeCorrection('2022-10-21'), undefined)
      .thenRejects({ _tag: 'CorrectionAlreadyCompleted', correctionNumber: number(1), completedOn: day('2022-10-20') }))
})

describe('completion', () => {
  it('completes once every correction is done', () =>
    given([planned, conducted, correctionRequired, correctionCompleted])
      .when(complete(), undefined)
      .thenEvents([{ type: 'InspectionCompleted', data: { inspectionId, communeId, loansChecked: Loan.count(2), loansMisused: Loan.count(1), correctionsRequired: Loan.count(1), completedOn: day('2022-11-01') } }]))
  it('rejects completion while corrections are open', () =>
    given([planned, conducted, correctionRequired]).when(complete(), undefined).thenRejects({ _tag: 'CorrectionsStillOpen', correctionNumbers: [number(1)] }))
  it('rejects completion dated before the last correction', () =>
    given([planned, conducted, correctionRequired, correctionCompleted])
      .when(complete('2022-10-19'), undefined)
      .thenRejects({ _tag: 'DatedBeforeLastActivity', command: 'CompleteInspection', lastActivityOn: day('2022-10-20'), date: day('2022-10-19') }))
  it('accepts nothing once completed', () =>
    given([planned, conducted, correctionRequired, correctionCompleted, { type: 'InspectionCompleted', data: { inspectionId, communeId, loansChecked: Loan.count(2), loansMisused: Loan.count(1), correctionsRequired: Loan.count(1), completedOn: day('2022-11-01') } }])
      .when(require('2022-12-31', '2022-11-02'), undefined)
      .thenRejects({ _tag: 'InspectionStatusDisallowsCommand', command: 'RequireCorrection', status: 'Completed' }))
})

describe('inspection codecs', () => {
  const status = fc.constantFrom<Inspection.LoanUseStatus>('PROPER_USE', 'MISUSED', 'BORROWER_NOT_FOUND')
  const check = fc.record({ loanId: fc.integer({ min: 1, max: 50 }).map((n) => idOf(LoanId, `LN-${n}`)), status, checked: fc.bigInt({ min: 1n, max: 10n ** 12n }) }).map(
    ({ loanId: id, status: found, checked }): Inspection.LoanCheck => ({ loanId: id, status: found, amountChecked: vnd(checked), amountMisused: vnd(found === 'MISUSED' ? checked : 0n) }),
  )
  test.prop([fc.uniqueArray(check, { minLength: 1, maxLength: 10, selector: (generated) => generated.loanId }), fc.integer({ min: 0, max: 3 })])(
    'every event of a generated inspection survives its codec and JSON, and evolve accepts each',
    (generatedChecks, corrections) => {
      const commands: ReadonlyArray<Inspection.InspectionCommand> = [
        { type: 'PlanInspection', data: plan },
        conduct({ checks: generatedChecks }),
        ...Array.from({ length: corrections }, () => require('2022-10-31')),
        ...Array.from({ length: corrections }, (_, index) => completeCorrection('2022-10-20', index + 1)),
        complete(),
      ]
      const events = commands.reduce<ReadonlyArray<Inspection.InspectionEvent>>((history, command) => {
        const decision = Inspection.inspectionDecider.decide(command, history.reduce(Inspection.inspectionDecider.evolve, Inspection.inspectionDecider.initialState))
        expect(Inspection.decodeInspectionCommand(JSON.parse(JSON.stringify(Inspection.InspectionCommand.encode(command))))).toStrictEqual(E.right(command))
        if (E.isLeft(decision)) throw new Error(JSON.stringify(decision.left))
        return [...history, ...decision.right]
      }, [])
      expect(events.length).toBe(3 + 2 * corrections)
      // evolve accepts every event decide made: each one moves the state, and the last completes it.
      const final = events.reduce((state, event) => {
        const next = Inspection.inspectionDecider.evolve(state, event)
        expect(next, event.type).not.toStrictEqual(state)
        return next
      }, Inspection.inspectionDecider.initialState)
      expect(final.status).toBe('Completed')
      for (const event of events) expect(Inspection.decodeInspectionEvent(JSON.parse(JSON.stringify(Inspection.InspectionEvent.encode(event))))).toStrictEqual(E.right(event))
    },
  )
})
