/**
 * The layer between a command and the store (docs/application.md): it routes each command to its
 * aggregate's decider and stream, loads what the decision needs from outside that stream, and appends
 * through the event store's `handleCommand`, whose event ids derive from the command id, so executing
 * the same envelope twice appends nothing the second time.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { match } from 'ts-pattern'
import {
  AdministrativeUnit,
  Capital,
  Household,
  Inspection,
  Loan,
  Plan,
  termsOn,
  yearOf,
  type Decider,
  type DomainEvent,
  type InspectionId,
  type LoanId,
  type LocalDate,
  type NoTermsInForce,
  type ProgrammeTerms,
} from '@policy-credit/core'
import {
  handleCommand,
  handleWithReservation,
  loadState,
  type CommandDecider,
  type CommandEnvelope as StoreCommandEnvelope,
  type EventStore,
  type EventStoreError,
  type Handled,
  type HandlerOptions,
  type Position,
  type ReservationHandlerError,
  type StreamCommandHandler,
  type StreamVersion,
} from '@policy-credit/event-store'
import type { CommandEnvelope } from './commandLine.ts'
import { routeOf, type Aggregate, type CapitalCommand, type DomainCommand, type DomainCommandType, type LoanCommand } from './commands.ts'
import { administrativeUnitEventCodec, capitalEventCodec, householdEventCodec, inspectionEventCodec, loanEventCodec, planEventCodec } from './eventCodecs.ts'
import { referenceData, type ReferenceData } from './reference.ts'

export const loanStreamId = (loanId: string): string => `loan-${loanId}`
export const inspectionStreamId = (inspectionId: string): string => `inspection-${inspectionId}`

/** A decider's refusal, with the aggregate that refused, so its `rejection` is typed by that aggregate's union. */
export type DomainRejection =
  | { readonly aggregate: 'AdministrativeUnit'; readonly rejection: AdministrativeUnit.AdministrativeUnitRejection }
  | { readonly aggregate: 'Household'; readonly rejection: Household.HouseholdRejection }
  | { readonly aggregate: 'Loan'; readonly rejection: Loan.LoanRejection }
  | { readonly aggregate: 'Capital'; readonly rejection: Capital.CapitalRejection }
  | { readonly aggregate: 'Inspection'; readonly rejection: Inspection.InspectionRejection }
  | { readonly aggregate: 'Plan'; readonly rejection: Plan.PlanRejection }

/** What a decision needs from outside its stream and could not be found. */
export type MissingContext =
  /** No version of the programme's terms covers the approval day, in the reference data given. */
  | NoTermsInForce
  /** An early recall names an inspection that has not been conducted or did not check the loan. */
  | { readonly _tag: 'NoInspectionFinding'; readonly inspectionId: InspectionId; readonly loanId: LoanId }

/** The command was refused: nothing was appended. Send a different command, not the same again. */
export type CommandRefusal =
  | ({ readonly _tag: 'Rejected'; readonly commandType: DomainCommandType } & DomainRejection)
  | { readonly _tag: 'ContextMissing'; readonly aggregate: Aggregate; readonly commandType: DomainCommandType; readonly missing: MissingContext }

/**
 * Why a command was not executed. Refusals (`Rejected`, `ContextMissing`, `ReservationReleased`)
 * appended nothing; `ConcurrencyRetriesExhausted` and `StoreFailed` are the store's, and the same
 * envelope may be executed again later.
 */
export type ExecutionError = CommandRefusal | Exclude<ReservationHandlerError<never>, { readonly _tag: 'Rejected' }>

/** The store failed or stayed contended: a bulk import stops, since later commands may depend on this one. */
export type StoreFailure = Extract<ExecutionError, { readonly _tag: 'StoreFailed' | 'ConcurrencyRetriesExhausted' }>

export const isStoreFailure = (error: ExecutionError): error is StoreFailure => error._tag === 'StoreFailed' || error._tag === 'ConcurrencyRetriesExhausted'

/** What one stream received. */
export interface StreamOutcome {
  readonly streamId: string
  /** The events this command appended; when `alreadyHandled`, those an earlier run appended. */
  readonly events: ReadonlyArray<DomainEvent>
  /** The stream's version after them (its current version when the command decided nothing). */
  readonly nextExpectedVersion: StreamVersion
  /** Global position of the last of them (of the stream's last event when nothing was decided); absent for an empty stream. */
  readonly position?: Position
  /** True when an earlier run of the same command id appended these events: this run appended nothing. */
  readonly alreadyHandled: boolean
}

