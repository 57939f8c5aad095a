export * from './deciderSpec.ts'
