/**
 * Test support: run the command line in-process on captured output, throwaway SQLite files and
 * PostgreSQL schemas (dropped after the file; an unreachable server fails the tests, never skips them).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import pg from 'pg'
import { afterAll } from 'vitest'
import { runCli } from '../src/cli.ts'
import { capturedIo } from '../src/cliIo.ts'

export const postgresUrl = process.env['POLICY_CREDIT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface CliRun {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

export const cli = async (argv: ReadonlyArray<string>, options: { readonly env?: Record<string, string>; readonly signal?: AbortSignal; readonly isTTY?: boolean } = {}): Promise<CliRun> => {
  const io = capturedIo(options)
  const exitCode = await runCli(argv, io)
  return { exitCode, ...io.output() }
}

/** A fresh directory for the test file, removed when it ends. */
export const useTemporaryDirectory = (): ((name: string) => string) => {
  const directory = mkdtempSync(join(tmpdir(), 'policy-credit-cli-'))
  afterAll(() => rmSync(directory, { recursive: true, force: true }))
  return (name) => join(directory, name)
}

/** Fresh PostgreSQL schema names, dropped with their read-model schemas when the file ends. */
export const usePostgresSchemas = (): (() => string) => {
  const schemas: Array<string> = []
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 })
    for (const schema of schemas) {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}_read_models" CASCADE`)
    }
    await pool.end()
  })
  return () => {
    const schema = `pc_cli_${randomBytes(5).toString('hex')}`
    schemas.push(schema)
    return schema
  }
}

export const right = <L, A>(either: E.Either<L, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got Left ${JSON.stringify(either.left, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`)
  return either.right
}
