/**
 * Every command the domain accepts, by aggregate, with its codec and the stream it goes to: the
 * application routes with it, the command line is decoded with it, and `docs/commands.md` is
 * generated from it (a test fails when the two differ). The codecs are the core's own; this file only
 * gathers them, so a command has one definition.
 */
import type * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { AdministrativeUnit, Capital, Household, Inspection, Loan, Plan, type DecodeFailure, type LocalDate } from '@policy-credit/core'
import { eventCatalogueEntry } from './eventCodecs.ts'

export type AdministrativeUnitCommand = AdministrativeUnit.AdministrativeUnitCommand
export type HouseholdCommand = Household.HouseholdCommand
export type LoanCommand = Loan.LoanCommand
export type CapitalCommand = Capital.CapitalCommand
export type InspectionCommand = Inspection.InspectionCommand
export type PlanCommand = Plan.PlanCommand

export type DomainCommand = AdministrativeUnitCommand | HouseholdCommand | LoanCommand | CapitalCommand | InspectionCommand | PlanCommand
export type DomainCommandType = DomainCommand['type']

/** The aggregates, named as the core's namespaces are. */
export type Aggregate = 'AdministrativeUnit' | 'Household' | 'Loan' | 'Capital' | 'Inspection' | 'Plan'

/** The codecs of a union of messages, keyed by the message type (a message codec is named after its type). */
const byType = (union: t.UnionType<Array<t.Mixed>>): Readonly<Record<string, t.Mixed>> =>
  Object.fromEntries(union.types.map((codec) => [codec.name, codec]))

export interface AggregateCommands {
  readonly aggregate: Aggregate
  /** The heading of the aggregate in the core's event catalogue, whose stream ids the commands share. */
  readonly title: string
  /** How its stream ids are built (from the core's event catalogue). */
  readonly stream: string
  readonly codecs: Readonly<Record<string, t.Mixed>>
}

const aggregateCommands = (aggregate: Aggregate, title: string, codecs: Readonly<Record<string, t.Mixed>>): AggregateCommands => ({
  aggregate,
  title,
  stream: eventCatalogueEntry(title).stream,
  codecs,
})

export const commandCatalogue: ReadonlyArray<AggregateCommands> = [
  aggregateCommands('AdministrativeUnit', 'Administrative unit', byType(AdministrativeUnit.AdministrativeUnitCommand)),
  aggregateCommands('Household', 'Household', byType(Household.HouseholdCommand)),
  aggregateCommands('Loan', 'Loan', Loan.loanCommandCodecs),
  aggregateCommands('Capital', 'Capital', Capital.capitalCommandCodecs),
  aggregateCommands('Inspection', 'Inspection', Inspection.inspectionCommandCodecs),
  aggregateCommands('Plan', 'Plan', byType(Plan.PlanCommand)),
]

/** Every command codec by type. */
export const commandCodecs: Readonly<Record<string, t.Mixed>> = Object.fromEntries(commandCatalogue.flatMap(({ codecs }) => Object.entries(codecs)))

export const commandTypes: ReadonlyArray<DomainCommandType> = commandCatalogue.flatMap(({ codecs }) => Object.keys(codecs) as Array<DomainCommandType>)

const aggregateByType: ReadonlyMap<string, Aggregate> = new Map(
  commandCatalogue.flatMap(({ aggregate, codecs }) => Object.keys(codecs).map((type) => [type, aggregate] as const)),
)

export const isDomainCommandType = (type: unknown): type is DomainCommandType => typeof type === 'string' && aggregateByType.has(type)

/** Decodes `{ type, data }` with the codec its type names; the errors name that command's bad fields. */
export const decodeDomainCommand: (input: unknown) => E.Either<DecodeFailure, DomainCommand> = Loan.decodeByType('DomainCommand', commandCodecs) as (
  input: unknown,
) => E.Either<DecodeFailure, DomainCommand>

