/**
 * The town's credit side: budget capital entrusted to the bank every year from 2018, central capital
 * allocated for 2022, and the loans of 2022 with their lifecycle (request, group vetting, commune
 * certification, approval, disbursement, interest, repayment, an overdue transfer) and an inspection
 * that finds one loan misused, which the bank recalls. Borrowers are households the 2021 review
 * classed, so each approval finds the class the programme asks for in force (from 1 January 2022).
 *
 * A few loans are disbursed after 30 June 2022 on purpose: the article's figures are "by 30/06/2022",
 * so a report that ignored the as-of date would count them and miss.
 */
import { addMonths, Capital, day, Inspection, Loan, type HouseholdId, type LocalDate, type MassOrganisationKind, type ProgrammeId, type ReviewClass } from '@policy-credit/core'
import { command, dated, pad, type DatedLine } from './commandLine.ts'
import type { HouseholdSpec } from './households.ts'
import { draw, drawInt } from './random.ts'
import { NGHIA_LO, units, type UnitSpec } from './town.ts'

export const CENTRAL_CAPITAL = 'central:vbsp'
export const TOWN_BUDGET_CAPITAL = `local-budget:${NGHIA_LO}`

const TOWN_ACTOR = `town-pc:${NGHIA_LO}`
const BANK_ACTOR = 'vbsp:nghia-lo'
const MILLION = 1_000_000n

const unitNamed = (slug: string): UnitSpec => {
  const found = units.find((candidate) => candidate.communeId === slug)
  if (found === undefined) throw new Error(`no unit ${slug}`)
  return found
}

// ---- Town-budget capital (vốn ngân sách địa phương ủy thác) ------------------------------------------

/** One entrustment decision of the town People's Committee, split across the communes it names. */
interface Entrustment {
  readonly year: number
  readonly entrustedOn: string
  readonly decisionNumber: string
  readonly perCommune: ReadonlyArray<readonly [slug: string, millions: bigint]>
}

/**
 * 400 m + 436 m + 300 m + 300 m + 600 m = 2,036 m (F8), of which 600 m in 2022 for job creation (F7).
 * The split before 2022 is the example's own; the article gives only the 2022 amount and the total.
 */
export const entrustments: ReadonlyArray<Entrustment> = [
  { year: 2018, entrustedOn: '2018-03-20', decisionNumber: '35/2018/QĐ-UBND', perCommune: [['pu-trang', 100n], ['tan-an', 100n], ['nghia-an', 100n], ['nghia-phuc', 100n]] },
  { year: 2019, entrustedOn: '2019-03-18', decisionNumber: '28/2019/QĐ-UBND', perCommune: [['trung-tam', 109n], ['cau-thia', 109n], ['nghia-loi', 109n], ['nghia-an', 109n]] },
  { year: 2020, entrustedOn: '2020-04-10', decisionNumber: '41/2020/QĐ-UBND', perCommune: [['phu-nham', 100n], ['son-a', 100n], ['hanh-son', 100n]] },
  { year: 2021, entrustedOn: '2021-03-22', decisionNumber: '30/2021/QĐ-UBND', perCommune: [['thach-luong', 100n], ['phuc-son', 100n], ['xa-nghia-lo', 100n]] },
  { year: 2022, entrustedOn: '2022-01-10', decisionNumber: '12/2022/QĐ-UBND', perCommune: [['nghia-an', 200n], ['phu-nham', 200n], ['thanh-luong', 200n]] },
]

export const entrustmentLines = (year: number): ReadonlyArray<DatedLine> =>
  entrustments
    .filter((entrustment) => entrustment.year === year)
    .flatMap(({ entrustedOn, decisionNumber, perCommune }) =>
      perCommune.map(([slug, millions]) =>
        dated(
          entrustedOn,
          `nghia-lo:entrust:${year}:${slug}`,
          TOWN_ACTOR,
          command(Capital.EntrustLocalBudgetCapital, {
            communeId: slug,
            year,
            programme: 'JOB_CREATION',
            capitalSourceId: TOWN_BUDGET_CAPITAL,
            amount: (millions * MILLION).toString(),
            entrustingUnitId: NGHIA_LO,
            decisionNumber,
            entrustedOn,
          }),
        ),
      ),
    )