export interface Outcome extends StreamOutcome {
  readonly commandId: string
  readonly commandType: DomainCommandType
  readonly aggregate: Aggregate
  /** For a disbursement: the capital reservation on `capital-<communeId>-<year>`, appended before the loan's events. */
  readonly reservation?: StreamOutcome
}

export interface ApplicationOptions {
  readonly store: EventStore
  /** Defaults to the core's national data; see `referenceData`. */
  readonly reference?: Partial<ReferenceData>
  /** How often to re-decide on a contended stream (the event store's default when absent). */
  readonly maxAttempts?: number
}

export interface Application {
  readonly reference: ReferenceData
  readonly execute: (envelope: CommandEnvelope) => TE.TaskEither<ExecutionError, Outcome>
}

/** The context a handler loaded, or what was missing. */
type Loaded<Context> = E.Either<MissingContext, Context>

/** A core decider whose rejections carry their aggregate and whose context may be missing. */
const refusing = <Command extends DomainCommand, Event, State, Rejection, Context>(
  aggregate: Aggregate,
  decider: Decider<Command, Event, State, Rejection, Context>,
): CommandDecider<Command, Event, State, CommandRefusal, Loaded<Context>> => ({
  initialState: decider.initialState,
  evolve: decider.evolve,
  decide: (command, state, loaded) =>
    E.isLeft(loaded)
      ? E.left({ _tag: 'ContextMissing', aggregate, commandType: command.type, missing: loaded.left })
      : pipe(
          decider.decide(command, state, loaded.right),
          E.mapLeft((rejection) => ({ _tag: 'Rejected', aggregate, commandType: command.type, rejection }) as CommandRefusal),
        ),
})

const loaded = <Context>(context: Context): TE.TaskEither<EventStoreError, Loaded<Context>> => TE.right(E.right(context))
const noContext = () => loaded<void>(undefined)

/** A release finds nothing to release when the disbursement never reserved: the reservation handler relies on it. */
const capitalDeciderForDisbursement: Decider<CapitalCommand, Capital.CapitalEvent, Capital.CapitalState, Capital.CapitalRejection> = {
  ...Capital.capitalDecider,
  decide: (command, state) =>
    command.type === 'ReleaseCapitalReservation' &&
    (state.status === 'Unopened' || !state.reservations.some((reservation) => reservation.loanId === command.data.loanId))
      ? E.right([])
      : Capital.capitalDecider.decide(command, state),
}

/** The loan decider's evidence of the household's class, from the household module's answer. */
const classEvidence = (classInForce: Household.ClassInForce): Loan.ClassInForceEvidence => ({
  householdClass: classInForce.householdClass,
  evidence: classInForce.evidence,
  ...(classInForce.escapedStatusEndsOn === undefined ? {} : { endsOn: classInForce.escapedStatusEndsOn }),
})

/**
 * The household's status that the approval is judged on. A household may hold several on one day
 * (average living and newly escaped, after leaving the poor list); it may borrow under a programme
 * that accepts any of them, so the first the programme accepts is the evidence, else its class in
 * force (`classInForceOn`), which the decider then refuses.
 */
const statusForProgramme = (household: Household.Household, approvedOn: LocalDate, terms: ProgrammeTerms): O.Option<Household.ClassInForce> => {
  const statuses = Household.classesInForceOn(household, approvedOn)
  return O.fromNullable(statuses.find((status) => terms.eligibleClasses.includes(status.householdClass)) ?? statuses[0])
}

const streamOutcome = (streamId: string, handled: Handled<DomainEvent>): StreamOutcome => ({
  streamId,
  events: handled.events,
  nextExpectedVersion: handled.nextExpectedVersion,
  ...(handled.position === undefined ? {} : { position: handled.position }),
  alreadyHandled: handled.alreadyHandled,
})

const executionError = (error: ReservationHandlerError<CommandRefusal>): ExecutionError => (error._tag === 'Rejected' ? error.rejection : error)

