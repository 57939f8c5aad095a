export * from './deciderSpec.ts'
export * from './householdArbitraries.ts'
