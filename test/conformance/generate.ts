/**
 * Regenerates the fixtures by running every case against the real iptables (1.8.9, nf_tables backend) in a
 * fresh network namespace. Needs root and `ip netns`.
 *
 *   npx tsx test/conformance/generate.ts                  # every group
 *   npx tsx test/conformance/generate.ts --group NAME...  # only these groups (see groups.ts)
 *   npx tsx test/conformance/generate.ts NAME...          # print the cases whose name contains NAME (exploring)
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
import type { ConformanceCase } from './cases.ts'
import { GROUPS } from './groups.ts'
import { normaliseSaveDates, type Fixture, type FixtureCase } from './fixture.ts'

const here = dirname(fileURLToPath(import.meta.url))

function run(ns: string, line: string, stdin: string | undefined) {
  const shellLine = line.replace(/^sudo\s+/, '')
  const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', shellLine], { input: stdin ?? '', encoding: 'utf8' })
  return { rc: r.status ?? -1, out: r.stdout, err: r.stderr }
}

let counter = 0

function runCase(c: ConformanceCase): FixtureCase {
  const ns = `nfconf-${process.pid}-${counter++}`
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

const args = process.argv.slice(2)
const groups: string[] = []
const names: string[] = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--group') groups.push(args[++i])
  else names.push(args[i])
}
for (const g of groups) if (!GROUPS.some((x) => x.name === g)) throw new Error(`no group ${g}; groups: ${GROUPS.map((x) => x.name).join(', ')}`)
const version = execFileSync('iptables', ['--version'], { encoding: 'utf8' }).trim()
if (names.length > 0) {
  for (const g of GROUPS) {
    for (const c of g.cases) {
      if (!names.some((o) => c.name.includes(o))) continue
      const r = runCase(c)
      console.log(`=== ${r.name}`)
      for (const s of r.steps) console.log(`$ ${s.line}\n${s.out}${s.err ? `[err] ${s.err}` : ''}[rc ${s.rc}]`)
      console.log(`--- save\n${r.save}`)
    }
  }
} else {
  for (const g of GROUPS) {
    if (groups.length > 0 && !groups.includes(g.name)) continue
    const fixture: Fixture = { generatedWith: version, cases: g.cases.map(runCase) }
    writeFileSync(join(here, g.file), JSON.stringify(fixture, null, 1) + '\n')
    console.log(`${g.name}: wrote ${fixture.cases.length} cases (${fixture.cases.reduce((n, c) => n + c.steps.length, 0)} command lines) to ${g.file}`)
  }
}
