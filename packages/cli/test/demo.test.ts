import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ExitCode } from '../src/failures.ts'
import { cli, useTemporaryDirectory } from './support.ts'

const file = useTemporaryDirectory()

// The whole demo runs in nghia-lo.test.ts, on the built command.
describe('demo', () => {
  it('refuses to replace a file that is not a policy-credit store, and leaves it as it was', async () => {
    const letter = file('letter.db')
    writeFileSync(letter, 'Kính gửi Ủy ban nhân dân thị xã Nghĩa Lộ'.repeat(200))
    const run = await cli(['demo', '--file', letter])
    expect(run.exitCode).toBe(ExitCode.InputRejected)
    expect(run.stderr).toContain('is not a policy-credit store')
    expect(readFileSync(letter, 'utf8')).toBe('Kính gửi Ủy ban nhân dân thị xã Nghĩa Lộ'.repeat(200))
  })
})
