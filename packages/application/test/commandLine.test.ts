import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { Loan } from '@policy-credit/core'
import { loanLifecycle } from '@policy-credit/core/testing'
import { businessDateOf, commandTypes, decodeCommandLine, encodeCommandLine, type CommandEnvelope } from '@policy-credit/application'
import { approve, disburse, householdLife, line, register } from './fixtures.ts'

describe('decodeCommandLine', () => {
  it('decodes the envelope and the command with its codec; occurredOn defaults to the command’s own date', () => {
    expect(decodeCommandLine(line('c-1', 'RepayPrincipal', { loanId: 'LN-1', amount: '1500000', repaidOn: '2023-08-20' }, { actor: 'officer-7' }))).toStrictEqual(
      E.right({ commandId: 'c-1', occurredOn: '2023-08-20', actor: 'officer-7', command: { type: 'RepayPrincipal', data: { loanId: 'LN-1', amount: 1_500_000n, repaidOn: '2023-08-20' } } }),
    )
  })

  it('keeps an explicit occurredOn and correlation id', () => {
    const decoded = decodeCommandLine(line('c-2', 'CloseLoan', { loanId: 'LN-1', closedOn: '2023-08-20' }, { occurredOn: '2023-08-21', correlationId: 'import-7' }))
    expect(decoded).toStrictEqual(E.right({ commandId: 'c-2', occurredOn: '2023-08-21', correlationId: 'import-7', command: { type: 'CloseLoan', data: { loanId: 'LN-1', closedOn: '2023-08-20' } } }))
  })

  it('names bad JSON', () => {
    expect(decodeCommandLine('{"commandId": ')).toMatchObject(E.left({ _tag: 'InvalidJson' }))
  })

  it('names what is wrong with the envelope: not an object, missing or blank id, bad date, unknown field', () => {
    expect(decodeCommandLine('[1]')).toMatchObject(E.left({ _tag: 'InvalidEnvelope', errors: [{ path: '(root)' }] }))
    expect(decodeCommandLine(JSON.stringify({ command: { type: 'CloseLoan', data: {} } }))).toMatchObject(E.left({ _tag: 'InvalidEnvelope', errors: [{ path: 'commandId' }] }))
    expect(decodeCommandLine(line(' ', 'CloseLoan', { loanId: 'LN-1', closedOn: '2023-08-20' }))).toMatchObject(E.left({ _tag: 'InvalidEnvelope', errors: [{ path: 'commandId' }] }))
    expect(decodeCommandLine(line('c', 'CloseLoan', { loanId: 'LN-1', closedOn: '2023-08-20' }, { occurredOn: '2023-02-30' }))).toMatchObject(
      E.left({ _tag: 'InvalidEnvelope', errors: [{ path: 'occurredOn', actual: '2023-02-30' }] }),
    )
    expect(decodeCommandLine(line('c', 'CloseLoan', { loanId: 'LN-1', closedOn: '2023-08-20' }, { occuredOn: '2023-08-21' }))).toMatchObject(
      E.left({ _tag: 'InvalidEnvelope', errors: [{ path: 'occuredOn' }] }),
    )
  })

  it('names an unknown command type and lists the known ones', () => {
    const decoded = decodeCommandLine(line('c', 'ForgiveEverything', {}))
    expect(decoded).toMatchObject(E.left({ _tag: 'UnknownCommandType', type: 'ForgiveEverything' }))
    if (E.isLeft(decoded) && decoded.left._tag === 'UnknownCommandType') expect(decoded.left.knownTypes).toStrictEqual(commandTypes)
  })

  it('reports each bad field of the command with its path from the line', () => {
    const decoded = decodeCommandLine(line('c', 'RepayPrincipal', { loanId: 'LN 1', amount: '1.5', repaidOn: '2023-08-20' }))
    expect(decoded).toMatchObject(
      E.left({ _tag: 'InvalidCommand', commandType: 'RepayPrincipal', errors: [{ path: 'command.data.loanId', actual: 'LN 1' }, { path: 'command.data.amount', actual: '1.5' }] }),
    )
  })
})

describe('encodeCommandLine', () => {
  const fixtures: ReadonlyArray<CommandEnvelope> = [...householdLife, approve, disburse]
  it('writes lines that decode back to the same envelopes', () => {
    for (const envelope of fixtures) expect(decodeCommandLine(encodeCommandLine(envelope))).toStrictEqual(E.right(envelope))
  })
  it('leaves occurredOn out when it is the command’s own date, and keeps it otherwise', () => {
    expect(JSON.parse(encodeCommandLine(register))).not.toHaveProperty('occurredOn')
    expect(JSON.parse(encodeCommandLine({ ...register, occurredOn: '2022-03-02' }))).toHaveProperty('occurredOn', '2022-03-02')
  })
  test.prop([loanLifecycle(8)], { numRuns: 30 })('round-trips every command of generated loan lifecycles', (lifecycle) => {
    for (const [index, command] of lifecycle.commands.entries()) {
      const envelope: CommandEnvelope = { commandId: `c-${index}`, occurredOn: businessDateOf(command), command }
      expect(decodeCommandLine(encodeCommandLine(envelope))).toStrictEqual(E.right(envelope))
    }
  })
  test.prop([loanLifecycle(8)], { numRuns: 30 })('takes the business date of a loan command from the same field as the loan module’s commandDate', (lifecycle) => {
    for (const command of lifecycle.commands) expect(businessDateOf(command)).toBe(Loan.commandDate(command))
  })
})
