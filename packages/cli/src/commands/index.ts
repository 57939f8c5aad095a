/** Registers every subcommand on the program, in the order `--help` lists them. */
import type { Command } from 'commander'
import type { ActionFactory } from '../cli.ts'
import { registerAuditCommands } from './audit.ts'
import { registerDemo } from './demo.ts'
import { registerImport } from './import.ts'
import { registerReportingCommands } from './reporting.ts'

export const registerCommands = (program: Command, action: ActionFactory): void => {
  registerImport(program, action)
  registerAuditCommands(program, action)
  registerReportingCommands(program, action)
  registerDemo(program, action)
}
