import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { householdHistories, loanLifecycle } from '@policy-credit/core/testing'
import { eventCodecs, LocalDate, Loan, Vnd } from '../../src/index.ts'

// The definitions the hand-written validations replaced: the oracles they must agree with.
const NON_NEGATIVE_INTEGER = /^(0|[1-9][0-9]*)$/
const regexVnd = new t.Type<bigint, string, unknown>(
  'Vnd',
  (u): u is bigint => typeof u === 'bigint' && u >= 0n,
  (u, c) =>
    pipe(
      t.string.validate(u, c),
      E.flatMap((s) => (NON_NEGATIVE_INTEGER.test(s) ? t.success(BigInt(s)) : t.failure(u, c, 'expected a non-negative whole number of đồng as a decimal string'))),
    ),
  (amount) => amount.toString(),
)
const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
const regexIsCalendarDay = (s: string): boolean => {
  const parts = CALENDAR_DAY.exec(s)
  if (parts === null) return false
  const month = Number(parts[2])
  const dayOfMonth = Number(parts[3])
  return month >= 1 && month <= 12 && dayOfMonth >= 1 && dayOfMonth <= daysInMonth(Number(parts[1]), month)
}
const regexLocalDate = t.brand(t.string, (s): s is t.Branded<string, { readonly LocalDate: symbol }> => regexIsCalendarDay(s), 'LocalDate')

/** The same codec built with io-ts's own combinators throughout, and the regex definitions of Vnd and LocalDate. */
const ioTsOnly = (codec: t.Mixed): t.Mixed => {
  if (codec.name === 'Vnd') return regexVnd
  if (codec.name === 'LocalDate') return regexLocalDate
  if (codec instanceof t.ExactType) return t.exact(ioTsOnly(codec.type as t.Mixed) as t.HasProps, codec.name)
  if (codec instanceof t.InterfaceType) {
    const props = codec.props as Readonly<Record<string, t.Mixed>>
    return t.type(Object.fromEntries(Object.entries(props).map(([key, field]) => [key, ioTsOnly(field)])), codec.name)
  }
  if (codec instanceof t.ReadonlyArrayType) return t.readonlyArray(ioTsOnly(codec.type as t.Mixed), codec.name)
  if (codec instanceof t.UnionType) return t.union((codec.types as Array<t.Mixed>).map(ioTsOnly) as [t.Mixed, t.Mixed, ...Array<t.Mixed>], codec.name)
  if (codec instanceof t.RefinementType) return t.refinement(ioTsOnly(codec.type as t.Mixed), codec.predicate as (value: unknown) => boolean, codec.name)
  return codec
}

/** A validation with its errors' contexts by key, codec name and tag: the two trees share no codec object. */
const comparable = (validation: t.Validation<unknown>) =>
  E.isRight(validation)
    ? validation
    : E.left(
        validation.left.map((error) => ({
          value: error.value,
          message: error.message,
          context: error.context.map((entry) => ({ key: entry.key, name: entry.type.name, tag: (entry.type as { readonly _tag?: string })._tag, actual: entry.actual })),
        })),
      )

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)))

/** Every path to a value in a JSON tree, the root included. */
const pathsOf = (value: unknown, path: ReadonlyArray<string | number> = []): ReadonlyArray<ReadonlyArray<string | number>> =>
  typeof value === 'object' && value !== null
    ? [path, ...Object.entries(value).flatMap(([key, field]) => pathsOf(field, [...path, Array.isArray(value) ? Number(key) : key]))]
    : [path]

type Change = { readonly kind: 'replace'; readonly value: unknown } | { readonly kind: 'delete' } | { readonly kind: 'extra'; readonly value: unknown }

/** A copy of `value` with the node at `path` replaced, deleted, or given an extra field. */
const changed = (value: unknown, path: ReadonlyArray<string | number>, change: Change): unknown => {
  const [head, ...rest] = path
  if (head === undefined) {
    if (change.kind === 'replace') return change.value
    if (change.kind === 'extra' && typeof value === 'object' && value !== null && !Array.isArray(value)) return { ...value, unexpected: change.value }
    return value
  }
  const parent = value as Record<string | number, unknown>
  if (rest.length === 0 && change.kind === 'delete') {
    if (Array.isArray(value)) return value.filter((_element, index) => index !== head)
    const { [head]: _deleted, ...others } = parent
    return others
  }
  const child = changed(parent[head], rest, change)
  return Array.isArray(value) ? value.map((element, index) => (index === head ? child : element)) : { ...parent, [head]: child }
}