// ---- Loans of 2022 -----------------------------------------------------------------------------------

type CapitalSource = 'CENTRAL' | 'LOCAL_BUDGET'

/** What the example decides about one loan before it is issued as commands. */
export interface LoanSpec {
  readonly loanId: string
  readonly programme: ProgrammeId
  readonly unit: UnitSpec
  readonly capitalSourceKind: CapitalSource
  readonly amount: bigint
  readonly workers: number | null
  readonly termMonths: number
  /** Months between instalments. */
  readonly instalmentEvery: number
  readonly requestedOn: LocalDate
  readonly purpose: string
  readonly collateral: boolean
}

interface Borrowed {
  readonly spec: LoanSpec
  readonly householdId: HouseholdId
}

const ORGANISATIONS: ReadonlyArray<readonly [MassOrganisationKind, string]> = [
  ['WOMENS_UNION', 'wu'],
  ['FARMERS_ASSOCIATION', 'fa'],
  ['VETERANS_ASSOCIATION', 'va'],
  ['YOUTH_UNION', 'yu'],
]

const RATE_PPM: Readonly<Partial<Record<ProgrammeId, bigint>>> = { POOR_HOUSEHOLD: 66_000n, NEAR_POOR_HOUSEHOLD: 79_200n, JOB_CREATION: 79_200n }

/** A request day in the window, on a working day of the month (requests are filed at group meetings). */
const requestDay = (from: string, to: string, ...name: ReadonlyArray<string | number>): LocalDate => {
  const start = Date.parse(`${from}T00:00:00Z`)
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000)
  return day(new Date(start + drawInt(0, days, ...name, 'requested') * 86_400_000).toISOString().slice(0, 10))
}

const spec = (
  programme: ProgrammeId,
  code: string,
  slug: string,
  sequence: number,
  fields: Omit<LoanSpec, 'loanId' | 'programme' | 'unit'>,
): LoanSpec => ({ loanId: `2022-${code}-${slug}-${pad(sequence, 3)}`, programme, unit: unitNamed(slug), ...fields })

/**
 * Town-budget job-creation loans: 600 m in all, 137 workers (F9). Per commune 200 m (what it was
 * entrusted); worker loans of 25 m for one worker, and establishment loans (business households that
 * take on workers) of 25 m for the workers named.
 */
const townBudgetJobLoans = (): ReadonlyArray<LoanSpec> => {
  const plan: ReadonlyArray<readonly [slug: string, establishmentWorkers: ReadonlyArray<number>, workerLoans: number]> = [
    ['nghia-an', [11, 11, 11, 11], 4],
    ['phu-nham', [11, 11, 10, 10], 4],
    ['thanh-luong', [7, 7, 7, 7, 7, 6], 2],
  ]
  return plan.flatMap(([slug, establishments, workerLoans]) =>
    [...establishments, ...Array.from({ length: workerLoans }, () => 1)].map((workers, index) =>
      spec('JOB_CREATION', 'jcl', slug, index + 1, {
        capitalSourceKind: 'LOCAL_BUDGET',
        amount: 25n * MILLION,
        workers,
        termMonths: 36,
        instalmentEvery: 6,
        requestedOn: requestDay('2022-01-17', '2022-05-20', slug, index, 'jcl'),
        purpose: workers === 1 ? 'Vay vốn tạo việc làm cho người lao động' : 'Mở rộng cơ sở sản xuất kinh doanh, thu hút thêm lao động',
        collateral: false,
      }),
    ),
  )
}

/**
 * Central-capital job-creation loans in the first half of 2022: 229 worker loans and 5 establishments of
 * 10 workers, 279 workers, so 416 with the town budget's 137 (F12). Two more after 30 June.
 */
