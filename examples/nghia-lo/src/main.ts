#!/usr/bin/env node
/**
 * Writes the Nghĩa Lộ example's commands as JSONL, and the programme versions they need beside the
 * national catalogue as JSON: `nghia-lo-commands [commands file] [versions file]` (defaults
 * nghia-lo.commands.jsonl and nghia-lo.programme-versions.json). Import both with
 * `policy-credit import --programme-versions <versions file> <commands file>`.
 */
import { writeFileSync } from 'node:fs'
import { writeNghiaLoCommands } from './history.ts'
import { nghiaLoProgrammeVersionsJson } from './reference.ts'

const path = process.argv[2] ?? 'nghia-lo.commands.jsonl'
const versionsPath = process.argv[3] ?? 'nghia-lo.programme-versions.json'
const started = performance.now()
const written = writeNghiaLoCommands(path)
writeFileSync(versionsPath, nghiaLoProgrammeVersionsJson())
process.stdout.write(`${written} commands written to ${path}, the programme versions they need to ${versionsPath}, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
