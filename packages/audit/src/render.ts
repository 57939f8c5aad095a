/**
 * Text for a terminal, from the plain data the audit functions return. The data is what a program
 * should read (`--format json`); these words are for a person, and every fact in them is in the data.
 */
import type { EventStoreError } from '@policy-credit/event-store'
import type { AuditError } from './errors.ts'
import type { Corroboration, LoanExplanation } from './explainLoan.ts'
import type { HistoryRow } from './history.ts'
import type { JsonValue } from './json.ts'
import type { EventRef, SealResult, VerifyProblem, VerifyReport } from './seals.ts'
import type { StateAsOf } from './stateAsOf.ts'

const padded = (cells: ReadonlyArray<string>, widths: ReadonlyArray<number>): string =>
  cells
    .map((cell, index) => cell.padEnd(widths[index] ?? 0))
    .join('  ')
    .trimEnd()

/** Rows under a header, each column as wide as its widest cell. */
const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<string> => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  return [padded(header, widths), padded(widths.map((width) => '-'.repeat(width)), widths), ...rows.map((row) => padded(row, widths))]
}

/** `key=value` pairs, a nested value as compact JSON. */
const pairs = (value: JsonValue): string =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value as { readonly [key: string]: JsonValue })
        .map(([key, field]) => `${key}=${typeof field === 'string' ? field : JSON.stringify(field)}`)
        .join(' ')
    : JSON.stringify(value)

/** Every event of a stream: one line of envelope, then its data (or why it is malformed). */
export const renderHistory = (streamId: string, rows: ReadonlyArray<HistoryRow>): string => {
  if (rows.length === 0) return `${streamId}: no events\n`
  const lines: Array<string> = []
  const header = ['version', 'position', 'type', 'business date', 'recorded at', 'actor', 'causation']
  const body = rows.map((row) => [row.version, row.position, row.type, row.occurredOn, row.recordedAt, row.actor ?? '-', row.causationId ?? '-'])
  const [title, rule, ...formatted] = table(header, body)
  lines.push(`${streamId}: ${rows.length} event${rows.length === 1 ? '' : 's'}`, title ?? '', rule ?? '')
  formatted.forEach((line, index) => {
    const row = rows[index]
    lines.push(line)
    if (row === undefined) return
    if (row.decoding._tag === 'Malformed') lines.push(`    MALFORMED: ${row.decoding.message}`)
    lines.push(`    ${JSON.stringify(row.data)}`)
  })
  return `${lines.join('\n')}\n`
}

export const renderState = (state: StateAsOf): string => {
  const { asOf, knownAt, throughVersion } = state.query
  const when = [asOf === null ? '' : `as of ${asOf}`, knownAt === null ? '' : `as known at ${knownAt}`, throughVersion === null ? '' : `through version ${throughVersion}`]
    .filter((part) => part !== '')
    .join(', ')
  const last = state.lastApplied === null ? 'no event' : `last: version ${state.lastApplied.version} ${state.lastApplied.type} of ${state.lastApplied.occurredOn}, recorded ${state.lastApplied.recordedAt}`
  return `${state.aggregate} ${state.streamId}${when === '' ? ' (current)' : ` ${when}`}: ${state.eventsApplied} of ${state.eventsInStream} events applied (${last})\n${JSON.stringify(state.state, null, 2)}\n`
}

const corroborationLine = (corroboration: Corroboration): ReadonlyArray<string> => {
  if (corroboration._tag === 'NotFound') return [`   ✗ ${corroboration.lookingFor}: not found in ${corroboration.streamId}`]
  const when = corroboration.recordedBeforeDecision ? 'recorded before the decision' : `recorded only at ${corroboration.recordedAt}, after the decision`
  const head = `   ${corroboration.disagreements.length === 0 && corroboration.recordedBeforeDecision ? '✓' : '!'} ${corroboration.lookingFor}: ${corroboration.streamId} version ${corroboration.version} (${corroboration.type}), ${when}`
  return [head, ...corroboration.disagreements.map((disagreement) => `     disagrees on ${disagreement.field}: recorded ${JSON.stringify(disagreement.recorded)}, found ${JSON.stringify(disagreement.found)}`)]
}

/** Every decision on a loan, in order, with its evidence and what the other streams say of it. */
export const renderLoanExplanation = (explanation: LoanExplanation): string => {
  const lines = [`Loan ${explanation.loanId} (${explanation.streamId}): ${explanation.status ?? 'status unknown: an event is unreadable'}`]
  explanation.decisions.forEach((decision, index) => {
    const { event } = decision
    lines.push(
      `${index + 1}. ${decision.decidedOn ?? event.occurredOn} ${decision.decision} — ${event.type}, version ${event.version}, recorded ${event.recordedAt} by ${event.actor ?? 'an unnamed actor'}`,
    )
    if (event.decoding._tag === 'Malformed') lines.push(`   MALFORMED: ${event.decoding.message}`, `   ${JSON.stringify(event.data)}`)
    for (const [heading, evidence] of Object.entries(decision.evidence)) lines.push(`   ${heading}: ${pairs(evidence)}`)
    for (const corroboration of decision.corroborations) lines.push(...corroborationLine(corroboration))
  })
  return `${lines.join('\n')}\n`
}

