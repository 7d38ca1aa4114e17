/**
 * What a node's shell keeps between console lines: the filesystem, the variables (exported or not), the
 * working directory, `$?`, the `set` options and the last `watch`. The Host holds one and clones it with
 * itself, so files written on a node are part of that node's state (undo, replay, compare).
 */
import { Filesystem } from './filesystem.ts'

export interface ShellVar {
  value: string
  exported: boolean
}

export interface ShellOptions {
  pipefail: boolean
  errexit: boolean
}

export interface WatchCommand {
  /** Seconds between updates (`watch -n`), as given. */
  interval: number
  argv: string[]
}

export const HOME = '/root'
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export class ShellState {
  vars = new Map<string, ShellVar>()
  cwd = HOME
  status = 0
  options: ShellOptions = { pipefail: false, errexit: false }
  positional: string[] = []
  /** $0 */
  arg0 = 'bash'
  /** The last `watch` typed, re-run on each scenario step (see rerunWatch). */
  watch: WatchCommand | undefined

  constructor(readonly fs: Filesystem) {}

  /** A node's shell at boot: root's login environment, home /root. */
  static create(hostname: string): ShellState {
    const s = new ShellState(Filesystem.create(hostname))
    const env: [string, string][] = [['HOME', HOME], ['HOSTNAME', hostname], ['PATH', PATH], ['PWD', HOME], ['SHELL', '/bin/bash'], ['TERM', 'xterm'], ['USER', 'root']]
    for (const [k, v] of env) s.vars.set(k, { value: v, exported: true })
    return s
  }

  /** An independent copy, filesystem included (the Host's clone). */
  clone(): ShellState {
    return this.copy(this.fs.clone())
  }

  /** A subshell's copy: own variables and directory, the same filesystem. */
  fork(): ShellState {
    return this.copy(this.fs)
  }

  private copy(fs: Filesystem): ShellState {
    const s = new ShellState(fs)
    for (const [k, v] of this.vars) s.vars.set(k, { ...v })
    s.cwd = this.cwd
    s.status = this.status
    s.options = { ...this.options }
    s.positional = [...this.positional]
    s.arg0 = this.arg0
    s.watch = this.watch && { interval: this.watch.interval, argv: [...this.watch.argv] }
    return s
  }
}
