/**
 * The reporting job as a child process, run from its TypeScript sources (see typescriptHooks.mjs), with
 * its JSON log lines parsed as they arrive so a test can act on what the job reports (kill it once it
 * has committed some batches, wait until it has caught up).
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export interface JobLogLine {
  readonly time: string
  readonly level: string
  readonly event: string
  readonly projection?: string
  readonly checkpoint?: string | null
  readonly caughtUp?: boolean
  readonly eventsProcessed?: number
  readonly batchesCommitted?: number
  readonly [field: string]: unknown
}

export interface JobExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface JobProcess {
  readonly lines: ReadonlyArray<JobLogLine>
  /** Resolves with the first line (already logged or to come) that matches; rejects if the job exits first or the time runs out. */
  readonly waitForLine: (matches: (line: JobLogLine) => boolean, timeoutMs?: number) => Promise<JobLogLine>
  readonly exited: Promise<JobExit>
  readonly kill: (signal: NodeJS.Signals) => void
  readonly stderr: () => string
}

export const mainEntry = fileURLToPath(new URL('../../src/main.ts', import.meta.url))
const registerTypescript = new URL('./registerTypescript.mjs', import.meta.url).href

export const startJob = (environment: Readonly<Record<string, string>>, entry: string = mainEntry): JobProcess => {
  const child = spawn(process.execPath, ['--conditions=@policy-credit/source', '--import', registerTypescript, entry], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: Array<JobLogLine> = []
  const waiters = new Set<{ readonly matches: (line: JobLogLine) => boolean; readonly resolve: (line: JobLogLine) => void }>()
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: JobLogLine
    try {
      line = JSON.parse(text) as JobLogLine
    } catch {
      line = { time: '', level: 'error', event: 'not a JSON line', text }
    }
    lines.push(line)
    for (const waiter of waiters) if (waiter.matches(line)) waiter.resolve(line)
  })
  const exited = new Promise<JobExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))

  const waitForLine = (matches: (line: JobLogLine) => boolean, timeoutMs = 60_000): Promise<JobLogLine> => {
    const logged = lines.find(matches)
    if (logged !== undefined) return Promise.resolve(logged)
    return new Promise((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (line: JobLogLine) => {
          finish()
          resolve(line)
        },
      }
      const timer = setTimeout(() => {
        finish()
        reject(new Error(`no matching log line within ${timeoutMs} ms; log:\n${lines.map((line) => JSON.stringify(line)).join('\n')}\nstderr:\n${stderr}`))
      }, timeoutMs)
      const finish = (): void => {
        clearTimeout(timer)
        waiters.delete(waiter)
      }
      waiters.add(waiter)
      void exited.then((exit) => {
        if (!waiters.has(waiter)) return
        finish()
        reject(new Error(`the job exited (${JSON.stringify(exit)}) before the awaited line; log:\n${lines.map((line) => JSON.stringify(line)).join('\n')}\nstderr:\n${stderr}`))
      })
    })
  }

  return { lines, waitForLine, exited, kill: (signal) => child.kill(signal), stderr: () => stderr }
}
