/**
 * How long the outstanding-debt read model takes to build and to answer as of a past business date:
 * `pnpm exec vitest bench --run packages/projection-outstanding-debt/bench`. It prints its own figures
 * (medians over 50 dates, on the in-memory and the SQLite read-model stores) before vitest's table;
 * nothing here is a test.
 *
 * The town: 14 communes, 4 programmes, 2 mass organisations, 3 savings-and-loan groups per commune and
 * organisation, central and town-budget capital; 3,000 loans disbursed from 2016 to 2024, each repaid
 * monthly over 24 to 60 months (to the end of 2025 at the latest); one loan in ten has an instalment
 * transferred to overdue, and one in twenty-five has principal frozen. Events are appended in the order
 * they were recorded (by business date, one repayment in twenty recorded two months late), so a runner
 * batch touches loans all over the town, as a live log does.
 */
import * as E from 'fp-ts/lib/Either.js'
import { bench, describe } from 'vitest'
import { addDays, addMonths, day, type DomainEvent, type LocalDate } from '@policy-credit/core'
import { projectionNamespace, type ReadModelStore } from '@policy-credit/projections'
import { flowsOver, outstandingAsOf, outstandingDebtProjection, outstandingDebtReadModel, type OutstandingDebtReadModel } from '../src/index.ts'
import { appendAll, catchUp, newEventStore, readModelStores, type LogEntry } from '../test/debtHistory.ts'

const LOANS = 3_000
const LAST_DAY = day('2025-12-31')

/** A fixed PRNG (mulberry32), so every run builds the same town. */
const random = (() => {
  let state = 20_220_630
  return (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
})()
const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)] as A
const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1))

const communes = Array.from({ length: 14 }, (_, index) => `XA-${String(index).padStart(2, '0')}`)
const programmes = ['POOR_HOUSEHOLD', 'NEAR_POOR_HOUSEHOLD', 'JOB_CREATION', 'CLEAN_WATER_SANITATION'] as const
const organisations = [
  { massOrganisationKind: 'WOMENS_UNION', massOrganisationId: 'WU' },
  { massOrganisationKind: 'FARMERS_ASSOCIATION', massOrganisationId: 'FA' },
] as const
const sources = [
  { capitalSourceKind: 'CENTRAL', capitalSourceId: 'VBSP-CENTRAL' },
  { capitalSourceKind: 'LOCAL_BUDGET', capitalSourceId: 'NGHIA-LO-BUDGET' },
] as const

/** Entries with the day they were recorded, sorted by it (stable) before appending. */
const recorded: Array<{ readonly recordedOn: LocalDate; readonly entry: LogEntry }> = []
const add = (streamId: string, type: string, data: Readonly<Record<string, unknown>>, on: LocalDate, recordedOn: LocalDate = on): void => {
  recorded.push({ recordedOn, entry: { streamId, event: { type, data } as unknown as DomainEvent, on } })
}

for (let number = 0; number < LOANS; number += 1) {
  const loanId = `NL-${String(number).padStart(5, '0')}`
  const streamId = `loan-${loanId}`
  const communeId = pick(communes)
  const organisation = pick(organisations)
  const programme = pick(programmes)
  const dimensions = {
    loanId,
    householdId: `HH-${String(between(0, 2_399)).padStart(5, '0')}`,
    communeId,
    programme,
    ...pick(sources),
    ...organisation,
    savingsGroupId: `SG-${communeId}-${organisation.massOrganisationId}-${between(1, 3)}`,
    jobsCreated: programme === 'JOB_CREATION' ? between(1, 4) : 0,
  }
  const disbursedOn = addDays(day('2016-01-01'), between(0, 9 * 365))
  const months = between(24, 60)
  const amount = BigInt(between(10, 100)) * 1_000_000n
  const monthly = amount / BigInt(months)
  const instalments = Array.from({ length: months }, (_, index) => ({ number: index + 1, dueOn: addMonths(disbursedOn, index + 1), principal: index === months - 1 ? amount - monthly * BigInt(months - 1) : monthly }))
  add(streamId, 'LoanDisbursed', { ...dimensions, amount, transactionPointId: `TP-${communeId}`, capitalYear: Number(disbursedOn.slice(0, 4)), instalments, disbursedOn }, disbursedOn)

  const overdueAt = random() < 0.1 ? between(3, months - 1) : undefined
  const frozenAt = random() < 0.04 ? between(2, months - 1) : undefined
  for (const instalment of instalments) {
    const on = instalment.dueOn
    if (on > LAST_DAY) break
    const parts = [{ number: instalment.number, amount: instalment.principal }]
    if (instalment.number === overdueAt) {
      add(streamId, 'AmountTransferredToOverdue', { ...dimensions, amount: instalment.principal, fromInstalments: parts, transferredOn: addDays(on, 1) }, addDays(on, 1))
      continue
    }
    if (instalment.number === frozenAt) {
      add(
        streamId,
        'DebtFrozen',
        { ...dimensions, amount: instalment.principal, fromOverdue: 0n, fromInstalments: parts, cause: 'NATURAL_DISASTER', decisionNumber: '7/QD-NHCSXH', frozenUntil: addMonths(on, 24), frozenOn: on },
        on,
      )
      continue
    }
    // One repayment in twenty reaches the ledger two months after the day it was made.
    const recordedOn = random() < 0.05 ? addMonths(on, 2) : on
    add(streamId, 'PrincipalRepaid', { ...dimensions, amount: instalment.principal, fromOverdue: 0n, fromInstalments: parts, fromFrozen: 0n, repaidOn: on }, on, recordedOn)
  }
}

