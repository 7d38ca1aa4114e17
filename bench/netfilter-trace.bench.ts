/**
 * How long tracing one packet takes as the rule set grows: a filter FORWARD chain of N rules that do not
 * match (each with a destination and a tcp --dport, as a firewall or kube-proxy's KUBE-SERVICES has),
 * the packet accepted by the last. Figures: median and p95 per packet over repeated runs, and the cost
 * per rule evaluated.
 */
import { Host } from '../src/engine/host/host.ts'
import { runCommandLine } from '../src/engine/netfilter/command-line.ts'
import { traverse } from '../src/engine/netfilter/traversal.ts'
import type { Packet } from '../src/engine/netfilter/types.ts'

export const name = 'netfilter: trace one packet through N rules'

function hostWithRules(n: number): Host {
  const host = new Host({ interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }, { name: 'eth1', addresses: ['10.1.0.1/24'] }] })
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]']
  for (let i = 0; i < n - 1; i++) {
    const a = 96 << 24 | (i >> 8) << 8 | (i & 255)
    lines.push(`-A FORWARD -d 10.${(a >> 16) & 255}.${(a >> 8) & 255}.${a & 255}/32 -p tcp -m tcp --dport ${1 + (i % 60000)} -j ACCEPT`)
  }
  lines.push('-A FORWARD -p tcp -j ACCEPT', 'COMMIT', '')
  const r = runCommandLine(host.ruleset, 'iptables-restore', lines.join('\n'))
  if (r.rc !== 0) throw new Error(r.err)
  return host
}

function packet(i: number): Packet {
  return {
    src: '10.0.0.2', dst: '10.1.0.2', proto: 'tcp', sport: 30000 + (i % 30000), dport: 443, length: 60, ttl: 64, mark: 0,
    tcpFlags: { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false },
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

export function run(): string[] {
  const out: string[] = []
  const sizes = [1_000, 10_000, 50_000]
  const results: { n: number; median: number }[] = []
  for (const n of sizes) {
    const t0 = performance.now()
    const host = hostWithRules(n)
    const loadMs = performance.now() - t0
    const reps = n >= 50_000 ? 10 : n >= 10_000 ? 30 : 100
    for (let i = 0; i < 3; i++) traverse(host, packet(i), { inIface: 'eth0' })
    const times: number[] = []
    for (let i = 0; i < reps; i++) {
      const s = performance.now()
      const r = traverse(host, packet(100 + i), { inIface: 'eth0' })
      times.push(performance.now() - s)
      if (r.verdict !== 'delivered') throw new Error(`packet ${i} was ${r.verdict}`)
    }
    times.sort((a, b) => a - b)
    const median = quantile(times, 0.5)
    results.push({ n, median })
    out.push(`${String(n).padStart(6)} rules: median ${median.toFixed(2)} ms, p95 ${quantile(times, 0.95).toFixed(2)} ms per packet ` +
      `(${((median * 1e6) / n).toFixed(0)} ns per rule; ${reps} packets; iptables-restore of the rules took ${loadMs.toFixed(0)} ms)`)
  }
  const [a, b, c] = results
  out.push(`growth: 10k/1k = ${(b.median / a.median).toFixed(1)}x, 50k/10k = ${(c.median / b.median).toFixed(1)}x (linear would be 10x and 5x)`)
  return out
}
