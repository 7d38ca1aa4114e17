/**
 * The node console's shell on kube-proxy-sized rule sets: pipelines learners type (`iptables-save | grep
 * -c KUBE`, `iptables-save | grep … | awk … | sort | uniq -c`, a sed rewrite into a file and back through
 * iptables-restore) on a node holding N nat rules, at growing N.
 */
import { freshNode } from '../src/engine/host/host.ts'
import { runConsoleLine } from '../src/engine/host/console.ts'

export const name = 'node console shell (pipelines over iptables-save)'

function kubeRules(services: number): string {
  const lines = ['*nat', ':KUBE-SERVICES - [0:0]']
  for (let i = 0; i < services; i++) lines.push(`:KUBE-SVC-${i} - [0:0]`)
  for (let i = 0; i < services; i++) {
    lines.push(`-A KUBE-SERVICES -d 10.96.${i >> 8}.${i & 255}/32 -p tcp -m comment --comment "ns/svc${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-${i}`)
    lines.push(`-A KUBE-SVC-${i} -p tcp -m comment --comment "ns/svc${i}:http" -j DNAT --to-destination 10.244.1.2:80`)
  }
  lines.push('COMMIT', '')
  return lines.join('\n')
}

export function run(): string[] {
  const lines = [
    'iptables-save | grep -c KUBE',
    "iptables-save | grep -- '-A KUBE-SVC' | awk '{print $2}' | sort | uniq -c | sort -rn | head -3",
    "iptables-save | sed 's/--dport 80/--dport 8080/' > /tmp/rules && iptables-restore < /tmp/rules",
  ]
  const out = ['services  ' + lines.map((_, i) => `line ${i + 1}`.padStart(9)).join(' ')]
  for (const n of [1000, 5000]) {
    const host = freshNode()
    const loaded = runConsoleLine(host, 'iptables-restore', kubeRules(n))
    if (loaded.rc !== 0) throw new Error(loaded.err)
    const times = lines.map((l) => {
      const t = performance.now()
      const r = runConsoleLine(host, l)
      if (r.rc !== 0) throw new Error(`${l}: ${r.err}`)
      return `${(performance.now() - t).toFixed(0)} ms`.padStart(9)
    })
    out.push(`${String(n).padStart(8)}  ${times.join(' ')}`)
  }
  return [...lines.map((l, i) => `line ${i + 1}: ${l}`), ...out]
}