const centralJobLoans = (): ReadonlyArray<LoanSpec> => {
  const slugs = units.map((unit) => unit.communeId)
  const workerLoans = Array.from({ length: 229 }, (_, index) => {
    const slug = slugs[index % slugs.length] ?? 'pu-trang'
    return spec('JOB_CREATION', 'jc', slug, Math.floor(index / slugs.length) + 1, {
      capitalSourceKind: 'CENTRAL',
      amount: BigInt(drawInt(6, 16, 'jc', index, 'amount')) * 5n * MILLION,
      workers: 1,
      termMonths: 60,
      instalmentEvery: 6,
      requestedOn: requestDay('2022-01-10', '2022-06-05', 'jc', index),
      purpose: 'Vay vốn tạo việc làm, duy trì và mở rộng việc làm',
      collateral: false,
    })
  })
  const establishments = ['trung-tam', 'pu-trang', 'son-a', 'nghia-loi', 'phuc-son'].map((slug, index) =>
    spec('JOB_CREATION', 'jce', slug, index + 1, {
      capitalSourceKind: 'CENTRAL',
      amount: BigInt(drawInt(40, 80, 'jce', index, 'amount')) * 5n * MILLION,
      workers: 10,
      termMonths: 60,
      instalmentEvery: 6,
      requestedOn: requestDay('2022-02-01', '2022-05-31', 'jce', index),
      purpose: 'Cơ sở sản xuất kinh doanh mở rộng, tạo việc làm cho 10 lao động',
      collateral: true,
    }),
  )
  const afterJune = ['tan-an', 'hanh-son'].map((slug, index) =>
    spec('JOB_CREATION', 'jc', slug, 90 + index, {
      capitalSourceKind: 'CENTRAL',
      amount: 50n * MILLION,
      workers: 1,
      termMonths: 60,
      instalmentEvery: 6,
      requestedOn: day(`2022-07-0${4 + index}`),
      purpose: 'Vay vốn tạo việc làm, duy trì và mở rộng việc làm',
      collateral: false,
    }),
  )
  return [...workerLoans, ...establishments, ...afterJune]
}

/** 100 pupils' computers, 10 m each, from April 2022 (Decision 09/2022/QĐ-TTg): 1,000 m by 30 June (F10); two more in July. */
const computerLoans = (): ReadonlyArray<LoanSpec> =>
  Array.from({ length: 102 }, (_, index) => {
    const slug = units[index % units.length]?.communeId ?? 'pu-trang'
    return spec('ONLINE_LEARNING_COMPUTER', 'mt', slug, Math.floor(index / units.length) + 1, {
      capitalSourceKind: 'CENTRAL',
      amount: 10n * MILLION,
      workers: null,
      termMonths: 36,
      instalmentEvery: 6,
      requestedOn: index < 100 ? requestDay('2022-04-05', '2022-06-10', 'mt', index) : day(`2022-07-1${index - 100}`),
      purpose: 'Mua máy tính phục vụ học trực tuyến',
      collateral: false,
    })
  })

/** 13 social-housing loans, 3,535 m in all by 30 June (F11); one more in August. Urban households, in the wards. */
const socialHousingLoans = (): ReadonlyArray<LoanSpec> => {
  const millions: ReadonlyArray<bigint> = [300n, 250n, 280n, 320n, 200n, 350n, 260n, 240n, 300n, 275n, 220n, 265n, 275n, 310n]
  const wards = units.filter((unit) => unit.unitKind === 'WARD')
  return millions.map((amount, index) => {
    const slug = wards[index % wards.length]?.communeId ?? 'pu-trang'
    return spec('SOCIAL_HOUSING', 'nox', slug, index + 1, {
      capitalSourceKind: 'CENTRAL',
      amount: amount * MILLION,
      workers: null,
      termMonths: 180,
      instalmentEvery: 12,
      requestedOn: index < 13 ? requestDay('2022-01-10', '2022-06-01', 'nox', index) : day('2022-08-01'),
      purpose: 'Xây dựng, sửa chữa nhà ở',
      collateral: true,
    })
  })
}

