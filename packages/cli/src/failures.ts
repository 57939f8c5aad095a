/**
 * Why a command failed, as a value, and the exit code each kind maps to (docs/cli.md lists them). The
 * codes are stable so that scripts and reporting jobs can tell "you typed it wrong" (1) from "the data
 * was refused" (2) from "try again later, the database is down" (3).
 */

export const ExitCode = {
  Ok: 0,
  /** A wrong option, argument or URL; commander's own usage errors also exit with 1. */
  Usage: 1,
  /** The input was refused: a malformed import line, a command the domain rejected, a bad date. */
  InputRejected: 2,
  /** The event store or the read-model store could not be opened or reached. */
  StoreUnavailable: 3,
  /** The stream, loan or read model asked for does not exist. */
  NotFound: 4,
  /** `verify` found the event log altered: a broken hash chain. */
  VerificationFailed: 5,
  /** Stored data the code cannot read: an event or document that does not decode, a file of a newer schema. */
  StoredDataInvalid: 6,
  /** A defect in the program (an exception nobody expected). */
  Internal: 70,
  /** Stopped by SIGINT/SIGTERM before the work was done (an import); running it again resumes. */
  Interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export type CliFailure =
  | { readonly _tag: 'Usage'; readonly message: string }
  | { readonly _tag: 'InputRejected'; readonly message: string }
  | { readonly _tag: 'StoreUnavailable'; readonly message: string }
  | { readonly _tag: 'NotFound'; readonly message: string }
  | { readonly _tag: 'VerificationFailed'; readonly message: string }
  | { readonly _tag: 'StoredDataInvalid'; readonly message: string }
  | { readonly _tag: 'Interrupted'; readonly message: string }

export const exitCodeOf = (failure: CliFailure): ExitCode => ExitCode[failure._tag]

export const usage = (message: string): CliFailure => ({ _tag: 'Usage', message })
export const inputRejected = (message: string): CliFailure => ({ _tag: 'InputRejected', message })
export const storeUnavailable = (message: string): CliFailure => ({ _tag: 'StoreUnavailable', message })
export const notFound = (message: string): CliFailure => ({ _tag: 'NotFound', message })
export const verificationFailed = (message: string): CliFailure => ({ _tag: 'VerificationFailed', message })
export const storedDataInvalid = (message: string): CliFailure => ({ _tag: 'StoredDataInvalid', message })
export const interrupted = (message: string): CliFailure => ({ _tag: 'Interrupted', message })

/** A driver's error in a line: its message, and its code when it has one (ECONNREFUSED, SQLITE_CANTOPEN). */
export const describeCause = (cause: unknown): string => {
  if (cause instanceof AggregateError && cause.errors.length > 0) return cause.errors.map(describeCause).join('; ')
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return typeof code === 'string' && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message
  }
  return String(cause)
}
