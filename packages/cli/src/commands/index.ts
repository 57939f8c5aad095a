/** Registers every subcommand on the program, in the order `--help` lists them. */
import type { Command } from 'commander'
import type { ActionFactory } from '../cli.ts'

export const registerCommands = (program: Command, action: ActionFactory): void => {
  void program
  void action
}