const eventWords = (event: EventRef): string => `#${event.ordinal} (${event.streamId} version ${event.version}, ${event.type}, position ${event.position}, id ${event.eventId})`

export const describeVerifyProblem = (problem: VerifyProblem): string => {
  switch (problem._tag) {
    case 'EventAltered':
      return `event ${eventWords(problem.event)} is not the event sealed there by seal ${eventWords(problem.seal)}: its digest is ${problem.actualDigest}, the seal recorded ${problem.sealedDigest}`
    case 'EventMissing':
      return `the event sealed at #${problem.ordinal} by seal ${eventWords(problem.seal)} is missing; found ${eventWords(problem.foundInstead)} in its place`
    case 'EventInserted':
      return `event ${eventWords(problem.event)} was never sealed: seal ${eventWords(problem.seal)} has the next event at its place`
    case 'SealMalformed':
      return `seal ${eventWords(problem.seal)} is malformed: ${problem.message}`
    case 'SealInconsistent':
      return `seal ${eventWords(problem.seal)} does not hold: ${problem.reason}`
    case 'AnchorMismatch':
      return `the chain through #${problem.throughOrdinal} is ${problem.actualHash}, not the anchored ${problem.anchoredHash}`
    case 'AnchorBeyondLog':
      return `the anchor covers ${problem.throughOrdinal} events but the log has only ${problem.eventsInLog}: its end was cut off`
  }
}

export const renderVerifyReport = (report: VerifyReport): string => {
  const summary = `${report.eventsInLog} events, ${report.seals} seal${report.seals === 1 ? '' : 's'}, sealed through #${report.sealedThroughOrdinal}, ${report.unsealedEvents} not yet sealed; chain hash ${report.chainHash}`
  if (report.problem === null) return `OK: ${summary}\n`
  const others = report.problems.length - 1
  return `TAMPERED: ${describeVerifyProblem(report.problem)}\n${others > 0 ? `(${others} more problem${others === 1 ? '' : 's'} after it)\n` : ''}${summary}\n`
}

export const renderSealResult = (result: SealResult): string =>
  result._tag === 'NothingToSeal'
    ? `Nothing to seal: the log is empty. Chain hash ${result.chainHash}\n`
    : `Sealed events #${result.firstOrdinal}–#${result.throughOrdinal} in ${result.seals} seal${result.seals === 1 ? '' : 's'}. Keep this chain hash outside the store: ${result.chainHash} (through #${result.throughOrdinal})\n`

const storeErrorWords = (error: EventStoreError): string => {
  switch (error._tag) {
    case 'EventStoreUnavailable':
      return `the store is unavailable (${error.cause instanceof Error ? error.cause.message : String(error.cause)})`
    case 'WrongExpectedVersion':
      return `${error.streamId} moved while it was written to`
    case 'DuplicateEventId':
      return `event id ${error.eventId} is already stored with other contents`
    case 'InvalidEvent':
      return `the store refused a ${error.type} event for ${error.streamId}: ${error.message}`
    case 'InvalidStoredEvent':
      return `${error.streamId} version ${error.version} (${error.type}) does not decode: ${error.message}`
    case 'InvalidRequest':
      return `the store refused the request: ${error.message}`
  }
}

export const renderAuditError = (error: AuditError): string => {
  switch (error._tag) {
    case 'StoreFailed':
      return storeErrorWords(error.error)
    case 'UnknownStreamKind':
      return `no aggregate owns ${error.streamId}; streams are named ${error.knownPatterns.join(', ')}`
    case 'InvalidQuery':
      return `${error.field} ${JSON.stringify(error.value)} is not ${error.expected}`
    case 'CannotFoldMalformedEvent':
      return `cannot fold past ${error.event.streamId} version ${error.event.version} (${error.event.type}): ${error.event.message}`
    case 'EventOfAnotherAggregate':
      return `${error.streamId} version ${error.version} is a ${error.type}, not an event of a ${error.aggregate}`
    case 'LoanNotFound':
      return `no loan ${error.loanId}: its stream has no events`
    case 'SealUnreadable':
      return `the newest seal (${error.event.streamId} version ${error.event.version}) does not decode: ${error.event.message}`
    case 'SealingContended':
      return `other sealers kept appending seals; gave up after ${error.attempts} attempts`
  }
}
