import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { jsonProblem } from '../src/requests.ts'

// The reference: the walk that builds every field's path, as `jsonProblem` was before its fast check.
const problemAt = (value: unknown, path: string, ancestors: Set<object>): string | undefined => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is a non-finite number`
  if (typeof value !== 'object') return `${path} is a ${typeof value}, not JSON`
  if (ancestors.has(value)) return `${path} is a cycle`
  ancestors.add(value)
  try {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) return `${path}[${index}] is a hole`
        const problem = problemAt(value[index], `${path}[${index}]`, ancestors)
        if (problem !== undefined) return problem
      }
      return undefined
    }
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) return `${path} is not a plain object`
    if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`
    for (const [key, field] of Object.entries(value)) {
      const problem = problemAt(field, `${path}.${key}`, ancestors)
      if (problem !== undefined) return problem
    }
    return undefined
  } finally {
    ancestors.delete(value)
  }
}

/** Leaves that are not JSON, deep in objects and arrays among leaves that are. */
const leaves = [
  fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined, 1n, Symbol('leaf'), () => 1, new Date(0), new Map()),
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
]
const values = fc.oneof(
  fc.jsonValue(),
  fc.anything({ values: leaves, withNullPrototype: true, withSparseArray: true }),
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withTypedArray: true, withObjectString: true }),
)

test.prop([values])('finds the problem the path-building walk finds, and none where it finds none', (value) => {
  expect(jsonProblem(value)).toBe(problemAt(value, '$', new Set()))
})

test('reports a cycle, and a value seen twice but not inside itself is no cycle', () => {
  const shared = { amount: '1' }
  const cyclic: Record<string, unknown> = { list: [shared, shared] }
  expect(jsonProblem(cyclic)).toBeUndefined()
  cyclic['self'] = { back: cyclic }
  expect(jsonProblem(cyclic)).toBe('$.self.back is a cycle')
  expect(jsonProblem({ [Symbol('key')]: 1 })).toBe('$ has symbol keys')
})
