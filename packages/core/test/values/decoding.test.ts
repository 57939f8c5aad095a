import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { AdministrativeUnit, Capital, decodeDomainEvent, eventCodecs, Household, Inspection, Loan, Plan, type DecodeFailure } from '@policy-credit/core'
import { loanLifecycle } from '@policy-credit/core/testing'

type Decode = (input: unknown) => E.Either<DecodeFailure, unknown>

/** Every decoder of a command or stored event, with the message types it knows. */
const decoders: ReadonlyArray<readonly [string, Decode, ReadonlyArray<string>]> = [
  ['household command', Household.decodeHouseholdCommand, Household.HouseholdCommand.types.map((codec) => codec.name)],
  ['loan command', Loan.decodeLoanCommand, Object.keys(Loan.loanCommandCodecs)],
  ['capital command', Capital.decodeCapitalCommand, Object.keys(Capital.capitalCommandCodecs)],
  ['inspection command', Inspection.decodeInspectionCommand, Object.keys(Inspection.inspectionCommandCodecs)],
  ['plan command', Plan.decodePlanCommand, Plan.PlanCommand.types.map((codec) => codec.name)],
  ['administrative unit command', AdministrativeUnit.decodeAdministrativeUnitCommand, AdministrativeUnit.AdministrativeUnitCommand.types.map((codec) => codec.name)],
  ['domain event', decodeDomainEvent, Object.keys(eventCodecs)],
]

const anyValue = fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withBoxedValues: true })

describe('decoding untrusted input', () => {
  for (const [name, decode, types] of decoders) {
    test.prop([fc.oneof(anyValue, fc.record({ type: fc.constantFrom(...types), data: anyValue }))])(
      `a ${name} decoder answers anything with a value or named errors, never a throw`,
      (input) => {
        const decoded = decode(input)
        if (E.isLeft(decoded)) {
          expect(decoded.left.errors.length).toBeGreaterThan(0)
          expect(decoded.left.errors.every((error) => error.path.length > 0 && error.expected.length > 0)).toBe(true)
        }
      },
    )
  }

  /** A command decide produced, with one or more of its fields replaced by a value no field codec accepts. */
  const corrupted = loanLifecycle(10)
    .chain(({ commands }) => fc.constantFrom(...commands))
    .chain((command) =>
      fc.tuple(fc.constant(command), fc.subarray(Object.keys(command.data), { minLength: 1 }), fc.constantFrom<unknown>({ unexpected: true }, -1.5, [[]], '')),
    )
  test.prop([corrupted])('a loan command with bad fields is refused with an error on each of them, and only on them', ([command, badFields, badValue]) => {
    const data = Object.fromEntries(Object.entries(Loan.LoanCommand.encode(command).data).map(([field, value]) => [field, badFields.includes(field) ? badValue : value]))
    const decoded = Loan.decodeLoanCommand({ type: command.type, data })
    const fieldsNamed = E.isLeft(decoded) ? [...new Set(decoded.left.errors.map((error) => error.path.split('.')[1]))].sort() : []
    expect(fieldsNamed).toStrictEqual([...badFields].sort())
  })
})
