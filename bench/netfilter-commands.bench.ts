/**
 * The iptables command line on kube-proxy-sized rule sets: iptables-restore of N nat rules (4 per
 * Service: KUBE-SERVICES jump, masquerade mark, statistic split, DNAT), iptables-save, `iptables -t nat
 * -L -n -v`, one `iptables -A` and a partial `iptables-restore --noflush`, at growing N.
 */
import { Ruleset } from '../src/engine/netfilter/ruleset.ts'
import { runCommandLine } from '../src/engine/netfilter/command-line.ts'

export const name = 'netfilter command line (iptables, iptables-save, iptables-restore)'

function kubeRules(n: number): string {
  const services = Math.floor(n / 4)
  const lines = ['*nat', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]']
  for (let i = 0; i < services; i++) lines.push(`:KUBE-SVC-${i} - [0:0]`, `:KUBE-SEP-${i} - [0:0]`)
  lines.push('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000')
  for (let i = 0; i < services; i++) {
    const ip = `10.96.${i >> 8}.${i & 255}`
    lines.push(`-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "ns/svc${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-${i}`)
    lines.push(`-A KUBE-SVC-${i} ! -s 10.244.0.0/16 -d ${ip}/32 -p tcp -m comment --comment "ns/svc${i}:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`)
    lines.push(`-A KUBE-SVC-${i} -m comment --comment "ns/svc${i}:http -> 10.244.1.2:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-${i}`)
    lines.push(`-A KUBE-SEP-${i} -p tcp -m comment --comment "ns/svc${i}:http" -m tcp -j DNAT --to-destination 10.244.1.2:80`)
  }
  lines.push('COMMIT', '')
  return lines.join('\n')
}

function time(f: () => { rc: number; err: string }): number {
  const t = performance.now()
  const r = f()
  if (r.rc !== 0) throw new Error(r.err)
  return performance.now() - t
}

export function run(): string[] {
  const out = ['rules    restore   save   -L -n -v   -A one   restore --noflush (1 chain)']
  for (const n of [1000, 10000, 40000]) {
    const rs = Ruleset.create()
    const input = kubeRules(n)
    const restore = time(() => runCommandLine(rs, 'iptables-restore', input))
    const save = time(() => runCommandLine(rs, 'iptables-save'))
    const list = time(() => runCommandLine(rs, 'iptables -t nat -L -n -v'))
    const append = time(() => runCommandLine(rs, 'iptables -t nat -A KUBE-SERVICES -j RETURN'))
    const partial = time(() => runCommandLine(rs, 'iptables-restore --noflush', '*nat\n:KUBE-SVC-1 - [0:0]\n-A KUBE-SVC-1 -j KUBE-SEP-1\nCOMMIT\n'))
    const ms = (x: number) => `${x.toFixed(0)} ms`.padStart(9)
    out.push(`${String(n).padStart(5)} ${ms(restore)} ${ms(save)} ${ms(list)}   ${ms(append)} ${ms(partial)}`)
  }
  return out
}
