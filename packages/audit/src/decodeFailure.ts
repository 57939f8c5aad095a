/** Words for a core `DecodeFailure`, for the audit's reports of a malformed stored event. */
import type { DecodeFailure } from '@policy-credit/core'

/** One clause per bad field: `LoanApproved: data.amount: expected Vnd, got 12.5`. */
export const describeDecodeFailure = (failure: DecodeFailure): string =>
  `${failure.codec}: ${failure.errors.map((error) => `${error.path}: expected ${error.expected}, got ${JSON.stringify(error.actual) ?? String(error.actual)}`).join('; ')}`