export const createApplication = (options: ApplicationOptions): Application => {
  const { store } = options
  const reference = referenceData(options.reference)
  const handlerOptions: HandlerOptions = options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }
  const termsLookup: Loan.TermsLookup = Loan.termsLookupFrom(reference.programmes.versions)
  const householdContext: Household.HouseholdContext = { standards: reference.povertyStandards, reviewRules: reference.reviewRules }

  const administrativeUnitHandler: StreamCommandHandler<
    AdministrativeUnit.AdministrativeUnitCommand,
    AdministrativeUnit.AdministrativeUnitEvent,
    AdministrativeUnit.Commune,
    CommandRefusal,
    Loaded<void>
  > = {
    decider: refusing('AdministrativeUnit', AdministrativeUnit.administrativeUnitDecider),
    codec: administrativeUnitEventCodec,
    streamId: (command) => AdministrativeUnit.communeStreamId(command.data.communeId),
    loadContext: noContext,
  }

  const householdHandler: StreamCommandHandler<Household.HouseholdCommand, Household.HouseholdEvent, Household.Household, CommandRefusal, Loaded<Household.HouseholdContext>> = {
    decider: refusing('Household', Household.householdDecider),
    codec: householdEventCodec,
    streamId: (command) => Household.householdStreamId(command.data.householdId),
    loadContext: () => loaded(householdContext),
  }

  const capitalHandler = (decider: Decider<CapitalCommand, Capital.CapitalEvent, Capital.CapitalState, Capital.CapitalRejection>) =>
    ({
      decider: refusing('Capital', decider),
      codec: capitalEventCodec,
      streamId: (command) => Capital.capitalStreamId(command.data.communeId, command.data.year),
      loadContext: noContext,
    }) satisfies StreamCommandHandler<CapitalCommand, Capital.CapitalEvent, Capital.CapitalState, CommandRefusal, Loaded<void>>

  const inspectionHandler: StreamCommandHandler<Inspection.InspectionCommand, Inspection.InspectionEvent, Inspection.Inspection, CommandRefusal, Loaded<void>> = {
    decider: refusing('Inspection', Inspection.inspectionDecider),
    codec: inspectionEventCodec,
    streamId: (command) => inspectionStreamId(command.data.inspectionId),
    loadContext: noContext,
  }

  const planHandler: StreamCommandHandler<Plan.PlanCommand, Plan.PlanEvent, Plan.Plan, CommandRefusal, Loaded<Plan.PlanContext>> = {
    decider: refusing('Plan', Plan.planDecider),
    codec: planEventCodec,
    streamId: (command) => Plan.planStreamId(command.data.unitId, command.data.year),
    loadContext: () => loaded({ standards: reference.povertyStandards }),
  }

  const loadHousehold = loadState(store, Household.householdDecider, householdEventCodec)
  const loadLoan = loadState(store, Loan.loanDecider, loanEventCodec)
  const loadCapital = loadState(store, Capital.capitalDecider, capitalEventCodec)
  const loadInspection = loadState(store, Inspection.inspectionDecider, inspectionEventCodec)

  /** The household's class in force on the approval day, and the programme terms in force that day. */
  const approvalContext = (command: Extract<LoanCommand, { readonly type: 'ApproveLoan' }>, loan: Loan.Loan): TE.TaskEither<EventStoreError, Loaded<Loan.LoanContext>> => {
    // Before certification the decider refuses by status; there is no application to read yet.
    if (loan.status !== 'CommuneCertified') return loaded({})
    const { application } = loan
    const { approvedOn } = command.data
    return pipe(
      loadHousehold(Household.householdStreamId(application.householdId)),
      TE.map(({ state: household }) =>
        pipe(
          termsOn(application.programme, approvedOn, reference.programmes),
          E.map(
            (terms): Loan.LoanContext => ({
              approval: {
                householdId: application.householdId,
                classInForce: pipe(statusForProgramme(household, approvedOn, terms), O.map(classEvidence), O.toNullable),
                terms,
              },
            }),
          ),
        ),
      ),
    )
  }

  const inspectionFindingContext = (command: Extract<LoanCommand, { readonly type: 'RecallLoanEarly' }>): TE.TaskEither<EventStoreError, Loaded<Loan.LoanContext>> => {
    const { inspectionId, loanId } = command.data
    return pipe(
      loadInspection(inspectionStreamId(inspectionId)),
      TE.map(({ state }) =>
        pipe(
          O.fromNullable(Inspection.findingForLoan(state, loanId)),
          E.fromOption((): MissingContext => ({ _tag: 'NoInspectionFinding', inspectionId, loanId })),
          E.map((inspectionFinding): Loan.LoanContext => ({ inspectionFinding })),
        ),
      ),
    )
  }

  const loanHandler: StreamCommandHandler<LoanCommand, Loan.LoanEvent, Loan.Loan, CommandRefusal, Loaded<Loan.LoanContext>> = {
    decider: refusing('Loan', Loan.loanDecider),
    codec: loanEventCodec,
    streamId: (command) => loanStreamId(command.data.loanId),
    loadContext: (command, loan) =>
      match(command)
        .returnType<TE.TaskEither<EventStoreError, Loaded<Loan.LoanContext>>>()
        .with({ type: 'ApproveLoan' }, (approve) => approvalContext(approve, loan))
        .with({ type: 'RecallLoanEarly' }, inspectionFindingContext)
        .otherwise((other) => (Loan.contextNeeded(other) === 'termsLookup' ? loaded({ termsLookup }) : loaded({}))),
  }

  const onStream =
    <Command extends DomainCommand, Event extends DomainEvent, State, Context>(
      aggregate: Aggregate,
      handler: StreamCommandHandler<Command, Event, State, CommandRefusal, Context>,
    ) =>
    (envelope: StoreCommandEnvelope<Command>): TE.TaskEither<ExecutionError, Outcome> =>
      pipe(
        handleCommand(store, handler, handlerOptions)(envelope),
        TE.bimap(executionError, (handled) => ({
          commandId: envelope.commandId,
          commandType: envelope.command.type,
          aggregate,
          ...streamOutcome(handler.streamId(envelope.command), handled),
        })),
      )

  const onLoanStream = onStream('Loan', loanHandler)

  /**
   * A disbursement reserves capital on the commune's capital stream for the year, then appends to the
   * loan (`handleWithReservation`). `planDisbursement` decides both from the states read here, so a
   * refusal (by the loan or by the capital) appends nothing, and it names the reservation to make.
   */
  const disburse = (envelope: StoreCommandEnvelope<Extract<LoanCommand, { readonly type: 'DisburseLoan' }>>): TE.TaskEither<ExecutionError, Outcome> => async () => {
    const command = envelope.command
    const loan = await loadLoan(loanStreamId(command.data.loanId))()
    if (E.isLeft(loan)) return E.left({ _tag: 'StoreFailed', error: loan.left })
    // Not approved: the loan decider refuses by status, or finds this command already handled.
    if (loan.right.state.status !== 'Approved') return onLoanStream(envelope)()
    const { approval } = loan.right.state
    const capitalStream = Capital.capitalStreamId(approval.communeId, yearOf(command.data.disbursedOn))
    const capital = await loadCapital(capitalStream)()
    if (E.isLeft(capital)) return E.left({ _tag: 'StoreFailed', error: capital.left })
    const plan = Loan.planDisbursement(command, loan.right.state, capital.right.state)
    if (E.isLeft(plan))
      return E.left(
        plan.left._tag === 'CapitalRejectedReservation'
          ? { _tag: 'Rejected', aggregate: 'Capital', commandType: command.type, rejection: plan.left.rejection }
          : { _tag: 'Rejected', aggregate: 'Loan', commandType: command.type, rejection: plan.left.rejection },
      )
    const { reservation } = plan.right
    const reserve: CapitalCommand = { type: 'ReserveCapital', data: reservation }
    const release: CapitalCommand = {
      type: 'ReleaseCapitalReservation',
      data: { communeId: reservation.communeId, year: reservation.year, loanId: reservation.loanId, reason: 'DISBURSEMENT_NOT_MADE', releasedOn: command.data.disbursedOn },
    }
    const handled = await handleWithReservation(
      store,
      {
        primary: { ...loanHandler, loadContext: () => loaded({ capitalReservation: reservation }) },
        boundary: capitalHandler(capitalDeciderForDisbursement),
        reserve: () => reserve,
        release: () => release,
      },
      handlerOptions,
    )(envelope)()
    return pipe(
      handled,
      E.bimap(executionError, ({ reservation: reserved, outcome }) => ({
        commandId: envelope.commandId,
        commandType: command.type,
        aggregate: 'Loan' as const,
        ...streamOutcome(loanStreamId(command.data.loanId), outcome),
        reservation: streamOutcome(capitalStream, reserved),
      })),
    )
  }

  const execute = (envelope: CommandEnvelope): TE.TaskEither<ExecutionError, Outcome> => {
    const routed = routeOf(envelope.command)
    return match(routed)
      .returnType<TE.TaskEither<ExecutionError, Outcome>>()
      .with({ aggregate: 'AdministrativeUnit' }, ({ command }) => onStream('AdministrativeUnit', administrativeUnitHandler)({ ...envelope, command }))
      .with({ aggregate: 'Household' }, ({ command }) => onStream('Household', householdHandler)({ ...envelope, command }))
      .with({ aggregate: 'Loan', command: { type: 'DisburseLoan' } }, ({ command }) => disburse({ ...envelope, command }))
      .with({ aggregate: 'Loan' }, ({ command }) => onLoanStream({ ...envelope, command }))
      .with({ aggregate: 'Capital' }, ({ command }) => onStream('Capital', capitalHandler(Capital.capitalDecider))({ ...envelope, command }))
      .with({ aggregate: 'Inspection' }, ({ command }) => onStream('Inspection', inspectionHandler)({ ...envelope, command }))
      .with({ aggregate: 'Plan' }, ({ command }) => onStream('Plan', planHandler)({ ...envelope, command }))
      .exhaustive()
  }

  return { reference, execute }
}
