/**
 * What a command may touch of the outside world, passed in rather than reached for: `main.ts` gives the
 * process's streams, environment and a signal aborted on SIGINT/SIGTERM; tests give buffers.
 */

export interface TextSink {
  readonly write: (text: string) => void
}

export interface TerminalSink extends TextSink {
  /** True only when the stream is a terminal: progress bars are drawn there and never into a pipe or file. */
  readonly isTTY?: boolean
  readonly columns?: number
}

export interface CliIo {
  readonly stdout: TextSink
  readonly stderr: TerminalSink
  readonly env: Readonly<Record<string, string | undefined>>
  /** Aborted when the user asks the process to stop (SIGINT, SIGTERM): long commands finish their batch and return. */
  readonly signal: AbortSignal
}

/** An in-memory `CliIo` (tests, embedding): what was written is in `stdout` and `stderr`. */
export interface CapturedIo extends CliIo {
  readonly output: () => { readonly stdout: string; readonly stderr: string }
}

export const capturedIo = (options: { readonly env?: Record<string, string | undefined>; readonly signal?: AbortSignal; readonly isTTY?: boolean } = {}): CapturedIo => {
  let stdout = ''
  let stderr = ''
  return {
    stdout: { write: (text) => void (stdout += text) },
    stderr: { write: (text) => void (stderr += text), isTTY: options.isTTY ?? false, columns: 80 },
    env: options.env ?? {},
    signal: options.signal ?? new AbortController().signal,
    output: () => ({ stdout, stderr }),
  }
}
