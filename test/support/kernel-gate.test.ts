/**
 * The kernel suites' one gate (netns.ts kernelSuiteCanRun): outside CI a missing tool skips the suite with
 * a message; in CI every kernel suite runs or fails. And nothing else in a test file may skip: no probe may
 * turn a regression into a skip.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isRoot, kernelSuiteCanRun } from './netns.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const missing = { suite: 'a suite needing a missing tool', tools: ['sh', 'kpv-no-such-tool'] }

describe('the kernel-suite gate', () => {
  const ci = process.env.CI
  afterEach(() => {
    if (ci === undefined) delete process.env.CI
    else process.env.CI = ci
    vi.restoreAllMocks()
  })

  it('outside CI, skips a suite whose tool is missing and says why', () => {
    delete process.env.CI
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(kernelSuiteCanRun(missing)).toBe(false)
    const why = isRoot ? 'kpv-no-such-tool not found' : 'not running as root'
    expect(warn).toHaveBeenCalledWith(`a suite needing a missing tool skipped: ${why} (it needs root, network namespaces and sh, kpv-no-such-tool)`)
  })

  it('in CI, fails instead of skipping', () => {
    process.env.CI = 'true'
    expect(() => kernelSuiteCanRun(missing)).toThrow(/^a suite needing a missing tool must run in CI, but: /)
  })

  it('lets a suite run when it runs as root and its tools are on PATH', () => {
    delete process.env.CI
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(kernelSuiteCanRun({ suite: 'a suite needing sh', tools: ['sh'] })).toBe(isRoot)
  })
})

/** Every test file of the project (src/ and test/). */
function testFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(path)
    return /\.test\.tsx?$/.test(e.name) ? [path] : []
  })
}

describe('skipping in the test suites', () => {
  it('happens only through the gate: describe.skipIf(!GATE) with GATE = kernelSuiteCanRun(...)', () => {
    const self = relative(root, fileURLToPath(import.meta.url))
    const offenders: string[] = []
    for (const file of [...testFiles('src'), ...testFiles('test')].filter((f) => f !== self)) {
      const text = readFileSync(join(root, file), 'utf8')
      const gates = new Set([...text.matchAll(/const (\w+) = kernelSuiteCanRun\(/g)].map((m) => m[1]))
      for (const m of text.matchAll(/\b(?:describe|it|test)\.(?:skip|skipIf|runIf|todo)\b(?:\(([^)]*)\))?|\b(?:ctx|context)\.skip\(/g)) {
        const gated = m[0].startsWith('describe.skipIf(') && gates.has((m[1] ?? '').replace(/^!/, ''))
        if (!gated) offenders.push(`${file}: ${m[0]}`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('every kernel suite (a test file under test/ that runs ip netns) has a gate', () => {
    const ungated = testFiles('test')
      .filter((f) => /netns|KernelLab|ClusterLab/.test(readFileSync(join(root, f), 'utf8')))
      .filter((f) => !readFileSync(join(root, f), 'utf8').includes('kernelSuiteCanRun('))
      .filter((f) => !f.startsWith(join('test', 'support')))
    expect(ungated).toEqual([])
  })
})