/** Poor- and near-poor-household loans, the bulk of any commune's book. */
const householdLoans = (programme: 'POOR_HOUSEHOLD' | 'NEAR_POOR_HOUSEHOLD', code: string, count: number): ReadonlyArray<LoanSpec> =>
  Array.from({ length: count }, (_, index) => {
    const slug = units[(index * 3 + (code === 'hn' ? 0 : 1)) % units.length]?.communeId ?? 'pu-trang'
    return spec(programme, code, slug, Math.floor(index / units.length) + 1, {
      capitalSourceKind: 'CENTRAL',
      amount: BigInt(drawInt(6, 20, code, index, 'amount')) * 5n * MILLION,
      workers: null,
      termMonths: 60,
      // A few poor-household loans repay quarterly, so an instalment can fall due, go unpaid and turn overdue by June.
      instalmentEvery: code === 'hn' && index < 3 ? 3 : 6,
      requestedOn: code === 'hn' && index < 4 ? day(`2022-01-0${4 + index}`) : requestDay('2022-01-10', '2022-06-01', code, index),
      purpose: programme === 'POOR_HOUSEHOLD' ? 'Chăn nuôi, trồng trọt phát triển kinh tế hộ' : 'Phát triển sản xuất, chăn nuôi',
      collateral: false,
    })
  })

export const loanSpecs = (): ReadonlyArray<LoanSpec> => [
  ...householdLoans('POOR_HOUSEHOLD', 'hn', 120),
  ...householdLoans('NEAR_POOR_HOUSEHOLD', 'hcn', 40),
  ...townBudgetJobLoans(),
  ...centralJobLoans(),
  ...computerLoans(),
  ...socialHousingLoans(),
]

const ELIGIBLE: Readonly<Record<ProgrammeId, ReadonlyArray<ReviewClass>>> = {
  POOR_HOUSEHOLD: ['POOR'],
  NEAR_POOR_HOUSEHOLD: ['NEAR_POOR'],
  NEWLY_ESCAPED_POVERTY: [],
  JOB_CREATION: ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'NONE'],
  STUDENT: ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING'],
  ONLINE_LEARNING_COMPUTER: ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING'],
  CLEAN_WATER_SANITATION: ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'NONE'],
  SOCIAL_HOUSING: ['POOR', 'NEAR_POOR', 'AVERAGE_LIVING', 'NONE'],
}

/**
 * Gives each loan a different household of its commune whose 2021 class the programme accepts. The
 * choice is by a draw over the candidates, so borrowers are spread through the commune.
 */
export const assignBorrowers = (
  specs: ReadonlyArray<LoanSpec>,
  classes: ReadonlyMap<HouseholdId, { readonly household: HouseholdSpec; readonly reviewClass: ReviewClass }>,
): ReadonlyArray<Borrowed> => {
  const used = new Set<HouseholdId>()
  const byCommune = new Map<string, Array<{ readonly householdId: HouseholdId; readonly reviewClass: ReviewClass }>>()
  for (const [householdId, { household, reviewClass }] of classes) {
    const list = byCommune.get(household.unit.communeId) ?? []
    list.push({ householdId, reviewClass })
    byCommune.set(household.unit.communeId, list)
  }
  return specs.map((loan) => {
    const candidates = (byCommune.get(loan.unit.communeId) ?? []).filter(
      (candidate) => !used.has(candidate.householdId) && ELIGIBLE[loan.programme].includes(candidate.reviewClass),
    )
    const chosen = candidates[Math.floor(draw(loan.loanId, 'borrower') * candidates.length)]
    if (chosen === undefined) throw new Error(`no eligible borrower left in ${loan.unit.communeId} for ${loan.loanId}`)
    used.add(chosen.householdId)
    return { spec: loan, householdId: chosen.householdId }
  })
}

/** Equal instalments (the last takes the rounding), every `every` months from disbursement. */
const instalments = (amount: bigint, disbursedOn: LocalDate, every: number, termMonths: number) => {
  const count = Math.floor(termMonths / every)
  const part = (amount / BigInt(count) / 1_000n) * 1_000n
  return Array.from({ length: count }, (_, index) => ({
    dueOn: addMonths(disbursedOn, every * (index + 1)),
    principal: (index === count - 1 ? amount - part * BigInt(count - 1) : part).toString(),
  }))
}

const plusDays = (date: LocalDate, days: number): LocalDate => day(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10))

