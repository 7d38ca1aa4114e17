/**
 * Fuzz: random rule sets (jumps, gotos, loops through RETURN, every target) and random packets, from a
 * seeded generator, never crash or hang the traversal, and every result is well formed.
 */
import { describe, expect, it } from 'vitest'
import { Host } from '../host/host.ts'
import { createRng } from '../random.ts'
import { runCommandLine } from './command-line.ts'
import { traverse } from './traversal.ts'
import type { Packet } from './types.ts'

const ADDRS = ['10.0.0.1', '10.0.0.2', '10.1.0.1', '10.1.0.2', '10.96.0.10', '127.0.0.1', '192.168.7.7']
const TABLE_CHAINS: Record<string, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
}
const TARGETS: Record<string, string[]> = {
  raw: ['-j ACCEPT', '-j DROP', '-j NOTRACK', '-j CT --notrack', '-j RETURN'],
  mangle: ['-j MARK --set-mark 0x4', '-j CONNMARK --save-mark', '-j ACCEPT', '-j DROP', '-j RETURN', '-j MARK --or-mark 0x4000'],
  nat: ['-j DNAT --to-destination 10.1.0.2:8080', '-j SNAT --to-source 10.1.0.1', '-j MASQUERADE', '-j REDIRECT --to-ports 8080', '-j RETURN', '-j ACCEPT', '-j MASQUERADE --random-fully'],
  filter: ['-j ACCEPT', '-j DROP', '-j REJECT', '-j REJECT --reject-with tcp-reset', '-j LOG --log-prefix "fz: "', '-j RETURN'],
}
const MATCHES = ['', '-s 10.0.0.0/8', '-d 10.1.0.2/32', '! -s 10.0.0.2/32', '-p tcp -m tcp --dport 80', '-p udp -m udp --sport 1:1024',
  '-p icmp -m icmp --icmp-type 8', '-m conntrack --ctstate NEW', '-m conntrack --ctstate ESTABLISHED,RELATED', '-m mark --mark 0x4/0x4',
  '-m statistic --mode random --probability 0.5', '-m statistic --mode nth --every 3 --packet 1', '-i eth+', '-o eth1', '-m addrtype --dst-type LOCAL',
  '-m comment --comment "fuzz"', '-p tcp -m multiport --dports 80,443', '-m limit --limit 5/sec']

function randomRules(seed: number): string {
  const rng = createRng(seed)
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]
  let text = ''
  for (const [table, builtins] of Object.entries(TABLE_CHAINS)) {
    const user = Array.from({ length: Math.floor(rng.next() * 4) }, (_, i) => `U${i}`)
    text += `*${table}\n`
    for (const c of builtins) text += `:${c} ${table === 'filter' && rng.next() < 0.3 ? 'DROP' : 'ACCEPT'} [0:0]\n`
    for (const c of user) text += `:${c} - [0:0]\n`
    for (const chain of [...builtins, ...user]) {
      const n = Math.floor(rng.next() * 5)
      for (let i = 0; i < n; i++) {
        let m = pick(MATCHES)
        let t = pick(TARGETS[table])
        // Targets restricted to some chains: keep the rule set loadable.
        if (t.includes('REJECT') && !['INPUT', 'FORWARD', 'OUTPUT'].includes(chain) && builtins.includes(chain)) t = '-j DROP'
        if (t.includes('tcp-reset')) m = '-p tcp'
        if (table === 'nat' && /DNAT|REDIRECT/.test(t) && (chain === 'POSTROUTING' || chain === 'INPUT')) t = '-j SNAT --to-source 10.1.0.1'
        if (table === 'nat' && /SNAT|MASQUERADE/.test(t) && (chain === 'PREROUTING' || chain === 'OUTPUT')) t = '-j DNAT --to-destination 10.1.0.2'
        if (user.length && rng.next() < 0.3) {
          // Only jump "forward" (to a higher-numbered user chain): loops are refused by iptables anyway.
          const from = user.indexOf(chain)
          const targets = user.filter((_, j) => j > from)
          if (targets.length) t = `${rng.next() < 0.5 ? '-j' : '-g'} ${pick(targets)}`
        }
        if (user.includes(chain) && /REJECT|DNAT|SNAT|MASQUERADE|REDIRECT/.test(t)) t = '-j RETURN'
        // Port mappings need -p tcp; -i is refused where there is no input interface, -o where there is no output one.
        if (/:\d+|--to-ports/.test(t) && !m.startsWith('-p tcp')) m = '-p tcp'
        if (m === '-i eth+' && (user.includes(chain) || chain === 'OUTPUT' || chain === 'POSTROUTING')) m = '-s 10.0.0.0/8'
        if (m === '-o eth1' && (user.includes(chain) || chain === 'PREROUTING' || chain === 'INPUT')) m = '-d 10.1.0.2/32'
        text += `-A ${chain} ${m} ${t}\n`.replace(/ {2,}/g, ' ')
      }
    }
    text += 'COMMIT\n'
  }
  return text
}

