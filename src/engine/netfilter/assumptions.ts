/**
 * Assumptions for what a node cannot know. Some matches depend on state the simulation does not have —
 * a local socket (`-m socket`), a cgroup (`-m cgroup`), a BPF program (`-m bpf --object-pinned`), the wall
 * clock (`-m time`), the CPU that runs the packet (`-m cpu`), IPsec policies (`-m policy`), an OS
 * fingerprint (`-m osf`)… Such a clause is never decided silently: it takes the user's assumption for the
 * module when there is one, else the module's documented default, and its "why" says which and how to flip
 * it (`trace-rules --assume MODULE=true|false`).
 *
 * The assumptions are per node and live in the node's match state (EvalContext.state, under one key), so a
 * module's evaluate stays a pure function of (options, ctx, stateKey) and a copied node keeps them. An
 * assumption gives the value of the module's test before any `!`.
 */
import type { ClauseResult, EvalContext } from './types.ts'

const KEY = 'assumptions'

/**
 * Every module that takes an assumption, with its default when the user gives none — what
 * `trace-rules --assume MODULE=true|false` accepts.
 */
export const ASSUMPTION_DEFAULTS: Readonly<Record<string, string>> = {
  socket: 'false: no local socket owns the packet (-m socket)',
  cgroup: 'false: the socket is in no matching cgroup (-m cgroup)',
  cpu: 'the packet runs on CPU 0 (-m cpu)',
  time: 'true: the clock is within the rule\'s time window (-m time)',
  rateest: 'true: the estimated rate satisfies the comparison (-m rateest)',
  CHECKSUM: 'false: an arriving packet\'s checksum is complete (-j CHECKSUM; packets of this node are partial)',
  TPROXY: 'false: no transparent socket listens on the redirect address (-j TPROXY drops the packet)',
  SYNPROXY: 'false: a bare ACK carries no valid SYN cookie (-j SYNPROXY drops it)',
}

/** The node's assumptions (module name → the value its test is assumed to have). */
export function nodeAssumptions(state: Map<string, unknown>): Map<string, boolean> {
  let m = state.get(KEY) as Map<string, boolean> | undefined
  if (!m) {
    m = new Map()
    state.set(KEY, m)
  }
  return m
}

export function setAssumption(state: Map<string, unknown>, module: string, value: boolean): void {
  nodeAssumptions(state).set(module, value)
}

export function assumption(ctx: EvalContext, module: string): boolean | undefined {
  return (ctx.state.get(KEY) as Map<string, boolean> | undefined)?.get(module)
}

export interface AssumedTest {
  module: string
  clause: string
  inverted: boolean
  /** What the simulation cannot know, e.g. `the simulation has no sockets`. */
  unknown: string
  /** The module's default: a fixed value, or a value computed from a stated simplification. */
  fallback: boolean | { value: boolean; why: string }
}

/** What a module takes for something the node cannot know, and the words that say so. */
export function assumedValue(ctx: EvalContext, module: string, unknown: string, fallback: AssumedTest['fallback']): { value: boolean; why: string } {
  const given = assumption(ctx, module)
  if (given !== undefined) return { value: given, why: `assumed ${given} as set with --assume ${module}=${given} (${unknown})` }
  if (typeof fallback === 'boolean') return { value: fallback, why: `assumed ${fallback} (${unknown}): flip with --assume ${module}=${!fallback}` }
  return { value: fallback.value, why: `${fallback.why} — an assumption (${unknown}): flip with --assume ${module}=${!fallback.value}` }
}

/** The clause of a test the node cannot decide, with the assumption used and how to flip it. */
export function assumedClause(ctx: EvalContext, t: AssumedTest): ClauseResult {
  const a = assumedValue(ctx, t.module, t.unknown, t.fallback)
  return { clause: t.clause, matched: a.value !== t.inverted, why: `${a.why}${t.inverted ? ' (negated)' : ''}` }
}
