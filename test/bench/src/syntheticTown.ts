/**
 * A deterministic synthetic town for the benchmarks: communes declared into one town, households
 * registered and reviewed every year under the standard in force, and about `loanShare` of them
 * borrowing once (request → vetting → certification → approval → disbursement against the commune's
 * allocated capital → monthly principal repayments up to the end of the history).
 *
 * Every event is decided by the core's own deciders from commands (decide, then evolve), so the
 * stores receive real domain events that the domain's registry validates and the projections
 * understand, without paying for command handling. The same commands are offered as envelopes
 * (`townCommands`) for the command-handling benchmark.
 *
 * Memory: a commune at a time. Its households' plans (a few numbers each) are drawn first, to know
 * how much capital each year's loans need; then each household's stream and its loans' streams are
 * generated and handed out one by one. Nothing of the town as a whole is held.
 *
 * Determinism: every household draws from its own PRNG seeded by (seed, commune, number), so a size
 * with more households keeps the households of a smaller one unchanged in each commune.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  addDays,
  addMonths,
  AdministrativeUnit,
  Capital,
  classify,
  day,
  Household,
  incomeLinesOn,
  Loan,
  nationalPovertyStandards,
  standardInForceOn,
  termsOn,
  vnd,
  yearOf,
  type AreaType,
  type CapitalSourceId,
  type CommuneId,
  type Decider,
  type DecisionNumber,
  type DeprivationIndicator,
  type DomainEvent,
  type HouseholdId,
  type LoanId,
  type MassOrganisationId,
  type SavingsGroupId,
  type TransactionPointId,
  type LocalDate,
  type PovertyStandard,
  type ProgrammeId,
  type ReviewClass,
  type TownId,
  type Vnd,
} from '@policy-credit/core'
import {
  administrativeUnitEventCodec,
  capitalEventCodec,
  domainEventValidator,
  householdEventCodec,
  loanEventCodec,
  loanStreamId,
  referenceData,
  type CommandEnvelope,
  type DomainCommand,
} from '@policy-credit/application'
import { deterministicEventId, type AppendValidator, type EventCodec, type NewEvent } from '@policy-credit/event-store'
import { between, mulberry32, seedOf } from './random.ts'

export interface TownSize {
  readonly households: number
  readonly communes: number
  /** Yearly periodic reviews of every household, from 2021 on. */
  readonly reviews: number
  /** Share of households that borrow once, in [0, 1]. */
  readonly loanShare: number
  readonly seed: number
}

export const defaultTownSize: TownSize = { households: 20_000, communes: 10, reviews: 5, loanShare: 0.3, seed: 1 }

export interface StreamEvents {
  readonly streamId: string
  readonly events: ReadonlyArray<NewEvent>
}

/** The append validator every benchmarked store uses: the domain's registry, as in production. */
export const domainValidator: AppendValidator = domainEventValidator

export const TOWN_ID = 'bench-town' as TownId
const CENTRAL_CAPITAL = 'central:vbsp' as CapitalSourceId
const FIRST_REVIEW_YEAR = 2021
const MILLION = 1_000_000n

const reviewYearsOf = (size: TownSize): ReadonlyArray<number> => Array.from({ length: size.reviews }, (_, index) => FIRST_REVIEW_YEAR + index)
/** A loan is lent in the year after a review, on the class that review gave: every review year but the last. */
const loanYearsOf = (size: TownSize): ReadonlyArray<number> => reviewYearsOf(size).slice(0, -1).map((year) => year + 1)
/** The last day of the history: mid-year after the last review, so the last review's list is in force. */
export const historyEndOf = (size: TownSize): LocalDate => day(`${FIRST_REVIEW_YEAR + size.reviews}-06-30`)
/** The first day the town's communes exist. */
export const historyStart: LocalDate = day(`${FIRST_REVIEW_YEAR}-01-01`)

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

// ---- The town's plan ------------------------------------------------------------------------------

interface CommunePlan {
  readonly index: number
  readonly communeId: CommuneId
  readonly name: string
  readonly unitKind: 'WARD' | 'COMMUNE'
  readonly areaType: AreaType
}