/** Interest a little below what has accrued, so a collection never exceeds what is owed whatever the day-count convention. */
const interestBelowAccrued = (amount: bigint, rate: bigint, from: LocalDate, to: LocalDate): bigint => {
  const days = BigInt(Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) - 2)
  return ((amount * rate * days) / 365n / 1_000_000n / 1_000n) * 1_000n
}

export interface LoanHistory {
  readonly lines: ReadonlyArray<DatedLine>
  readonly disbursed: ReadonlyArray<{ readonly spec: LoanSpec; readonly householdId: HouseholdId; readonly disbursedOn: LocalDate }>
}

/** The commands of one loan, from the request to its servicing in 2022. */
const loanLines = ({ spec: loan, householdId }: Borrowed, index: number): { readonly lines: ReadonlyArray<DatedLine>; readonly disbursedOn: LocalDate } => {
  const slug = loan.unit.communeId
  // Job-creation loans go through the Youth Union and the Veterans' Association, the others through the Women's Union and the Farmers' Association.
  const [organisationKind, organisationCode] = ORGANISATIONS[(loan.programme === 'JOB_CREATION' ? 2 : 0) + (index % 2)] ?? ['WOMENS_UNION', 'wu']
  const massOrganisationId = `${slug}.${organisationCode}`
  const savingsGroupId = `${massOrganisationId}.to-${pad(1 + (index % 3))}`
  const requestedOn = loan.requestedOn
  const vettedOn = plusDays(requestedOn, 3)
  const certifiedOn = plusDays(requestedOn, 6)
  const approvedOn = plusDays(requestedOn, 10)
  const disbursedOn = plusDays(requestedOn, 14)
  const id = (step: string) => `nghia-lo:loan:${loan.loanId}:${step}`
  const groupActor = `savings-group:${savingsGroupId}`
  const lines: Array<DatedLine> = [
    dated(
      requestedOn,
      id('request'),
      `household:${householdId}`,
      command(Loan.RequestLoan, {
        loanId: loan.loanId,
        householdId,
        communeId: slug,
        programme: loan.programme,
        savingsGroupId,
        massOrganisationKind: organisationKind,
        massOrganisationId,
        requestedAmount: loan.amount.toString(),
        termMonths: loan.termMonths,
        purpose: loan.purpose,
        workers: loan.workers,
        monthsOfStudy: null,
        facilityTypes: null,
        requestedOn,
      }),
    ),
    dated(vettedOn, id('vet'), groupActor, command(Loan.VetLoanByGroup, { loanId: loan.loanId, meetingMinutesId: `BB-${slug}-${vettedOn}`, vettedOn })),
    dated(
      certifiedOn,
      id('certify'),
      `commune-pc:${slug}`,
      command(Loan.CertifyLoanByCommune, { loanId: loan.loanId, certificationNumber: `${200 + (index % 700)}/${2022}/XN-UBND`, certifiedOn }),
    ),
    dated(
      approvedOn,
      id('approve'),
      BANK_ACTOR,
      command(Loan.ApproveLoan, {
        loanId: loan.loanId,
        approvedAmount: loan.amount.toString(),
        termMonths: loan.termMonths,
        capitalSourceKind: loan.capitalSourceKind,
        capitalSourceId: loan.capitalSourceKind === 'CENTRAL' ? CENTRAL_CAPITAL : TOWN_BUDGET_CAPITAL,
        collateral: loan.collateral ? { description: 'Quyền sử dụng đất và tài sản gắn liền với đất', value: ((loan.amount * 3n) / 2n).toString() } : null,
        approvedOn,
      }),
    ),
    dated(
      disbursedOn,
      id('disburse'),
      BANK_ACTOR,
      command(Loan.DisburseLoan, {
        loanId: loan.loanId,
        amount: loan.amount.toString(),
        transactionPointId: `${slug}.dgd`,
        instalments: instalments(loan.amount, disbursedOn, loan.instalmentEvery, loan.termMonths),
        disbursedOn,
      }),
    ),
  ]
  return { lines, disbursedOn }
}

