/**
 * The parsers' properties (targets.ts) on a few hundred generated inputs each, with fixed seeds so a run
 * repeats; `npm run fuzz` runs 10,000 per parser with fresh seeds and prints figures.
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { TARGETS, checked } from './targets.ts'

/** No input may take this long (a hang, or work growing without bound); typical inputs take milliseconds. */
const TIME_BOUND_MS = 10_000

describe('fuzz: every parser answers any input, with its documented result and a position', () => {
  TARGETS.forEach((target, i) => {
    it(target.name, () => {
      fc.assert(fc.property(target.input(), (input) => {
        const start = performance.now()
        const violation = checked(target, input)
        const ms = performance.now() - start
        if (violation) throw new Error(violation)
        if (ms > TIME_BOUND_MS) throw new Error(`took ${Math.round(ms)} ms`)
      }), { numRuns: target.runs, seed: 1000 + i })
    }, 120_000)
  })
})
