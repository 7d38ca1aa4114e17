/**
 * The simulated shell against real bash + GNU coreutils/grep/sed/gawk: for every line of cases.ts, the
 * same stdout, stderr and exit status as recorded in fixtures.json (generate.ts). The lines are also run
 * live in the installed bash and tools and compared, so a fixture that no longer matches them shows up;
 * through the project's one gate: skipped with a message on a machine without them, a failure in CI.
 */
import { describe, expect, it } from 'vitest'
import fixture from './fixtures.json' with { type: 'json' }
import { FILES, LINES } from './cases.ts'
import { kernelSuiteCanRun } from '../support/netns.ts'
import { REAL_TOOLS, runInRealBash } from './real-bash.ts'
import { runSimulated } from './simulated.ts'

describe('shell conformance: the recorded fixture', () => {
  it('records every line of cases.ts, at least 60', () => {
    expect(fixture.cases.map((c) => c.line)).toEqual(LINES)
    expect(LINES.length).toBeGreaterThanOrEqual(60)
  })

  for (const c of fixture.cases) {
    it(c.line, () => {
      expect(runSimulated(c.line, FILES)).toEqual({ rc: c.rc, out: c.out, err: c.err })
    })
  }
})

const LIVE = kernelSuiteCanRun({ suite: 'shell conformance (live, against bash, coreutils, grep, sed, gawk)', tools: REAL_TOOLS })

describe.skipIf(!LIVE)('shell conformance: live against the installed bash and tools', () => {
  it('gives what the installed tools give for every line', () => {
    const differences = LINES.flatMap((line) => {
      const real = runInRealBash(line, FILES)
      const sim = runSimulated(line, FILES)
      return JSON.stringify(real) === JSON.stringify(sim) ? [] : [{ line, real, sim }]
    })
    expect(differences).toEqual([])
  })
})
