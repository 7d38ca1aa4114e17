/**
 * `npm run fuzz [-- --runs 10000] [--seed N] [--only TEXT]`: every parser's properties (targets.ts) on
 * many generated inputs, with per-parser figures: inputs, failures, the slowest input. A failure is shown
 * shrunk to a small input that still fails, with the seed that reproduces it. Exit status 1 on a failure.
 */
import fc from 'fast-check'
import { parseArgs } from 'node:util'
import { TARGETS, checked } from './targets.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' }, only: { type: 'string' } } })
const runs = Number(values.runs)
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed N] [--only TEXT]')
  process.exit(2)
}

console.log(`fuzz: ${runs} inputs per parser, seed ${seed}\n`)
console.log(`${'parser'.padEnd(42)} ${'inputs'.padStart(7)} ${'failures'.padStart(8)} ${'slowest ms'.padStart(10)} ${'total s'.padStart(8)}`)
let failed = 0
for (const [i, target] of TARGETS.entries()) {
  if (values.only && !target.name.includes(values.only)) continue
  const inputs = fc.sample(target.input(), { numRuns: runs, seed: seed + i })
  let failures = 0
  let slowest = 0
  let firstFailure: string | undefined
  const start = performance.now()
  for (const input of inputs) {
    const t = performance.now()
    const violation = checked(target, input)
    slowest = Math.max(slowest, performance.now() - t)
    if (violation) {
      failures++
      firstFailure ??= violation
    }
  }
  const total = (performance.now() - start) / 1000
  console.log(`${target.name.padEnd(42)} ${String(inputs.length).padStart(7)} ${String(failures).padStart(8)} ${slowest.toFixed(1).padStart(10)} ${total.toFixed(1).padStart(8)}`)
  if (failures > 0) {
    failed++
    const shrunk = fc.check(fc.property(target.input(), (input) => checked(target, input) === undefined), { numRuns: runs, seed: seed + i })
    const example = shrunk.counterexample?.[0]
    console.log(`  first failure: ${firstFailure}`)
    if (example !== undefined) console.log(`  shrunk input: ${JSON.stringify(example).slice(0, 2000)}\n  it fails with: ${checked(target, example)}`)
  }
}
process.exitCode = failed > 0 ? 1 : 0
