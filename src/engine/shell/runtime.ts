/**
 * What the shell's builtins (builtins.ts) see of the interpreter running them, and what the caller (the
 * node console) provides around the shell. The interpreter implements ShellRuntime; keeping the interface
 * here lets builtins and interpreter depend on it instead of on each other.
 */
import type { Io } from './io.ts'
import type { ShellState } from './state.ts'

export interface CommandOutput {
  rc: number
  out: string
  err: string
}

/** What the caller (the node console) provides around the shell. */
export interface ShellEnvironment {
  hostname: string
  /** Lines typed so far, the current one last (`history`). */
  history?: readonly string[]
  /** Simulated wall-clock time, ms since the epoch (default: 2026-01-01T00:00:00Z). */
  now?: () => number
  /** A terminal session (default): `ls` prints columns, `exit` prints "exit". */
  interactive?: boolean
  /**
   * The node's own commands (iptables, iptables-save, conntrack, ip, …): the result, or undefined when
   * `argv[0]` is not one of them. `stdin` reads the command's standard input.
   */
  nodeCommand?: (argv: string[], stdin: () => string) => CommandOutput | undefined
  /** Where the node's commands are installed (`which iptables`: /usr/sbin/iptables). */
  nodeCommandPaths?: Readonly<Record<string, string>>
}

export interface ShellRuntime {
  readonly state: ShellState
  readonly env: ShellEnvironment
  /** A terminal session: `exit` says "exit", ls prints columns. */
  readonly interactive: boolean
  /** The console's own shell, not a subshell. */
  readonly topLevel: boolean
  /** Inside a for/while/until body (break and continue apply). */
  readonly inLoop: boolean
  /** A subshell: own variables and directory, the same filesystem. */
  subshell(): ShellRuntime
  setVar(name: string, value: string): void
  /** Run argv as a command (builtin, node tool, shell tool). */
  invoke(argv: string[], io: Io): number
  /** Parse and run source text (eval, source, bash -c). */
  runSource(source: string, io: Io): number
  withTemporaryVars<T>(vars: [string, string][], fn: () => T): T
}