function randomPacket(rng: { next(): number }): Packet {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]
  const proto = pick(['tcp', 'udp', 'icmp'] as const)
  const p: Packet = { src: pick(ADDRS), dst: pick(ADDRS), proto, length: 40 + Math.floor(rng.next() * 1400), ttl: 64, mark: 0 }
  if (proto === 'icmp') return { ...p, icmpType: pick([0, 3, 8, 11]), icmpCode: 0, icmpId: Math.floor(rng.next() * 65536) }
  p.sport = 1 + Math.floor(rng.next() * 65535)
  p.dport = pick([22, 53, 80, 443, 8080, 1 + Math.floor(rng.next() * 65535)])
  if (proto === 'tcp') {
    const f = () => rng.next() < 0.3
    p.tcpFlags = { SYN: rng.next() < 0.6, ACK: f(), FIN: f(), RST: rng.next() < 0.1, PSH: f(), URG: false }
  }
  return p
}

describe('fuzz: random rule sets and packets', () => {
  it('never crash, never hang, always give a verdict', () => {
    let loaded = 0
    for (let seed = 1; seed <= 150; seed++) {
      const host = new Host({
        interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }, { name: 'eth1', addresses: ['10.1.0.1/24'] }],
        routes: [{ dst: 'default', via: '10.1.0.254' }], seed,
      })
      const r = runCommandLine(host.ruleset, 'iptables-restore', randomRules(seed))
      if (r.rc !== 0) continue
      loaded++
      const rng = createRng(seed * 7919)
      for (let i = 0; i < 20; i++) {
        const p = randomPacket(rng)
        const opts = rng.next() < 0.3 ? { local: true } : { inIface: rng.next() < 0.5 ? 'eth0' : 'eth1' }
        const res = traverse(host, p, opts)
        expect(['delivered', 'dropped', 'rejected']).toContain(res.verdict)
        expect(['input', 'forward', 'output']).toContain(res.path)
        for (const h of res.hits) expect(h).toMatch(/^(raw|mangle|nat|filter|security)\/[A-Za-z0-9-]+#\d+$/)
      }
    }
    // Most generated rule sets must load (the rest trip kernel checks, e.g. REJECT reached from PREROUTING).
    expect(loaded).toBeGreaterThan(90)
  })
})

describe('fuzz: loops the iptables command line would refuse', () => {
  it('a jump loop and a goto loop built directly in the model end in a drop, not a hang', () => {
    const host = new Host({ interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }] })
    runCommandLine(host.ruleset, 'iptables -N A')
    runCommandLine(host.ruleset, 'iptables -N B')
    runCommandLine(host.ruleset, 'iptables -A INPUT -j A')
    runCommandLine(host.ruleset, 'iptables -A A -j B')
    runCommandLine(host.ruleset, 'iptables -A B -j RETURN')
    // Close the loop behind the command line's back: B jumps to A again.
    host.ruleset.chain('filter', 'B')!.rules[0].target = { kind: 'jump', chain: 'A' }
    const p: Packet = { src: '10.0.0.2', dst: '10.0.0.1', proto: 'udp', sport: 1, dport: 2, length: 28, ttl: 64, mark: 0 }
    const jump = traverse(host, p, { inIface: 'eth0', localAnswers: false })
    expect(jump.verdict).toBe('dropped')
    expect(jump.reason).toMatch(/loop between chains/)
    host.ruleset.chain('filter', 'A')!.rules[0].target = { kind: 'goto', chain: 'B' }
    host.ruleset.chain('filter', 'B')!.rules[0].target = { kind: 'goto', chain: 'A' }
    const gotoLoop = traverse(host, p, { inIface: 'eth0', localAnswers: false })
    expect(gotoLoop.verdict).toBe('dropped')
    expect(gotoLoop.reason).toMatch(/loop between chains/)
  })
})
