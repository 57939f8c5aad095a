/** Temporary SQLite files for tests: one directory per test file, removed with everything in it. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

export const temporaryDirectory = (): { readonly newFile: (name?: string) => string } => {
  const directory = mkdtempSync(join(tmpdir(), 'policy-credit-sqlite-'))
  afterAll(() => rmSync(directory, { recursive: true, force: true }))
  let count = 0
  return { newFile: (name = 'store') => join(directory, `${name}-${++count}.sqlite`) }
}
