#!/usr/bin/env node
/** Writes the Nghĩa Lộ example's commands as JSONL: `nghia-lo-commands [file]` (default nghia-lo.commands.jsonl). */
import { writeNghiaLoCommands } from './history.ts'

const path = process.argv[2] ?? 'nghia-lo.commands.jsonl'
const started = performance.now()
const written = writeNghiaLoCommands(path)
process.stdout.write(`${written} commands written to ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
