#!/usr/bin/env node
/**
 * The `policy-credit` executable: runs the command line with the process's streams and environment,
 * and turns SIGINT/SIGTERM into a signal the long commands (`project --follow`, `import`) stop on
 * after their current batch. The exit code is set, not forced, so output is flushed and stores closed.
 */
import { runCli } from './cli.ts'

const stopping = new AbortController()
const stop = (): void => {
  // A second signal while stopping means the user does not want to wait: leave at once.
  if (stopping.signal.aborted) process.exit(130)
  stopping.abort()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: { write: (text) => void process.stdout.write(text) },
  stderr: {
    write: (text) => void process.stderr.write(text),
    isTTY: process.stderr.isTTY,
    columns: process.stderr.columns,
  },
  env: process.env,
  signal: stopping.signal,
})
process.off('SIGINT', stop)
process.off('SIGTERM', stop)