/** Interest collected by the group leaders on 20 June from loans lent before May, and a few early repayments. */
const servicingLines = (disbursed: LoanHistory['disbursed'], recalledLoanId: string): ReadonlyArray<DatedLine> => {
  const collectedOn = day('2022-06-20')
  return disbursed.flatMap(({ spec: loan, disbursedOn }, index) => {
    const rate = RATE_PPM[loan.programme]
    // Loans in arrears and the recalled loan (repaid in full before the 20th) pay no interest here.
    if (rate === undefined || disbursedOn >= '2022-05-01' || loan.instalmentEvery === 3 || loan.loanId === recalledLoanId) return []
    const interest = interestBelowAccrued(loan.amount, rate, disbursedOn, collectedOn)
    const collect = dated(
      collectedOn,
      `nghia-lo:loan:${loan.loanId}:interest:2022-06`,
      `group-leader:${loan.unit.communeId}`,
      command(Loan.CollectInterest, { loanId: loan.loanId, amount: interest.toString(), collector: 'GROUP_LEADER', collectedOn }),
    )
    const repays = loan.programme === 'POOR_HOUSEHOLD' && index % 10 === 5
    return repays
      ? [
          collect,
          dated(
            day('2022-06-22'),
            `nghia-lo:loan:${loan.loanId}:repay:2022-06-22`,
            BANK_ACTOR,
            command(Loan.RepayPrincipal, { loanId: loan.loanId, amount: (5n * MILLION).toString(), repaidOn: '2022-06-22' }),
          ),
        ]
      : [collect]
  })
}

/** The first three poor-household loans repay quarterly; their first instalment falls due in April unpaid and turns overdue. */
const overdueLines = (disbursed: LoanHistory['disbursed']): ReadonlyArray<DatedLine> =>
  disbursed
    .filter(({ spec: loan }) => loan.programme === 'POOR_HOUSEHOLD' && loan.instalmentEvery === 3)
    .map(({ spec: loan, disbursedOn }) => {
      const transferredOn = addMonths(disbursedOn, 4)
      return dated(transferredOn, `nghia-lo:loan:${loan.loanId}:overdue:${transferredOn}`, BANK_ACTOR, command(Loan.TransferToOverdue, { loanId: loan.loanId, transferredOn }))
    })

/**
 * The Board of Representatives' inspection of Nghĩa An in May 2022: it checks the commune's loans
 * lent by April; one poor-household loan was not used as planned, so the bank recalls it and the
 * household repays it in June; the correction is completed and the inspection closed.
 */
const INSPECTED_COMMUNE = 'nghia-an'

const checkedByInspection = (disbursed: LoanHistory['disbursed']) =>
  disbursed.filter(({ spec: loan, disbursedOn }) => loan.unit.communeId === INSPECTED_COMMUNE && disbursedOn <= '2022-04-30')

/** The loan the inspection finds misused: the first poor-household loan of the commune it checks. */
const misusedLoan = (disbursed: LoanHistory['disbursed']) => {
  const checked = checkedByInspection(disbursed)
  const misused = checked.find(({ spec: loan }) => loan.programme === 'POOR_HOUSEHOLD' && loan.instalmentEvery === 6)
  if (misused === undefined || checked.length < 3) throw new Error('the inspection needs loans in Nghĩa An lent by April, one of them a poor-household loan')
  return misused
}

