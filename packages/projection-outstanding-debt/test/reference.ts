/**
 * The plain reference the properties compare the read model with: the loans' states folded by the
 * core's `evolve` up to a date, and the events of a period summed one by one. Nothing here uses the
 * projection's buckets or queries.
 */
import { addDays, Loan, type LocalDate } from '@policy-credit/core'
import { loanStatesAsOf, type LogEntry } from './debtHistory.ts'

type Dimensions = Pick<
  Loan.ReportDimensions,
  'programme' | 'communeId' | 'massOrganisationKind' | 'massOrganisationId' | 'savingsGroupId' | 'capitalSourceKind' | 'capitalSourceId'
>

const valuesOf = (dimensions: Dimensions): Readonly<Record<string, string>> => ({
  programme: dimensions.programme,
  commune: dimensions.communeId,
  massOrganisationKind: dimensions.massOrganisationKind,
  massOrganisation: dimensions.massOrganisationId,
  savingsGroup: dimensions.savingsGroupId,
  capitalSourceKind: dimensions.capitalSourceKind,
  capitalSource: dimensions.capitalSourceId,
})

export const groupKeyOf = (by: ReadonlyArray<string>, dimensions: Dimensions): string => by.map((dimension) => valuesOf(dimensions)[dimension]).join('|')

export interface ReferenceBalances {
  outstanding: bigint
  overdue: bigint
  frozen: bigint
  readonly households: Set<string>
}

const empty = (): ReferenceBalances => ({ outstanding: 0n, overdue: 0n, frozen: 0n, households: new Set() })

/** Per group, and in total, what the loans' states say at the end of `asOf`. */
export const referenceOutstanding = (log: ReadonlyArray<LogEntry>, asOf: LocalDate, by: ReadonlyArray<string>) => {
  const groups = new Map<string, ReferenceBalances>()
  const total = empty()
  for (const state of loanStatesAsOf(log, asOf).values()) {
    if (state.status !== 'Active') continue
    const outstanding = Loan.principalOutstanding(state)
    const key = groupKeyOf(by, state.dimensions)
    const group = groups.get(key) ?? empty()
    groups.set(key, group)
    for (const balances of [group, total]) {
      balances.outstanding += outstanding
      balances.overdue += state.overdue
      balances.frozen += state.frozen
      if (outstanding > 0n) balances.households.add(state.dimensions.householdId)
    }
  }
  for (const [key, group] of groups) if (group.outstanding === 0n) groups.delete(key)
  return { groups, total }
}

export interface ReferenceFlows {
  opening: bigint
  closing: bigint
  disbursed: bigint
  collected: bigint
  writtenOff: bigint
  interestCollected: bigint
  interestWrittenOff: bigint
  loansDisbursed: number
  jobsCreated: number
}

const emptyFlows = (): ReferenceFlows => ({
  opening: 0n,
  closing: 0n,
  disbursed: 0n,
  collected: 0n,
  writtenOff: 0n,
  interestCollected: 0n,
  interestWrittenOff: 0n,
  loansDisbursed: 0,
  jobsCreated: 0,
})

/** Per group, the events of [from, to] summed, with the outstanding at the end of the day before and at the end. */
export const referenceFlows = (log: ReadonlyArray<LogEntry>, from: LocalDate, to: LocalDate, by: ReadonlyArray<string>) => {
  const groups = new Map<string, ReferenceFlows>()
  const total = emptyFlows()
  const of = (dimensions: Dimensions): ReadonlyArray<ReferenceFlows> => {
    const key = groupKeyOf(by, dimensions)
    const group = groups.get(key) ?? emptyFlows()
    groups.set(key, group)
    return [group, total]
  }
  for (const [side, asOf] of [
    ['opening', addDays(from, -1)],
    ['closing', to],
  ] as const) {
    for (const state of loanStatesAsOf(log, asOf).values()) {
      if (state.status === 'Active') for (const flows of of(state.dimensions)) flows[side] += Loan.principalOutstanding(state)
    }
  }
  for (const { event, on } of log) {
    if (on < from || on > to) continue
    switch (event.type) {
      case 'LoanDisbursed':
        for (const flows of of(event.data)) {
          flows.disbursed += event.data.amount
          flows.loansDisbursed += 1
          flows.jobsCreated += event.data.jobsCreated
        }
        break
      case 'PrincipalRepaid':
        for (const flows of of(event.data)) flows.collected += event.data.amount
        break
      case 'PrincipalWrittenOff':
        for (const flows of of(event.data)) flows.writtenOff += event.data.amount
        break
      case 'InterestCollected':
        for (const flows of of(event.data)) flows.interestCollected += event.data.amount
        break
      case 'InterestWrittenOff':
        for (const flows of of(event.data)) flows.interestWrittenOff += event.data.amount
        break
      default:
        break
    }
  }
  for (const [key, group] of groups) {
    const moved = group.disbursed + group.collected + group.writtenOff + group.interestCollected + group.interestWrittenOff > 0n
    if (group.opening === 0n && group.closing === 0n && !moved) groups.delete(key)
  }
  return { groups, total }
}

export interface ReferenceCapital {
  readonly inPeriod: Record<string, bigint>
  readonly cumulative: Record<string, bigint>
}

const capitalField: Readonly<Record<string, string>> = {
  CentralCapitalAllocated: 'centralAllocated',
  LocalBudgetCapitalEntrusted: 'localEntrusted',
  ReallocatedCapitalReceived: 'reallocatedIn',
  CapitalReallocatedAway: 'reallocatedOut',
}

const emptyCapital = (): ReferenceCapital => ({
  inPeriod: { centralAllocated: 0n, localEntrusted: 0n, reallocatedIn: 0n, reallocatedOut: 0n },
  cumulative: { centralAllocated: 0n, localEntrusted: 0n, reallocatedIn: 0n, reallocatedOut: 0n },
})

/** Per group of programme, commune and source: capital received in [from, to] and up to `to`. */
export const referenceCapital = (log: ReadonlyArray<LogEntry>, from: LocalDate, to: LocalDate, by: ReadonlyArray<string>) => {
  const groups = new Map<string, ReferenceCapital>()
  const total = emptyCapital()
  for (const { event, on } of log) {
    const field = capitalField[event.type]
    if (field === undefined || on > to) continue
    const data = event.data as Dimensions & { readonly amount: bigint }
    const key = by.map((dimension) => valuesOf(data)[dimension]).join('|')
    const group = groups.get(key) ?? emptyCapital()
    groups.set(key, group)
    for (const capital of [group, total]) {
      capital.cumulative[field] = (capital.cumulative[field] ?? 0n) + data.amount
      if (on >= from) capital.inPeriod[field] = (capital.inPeriod[field] ?? 0n) + data.amount
    }
  }
  return { groups, total }
}

/** The plan resolution in force at the end of `on`: the last one, in log order, decided on or before it. */
export const referencePlan = (log: ReadonlyArray<LogEntry>, unitId: string, year: number, on: LocalDate): number | undefined => {
  let latest: { readonly decisionDate: string; readonly jobsPlanned: number } | undefined
  for (const { event } of log) {
    if (event.type !== 'JobCreationPlanSet' || event.data.unitId !== unitId || event.data.year !== year || event.data.decisionDate > on) continue
    if (latest === undefined || event.data.decisionDate >= latest.decisionDate) latest = event.data
  }
  return latest?.jobsPlanned
}
