/**
 * IPVS schedulers as the kernel's ip_vs_*.c implement them, over the destination list in kernel order
 * (list_add_rcu puts each new destination at the head, so the list is the reverse of insertion order).
 * The kernel schedulers are deterministic — none draws a random number — so the model is deterministic
 * without an RNG: the same table, the same connection history and the same packet give the same choice.
 *
 *  - rr   (ip_vs_rr.c): a per-service cursor; the next destination after the cursor with weight > 0.
 *  - wrr  (ip_vs_wrr.c): current-weight stepping by the gcd of weights, from the maximum weight down.
 *  - lc   (ip_vs_lc.c): least overhead = active × 256 + inactive; ties to the first in list order.
 *  - wlc / sed / nq: weighted least-connection variants (ip_vs_wlc.c, ip_vs_sed.c, ip_vs_nq.c).
 *  - sh / dh (ip_vs_sh.c, ip_vs_dh.c): a 256-bucket table filled round-robin by weight, indexed by
 *    hash_32(source (or destination) address [+ port with sh-port]).
 *  - mh (ip_vs_mh.c): Maglev lookup table of 251 entries. The kernel permutes with siphash keyed by a random
 *    boot-time key; we use a fixed jhash-based permutation instead, so the *shape* (consistent hashing by
 *    source) is right but which backend a given client lands on differs from a real node.
 */
import { jhash2 } from '../ipset/jhash.ts'
import { parseXtablesIPv4 } from '../net/ipv4.ts'
import { IPVS_SVC_F_SCHED1, IPVS_SVC_F_SCHED2 } from './types.ts'

/** A destination as the scheduler sees it. */
export interface SchedDest {
  key: string
  weight: number
  activeConns: number
  inactConns: number
}

/** Per-service scheduler memory (sched_data). */
export interface SchedState {
  /** rr: the last chosen destination (undefined: the cursor is at the list head). */
  rrLastKey?: string
  /** wrr: current index and current weight. */
  wrrCl: number
  wrrCw: number
  /** sh/dh/mh: the bucket table, rebuilt when the destination list changes. */
  table?: { signature: string; buckets: (number | undefined)[] }
}

export function newSchedState(): SchedState {
  return { wrrCl: -1, wrrCw: 0 }
}

export interface ScheduleInput {
  scheduler: string
  flags: number
  /** Destinations in kernel list order. */
  dests: readonly SchedDest[]
  state: SchedState
  srcAddr: string
  srcPort: number
  dstAddr: string
}

export interface ScheduleResult {
  /** Index into dests, or undefined when no destination is available. */
  index: number | undefined
  /** How the choice was made, in words (for the trace). */
  why: string
}

const available = (d: SchedDest) => d.weight > 0

/** ip_vs_dest_conn_overhead */
export function connOverhead(d: SchedDest): number {
  return d.activeConns * 256 + d.inactConns
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/** hash_32(val, bits) with GOLDEN_RATIO_32. */
function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, 0x61c88647) >>> (32 - bits)
}

const SH_TAB_BITS = 8
const SH_TAB_SIZE = 1 << SH_TAB_BITS
const MH_TAB_SIZE = 251

function signature(dests: readonly SchedDest[]): string {
  return dests.map((d) => `${d.key}*${d.weight}`).join(' ')
}

/** ip_vs_sh_reassign / ip_vs_dh_reassign: buckets filled in list order, `weight` consecutive buckets each. */
function hashTable(dests: readonly SchedDest[]): (number | undefined)[] {
  const buckets: (number | undefined)[] = []
  if (dests.length === 0) return new Array<undefined>(SH_TAB_SIZE).fill(undefined)
  let p = 0
  let count = 0
  for (let i = 0; i < SH_TAB_SIZE; i++) {
    buckets.push(p)
    // sh uses the weight as a repeat count (a weight-0 destination still takes one bucket).
    if (++count >= dests[p].weight) {
      p = (p + 1) % dests.length
      count = 0
    }
  }
  return buckets
}

/** Maglev population (ip_vs_mh_populate) with a fixed permutation hash. */
function maglevTable(dests: readonly SchedDest[]): (number | undefined)[] {
  const table: (number | undefined)[] = new Array<undefined>(MH_TAB_SIZE).fill(undefined)
  const live = dests.map((d, i) => ({ d, i })).filter(({ d }) => d.weight > 0)
  if (live.length === 0) return table
  const perm = live.map(({ d }) => {
    const words = [...d.key].map((c) => c.charCodeAt(0))
    return { offset: jhash2(words, 0) % MH_TAB_SIZE, skip: (jhash2(words, 1) % (MH_TAB_SIZE - 1)) + 1, next: 0, turns: 0 }
  })
  const maxWeight = Math.max(...live.map(({ d }) => d.weight))
  let filled = 0
  while (filled < MH_TAB_SIZE) {
    for (let k = 0; k < live.length && filled < MH_TAB_SIZE; k++) {
      const pk = perm[k]
      pk.turns += live[k].d.weight
      if (pk.turns < maxWeight) continue
      pk.turns -= maxWeight
      let c = (pk.offset + pk.next * pk.skip) % MH_TAB_SIZE
      while (table[c] !== undefined) {
        pk.next++
        c = (pk.offset + pk.next * pk.skip) % MH_TAB_SIZE
      }
      table[c] = live[k].i
      pk.next++
      filled++
    }
  }
  return table
}