const communePlan = (index: number): CommunePlan => {
  // One ward in three: the town has urban wards and rural communes, whose income lines differ.
  const unitKind = index % 3 === 0 ? 'WARD' : 'COMMUNE'
  return {
    index,
    communeId: `bench-${pad(index + 1, 3)}` as CommuneId,
    name: `${unitKind === 'WARD' ? 'Phường' : 'Xã'} Thử Nghiệm ${index + 1}`,
    unitKind,
    areaType: AdministrativeUnit.areaTypeOfUnitKind(unitKind),
  }
}

/** Households of commune `index`: the town's households dealt out evenly, the first communes taking the remainder. */
const householdsIn = (size: TownSize, index: number): number => Math.floor(size.households / size.communes) + (index < size.households % size.communes ? 1 : 0)

interface LoanPlan {
  readonly loanId: LoanId
  readonly programme: ProgrammeId
  readonly amount: Vnd
  readonly termMonths: number
  readonly requestedOn: LocalDate
  readonly disbursedOn: LocalDate
  readonly organisation: number
}

interface HouseholdPlan {
  readonly householdId: HouseholdId
  readonly commune: CommunePlan
  readonly members: number
  readonly registeredOn: LocalDate
  /** The class each review is meant to find, by review year. */
  readonly classes: ReadonlyMap<number, ReviewClass>
  readonly random: () => number
  readonly loan?: LoanPlan
}

/**
 * A welfare score that drifts from year to year (lower is poorer), so households move on and off the
 * lists; about 8 % poor, 7 % near-poor and 15 % average-living in a year, more in rural communes.
 */
const classOf = (score: number): ReviewClass => (score < 0.08 ? 'POOR' : score < 0.15 ? 'NEAR_POOR' : score < 0.3 ? 'AVERAGE_LIVING' : 'NONE')

const programmeFor = (reviewClass: ReviewClass): ProgrammeId =>
  reviewClass === 'POOR' ? 'POOR_HOUSEHOLD' : reviewClass === 'NEAR_POOR' ? 'NEAR_POOR_HOUSEHOLD' : 'JOB_CREATION'

const householdPlan = (size: TownSize, commune: CommunePlan, number: number): HouseholdPlan => {
  const random = mulberry32(seedOf(size.seed, commune.index, number))
  const householdId = `${commune.communeId}-${pad(number, 6)}` as HouseholdId
  const members = between(random, 1, 7)
  const registeredOn = day(`${FIRST_REVIEW_YEAR}-${pad(between(random, 1, 8))}-${pad(between(random, 1, 28))}`)
  const welfare = random() + (commune.areaType === 'RURAL' ? -0.04 : 0.02)
  const classes = new Map(reviewYearsOf(size).map((year) => [year, classOf(welfare + 0.3 * (random() - 0.5))] as const))
  const loanYears = loanYearsOf(size)
  const borrows = random() < size.loanShare && loanYears.length > 0
  const loanYear = loanYears[between(random, 0, loanYears.length - 1)] ?? FIRST_REVIEW_YEAR + 1
  const requestedOn = day(`${loanYear}-${pad(between(random, 1, 10))}-${pad(between(random, 1, 20))}`)
  const loan: LoanPlan = {
    loanId: `${loanYear}-${householdId}` as LoanId,
    programme: programmeFor(classes.get(loanYear - 1) ?? 'NONE'),
    amount: vnd(BigInt(between(random, 2, 10)) * 5n * MILLION),
    termMonths: 36,
    requestedOn,
    disbursedOn: addDays(requestedOn, 14),
    organisation: between(random, 0, 3),
  }
  return { householdId, commune, members, registeredOn, classes, random, ...(borrows ? { loan } : {}) }
}

// ---- Commands -------------------------------------------------------------------------------------

const envelope = (commandId: string, command: DomainCommand, occurredOn: LocalDate, actor: string): CommandEnvelope => ({
  commandId: `bench:${commandId}`,
  command,
  occurredOn,
  actor,
})

const communeCommands = (commune: CommunePlan): ReadonlyArray<CommandEnvelope> => {
  const { communeId } = commune
  const actor = 'province-pc:bench'
  return [
    envelope(
      `declare:${communeId}`,
      { type: 'DeclareCommune', data: { communeId, name: commune.name, unitKind: commune.unitKind, declaredOn: historyStart } },
      historyStart,
      actor,
    ),
    envelope(`join:${communeId}`, { type: 'JoinTown', data: { communeId, townId: TOWN_ID, joinedOn: historyStart } }, historyStart, actor),
  ]
}

