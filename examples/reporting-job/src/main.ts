#!/usr/bin/env node
/** Entry point: `node dist/main.js`, configured by POLICY_CREDIT_* environment variables (docs/reporting-job.md). */
import { jsonLinesLog } from './log.ts'
import { defaultProjections, projectionCatalogue } from './projectionCatalogue.ts'
import { runReportingService, stopOnSignals } from './service.ts'

const log = jsonLinesLog()
process.exitCode = await runReportingService({ environment: process.env, catalogue: projectionCatalogue, defaultProjections, signal: stopOnSignals(log), log })
// Every pool and client is closed by now, so the process ends by itself; should a driver keep a handle
// open, a supervisor waiting for the exit must not wait forever.
setTimeout(() => {
  log('warn', 'a handle stayed open after the stores closed: exiting anyway')
  process.exit()
}, 5_000).unref()
