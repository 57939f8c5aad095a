import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const glossary = readFileSync(fileURLToPath(new URL('../../../../docs/glossary.md', import.meta.url)), 'utf8')
const sourceDirectory = fileURLToPath(new URL('../../src', import.meta.url))
const sources = readdirSync(sourceDirectory, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(join(sourceDirectory, file), 'utf8'))
  .join('\n')

/** The code names in the glossary's tables: `Name`, `Name.member` or `name(args)` → the last identifier before any call. */
const codeNames = [...new Set(
  glossary
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .flatMap((line) => [...line.matchAll(/`([A-Za-z_][A-Za-z0-9_.]*)(?:\([^`]*\))?`/g)].map((found) => (found[1] ?? '').split('.').at(-1) ?? '')),
)]

describe('docs/glossary.md', () => {
  it('names code that exists: every code name in its tables appears in the core sources', () => {
    expect(codeNames.length).toBeGreaterThan(40)
    expect(codeNames.filter((name) => !new RegExp(`\\b${name}\\b`).test(sources))).toStrictEqual([])
  })
})
