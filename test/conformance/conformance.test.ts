/**
 * Replays every case recorded from the real iptables 1.8.9 (nf_tables) by generate.ts on a fresh engine
 * Ruleset and requires the same stdout, stderr, exit status, and the same iptables-save at the end. One
 * describe block per group of groups.ts (the base command line, then each family of extensions).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Ruleset } from '../../src/engine/netfilter/ruleset.ts'
import { runCommandLine } from '../../src/engine/netfilter/command-line.ts'
import { normaliseSaveDates, type Fixture } from './fixture.ts'
import { GROUPS } from './groups.ts'

const here = dirname(fileURLToPath(import.meta.url))

for (const group of GROUPS) {
  const path = join(here, group.file)
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture
  describe(`${group.name}: iptables command line matches ${fixture.generatedWith}`, () => {
    it('has every case of the group recorded', () => {
      expect(existsSync(path)).toBe(true)
      expect(fixture.cases.map((c) => c.name)).toEqual(group.cases.map((c) => c.name))
    })
    if (group.name === 'base') {
      it('has at least 150 recorded command lines', () => {
        expect(fixture.cases.reduce((n, c) => n + c.steps.length, 0)).toBeGreaterThanOrEqual(150)
      })
    }
    for (const c of fixture.cases) {
      it(c.name, () => {
        const ruleset = Ruleset.create()
        for (const step of c.steps) {
          const r = runCommandLine(ruleset, step.line, step.stdin)
          expect({ line: step.line, rc: r.rc, out: normaliseSaveDates(r.out), err: r.err })
            .toEqual({ line: step.line, rc: step.rc, out: step.out, err: step.err })
        }
        const save = runCommandLine(ruleset, 'iptables-save')
        expect(normaliseSaveDates(save.out)).toBe(c.save)
      })
    }
  })
}