/** The standard a review year measures by: the one in force on 1 January of the next year, when its list applies. */
const standardOfReview = (year: number): PovertyStandard => {
  const standard = standardInForceOn(day(`${year + 1}-01-01`), nationalPovertyStandards)
  if (standard._tag === 'None') throw new Error(`no national poverty standard in force in ${year + 1} for the synthetic town`)
  return standard.value
}

/** Income and deprivations the standard classifies as `target`: the core's `classify` checks the choice. */
const findingsFor = (
  target: ReviewClass,
  standard: PovertyStandard,
  areaType: AreaType,
  assessedOn: LocalDate,
  random: () => number,
): { readonly incomePerPersonPerMonth: Vnd; readonly deprivedIndicators: ReadonlyArray<DeprivationIndicator> } => {
  const { lines } = incomeLinesOn(standard, areaType, assessedOn)
  const thousands = (low: bigint, high: bigint): Vnd => vnd(BigInt(between(random, Number(low / 1_000n), Number(high / 1_000n))) * 1_000n)
  const indicators = (count: number): ReadonlyArray<DeprivationIndicator> => standard.indicators.slice(between(random, 0, standard.indicators.length - count)).slice(0, count)
  const top = lines.averageLiving ?? lines.nearPoverty
  const findings = (() => {
    switch (target) {
      case 'POOR':
        return { incomePerPersonPerMonth: thousands((lines.poverty * 2n) / 5n, lines.poverty), deprivedIndicators: indicators(between(random, 3, 5)) }
      case 'NEAR_POOR':
        return lines.nearPoverty > lines.poverty
          ? { incomePerPersonPerMonth: thousands(lines.poverty + 1_000n, lines.nearPoverty), deprivedIndicators: indicators(between(random, 0, 2)) }
          : { incomePerPersonPerMonth: thousands((lines.poverty * 2n) / 5n, lines.poverty), deprivedIndicators: indicators(between(random, 0, 2)) }
      case 'AVERAGE_LIVING':
        return { incomePerPersonPerMonth: thousands(lines.nearPoverty + 1_000n, top), deprivedIndicators: indicators(between(random, 0, 2)) }
      case 'NONE':
        return { incomePerPersonPerMonth: thousands(top + 1_000n, top * 3n), deprivedIndicators: indicators(between(random, 0, 1)) }
    }
  })()
  const found = classify({ areaType, assessedOn, ...findings }, standard)
  if (found !== target) throw new Error(`synthetic findings classify as ${found}, not ${target}, under ${standard.id}`)
  return findings
}

/** Registration, then each year's assessment (October) and recognition (early December), in the review window. */
const householdCommands = (plan: HouseholdPlan): ReadonlyArray<CommandEnvelope> => {
  const { householdId, commune } = plan
  const communeActor = `commune-pc:${commune.communeId}`
  const commands: Array<CommandEnvelope> = [
    envelope(
      `register:${householdId}`,
      {
        type: 'RegisterHousehold',
        data: { householdId, communeId: commune.communeId, areaType: commune.areaType, members: plan.members as Household.MemberCount, registeredOn: plan.registeredOn },
      },
      plan.registeredOn,
      communeActor,
    ),
  ]
  for (const [year, reviewClass] of plan.classes) {
    const standard = standardOfReview(year)
    const assessedOn = day(`${year}-10-${pad(1 + (commune.index % 28))}`)
    const decisionDate = day(`${year}-12-${pad(1 + (commune.index % 10))}`)
    const review = { householdId, standardId: standard.id, reviewYear: year as Household.ReviewYear, reviewKind: 'PERIODIC' } as const
    commands.push(
      envelope(
        `assess:${householdId}:${year}`,
        { type: 'AssessHousehold', data: { ...review, assessedOn, ...findingsFor(reviewClass, standard, commune.areaType, assessedOn, plan.random) } },
        assessedOn,
        `reviewer:${commune.communeId}`,
      ),
      envelope(
        `recognise:${householdId}:${year}`,
        { type: 'RecogniseHouseholdClass', data: { ...review, decisionNumber: `${100 + commune.index}/${year}/QĐ-UBND` as DecisionNumber, decisionDate } },
        decisionDate,
        communeActor,
      ),
    )
  }
  return commands
}

