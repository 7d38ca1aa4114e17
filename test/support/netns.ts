/**
 * Plumbing the kernel suites share: the one root/tools gate (skip with a message on a developer machine,
 * fail in CI where a skip would hide a regression), commands run inside a network namespace, and
 * namespaces a suite creates and deletes again after its tests.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { afterAll } from 'vitest'

export const isRoot = process.getuid?.() === 0

export interface KernelSuite {
  /** How messages name the suite: `${suite} skipped: ...`, `${suite} must run in CI, but: ...`. */
  suite: string
  /** The programs the suite runs; each must be on PATH. */
  tools: readonly string[]
}

/**
 * The one gate of every kernel suite (`describe.skipIf(!kernelSuiteCanRun(...))`): it can run as root with
 * every tool on PATH. When it cannot, in CI (process.env.CI set) the test file fails at once, since a
 * skipped kernel suite would hide a regression; elsewhere a message says why the suite is skipped. Nothing
 * else may skip a kernel test: once the gate lets a suite run, a failure is a failure.
 */
export function kernelSuiteCanRun(gate: KernelSuite): boolean {
  const missing = gate.tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
  const why = !isRoot ? 'not running as root' : missing.length > 0 ? `${missing.join(', ')} not found` : null
  if (why === null) return true
  if (process.env.CI) throw new Error(`${gate.suite} must run in CI, but: ${why}`)
  console.warn(`${gate.suite} skipped: ${why} (it needs root, network namespaces and ${gate.tools.join(', ')})`)
  return false
}

export interface ExecResult {
  status: number
  stdout: string
  stderr: string
}

/** `ip netns exec NS cmd args...`, its exit status (-1 when it could not start) and output. */
export function netnsExec(ns: string, cmd: string, args: string[], input?: string): ExecResult {
  const r = spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { input, encoding: 'utf8' })
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** Like netnsExec, but a non-zero exit throws with the command and its stderr; returns stdout. */
export function netnsMust(ns: string, cmd: string, args: string[], input?: string): string {
  const r = netnsExec(ns, cmd, args, input)
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout
}

/**
 * Namespaces one suite creates, all deleted after the suite (registers an afterAll). Names carry the
 * process id so parallel runs do not collide.
 */
export class NetnsPool {
  readonly names: string[] = []
  private counter = 0

  constructor(private readonly prefix: string) {
    afterAll(() => this.deleteAll())
  }

  /** Create `PREFIX-PID-N` (throws when `ip netns add` fails). */
  fresh(): string {
    return this.add(`${this.prefix}-${process.pid}-${++this.counter}`)
  }

  /** Create a namespace with a name of the caller's choosing and delete it with the others. */
  add(name: string): string {
    execFileSync('ip', ['netns', 'add', name])
    this.names.push(name)
    return name
  }

  /** Delete one namespace now (a test that makes many and needs each only briefly). */
  delete(name: string): void {
    spawnSync('ip', ['netns', 'del', name])
    const i = this.names.indexOf(name)
    if (i >= 0) this.names.splice(i, 1)
  }

  deleteAll(): void {
    for (const ns of this.names.splice(0)) spawnSync('ip', ['netns', 'del', ns])
  }
}
