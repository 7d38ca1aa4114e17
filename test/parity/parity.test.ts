/**
 * Kernel parity: for every case in cases.ts, load the same iptables-save into a real router namespace and
 * into the engine's host, send the same packets, and require the same rule counter deltas, policy counter
 * deltas (packets and bytes) and verdict for the last packet. Needs root, iproute2, iptables (nf_tables),
 * nft, conntrack, ipset and python3 (the kernel suites' gate, test/support/netns.ts: skipped with the reason
 * outside CI when those are missing, a failure in CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Host } from '../../src/engine/host/host.ts'
import { runConsoleLine } from '../../src/engine/host/console.ts'
import { runCommandLine } from '../../src/engine/netfilter/command-line.ts'
import { traverse } from '../../src/engine/netfilter/traversal.ts'
import type { TraversalResult } from '../../src/engine/netfilter/traversal-types.ts'
import { CASES } from './cases.ts'
import { EXTENSION_CASES } from './extension-cases.ts'
import type { ParityCase } from './cases.ts'
import type { Observed } from './kernel-lab.ts'
import { toEnginePacket } from './engine-packets.ts'
import { kernelSuiteCanRun } from '../support/netns.ts'
import { KERNEL_LAB_TOOLS, KernelLab, ROUTER_IFACES, counterDelta, parseSaveCounters } from './kernel-lab.ts'

const runSuite = kernelSuiteCanRun({ suite: 'kernel parity suite', tools: KERNEL_LAB_TOOLS })

interface Outcome {
  rules: Record<string, [number, number]>
  policies: Record<string, [number, number]>
  verdict: string
}

/**
 * `conntrack -L` lines, sorted, with the remaining time taken out (the kernel's clock runs on between the
 * packet and the listing; the engine's does not) and returned separately.
 */
export function normalizeConntrack(text: string): { lines: string[]; timeouts: number[] } {
  const rows = text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const m = /^(\S+\s+\d+ )(\d+)( .*)$/.exec(l)
    return m ? { line: `${m[1]}T${m[3]}`, timeout: Number(m[2]) } : { line: l, timeout: 0 }
  }).sort((a, b) => a.line.localeCompare(b.line))
  return { lines: rows.map((r) => r.line), timeouts: rows.map((r) => r.timeout) }
}

function restrict(d: Record<string, [number, number]>, tables: Set<string>): Record<string, [number, number]> {
  return Object.fromEntries(Object.entries(d).filter(([k]) => tables.has(k.split('/')[0])).sort(([a], [b]) => a.localeCompare(b)))
}

function engineRun(c: ParityCase): { outcome: Outcome; result: TraversalResult; conntrack: string } {
  const host = new Host({ interfaces: ROUTER_IFACES, routes: [{ dst: 'default', via: '10.10.2.2' }], ipForward: c.ipForward ?? true })
  for (const cmd of c.prepare ?? []) {
    const r = runCommandLine(host.ruleset, cmd)
    if (r.rc !== 0) throw new Error(`engine: ${cmd}: ${r.err}`)
  }
  const restored = runCommandLine(host.ruleset, 'iptables-restore', c.rules)
  if (restored.rc !== 0) throw new Error(`engine iptables-restore failed: ${restored.err}`)
  const sendOne = (i: number) => {
    const s = c.sends[i]
    const opts = s.from === 'router' ? { local: true } : { inIface: s.from === 'client' ? 'eth0' : 'eth1' }
    return traverse(host, toEnginePacket(s.pkt), opts)
  }
  for (let i = 0; i < c.sends.length - 1; i++) sendOne(i)
  const before = parseSaveCounters(runCommandLine(host.ruleset, 'iptables-save -c').out)
  const result = sendOne(c.sends.length - 1)
  const after = parseSaveCounters(runCommandLine(host.ruleset, 'iptables-save -c').out)
  // The kernel side tells fates apart by what left the router: an ICMP time exceeded looks like a reject.
  const ttlAnswer = result.answers.some((a) => a.role === 'time-exceeded')
  // SYNPROXY's SYN-ACK leaves with the SYN's (untracked) connection: the kernel side sees a delivery.
  const synproxyLeft = result.answers.some((a) => a.role === 'synproxy' && a.result.verdict === 'delivered')
  const verdict = result.verdict === 'rejected' ? `rejected/${result.rejectKind === 'tcp-reset' ? 'tcp' : 'icmp'}` : ttlAnswer ? 'rejected/icmp' : synproxyLeft ? 'delivered' : result.verdict
  return {
    outcome: {
      rules: restrict(counterDelta(before.rules, after.rules), after.tables),
      policies: restrict(counterDelta(before.policies, after.policies), after.tables),
      verdict,
    },
    result,
    conntrack: runConsoleLine(host, 'conntrack -L').out,
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function kernelVerdict(o0: Observed, o1: Observed): string {
  if (o1.inOrig > o0.inOrig || o1.postOrig > o0.postOrig) return 'delivered'
  if (o1.postRelatedTcp > o0.postRelatedTcp) return 'rejected/tcp'
  if (o1.postRelatedIcmp > o0.postRelatedIcmp) return 'rejected/icmp'
  return 'dropped'
}

function kernelRun(lab: KernelLab, c: ParityCase): Outcome & { conntrack: string } {
  lab.setForwarding(c.ipForward ?? true)
  lab.load(c.rules, c.prepare)
  for (let i = 0; i < c.sends.length - 1; i++) {
    lab.send(c.sends[i].from, [c.sends[i].pkt])
    sleep(15)
  }
  const before = lab.snapshot()
  const last = c.sends[c.sends.length - 1]
  lab.send(last.from, [last.pkt])
  sleep(25)
  const after = lab.snapshot()
  return {
    rules: restrict(counterDelta(before.counters.rules, after.counters.rules), after.counters.tables),
    policies: restrict(counterDelta(before.counters.policies, after.counters.policies), after.counters.tables),
    verdict: kernelVerdict(before.observed, after.observed),
    conntrack: after.conntrack,
  }
}

describe.skipIf(!runSuite)('kernel parity: the engine counts and decides as the kernel does', () => {
  const lab = new KernelLab()
  beforeAll(() => lab.setup(), 30_000)
  afterAll(() => lab.teardown())

  it('has at least 60 cases across the three paths', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60)
    for (const prefix of ['input:', 'forward:', 'output:', 'kube:']) {
      expect(CASES.filter((c) => c.name.startsWith(prefix)).length).toBeGreaterThan(5)
    }
  })

  for (const c of [...CASES, ...EXTENSION_CASES]) {
    it(c.name, () => {
      const { conntrack: kernelCt, ...kernel } = kernelRun(lab, c)
      const { outcome: engine, conntrack: engineCt } = engineRun(c)
      expect(engine).toEqual(kernel)
      // The connection table must read the same, but for ports the kernel chose at random.
      if (c.randomPorts) return
      const k = normalizeConntrack(kernelCt)
      const e = normalizeConntrack(engineCt)
      expect(e.lines).toEqual(k.lines)
      e.timeouts.forEach((t, i) => expect(Math.abs(t - k.timeouts[i])).toBeLessThanOrEqual(2))
    })
  }
})