/** The JSON form of a command (money as decimal strings). */
export const encodeDomainCommand = (command: DomainCommand): { readonly type: string; readonly data: unknown } => {
  const codec = commandCodecs[command.type]
  if (codec === undefined) throw new Error(`no codec for command type ${command.type}`)
  return codec.encode(command) as { readonly type: string; readonly data: unknown }
}

/** A command with the aggregate it belongs to, so a `match` on `aggregate` narrows the command. */
export type RoutedCommand =
  | { readonly aggregate: 'AdministrativeUnit'; readonly command: AdministrativeUnitCommand }
  | { readonly aggregate: 'Household'; readonly command: HouseholdCommand }
  | { readonly aggregate: 'Loan'; readonly command: LoanCommand }
  | { readonly aggregate: 'Capital'; readonly command: CapitalCommand }
  | { readonly aggregate: 'Inspection'; readonly command: InspectionCommand }
  | { readonly aggregate: 'Plan'; readonly command: PlanCommand }

export const routeOf = (command: DomainCommand): RoutedCommand => {
  const aggregate = aggregateByType.get(command.type)
  if (aggregate === undefined) throw new Error(`no aggregate handles command type ${command.type}`)
  return { aggregate, command } as RoutedCommand
}

type DateFieldOf<Command> = Command extends { readonly data: infer Data } ? { [Field in keyof Data]-?: Data[Field] extends LocalDate ? Field : never }[keyof Data] : never

/**
 * The field holding each command's business date: the day it happened at the commune, which the
 * events record as `occurredOn` unless the command line says otherwise. (The loan module's
 * `commandDate` answers the same for loans; a test checks the two agree.)
 */
export const businessDateFields: { readonly [Type in DomainCommandType]: DateFieldOf<Extract<DomainCommand, { readonly type: Type }>> } = {
  DeclareCommune: 'declaredOn',
  ReclassifyCommune: 'reclassifiedOn',
  JoinTown: 'joinedOn',
  LeaveTown: 'leftOn',
  MergeCommune: 'mergedOn',
  RegisterHousehold: 'registeredOn',
  AssessHousehold: 'assessedOn',
  RecogniseHouseholdClass: 'decisionDate',
  MoveHouseholdToCommune: 'movedOn',
  DissolveHousehold: 'dissolvedOn',
  RequestLoan: 'requestedOn',
  VetLoanByGroup: 'vettedOn',
  CertifyLoanByCommune: 'certifiedOn',
  RejectLoan: 'rejectedOn',
  ApproveLoan: 'approvedOn',
  DisburseLoan: 'disbursedOn',
  CollectInterest: 'collectedOn',
  RepayPrincipal: 'repaidOn',
  AdjustInstalmentTerm: 'adjustedOn',
  ExtendLoan: 'extendedOn',
  TransferToOverdue: 'transferredOn',
  RecallLoanEarly: 'recalledOn',
  FreezeDebt: 'frozenOn',
  UnfreezeDebt: 'unfrozenOn',
  WriteOffPrincipal: 'writtenOffOn',
  WriteOffInterest: 'writtenOffOn',
  CloseLoan: 'closedOn',
  AllocateCentralCapital: 'allocatedOn',
  EntrustLocalBudgetCapital: 'entrustedOn',
  ReallocateCapital: 'reallocatedOn',
  ReceiveReallocatedCapital: 'receivedOn',
  ReserveCapital: 'reservedOn',
  ReleaseCapitalReservation: 'releasedOn',
  PlanInspection: 'plannedOn',
  ConductInspection: 'conductedOn',
  RequireCorrection: 'requiredOn',
  CompleteCorrection: 'completedOn',
  CompleteInspection: 'completedOn',
  SetPovertyReductionTarget: 'decisionDate',
  SetJobCreationPlan: 'decisionDate',
}

export const businessDateOf = (command: DomainCommand): LocalDate => {
  const field = businessDateFields[command.type]
  return (command.data as unknown as Readonly<Record<string, LocalDate>>)[field] as LocalDate
}
