/**
 * A small projection for the runner's tests: per account, the number of movements and the balance in
 * bigint đồng, plus one grand total of the open accounts, which every event also touches (so one event
 * changes two documents). The total changes by the difference the event made to the account's document
 * (`earlier`), so it depends on that document as it was before the batch: a batch boundary or a restart
 * between them shows up as a wrong total. `AccountClosed` deletes the account's document (and takes its
 * balance and movements out of the total); a later movement opens it again from `init`. `Defective`
 * events make `apply` throw, and an amount that is not a decimal string fails to decode.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import {
  anyVersion,
  inMemoryEventStore,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@policy-credit/event-store'
import { deleted, type Projection } from '../src/index.ts'

export interface AccountTotal {
  readonly movements: number
  readonly balance: bigint
}

export type AccountEvent =
  | { readonly type: 'Deposited' | 'Withdrawn'; readonly account: string; readonly amount: bigint }
  | { readonly type: 'AccountClosed'; readonly account: string }
  | { readonly type: 'Defective'; readonly account: string }

export const grandTotalId = 'total'
const DECIMAL = /^-?(0|[1-9][0-9]*)$/

const decodeAmount = (value: unknown): E.Either<string, bigint> =>
  typeof value === 'string' && DECIMAL.test(value) ? E.right(BigInt(value)) : E.left(`amount ${JSON.stringify(value)} is not a decimal string`)

export const accountTotals = (version = 1): Projection<AccountTotal, AccountEvent> => ({
  name: 'account-totals',
  version,
  filter: { eventTypes: ['Deposited', 'Withdrawn', 'AccountClosed', 'Defective'] },
  decode: (recorded) => {
    const data = recorded.data as { readonly account: string; readonly amount?: unknown }
    switch (recorded.type) {
      case 'Deposited':
      case 'Withdrawn':
        return E.map((amount: bigint): AccountEvent => ({ type: recorded.type as 'Deposited' | 'Withdrawn', account: data.account, amount }))(decodeAmount(data.amount))
      case 'AccountClosed':
      case 'Defective':
        return E.right({ type: recorded.type, account: data.account })
      default:
        return E.left(`unknown event type ${recorded.type}`)
    }
  },
  documentIds: (event) => [`account:${event.account}`, grandTotalId],
  init: () => ({ movements: 0, balance: 0n }),
  apply: (total, event, id, earlier) => {
    if (id === grandTotalId) {
      const account = earlier(`account:${event.account}`)
      if (account === undefined) throw new Error(`the total needs account:${event.account}, listed before it`)
      const after = account.after === deleted ? { movements: 0, balance: 0n } : account.after
      return {
        movements: total.movements + after.movements - account.before.movements,
        balance: total.balance + after.balance - account.before.balance,
      }
    }
    switch (event.type) {
      case 'Deposited':
        return { movements: total.movements + 1, balance: total.balance + event.amount }
      case 'Withdrawn':
        return { movements: total.movements + 1, balance: total.balance - event.amount }
      case 'AccountClosed':
        return deleted
      case 'Defective':
        throw new Error(`defective event for account ${event.account}`)
    }
  },
  documentCodec: {
    encode: (total) => ({ movements: total.movements, balance: total.balance.toString() }),
    decode: (json) => {
      const candidate = json as { readonly movements?: unknown; readonly balance?: unknown }
      return typeof candidate.movements === 'number'
        ? E.map((balance: bigint): AccountTotal => ({ movements: candidate.movements as number, balance }))(decodeAmount(candidate.balance))
        : E.left(`not an account total: ${JSON.stringify(json)}`)
    },
  },
})

export const eventCountId = 'count'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * The account totals, with one more document first, `count`: every event, the failing ones included.
 * `count` and the grand total are changed in place (`inPlace`); the accounts, read through `earlier`, are
 * not. A `Defective` event throws on its account after changing `count` in place, so a runner that
 * committed the batch's drafts as that event left them would count it.
 */
export const accountTotalsInPlace = (version = 1): Projection<AccountTotal, AccountEvent> => {
  const base = accountTotals(version)
  const counted = (document: AccountTotal): AccountTotal => ({ movements: document.movements + 1, balance: document.balance })
  return {
    ...base,
    documentIds: (event) => [eventCountId, ...base.documentIds(event)],
    apply: (document, event, id, earlier) => (id === eventCountId ? counted(document) : base.apply(document, event, id, earlier)),
    inPlace: {
      draft: (document, id) => (id === eventCountId || id === grandTotalId ? { ...document } : undefined),
      apply: (draft, event, id, earlier) => {
        const after = id === eventCountId ? counted(draft) : base.apply(draft, event, id, earlier)
        if (after === deleted) return deleted
        const changed = draft as Mutable<AccountTotal>
        changed.movements = after.movements
        changed.balance = after.balance
        return undefined
      },
    },
  }
}

const accounts = fc.constantFrom('A', 'B', 'C', 'Đ')
const amount = fc.bigInt({ min: 1n, max: 10n ** 15n }).map((value) => value.toString())

/** A stored event, before the store records it. */
export type LogEntry = { readonly streamId: string; readonly type: string; readonly data: unknown }

const entry = (account: string, type: string, data: unknown): LogEntry => ({ streamId: `account-${account}`, type, data })

/** Events the projection applies, and events it does not follow (filtered out by the store). */
export const validEntry: fc.Arbitrary<LogEntry> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(accounts, amount).map(([account, value]) => entry(account, 'Deposited', { account, amount: value })) },
  { weight: 3, arbitrary: fc.tuple(accounts, amount).map(([account, value]) => entry(account, 'Withdrawn', { account, amount: value })) },
  { weight: 1, arbitrary: accounts.map((account) => entry(account, 'AccountClosed', { account })) },
  { weight: 2, arbitrary: accounts.map((account) => entry(account, 'NoteAdded', { account, note: 'ghi chú' })) },
)

/** Events the projection cannot process: one that fails to decode, one whose `apply` throws. */
export const failingEntry: fc.Arbitrary<LogEntry> = fc.oneof(
  accounts.map((account) => entry(account, 'Deposited', { account, amount: '12.5' })),
  accounts.map((account) => entry(account, 'Defective', { account })),
)

let eventCounter = 0
export const toNewEvent = (logEntry: LogEntry): NewEvent => {
  eventCounter += 1
  const suffix = eventCounter.toString(16).padStart(12, '0')
  return {
    eventId: `00000000-0000-4000-8000-${suffix}`,
    type: logEntry.type,
    data: logEntry.data,
    metadata: { occurredOn: '2024-05-01', schemaVersion: 1 },
  }
}

export const appendAll = async (store: EventStore, entries: ReadonlyArray<LogEntry>): Promise<void> => {
  for (const logEntry of entries) {
    const appended = await store.appendToStream(logEntry.streamId, anyVersion, [toNewEvent(logEntry)])()
    if (E.isLeft(appended)) throw new Error(`test setup: append failed: ${JSON.stringify(appended.left)}`)
  }
}

export const readEverything = async (store: EventStore): Promise<ReadonlyArray<RecordedEvent>> => {
  const read = await store.readAll({ maxCount: 1_000_000 })()
  if (E.isLeft(read)) throw new Error(`test setup: readAll failed: ${JSON.stringify(read.left)}`)
  return read.right.events
}

export const newEventStore = (): EventStore => inMemoryEventStore()
