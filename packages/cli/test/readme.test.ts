/**
 * The README's embedding example is run as written (only its database file is moved to a temporary
 * folder), and what it prints is what the README says it prints — on the first run and on a repeat.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it, vi } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))
const readme = readFileSync(join(here, '../../../README.md'), 'utf8')

const embeddingExample = (): string => {
  const section = readme.slice(readme.indexOf('## Embedding the domain'))
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  if (block === undefined) throw new Error('the README has no TypeScript block under "Embedding the domain"')
  return block
}

const folder = mkdtempSync(join(tmpdir(), 'policy-credit-readme-'))
// Beside this test, so the example's imports resolve through this package's dependencies.
const moduleFiles: Array<string> = []
afterAll(() => {
  for (const file of moduleFiles) rmSync(file, { force: true })
  rmSync(folder, { recursive: true, force: true })
})

const runExample = async (run: number): Promise<ReadonlyArray<string>> => {
  const source = embeddingExample()
  expect(source).toContain("'policy-credit.db'")
  const file = join(here, `.readme-embedding-${process.pid}-${run}.generated.ts`)
  writeFileSync(file, source.replace("'policy-credit.db'", JSON.stringify(join(folder, 'policy-credit.db'))))
  moduleFiles.push(file)
  const printed: Array<string> = []
  const log = vi.spyOn(console, 'log').mockImplementation((...values: ReadonlyArray<unknown>) => {
    printed.push(values.map(String).join(' '))
  })
  try {
    await import(file)
  } finally {
    log.mockRestore()
  }
  return printed
}

const promised = ['commune-XA-NGHIA-AN: CommuneDeclared', 'household-HH-1: HouseholdRegistered', 'refused: Rejected']

it('runs the embedding example and prints what the README says, twice over the same file', async () => {
  for (const line of promised) expect(readme).toContain(`\`${line}\``)
  expect(embeddingExample().split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(22)
  expect(await runExample(1)).toStrictEqual(promised)
  // A repeat: the same command ids append nothing and answer with the original outcomes.
  expect(await runExample(2)).toStrictEqual(promised)
})
