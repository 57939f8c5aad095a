/** Words for a core `DecodeFailure`, for the audit's reports of a malformed stored event. */
import { describeFieldErrors, type DecodeFailure } from '@policy-credit/core'

/** One clause per bad field: `LoanApproved: data.amount: expected Vnd, got 12.5`. */
export const describeDecodeFailure = (failure: DecodeFailure): string => `${failure.codec}: ${describeFieldErrors(failure.errors)}`