const log: ReadonlyArray<LogEntry> = recorded
  .map((item, index) => ({ ...item, index }))
  .sort((a, b) => (a.recordedOn < b.recordedOn ? -1 : a.recordedOn > b.recordedOn ? 1 : a.index - b.index))
  .map((item) => item.entry)

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await run()
  return performance.now() - start
}
/** CPU milliseconds of this process while `run` ran: on a loaded machine, closer to the work done than the wall clock. */
const cpuTimed = async (run: () => Promise<unknown>): Promise<{ readonly wallMs: number; readonly cpuMs: number }> => {
  const cpuBefore = process.cpuUsage()
  const wallMs = await timed(run)
  const cpu = process.cpuUsage(cpuBefore)
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }
}
const mustBeRight = async (answer: Promise<E.Either<unknown, unknown>>): Promise<void> => {
  const result = await answer
  if (E.isLeft(result)) throw new Error(`query refused: ${JSON.stringify(result.left, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
}
const ms = (value: number): string => `${value.toFixed(2)} ms`
const spread = (values: ReadonlyArray<number>): string => `median ${ms(median(values))} (min ${ms(Math.min(...values))}, max ${ms(Math.max(...values))})`

/** 50 business dates from 2016 to 2025: month ends, 30 June and 31 December, and days in between. */
const dates: ReadonlyArray<LocalDate> = Array.from({ length: 50 }, (_, index) =>
  index % 5 === 0 ? day(`${2016 + (index % 10)}-06-30`) : index % 5 === 1 ? day(`${2016 + (index % 10)}-12-31`) : addDays(day('2016-02-11'), index * 71),
)

const eventStore = newEventStore()
await appendAll(eventStore, log)

const models: Array<{ readonly name: string; readonly model: OutstandingDebtReadModel }> = []
for (const { name, open } of readModelStores) {
  const store: ReadModelStore = await open()
  const build = await cpuTimed(() => catchUp(eventStore, store, { batchSize: 500 }))
  const model = outstandingDebtReadModel(store)
  models.push({ name, model })
  const town: Array<number> = []
  const byCommune: Array<number> = []
  const byAll: Array<number> = []
  const quarter: Array<number> = []
  const townCpu: Array<number> = []
  for (const asOf of dates) {
    const townAsOf = await cpuTimed(() => mustBeRight(outstandingAsOf(model, { asOf })()))
    town.push(townAsOf.wallMs)
    townCpu.push(townAsOf.cpuMs)
    byCommune.push(await timed(() => mustBeRight(outstandingAsOf(model, { asOf, by: ['commune'] })())))
    byAll.push(await timed(() => mustBeRight(outstandingAsOf(model, { asOf, by: ['programme', 'commune', 'massOrganisation', 'savingsGroup', 'capitalSource'] })())))
    quarter.push(await timed(() => mustBeRight(flowsOver(model, { from: addDays(addMonths(asOf, -3), 1), to: asOf, by: ['commune'] })())))
  }
  const documents = await store.scanDocuments(projectionNamespace(outstandingDebtProjection), { _tag: 'All' })()
  console.log(
    [
      `outstanding-debt read model on the ${name} store: ${LOANS} loans, ${communes.length} communes, ${log.length} events, ${E.isRight(documents) ? documents.right.length : '?'} documents`,
      `  rebuild (batches of 500): ${ms(build.wallMs)} (${Math.round(log.length / (build.wallMs / 1000))} events/s); CPU ${ms(build.cpuMs)} (${Math.round(log.length / (build.cpuMs / 1000))} events per CPU second)`,
      `  outstandingAsOf, the town, ${dates.length} dates: ${spread(town)}; CPU ${spread(townCpu)}`,
      `  outstandingAsOf by commune, ${dates.length} dates: ${spread(byCommune)}`,
      `  outstandingAsOf by programme × commune × organisation × group × capital source: ${spread(byAll)}`,
      `  flowsOver a quarter by commune: ${spread(quarter)}`,
    ].join('\n'),
  )
}

describe(`outstanding-debt as-of queries (${LOANS} loans, ${log.length} events)`, () => {
  for (const { name, model } of models) {
    bench(`outstandingAsOf, the town, on 30 June 2022 (${name})`, async () => {
      await mustBeRight(outstandingAsOf(model, { asOf: '2022-06-30' })())
    })
    bench(`outstandingAsOf by commune on 30 June 2022 (${name})`, async () => {
      await mustBeRight(outstandingAsOf(model, { asOf: '2022-06-30', by: ['commune'] })())
    })
  }
})