const ORGANISATIONS = [
  ['WOMENS_UNION', 'wu'],
  ['FARMERS_ASSOCIATION', 'fa'],
  ['VETERANS_ASSOCIATION', 'va'],
  ['YOUTH_UNION', 'yu'],
] as const

/** Equal monthly instalments over the term; the last takes the rounding. */
const monthlyInstalments = (amount: Vnd, disbursedOn: LocalDate, termMonths: number): ReadonlyArray<Loan.PlannedInstalment> => {
  const part = (amount / BigInt(termMonths) / 1_000n) * 1_000n
  return Array.from({ length: termMonths }, (_, index) => ({
    dueOn: addMonths(disbursedOn, index + 1),
    principal: vnd(index === termMonths - 1 ? amount - part * BigInt(termMonths - 1) : part),
  }))
}

const BANK_ACTOR = 'vbsp:bench'

/** A loan's commands: its way to disbursement, then each instalment repaid on its due day until the history ends. */
const loanCommands = (plan: HouseholdPlan, loan: LoanPlan, historyEnd: LocalDate): ReadonlyArray<CommandEnvelope> => {
  const { householdId, commune } = plan
  const { communeId } = commune
  const { loanId, amount, termMonths, requestedOn, disbursedOn, programme } = loan
  const [massOrganisationKind, code] = ORGANISATIONS[loan.organisation] ?? ORGANISATIONS[0]
  const massOrganisationId = `${communeId}.${code}` as MassOrganisationId
  const savingsGroupId = `${massOrganisationId}.to-01` as SavingsGroupId
  const vettedOn = addDays(requestedOn, 3)
  const certifiedOn = addDays(requestedOn, 6)
  const approvedOn = addDays(requestedOn, 10)
  const id = (step: string) => `loan:${loanId}:${step}`
  const instalments = monthlyInstalments(amount, disbursedOn, termMonths)
  const commands: Array<CommandEnvelope> = [
    envelope(
      id('request'),
      {
        type: 'RequestLoan',
        data: {
          loanId,
          householdId,
          communeId,
          programme,
          savingsGroupId,
          massOrganisationKind,
          massOrganisationId,
          requestedAmount: amount,
          termMonths: termMonths as Loan.PositiveCount,
          purpose: (programme === 'JOB_CREATION' ? 'Tạo việc làm cho lao động trong hộ' : 'Chăn nuôi, trồng trọt phát triển kinh tế hộ') as Loan.Text,
          workers: programme === 'JOB_CREATION' ? (1 as Loan.PositiveCount) : null,
          monthsOfStudy: null,
          facilityTypes: null,
          requestedOn,
        },
      },
      requestedOn,
      `household:${householdId}`,
    ),
    envelope(id('vet'), { type: 'VetLoanByGroup', data: { loanId, meetingMinutesId: `BB-${communeId}-${vettedOn}` as Loan.Text, vettedOn } }, vettedOn, `savings-group:${savingsGroupId}`),
    envelope(
      id('certify'),
      { type: 'CertifyLoanByCommune', data: { loanId, certificationNumber: `${200 + commune.index}/${yearOf(certifiedOn)}/XN-UBND` as DecisionNumber, certifiedOn } },
      certifiedOn,
      `commune-pc:${communeId}`,
    ),
    envelope(
      id('approve'),
      {
        type: 'ApproveLoan',
        data: { loanId, approvedAmount: amount, termMonths: termMonths as Loan.PositiveCount, capitalSourceKind: 'CENTRAL', capitalSourceId: CENTRAL_CAPITAL, collateral: null, approvedOn },
      },
      approvedOn,
      BANK_ACTOR,
    ),
    envelope(
      id('disburse'),
      { type: 'DisburseLoan', data: { loanId, amount, transactionPointId: `${communeId}.dgd` as TransactionPointId, instalments, disbursedOn } },
      disbursedOn,
      BANK_ACTOR,
    ),
  ]
  for (const { dueOn, principal } of instalments) {
    if (dueOn > historyEnd) break
    commands.push(envelope(id(`repay:${dueOn}`), { type: 'RepayPrincipal', data: { loanId, amount: principal, repaidOn: dueOn } }, dueOn, BANK_ACTOR))
  }
  return commands
}

