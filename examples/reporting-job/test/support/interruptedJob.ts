/**
 * The reporting job's process, with the read-model store wrapped so that a test can interrupt it at the
 * worst moment: right after the N-th commit returned, before the runner's next read.
 *
 * - POLICY_CREDIT_TEST_INTERRUPT=kill: the process SIGKILLs itself there. Nothing runs after the commit,
 *   as when a machine dies between the read model's transaction and the next read.
 * - POLICY_CREDIT_TEST_INTERRUPT=lose-acknowledgement: the commit lands but the runner is told the
 *   store was unavailable, as when a connection drops before the COMMIT's reply arrives. The job
 *   restarts the runner from the stored checkpoint.
 * Without POLICY_CREDIT_TEST_INTERRUPT it is the job as shipped, plus the test projection.
 */
import * as E from 'fp-ts/lib/Either.js'
import { namespaceKey, type ReadModelStore } from '@policy-credit/projections'
import { jsonLinesLog, projectionCatalogue, runReportingService, stopOnSignals, type AnyProjection } from '../../src/index.ts'
import { eventApplicationsProjection } from './eventApplications.ts'

const interrupt = process.env['POLICY_CREDIT_TEST_INTERRUPT']
const afterCommits = Number(process.env['POLICY_CREDIT_TEST_INTERRUPT_AFTER_COMMITS'] ?? '1')
const log = jsonLinesLog()

const interruptedAfterCommits = (store: ReadModelStore): ReadModelStore => {
  let commits = 0
  return {
    ...store,
    commit: (namespace, request) => async () => {
      const committed = await store.commit(namespace, request)()
      if (E.isLeft(committed)) return committed
      commits += 1
      if (commits !== afterCommits) return committed
      log('info', 'interrupting after a commit', { interrupt, commits, projection: namespaceKey(namespace), checkpoint: request.checkpoint })
      if (interrupt === 'kill') process.kill(process.pid, 'SIGKILL')
      return E.left({ _tag: 'ReadModelStoreUnavailable', cause: new Error('connection lost before the acknowledgement of the commit') })
    },
  }
}

const catalogue = new Map<string, AnyProjection>([...projectionCatalogue, [eventApplicationsProjection.name, eventApplicationsProjection]])

process.exitCode = await runReportingService({
  environment: process.env,
  catalogue,
  signal: stopOnSignals(log),
  log,
  retry: { initialDelayMs: 20, maximumDelayMs: 100 },
  ...(interrupt === undefined ? {} : { wrapReadModelStore: interruptedAfterCommits }),
})
