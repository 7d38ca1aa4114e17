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

/** The clause of a test the node cannot decide, with the assumption used and how to flip it. */
export function assumedClause(ctx: EvalContext, t: AssumedTest): ClauseResult {
  const neg = t.inverted ? ' (negated)' : ''
  const given = assumption(ctx, t.module)
  if (given !== undefined) {
    return { clause: t.clause, matched: given !== t.inverted, why: `assumed ${given} as set with --assume ${t.module}=${given} (${t.unknown})${neg}` }
  }
  if (typeof t.fallback === 'boolean') {
    const v = t.fallback
    return { clause: t.clause, matched: v !== t.inverted, why: `assumed ${v} (${t.unknown}): flip with --assume ${t.module}=${!v}${neg}` }
  }
  const v = t.fallback.value
  return { clause: t.clause, matched: v !== t.inverted, why: `${t.fallback.why} — an assumption (${t.unknown}): flip with --assume ${t.module}=${!v}${neg}` }
}