/** Choose a destination for a new connection, as the kernel scheduler would. */
export function schedule(input: ScheduleInput): ScheduleResult {
  const { dests, state } = input
  if (dests.length === 0) return { index: undefined, why: 'the virtual service has no real servers' }
  switch (input.scheduler) {
    case 'rr': {
      // Continue after the last choice, wrapping once; skip weight-0 (draining) destinations.
      const last = state.rrLastKey === undefined ? -1 : dests.findIndex((d) => d.key === state.rrLastKey)
      for (let step = 1; step <= dests.length; step++) {
        const i = (last + step) % dests.length
        if (available(dests[i])) {
          state.rrLastKey = dests[i].key
          return { index: i, why: `rr: next real server after the previous choice (${step === 1 ? 'in turn' : `skipped ${step - 1} with weight 0`})` }
        }
      }
      return { index: undefined, why: 'rr: every real server has weight 0' }
    }
    case 'wrr': {
      const weights = dests.map((d) => d.weight)
      const mw = Math.max(...weights)
      if (mw <= 0) return { index: undefined, why: 'wrr: every real server has weight 0' }
      const di = weights.filter((w) => w > 0).reduce(gcd)
      for (let guard = 0; guard < dests.length * (mw / di + 1) + 1; guard++) {
        state.wrrCl++
        if (state.wrrCl >= dests.length) {
          state.wrrCl = 0
          state.wrrCw -= di
          if (state.wrrCw <= 0) state.wrrCw = mw
        }
        if (dests[state.wrrCl].weight >= state.wrrCw) {
          return { index: state.wrrCl, why: `wrr: weight ${dests[state.wrrCl].weight} ≥ current weight ${state.wrrCw}` }
        }
      }
      return { index: undefined, why: 'wrr: no real server reached the current weight' }
    }
    case 'lc': case 'wlc': case 'sed': case 'nq': {
      let best: number | undefined
      for (let i = 0; i < dests.length; i++) {
        const d = dests[i]
        if (!available(d)) continue
        if (best === undefined) { best = i; continue }
        const b = dests[best]
        const better = input.scheduler === 'lc' ? connOverhead(d) < connOverhead(b)
          : input.scheduler === 'wlc' ? connOverhead(b) * d.weight > connOverhead(d) * b.weight
            : (b.activeConns + 1) * d.weight > (d.activeConns + 1) * b.weight
        if (input.scheduler === 'nq' && d.activeConns === 0 && b.activeConns !== 0) { best = i; continue }
        if (better) best = i
      }
      if (best === undefined) return { index: undefined, why: `${input.scheduler}: every real server has weight 0` }
      const d = dests[best]
      return { index: best, why: `${input.scheduler}: fewest connections (${d.activeConns} active, ${d.inactConns} inactive, weight ${d.weight})` }
    }
    case 'sh': case 'dh': case 'mh': {
      const sig = signature(dests)
      if (!state.table || state.table.signature !== sig) {
        state.table = { signature: sig, buckets: input.scheduler === 'mh' ? maglevTable(dests) : hashTable(dests) }
      }
      const addr = parseXtablesIPv4(input.scheduler === 'dh' ? input.dstAddr : input.srcAddr) ?? 0
      const withPort = input.scheduler !== 'dh' && (input.flags & IPVS_SVC_F_SCHED2) !== 0
      const port = withPort ? input.srcPort : 0
      const size = input.scheduler === 'mh' ? MH_TAB_SIZE : SH_TAB_SIZE
      const hash = input.scheduler === 'mh'
        ? jhash2([addr, port], 0) % MH_TAB_SIZE
        : hash32((port + addr) >>> 0, SH_TAB_BITS)
      let i = state.table.buckets[hash % size]
      const fallback = (input.flags & IPVS_SVC_F_SCHED1) !== 0
      if (i !== undefined && !available(dests[i])) {
        if (!fallback) return { index: undefined, why: `${input.scheduler}: bucket ${hash} holds a real server with weight 0` }
        // *-fallback: try the following buckets.
        for (let k = 1; k < size; k++) {
          const j = state.table.buckets[(hash + k) % size]
          if (j !== undefined && available(dests[j])) { i = j; break }
        }
      }
      if (i === undefined) return { index: undefined, why: `${input.scheduler}: no real server in bucket ${hash}` }
      const by = input.scheduler === 'dh' ? 'destination address' : `source address${withPort ? ' and port' : ''}`
      return { index: i, why: `${input.scheduler}: hash of the ${by} selects bucket ${hash}` }
    }
    default: {
      // lblc / lblcr and unknown names: the kernel would refuse an unknown scheduler; lblc(r) behave like
      // dh until a destination is overloaded, which this model does not track.
      const r = schedule({ ...input, scheduler: 'dh' })
      return { index: r.index, why: `${input.scheduler} (modelled as dh): ${r.why}` }
    }
  }
}
