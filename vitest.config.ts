import { defineConfig } from 'vitest/config'

// Tests import workspace packages through the "@policy-credit/source" export condition, so they run
// against the TypeScript sources; the built `dist` is what consumers outside the monorepo get.
const conditions = ['@policy-credit/source', 'node', 'module', 'default']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Property tests against real databases run for tens of seconds on a 2-core machine; a hang still fails.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // CI reads the JSON results to refuse a run in which a suite was skipped.
    reporters: process.env.POLICY_CREDIT_TEST_RESULTS === undefined ? ['default'] : ['default', 'json'],
    ...(process.env.POLICY_CREDIT_TEST_RESULTS === undefined ? {} : { outputFile: { json: process.env.POLICY_CREDIT_TEST_RESULTS } }),
  },
})
