/**
 * Every event type of the domain, by aggregate, with its codec: the event store validates appends with
 * it, projections decode with it, and `docs/events.md` is generated from it (a test fails when the two
 * differ). A new event type must be given a meaning here, or this file does not compile.
 */
import type * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { DecodeFailure } from './shared/message.ts'
import { AdministrativeUnitEvent } from './administrativeUnit/events.ts'
import { HouseholdEvent } from './household/events.ts'
import { loanEventCodecs, type LoanEvent } from './loan/events.ts'
import { capitalEventCodecs, type CapitalEvent } from './capital/events.ts'
import { inspectionEventCodecs, type InspectionEvent } from './inspection/events.ts'
import { PlanEvent } from './plan/events.ts'
import { decodeByType, unionOf } from './loan/values.ts'

export type DomainEvent = HouseholdEvent | AdministrativeUnitEvent | LoanEvent | CapitalEvent | InspectionEvent | PlanEvent
export type DomainEventType = DomainEvent['type']

type CodecOf<Type extends DomainEventType> = t.Type<Extract<DomainEvent, { readonly type: Type }>, unknown, unknown>
type EventCodecs<Types extends DomainEventType> = { readonly [Type in Types]: CodecOf<Type> }

/** The codecs of a union of messages, keyed by the message type (a message codec is named after its type). */
const byType = <Union extends t.UnionType<Array<t.Mixed>>>(union: Union) =>
  Object.fromEntries(union.types.map((codec) => [codec.name, codec])) as unknown as EventCodecs<t.TypeOf<Union>['type']>

export interface AggregateEvents {
  readonly aggregate: string
  /** How its stream ids are built. */
  readonly stream: string
  readonly codecs: Readonly<Record<string, t.Mixed>>
}

export const eventCatalogue: ReadonlyArray<AggregateEvents> = [
  { aggregate: 'Administrative unit', stream: 'commune-<communeId>', codecs: byType(AdministrativeUnitEvent) },
  { aggregate: 'Household', stream: 'household-<householdId>', codecs: byType(HouseholdEvent) },
  { aggregate: 'Loan', stream: 'loan-<loanId>', codecs: loanEventCodecs },
  { aggregate: 'Capital', stream: 'capital-<communeId>-<year>', codecs: capitalEventCodecs },
  { aggregate: 'Inspection', stream: 'inspection-<inspectionId>', codecs: inspectionEventCodecs },
  { aggregate: 'Plan', stream: 'plan-<unitId>-<year>', codecs: byType(PlanEvent) },
]

/** Every event codec by type, for append validation and projections. */
export const eventCodecs: EventCodecs<DomainEventType> = {
  ...byType(AdministrativeUnitEvent),
  ...byType(HouseholdEvent),
  ...(loanEventCodecs as EventCodecs<LoanEvent['type']>),
  ...(capitalEventCodecs as EventCodecs<CapitalEvent['type']>),
  ...(inspectionEventCodecs as EventCodecs<InspectionEvent['type']>),
  ...byType(PlanEvent),
}

export const DomainEvent = unionOf('DomainEvent', eventCodecs) as t.Type<DomainEvent, unknown, unknown>

export const decodeDomainEvent: (input: unknown) => E.Either<DecodeFailure, DomainEvent> = decodeByType('DomainEvent', eventCodecs)

