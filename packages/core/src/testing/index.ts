export * from './deciderSpec.ts'
export * from './householdArbitraries.ts'
export * from './loanArbitraries.ts'
