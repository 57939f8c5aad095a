import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'
import {
  comparePositions,
  pairFromPosition,
  positionFromPair,
  positionFromSequence,
  sequenceFromPosition,
} from '@policy-credit/event-store'

const component = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })
const sign = (left: bigint, right: bigint) => (left < right ? -1 : left > right ? 1 : 0)

test.prop([component, component])('sequence positions compare as strings exactly as the numbers compare', (left, right) => {
  expect(comparePositions(positionFromSequence(left), positionFromSequence(right))).toBe(sign(left, right))
  expect(sequenceFromPosition(positionFromSequence(left))).toStrictEqual(E.right(left))
})

test.prop([component, component, component, component])(
  'pair positions compare as strings in the order of $all: by the major part (commit), then the minor (prepare)',
  (commit, prepare, otherCommit, otherPrepare) => {
    const order = sign(commit, otherCommit) || sign(prepare, otherPrepare)
    expect(comparePositions(positionFromPair(commit, prepare), positionFromPair(otherCommit, otherPrepare))).toBe(order)
    expect(pairFromPosition(positionFromPair(commit, prepare))).toStrictEqual(E.right({ major: commit, minor: prepare }))
  },
)

test.prop([fc.string()])('text that no store wrote is not read as a position', (text) => {
  fc.pre(!/^[0-9]{20}$/.test(text))
  expect(E.isLeft(sequenceFromPosition(text))).toBe(true)
})
