import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { commandReference } from '../src/cli.ts'
import { ExitCode } from '../src/failures.ts'
import { cli } from './support.ts'

describe('help and usage', () => {
  it('prints the commands and the store options with --help, exit 0', async () => {
    const run = await cli(['--help'])
    expect(run.exitCode).toBe(ExitCode.Ok)
    expect(run.stdout).toContain('Usage: policy-credit')
    expect(run.stdout).toContain('--store <url>')
    expect(run.stdout).toContain('--read-models <url>')
    for (const { path } of commandReference().filter((command) => command.path.length === 1)) expect(run.stdout).toContain(path[0])
  })

  it('has --help on every subcommand, naming it and its options, exit 0', async () => {
    for (const { path, options } of commandReference()) {
      const run = await cli([...path, '--help'])
      expect(run.exitCode, path.join(' ')).toBe(ExitCode.Ok)
      expect(run.stdout).toContain(`Usage: policy-credit ${path.join(' ')}`)
      for (const option of options) expect(run.stdout).toContain(option)
      // The global store options are shown on every subcommand too.
      expect(run.stdout).toContain('--store <url>')
    }
  })

  it('exits 1 with a usage message on an unknown command or option', async () => {
    const unknownCommand = await cli(['frobnicate'])
    expect(unknownCommand.exitCode).toBe(ExitCode.Usage)
    expect(unknownCommand.stderr).toMatch(/error/)
    const unknownOption = await cli(['--colour'])
    expect(unknownOption.exitCode).toBe(ExitCode.Usage)
    expect(unknownOption.stderr).toContain("unknown option '--colour'")
  })

  it('docs/cli.md describes every command and every option', () => {
    const reference = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8')
    for (const { path, options } of commandReference()) {
      expect(reference, path.join(' ')).toContain(`### \`${path.join(' ')}`)
      for (const option of options) expect(reference, `${path.join(' ')} ${option}`).toContain(option)
    }
    expect(reference).toContain('--store <url>')
    expect(reference).toContain('--read-models <url>')
  })
})
