/**
 * Regenerates fixtures.json by running every case in cases.ts against the real iptables (1.8.9, nf_tables
 * backend) in a fresh network namespace. Needs root and `ip netns`.
 *
 *   npx tsx test/conformance/generate.ts            # all cases
 *   npx tsx test/conformance/generate.ts NAME...    # print the named cases only (for exploring)
 *
 * Each case is a short script: every line runs through bash inside the namespace (a leading `sudo` is
 * stripped, as the node console strips it), stdout, stderr and the exit status are recorded, and after the
 * last line the namespace's `iptables-save` output is recorded too. The date in iptables-save's comment
 * lines is replaced by DATE_PLACEHOLDER so fixtures do not change from run to run.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CASES } from './cases.ts'
import { normaliseSaveDates, type Fixture, type FixtureCase } from './fixture.ts'

const here = dirname(fileURLToPath(import.meta.url))

function run(ns: string, line: string, stdin: string | undefined) {
  const shellLine = line.replace(/^sudo\s+/, '')
  const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', shellLine], { input: stdin ?? '', encoding: 'utf8' })
  return { rc: r.status ?? -1, out: r.stdout, err: r.stderr }
}

function runCase(index: number, c: (typeof CASES)[number]): FixtureCase {
  const ns = `nfconf-${process.pid}-${index}`
  execFileSync('ip', ['netns', 'add', ns])
  try {
    const steps = c.steps.map((s) => {
      const step = typeof s === 'string' ? { line: s } : s
      const r = run(ns, step.line, step.stdin)
      return { line: step.line, ...(step.stdin !== undefined ? { stdin: step.stdin } : {}), rc: r.rc, out: normaliseSaveDates(r.out), err: r.err }
    })
    const save = run(ns, 'iptables-save', undefined)
    return { name: c.name, steps, save: normaliseSaveDates(save.out) }
  } finally {
    execFileSync('ip', ['netns', 'del', ns])
  }
}

const only = process.argv.slice(2)
const version = execFileSync('iptables', ['--version'], { encoding: 'utf8' }).trim()
if (only.length > 0) {
  CASES.forEach((c, i) => {
    if (!only.some((o) => c.name.includes(o))) return
    const r = runCase(i, c)
    console.log(`=== ${r.name}`)
    for (const s of r.steps) console.log(`$ ${s.line}\n${s.out}${s.err ? `[err] ${s.err}` : ''}[rc ${s.rc}]`)
    console.log(`--- save\n${r.save}`)
  })
} else {
  const fixture: Fixture = { generatedWith: version, cases: CASES.map((c, i) => runCase(i, c)) }
  writeFileSync(join(here, 'fixtures.json'), JSON.stringify(fixture, null, 1) + '\n')
  console.log(`wrote ${fixture.cases.length} cases (${fixture.cases.reduce((n, c) => n + c.steps.length, 0)} command lines)`)
}