/** What each event means, for the event catalogue (docs/events.md). */
export const eventMeanings: { readonly [Type in DomainEventType]: string } = {
  CommuneDeclared: 'A commune, ward or township (đơn vị hành chính cấp xã) is declared with its kind and area type.',
  CommuneReclassified: 'A unit changes kind (a xã becomes a phường), and so its area type.',
  CommuneJoinedTown: 'A commune becomes part of a town from a day (Nghĩa Lộ took in communes of Văn Chấn district).',
  CommuneLeftTown: 'A commune stops being part of a town from a day.',
  CommuneMerged: 'A commune is merged into another from a day.',
  HouseholdRegistered: 'A household (hộ gia đình) is registered in a commune.',
  HouseholdAssessed: "A review's findings for a household (income, deprivations) and the class they give under the standard.",
  HouseholdClassRecognised: "The commune People's Committee chairman's decision recognising the household's class (quyết định công nhận).",
  HouseholdExitedPoverty: 'The household left the poor or near-poor list and counts as newly escaped (hộ mới thoát nghèo) until the status ends.',
  HouseholdMovedCommune: 'The household moved to another commune.',
  HouseholdDissolved: 'The household no longer exists.',
  LoanRequested: 'A household applies for a loan with its use plan, through its savings-and-loan group.',
  LoanVettedByGroup: "The savings-and-loan group's public vetting (bình xét) put the household on the list of proposed borrowers.",
  LoanCertifiedByCommune: "The commune People's Committee certified the list, including the household's eligibility.",
  LoanRejected: 'The group, the commune or the bank turned the loan down before disbursement.',
  LoanApproved:
    "The bank approved the loan. It records what the decision saw: the household's class in force on the approval day and the decision recognising it, the programme terms version, rate and cap, and the capital source.",
  LoanDisbursed: "The money was paid to the borrower at the commune's transaction point, funded by a capital reservation, with the repayment schedule.",
  InterestCollected: 'Interest was collected by the group leader or at the transaction point; never more than was owed.',
  PrincipalRepaid: 'Principal was repaid: overdue principal first, then instalments in due order, then frozen principal.',
  InstalmentTermAdjusted: "An instalment's due date moved (điều chỉnh kỳ hạn nợ); the final maturity did not.",
  LoanExtended: "An instalment's due date moved past the schedule (gia hạn nợ), ordinary or as a risk extension.",
  AmountTransferredToOverdue: 'The unpaid part of instalments that fell due became overdue (chuyển nợ quá hạn); nothing else did.',
  LoanRecalledEarly: 'The bank recalled the loan (thu hồi nợ trước hạn) because an inspection found the money misused: all principal in term falls due.',
  DebtFrozen: 'Principal was frozen (khoanh nợ) under Decision 50/2010: it earns no interest while frozen.',
  DebtUnfrozen: 'The frozen principal came back as a new instalment.',
  PrincipalWrittenOff: 'Principal was written off (xóa nợ): it leaves outstanding and is kept off balance.',
  InterestWrittenOff: 'Interest owed was written off.',
  LoanClosed: 'The loan was settled (tất toán): no principal and no interest owed.',
  CentralCapitalAllocated: "Central capital from the bank's plan was allocated to the commune for a programme and year.",
  LocalBudgetCapitalEntrusted: "A People's Committee entrusted local budget money (vốn ngân sách địa phương ủy thác) to the bank for the commune, programme and year.",
  CapitalReallocatedAway: 'Capital left the commune in the mid-year reallocation.',
  ReallocatedCapitalReceived: 'Capital came to the commune in the mid-year reallocation.',
  CapitalReserved: "Capital was set aside for one loan's disbursement, from what the fund had left.",
  CapitalReservationReleased: 'A reservation was given back, because the disbursement was not made or the loan was cancelled.',
  InspectionPlanned: 'A body (Board of Representatives, a mass organisation, the bank) planned an inspection of a commune over a period.',
  InspectionConducted: 'The inspection was conducted: a finding per loan checked (proper use, misused, borrower not found) and the totals of the minutes.',
  CorrectionRequired: 'The inspection required a correction (kiến nghị) with a deadline.',
  CorrectionCompleted: 'A required correction was completed, on time or late.',
  InspectionCompleted: 'The inspection was closed, every correction done.',
  PovertyReductionTargetSet: "The unit's People's Council or Committee resolved to reduce the poor list by a number of households over the year, counted under the year's standard (Nghĩa Lộ 2022: 933).",
  JobCreationPlanSet: 'The unit resolved to give jobs to a number of workers over the year through job-creation loans (Nghĩa Lộ 2022: 2,000).',
}