/** Central capital for a commune's year: per programme, what its loans need, rounded up to 100 m, allocated on 5 January. */
const allocationCommands = (commune: CommunePlan, year: number, loans: ReadonlyArray<LoanPlan>): ReadonlyArray<CommandEnvelope> => {
  const needed = new Map<ProgrammeId, bigint>()
  for (const loan of loans) needed.set(loan.programme, (needed.get(loan.programme) ?? 0n) + loan.amount)
  const allocatedOn = day(`${year}-01-05`)
  const hundredMillion = 100n * MILLION
  return [...needed].map(([programme, amount]) =>
    envelope(
      `allocate:${commune.communeId}:${year}:${programme}`,
      {
        type: 'AllocateCentralCapital',
        data: {
          communeId: commune.communeId,
          year: year as Loan.PositiveCount,
          programme,
          capitalSourceId: CENTRAL_CAPITAL,
          amount: vnd(((amount + hundredMillion - 1n) / hundredMillion) * hundredMillion),
          decisionNumber: `05/${year}/QĐ-BĐD` as DecisionNumber,
          allocatedOn,
        },
      },
      allocatedOn,
      'board-of-representatives:bench',
    ),
  )
}

/** The plans of a commune's households and its loans by year (what its capital streams need before any loan). */
const communeHouseholds = (size: TownSize, commune: CommunePlan): { readonly count: number; readonly loansByYear: ReadonlyMap<number, ReadonlyArray<LoanPlan>> } => {
  const count = householdsIn(size, commune.index)
  const loansByYear = new Map<number, Array<LoanPlan>>()
  for (let number = 1; number <= count; number++) {
    const { loan } = householdPlan(size, commune, number)
    if (loan === undefined) continue
    const year = yearOf(loan.disbursedOn)
    loansByYear.set(year, [...(loansByYear.get(year) ?? []), loan])
  }
  return { count, loansByYear }
}

/** Every command of the town in an order the application accepts: per commune its unit, its capital, then each household and its loan. */
export function* townCommands(size: TownSize): Generator<CommandEnvelope> {
  const historyEnd = historyEndOf(size)
  for (let index = 0; index < size.communes; index++) {
    const commune = communePlan(index)
    yield* communeCommands(commune)
    const { count, loansByYear } = communeHouseholds(size, commune)
    for (const [year, loans] of [...loansByYear].sort(([a], [b]) => a - b)) yield* allocationCommands(commune, year, loans)
    for (let number = 1; number <= count; number++) {
      const plan = householdPlan(size, commune, number)
      yield* householdCommands(plan)
      if (plan.loan !== undefined) yield* loanCommands(plan, plan.loan, historyEnd)
    }
  }
}

// ---- Events, decided without a store --------------------------------------------------------------

const reference = referenceData()
const householdContext: Household.HouseholdContext = { standards: reference.povertyStandards, reviewRules: reference.reviewRules }
const termsLookup: Loan.TermsLookup = Loan.termsLookupFrom(reference.programmes.versions)

/** One stream being written: each command is decided on the state so far, its events evolve the state and are encoded. */
const streamWriter = <Command extends DomainCommand, Event extends DomainEvent, State, Rejection, Context>(
  streamId: string,
  decider: Decider<Command, Event, State, Rejection, Context>,
  codec: EventCodec<Event>,
) => {
  let state = decider.initialState
  const events: Array<NewEvent> = []
  return {
    streamId,
    state: (): State => state,
    events,
    decide: (commandEnvelope: CommandEnvelope, context: Context): ReadonlyArray<Event> => {
      const decided = decider.decide(commandEnvelope.command as Command, state, context)
      if (E.isLeft(decided)) throw new Error(`the synthetic town's ${commandEnvelope.commandId} is refused on ${streamId}: ${JSON.stringify(decided.left)}`)
      decided.right.forEach((event, index) => {
        state = decider.evolve(state, event)
        const { type, data, schemaVersion } = codec.encode(event)
        events.push({
          eventId: deterministicEventId(commandEnvelope.commandId, streamId, index),
          type,
          data,
          metadata: {
            occurredOn: commandEnvelope.occurredOn,
            schemaVersion,
            correlationId: commandEnvelope.commandId,
            causationId: commandEnvelope.commandId,
            ...(commandEnvelope.actor === undefined ? {} : { actor: commandEnvelope.actor }),
          },
        })
      })
      return decided.right
    },
  }
}

