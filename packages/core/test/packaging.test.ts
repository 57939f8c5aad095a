/**
 * A consumer outside the monorepo gets the packed package (what `files` and `exports` publish: built
 * JS and declarations, no sources) and its dependencies, and nothing of the workspace. The package
 * must be built first (`pnpm test` runs `tsc -b` before vitest).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const packageDirectory = fileURLToPath(new URL('..', import.meta.url))
const consumer = mkdtempSync(join(tmpdir(), 'policy-credit-consumer-'))
afterAll(() => rmSync(consumer, { recursive: true, force: true }))

const installPacked = (): ReadonlyArray<string> => {
  execFileSync('pnpm', ['pack', '--pack-destination', consumer], { cwd: packageDirectory, stdio: 'pipe' })
  const tarball = readdirSync(consumer).find((file) => file.endsWith('.tgz'))
  if (tarball === undefined) throw new Error('pnpm pack wrote no tarball')
  const installed = join(consumer, 'node_modules', '@policy-credit', 'core')
  mkdirSync(installed, { recursive: true })
  execFileSync('tar', ['-xzf', join(consumer, tarball), '-C', installed, '--strip-components=1'])
  // The dependencies and optional peers a consumer installs beside it, and the compiler.
  for (const dependency of ['fp-ts', 'io-ts', 'ts-pattern', 'fast-check', 'vitest'])
    symlinkSync(realpathSync(join(packageDirectory, 'node_modules', dependency)), join(consumer, 'node_modules', dependency))
  return execFileSync('tar', ['-tzf', join(consumer, tarball)], { encoding: 'utf8' }).split('\n').filter((line) => line !== '')
}

describe('@policy-credit/core as a consumer outside the monorepo installs it', () => {
  const files = installPacked()

  it('ships built JS and declarations for both entry points, and no TypeScript sources', () => {
    expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/testing/index.js', 'package/dist/testing/index.d.ts']))
    expect(files.filter((file) => file.startsWith('package/src/'))).toStrictEqual([])
  })

  it('runs from plain Node with no workspace condition', () => {
    writeFileSync(
      join(consumer, 'run.mjs'),
      [
        "import * as E from 'fp-ts/lib/Either.js'",
        "import { classify, day, standardInForceOn, termsOn, vnd } from '@policy-credit/core'",
        "const terms = termsOn('POOR_HOUSEHOLD', day('2025-12-01'))",
        "const standard = standardInForceOn(day('2023-10-01'))",
        "const assessment = { areaType: 'RURAL', assessedOn: day('2023-10-01'), incomePerPersonPerMonth: vnd(1_500_000n), deprivedIndicators: ['EMPLOYMENT', 'NUTRITION', 'HYGIENIC_LATRINE'] }",
        "console.log(JSON.stringify([E.isRight(terms) && terms.right.yearlyRate, standard._tag === 'Some' && classify(assessment, standard.value)]))",
      ].join('\n'),
    )
    expect(execFileSync(process.execPath, ['run.mjs'], { cwd: consumer, encoding: 'utf8' }).trim()).toBe('[62400,"POOR"]')
  })

  it('type-checks against the shipped declarations, both entry points, under strict NodeNext', () => {
    writeFileSync(
      join(consumer, 'check.ts'),
      [
        "import { Loan, termsOn, day, type ProgrammeTerms } from '@policy-credit/core'",
        "import { deciderSpec, loanLifecycle } from '@policy-credit/core/testing'",
        "export const terms: ReturnType<typeof termsOn> = termsOn('STUDENT', day('2022-05-19'))",
        'export const spec = deciderSpec(Loan.loanDecider)',
        'export const lifecycles = loanLifecycle(5)',
        "export const rate = (version: ProgrammeTerms): number => version.yearlyRate",
        '// @ts-expect-error: a programme the catalogue does not know is a type error for the consumer too',
        "termsOn('NO_SUCH_PROGRAMME', day('2022-05-19'))",
      ].join('\n'),
    )
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022'], strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ['check.ts'],
      }),
    )
    const compiler = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    const checked = (() => {
      try {
        return execFileSync(process.execPath, [compiler, '-p', consumer], { cwd: consumer, encoding: 'utf8' })
      } catch (error) {
        return String((error as { readonly stdout?: unknown }).stdout ?? error)
      }
    })()
    expect(checked).toBe('')
  }, 120_000)
})