/** The fields of a message codec's `data`, with the names of their codecs. */
export const eventFields = (codec: t.Mixed): ReadonlyArray<{ readonly name: string; readonly type: string; readonly codec: t.Mixed }> => {
  const unwrap = (candidate: t.Mixed): t.Mixed =>
    'type' in candidate && (candidate as { readonly _tag?: string })._tag === 'ExactType' ? unwrap((candidate as unknown as { readonly type: t.Mixed }).type) : candidate
  const props = (candidate: t.Mixed): Readonly<Record<string, t.Mixed>> => (unwrap(candidate) as unknown as { readonly props: Readonly<Record<string, t.Mixed>> }).props
  const data = props(codec).data
  if (data === undefined) throw new Error(`${codec.name} is not a { type, data } message codec`)
  return Object.entries(props(data)).map(([name, field]) => ({ name, type: field.name, codec: field }))
}

/** Notes on fields whose name does not say it all; dates named `…On` are business days at the commune. */
export const fieldNotes: Readonly<Record<string, string>> = {
  amount: 'Whole đồng (VND), a decimal string on the wire.',
  areaType: 'RURAL (xã) or URBAN (phường, thị trấn): income lines differ by area.',
  availableBefore: 'What the fund had left before this reservation: the evidence it was not overdrawn.',
  cap: 'The cap for this loan: `capPerUnit × capUnits`.',
  capBasis: 'What the programme cap is counted per: loan, worker, month of study or facility type.',
  capitalSourceId: 'The fund lent from, e.g. the central plan or one People’s Committee’s entrusted budget.',
  capitalYear: 'The year of the capital stream (`capital-<communeId>-<year>`) whose reservation funded the disbursement.',
  classDecisionNumber: "The commune decision that recognised the household's class in force on the approval day.",
  collateral: 'Security given, where the programme requires it (social housing); null otherwise.',
  decisionNumber: 'The number of the decision that made this so.',
  entrustingUnitId: "The town, district or province whose People's Committee entrusts its budget money.",
  escapedStatusEndsOn: 'The first day a newly-escaped household no longer counts as newly escaped.',
  fromInstalments: 'The part taken from each instalment, by instalment number.',
  householdClass: 'The class the decision or review gives, or the class in force that the loan decision saw.',
  instalments: 'The repayment schedule (kỳ hạn trả nợ): number, due date and principal of each instalment.',
  interestOwedBefore: 'Interest accrued and not yet collected or written off, just before this event.',
  jobsCreated: 'Workers given jobs by a job-creation loan (1 per worker loan, N per establishment); 0 for other programmes.',
  lossShare: "The borrower's loss of capital in basis points (≥ 4 000 for a risk extension); null for an ordinary extension.",
  massOrganisationId: 'The entrusted socio-political organisation (hội đoàn thể) managing the savings group.',
  jobsPlanned: "Workers the year's job-creation loans should give jobs to.",
  overdueYearlyRate: 'The overdue rate in parts per million: 130 % of the loan rate.',
  periodFrom: 'First day of the period inspected.',
  periodTo: 'Last day of the period inspected.',
  previousReductionHouseholds: 'The target this resolution revises; null when it is the first for the year.',
  reductionHouseholds: 'How many fewer poor households the year should end with than it started with.',
  previousJobsPlanned: 'The plan this resolution revises; null when it is the first for the year.',
  previousClass: 'The class this decision replaces for the same standard and review year; null when first.',
  savingsGroupId: 'The savings-and-loan group (tổ tiết kiệm và vay vốn) the borrower belongs to.',
  standardId: 'The poverty standard the review applied (for a plan target: the one its households are counted under).',
  unitId: 'The town, or the commune or ward, the plan is for.',
  termsVersionId: 'The programme terms version in force on the approval day (`<programme>@<validFrom>`).',
  transactionPointId: "The commune transaction point (điểm giao dịch xã) where the money was paid.",
  yearlyRate: 'The programme rate in force on the approval day, in parts per million (7.92 % = 79 200). Interest follows later rate changes.',
}