const badValues = fc.oneof(
  fc.constantFrom<unknown>(null, '', ' 12', '0x10', '012', '-1', '1.5', '2024-02-30', '2024-2-03', 'POOR', 'LN-1', 0, 1.5, -1, 2024, [], {}, [{}]),
  fc.jsonValue(),
)
const changes: fc.Arbitrary<Change> = fc.oneof(
  badValues.map((value) => ({ kind: 'replace', value }) as const),
  fc.constant({ kind: 'delete' } as const),
  badValues.map((value) => ({ kind: 'extra', value }) as const),
)

/** Events `decide` made, encoded and through JSON as a store holds them, some with one node changed. */
const storedEvents = fc.oneof(
  loanLifecycle(20).chain(({ events }) => fc.constantFrom(...events)),
  householdHistories()
    .filter(({ events }) => events.length > 0)
    .chain(({ events }) => fc.constantFrom(...events)),
)
const inputs = storedEvents.chain((event) => {
  const encoded = json(eventCodecs[event.type].encode(event as never))
  return fc.oneof(fc.constant(encoded), fc.tuple(fc.constantFrom(...pathsOf(encoded)), changes).map(([path, change]) => changed(encoded, path, change)))
})

describe('event codecs built with the core combinators', () => {
  test.prop([inputs], { numRuns: 500 })('decode, refuse and report errors exactly as io-ts alone and the regex definitions do', (input) => {
    const type = typeof input === 'object' && input !== null ? (input as { readonly type?: unknown }).type : undefined
    const codec = typeof type === 'string' && Object.hasOwn(eventCodecs, type) ? (eventCodecs as Readonly<Record<string, t.Mixed>>)[type] : undefined
    for (const candidate of codec === undefined ? [Loan.LoanRequested, Loan.LoanDisbursed] : [codec]) {
      const fast = candidate.decode(input)
      const reference = ioTsOnly(candidate).decode(input)
      expect(comparable(fast)).toStrictEqual(comparable(reference))
      // Unchanged input comes back as itself from both, a decoded or stripped one as a copy from both.
      if (E.isRight(fast) && E.isRight(reference)) expect(fast.right === input).toBe(reference.right === input)
    }
  })

  test.prop([fc.anything({ withBigInt: true, withNullPrototype: true, withBoxedValues: true })])('agree with io-ts alone on anything at all', (input) => {
    for (const codec of Object.values(eventCodecs) as ReadonlyArray<t.Mixed>) expect(comparable(codec.decode(input))).toStrictEqual(comparable(ioTsOnly(codec).decode(input)))
  })
})

const amountLike = fc.oneof(
  fc.stringMatching(NON_NEGATIVE_INTEGER),
  fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '+', ' ', '.', 'x', 'e', '٣', '\n') }),
  fc.string(),
)

describe('Vnd without a regular expression', () => {
  test.prop([amountLike])('accepts exactly the strings /^(0|[1-9][0-9]*)$/ matches, as the bigint they write', (s) => {
    expect(E.isRight(Vnd.decode(s))).toBe(NON_NEGATIVE_INTEGER.test(s))
    expect(comparable(Vnd.decode(s))).toStrictEqual(comparable(regexVnd.decode(s)))
  })
  test.prop([fc.oneof(amountLike, fc.anything({ withBigInt: true }))])('refuses with the errors of the pipe it replaced', (input) => {
    expect(comparable(Vnd.decode(input))).toStrictEqual(comparable(regexVnd.decode(input)))
  })
})

const dayLike = fc.oneof(
  fc.stringMatching(CALENDAR_DAY),
  fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '9', '-', ' ', '٣'), minLength: 8, maxLength: 12 }),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  fc.string(),
)

describe('LocalDate without a regular expression', () => {
  test.prop([dayLike])('accepts exactly the calendar days the regex definition accepted', (s) => {
    expect(E.isRight(LocalDate.decode(s))).toBe(regexIsCalendarDay(s))
  })
})