const inspectionLines = (disbursed: LoanHistory['disbursed']): ReadonlyArray<DatedLine> => {
  const inspectionId = '2022-bdd-nghia-an'
  const checked = checkedByInspection(disbursed)
  const misused = misusedLoan(disbursed)
  const actor = 'board-of-representatives:nghia-lo'
  const id = (step: string) => `nghia-lo:inspection:${inspectionId}:${step}`
  return [
    dated(
      '2022-05-04',
      id('plan'),
      actor,
      command(Inspection.PlanInspection, {
        inspectionId,
        bodyKind: 'BOARD_OF_REPRESENTATIVES',
        bodyName: 'Ban đại diện HĐQT NHCSXH thị xã Nghĩa Lộ',
        communeId: INSPECTED_COMMUNE,
        periodFrom: '2022-01-01',
        periodTo: '2022-04-30',
        plannedOn: '2022-05-04',
      }),
    ),
    dated(
      '2022-05-12',
      id('conduct'),
      actor,
      command(Inspection.ConductInspection, {
        inspectionId,
        minutesId: 'BB-KT-2022-05-12-nghia-an',
        checks: checked.map(({ spec: loan }) => ({
          loanId: loan.loanId,
          status: loan === misused.spec ? ('MISUSED' as const) : ('PROPER_USE' as const),
          amountChecked: loan.amount.toString(),
          amountMisused: loan === misused.spec ? loan.amount.toString() : '0',
        })),
        conductedOn: '2022-05-12',
      }),
    ),
    dated(
      '2022-05-13',
      id('require-correction'),
      actor,
      command(Inspection.RequireCorrection, {
        inspectionId,
        description: 'Thu hồi nợ trước hạn món vay sử dụng sai mục đích',
        loanId: misused.spec.loanId,
        deadline: '2022-06-30',
        requiredOn: '2022-05-13',
      }),
    ),
    dated(
      '2022-05-16',
      `nghia-lo:loan:${misused.spec.loanId}:recall`,
      BANK_ACTOR,
      command(Loan.RecallLoanEarly, { loanId: misused.spec.loanId, inspectionId, recalledOn: '2022-05-16' }),
    ),
    dated(
      '2022-06-10',
      `nghia-lo:loan:${misused.spec.loanId}:repay:2022-06-10`,
      BANK_ACTOR,
      command(Loan.RepayPrincipal, { loanId: misused.spec.loanId, amount: misused.spec.amount.toString(), repaidOn: '2022-06-10' }),
    ),
    dated('2022-06-13', id('complete-correction'), actor, command(Inspection.CompleteCorrection, { inspectionId, correctionNumber: 1, completedOn: '2022-06-13' })),
    dated('2022-06-15', id('complete'), actor, command(Inspection.CompleteInspection, { inspectionId, completedOn: '2022-06-15' })),
  ]
}

/** Central capital for 2022: per commune and programme, what its loans need, rounded up to 100 m. */
const centralAllocationLines = (disbursed: LoanHistory['disbursed']): ReadonlyArray<DatedLine> => {
  const needed = new Map<string, { readonly slug: string; readonly programme: ProgrammeId; amount: bigint }>()
  for (const { spec: loan } of disbursed) {
    if (loan.capitalSourceKind !== 'CENTRAL') continue
    const key = `${loan.unit.communeId}|${loan.programme}`
    const entry = needed.get(key) ?? { slug: loan.unit.communeId, programme: loan.programme, amount: 0n }
    entry.amount += loan.amount
    needed.set(key, entry)
  }
  return [...needed.values()].map(({ slug, programme, amount }) => {
    const allocated = ((amount + 100n * MILLION - 1n) / (100n * MILLION)) * 100n * MILLION
    return dated(
      '2022-01-05',
      `nghia-lo:allocate:2022:${slug}:${programme}`,
      'board-of-representatives:nghia-lo',
      command(Capital.AllocateCentralCapital, {
        communeId: slug,
        year: 2022,
        programme,
        capitalSourceId: CENTRAL_CAPITAL,
        amount: allocated.toString(),
        decisionNumber: '05/2022/QĐ-BĐD',
        allocatedOn: '2022-01-05',
      }),
    )
  })
}

/** Every credit command of 2022 (the entrustments of each year come with `entrustmentLines`). */
export const creditHistory2022 = (
  classes: ReadonlyMap<HouseholdId, { readonly household: HouseholdSpec; readonly reviewClass: ReviewClass }>,
): LoanHistory => {
  const borrowed = assignBorrowers(loanSpecs(), classes)
  const perLoan = borrowed.map((loan, index) => ({ loan, ...loanLines(loan, index) }))
  const disbursed = perLoan.map(({ loan, disbursedOn }) => ({ spec: loan.spec, householdId: loan.householdId, disbursedOn }))
  return {
    lines: [
      ...centralAllocationLines(disbursed),
      ...perLoan.flatMap(({ lines }) => lines),
      ...servicingLines(disbursed, misusedLoan(disbursed).spec.loanId),
      ...overdueLines(disbursed),
      ...inspectionLines(disbursed),
    ],
    disbursed,
  }
}