const reservationOf = (commune: CommunePlan, loan: LoanPlan): Capital.CapitalReservation => ({
  communeId: commune.communeId,
  year: yearOf(loan.disbursedOn) as Loan.PositiveCount,
  programme: loan.programme,
  capitalSourceKind: 'CENTRAL',
  capitalSourceId: CENTRAL_CAPITAL,
  loanId: loan.loanId,
  amount: loan.amount,
  reservedOn: loan.disbursedOn,
})

/** The household's status the approval is judged on: the first its programme accepts, else its class in force (refused then). */
const approvalContext = (householdId: HouseholdId, household: Household.Household, loan: LoanPlan, approvedOn: LocalDate): Loan.LoanContext => {
  const terms = termsOn(loan.programme, approvedOn, reference.programmes)
  if (E.isLeft(terms)) throw new Error(`no ${loan.programme} terms on ${approvedOn} for the synthetic town`)
  const statuses = Household.classesInForceOn(household, approvedOn)
  const status = statuses.find((candidate) => terms.right.eligibleClasses.includes(candidate.householdClass)) ?? statuses[0]
  return {
    approval: {
      householdId,
      classInForce:
        status === undefined
          ? null
          : { householdClass: status.householdClass, evidence: status.evidence, ...(status.escapedStatusEndsOn === undefined ? {} : { endsOn: status.escapedStatusEndsOn }) },
      terms: terms.right,
    },
  }
}

const loanContext = (commandEnvelope: CommandEnvelope, household: Household.Household, plan: HouseholdPlan, loan: LoanPlan): Loan.LoanContext => {
  const command = commandEnvelope.command as Loan.LoanCommand
  if (command.type === 'ApproveLoan') return approvalContext(plan.householdId, household, loan, command.data.approvedOn)
  if (command.type === 'DisburseLoan') return { capitalReservation: reservationOf(plan.commune, loan) }
  return Loan.contextNeeded(command) === 'termsLookup' ? { termsLookup } : {}
}

/**
 * Every stream's events, each stream whole and once (append each with `noStream`), dependencies
 * first: per commune its unit stream, its capital streams (allocations, then the reservation each
 * disbursement makes), then each household's stream followed by its loan's.
 */
export function* townStreams(size: TownSize): Generator<StreamEvents> {
  const historyEnd = historyEndOf(size)
  for (let index = 0; index < size.communes; index++) {
    const commune = communePlan(index)
    const unit = streamWriter(AdministrativeUnit.communeStreamId(commune.communeId), AdministrativeUnit.administrativeUnitDecider, administrativeUnitEventCodec)
    for (const command of communeCommands(commune)) unit.decide(command, undefined)
    yield { streamId: unit.streamId, events: unit.events }
    const { count, loansByYear } = communeHouseholds(size, commune)
    for (const [year, loans] of [...loansByYear].sort(([a], [b]) => a - b)) {
      const capital = streamWriter(Capital.capitalStreamId(commune.communeId, year), Capital.capitalDecider, capitalEventCodec)
      for (const command of allocationCommands(commune, year, loans)) capital.decide(command, undefined)
      // In household order, the order `townCommands` disburses them in, so command handling appends the same stream.
      for (const loan of loans) {
        const reservation = reservationOf(commune, loan)
        // The disbursement's command reserves the capital, as the application's reservation handler does.
        capital.decide(envelope(`loan:${loan.loanId}:disburse`, { type: 'ReserveCapital', data: reservation }, loan.disbursedOn, BANK_ACTOR), undefined)
      }
      yield { streamId: capital.streamId, events: capital.events }
    }
    for (let number = 1; number <= count; number++) {
      const plan = householdPlan(size, commune, number)
      const household = streamWriter(Household.householdStreamId(plan.householdId), Household.householdDecider, householdEventCodec)
      for (const command of householdCommands(plan)) household.decide(command, householdContext)
      yield { streamId: household.streamId, events: household.events }
      if (plan.loan === undefined) continue
      const loan = streamWriter(loanStreamId(plan.loan.loanId), Loan.loanDecider, loanEventCodec)
      for (const command of loanCommands(plan, plan.loan, historyEnd)) loan.decide(command, loanContext(command, household.state(), plan, plan.loan))
      yield { streamId: loan.streamId, events: loan.events }
    }
  }
}
