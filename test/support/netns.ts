/**
 * Plumbing the kernel suites share: the root/tools gate (skip with a message on a developer machine, fail
 * in CI where a skip would hide a regression), commands run inside a network namespace, and namespaces a
 * suite creates and deletes again after its tests.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { afterAll } from 'vitest'

export const isRoot = process.getuid?.() === 0

/** Whether `cmd args...` runs and exits 0 (a version query, say). */
export function toolWorks(cmd: string, ...args: string[]): boolean {
  return spawnSync(cmd, args).status === 0
}

export interface KernelSuiteGate {
  /** How the CI failure names the suite: `${suite} must run in CI, but: ...`. */
  suite: string
  /** The warning's opening when skipped: `${skipped}: ${why} (${needs})`. */
  skipped: string
  needs?: string
  /** Whether the tools are present, and how to name them when not. */
  haveTools: boolean
  toolsText: string
}

/**
 * Whether a kernel suite can run (root and its tools). When it cannot, CI (process.env.CI) fails at once;
 * elsewhere a warning says why the suite is skipped.
 */
export function kernelSuiteCanRun(gate: KernelSuiteGate): boolean {
  const canRun = isRoot && gate.haveTools
  if (!canRun) {
    const why = !isRoot ? 'not running as root' : `${gate.toolsText} not found`
    if (process.env.CI) throw new Error(`${gate.suite} must run in CI, but: ${why}`)
    console.warn(`${gate.skipped}: ${why}${gate.needs ? ` (${gate.needs})` : ''}`)
  }
  return canRun
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
