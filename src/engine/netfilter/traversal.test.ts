import { describe, expect, it } from 'vitest'
import { Host } from '../host/host.ts'
import { firstPacket, parsePacketSpec, sendNth } from '../host/flow.ts'
import { runCommandLine } from './command-line.ts'
import { traverse } from './traversal.ts'
import type { Packet } from './types.ts'

/** A router: eth0 10.0.0.1/24 (clients), eth1 10.1.0.1/24 (servers), default via 10.1.0.254. */
function router(rules: string, opts: { ipForward?: boolean } = {}): Host {
  const host = new Host({
    interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }, { name: 'eth1', addresses: ['10.1.0.1/24'] }],
    routes: [{ dst: 'default', via: '10.1.0.254' }], ipForward: opts.ipForward ?? true, seed: 7,
  })
  const r = runCommandLine(host.ruleset, 'iptables-restore', rules)
  expect(r.err).toBe('')
  expect(r.rc).toBe(0)
  return host
}

const pkt = (text: string): Packet => firstPacket(parsePacketSpec(text))

const counting = `*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING
-A OUTPUT
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING
-A INPUT
-A FORWARD
-A OUTPUT
-A POSTROUTING
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING
-A INPUT
-A OUTPUT
-A POSTROUTING
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT
-A FORWARD
-A OUTPUT
COMMIT
`

describe('traversal: hook and priority order', () => {
  it('a packet for the host: PREROUTING raw, mangle, nat, then INPUT mangle, filter, nat, security', () => {
    const r = traverse(router(counting), pkt('tcp 10.0.0.2:40000 -> 10.0.0.1:22'), { inIface: 'eth0', localAnswers: false })
    expect(r.path).toBe('input')
    expect(r.hits).toEqual(['raw/PREROUTING#1', 'mangle/PREROUTING#1', 'nat/PREROUTING#1', 'mangle/INPUT#1', 'filter/INPUT#1', 'nat/INPUT#1'])
    expect(r.verdict).toBe('delivered')
  })

  it('a forwarded packet: PREROUTING, FORWARD mangle and filter, POSTROUTING mangle and nat', () => {
    const r = traverse(router(counting), pkt('tcp 10.0.0.2:40000 -> 10.1.0.2:80'), { inIface: 'eth0' })
    expect(r.path).toBe('forward')
    expect(r.hits).toEqual(['raw/PREROUTING#1', 'mangle/PREROUTING#1', 'nat/PREROUTING#1', 'mangle/FORWARD#1', 'filter/FORWARD#1', 'mangle/POSTROUTING#1', 'nat/POSTROUTING#1'])
    expect(r.packet.outIface).toBe('eth1')
  })

  it('with ip_forward=0 a packet not for the host is dropped after PREROUTING', () => {
    const r = traverse(router(counting, { ipForward: false }), pkt('tcp 10.0.0.2:40000 -> 10.1.0.2:80'), { inIface: 'eth0' })
    expect(r.verdict).toBe('dropped')
    expect(r.hits).toEqual(['raw/PREROUTING#1', 'mangle/PREROUTING#1', 'nat/PREROUTING#1'])
  })

  it('a locally generated packet: OUTPUT raw, mangle, nat, filter, then POSTROUTING', () => {
    const r = traverse(router(counting), pkt('udp 10.1.0.1:5000 -> 10.1.0.2:53'), { local: true })
    expect(r.path).toBe('output')
    expect(r.hits).toEqual(['raw/OUTPUT#1', 'mangle/OUTPUT#1', 'nat/OUTPUT#1', 'filter/OUTPUT#1', 'mangle/POSTROUTING#1', 'nat/POSTROUTING#1'])
  })

  it('a local packet to a local address re-enters through lo without consulting nat again', () => {
    const r = traverse(router(counting), pkt('udp 10.0.0.1:5000 -> 10.0.0.1:9999'), { local: true, localAnswers: false })
    expect(r.hits).toEqual(['raw/OUTPUT#1', 'mangle/OUTPUT#1', 'nat/OUTPUT#1', 'filter/OUTPUT#1', 'mangle/POSTROUTING#1', 'nat/POSTROUTING#1',
      'raw/PREROUTING#1', 'mangle/PREROUTING#1', 'mangle/INPUT#1', 'filter/INPUT#1'])
    expect(r.verdict).toBe('delivered')
  })
})

describe('traversal: chains, verdicts, counters', () => {
  const rules = `*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
-A INPUT -j A
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A A -g B
-A A -j DROP
-A B -p udp -j DROP
-A B -j RETURN
COMMIT
`
  it('RETURN in a chain reached by goto returns to the chain that jumped', () => {
    const host = router(rules)
    const r = traverse(host, pkt('tcp 10.0.0.2:40000 -> 10.0.0.1:22'), { inIface: 'eth0', localAnswers: false })
    expect(r.hits).toEqual(['filter/INPUT#1', 'filter/A#1', 'filter/B#2', 'filter/INPUT#2'])
    expect(r.verdict).toBe('delivered')
    const chain = host.ruleset.chain('filter', 'INPUT')!
    expect(chain.rules[1].counters).toEqual({ packets: 1, bytes: 60 })
  })

  it('falling off the base chain applies the policy and counts it', () => {
    const host = router(rules)
    const r = traverse(host, pkt('tcp 10.0.0.2:40000 -> 10.0.0.1:80'), { inIface: 'eth0' })
    expect(r.verdict).toBe('dropped')
    expect(r.policyHits).toEqual(['filter/INPUT'])
    expect(host.ruleset.chain('filter', 'INPUT')!.policyCounters).toEqual({ packets: 1, bytes: 60 })
  })

  it('every step says why a rule did not match', () => {
    const r = traverse(router(rules), pkt('tcp 10.0.0.2:40000 -> 10.0.0.1:80'), { inIface: 'eth0' })
    const skipped = r.steps.find((s) => s.chain === 'INPUT' && s.rule === 2)!
    expect(skipped.matched).toBe(false)
    expect(skipped.text).toBe('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT')
    expect(skipped.clauses.some((c) => !c.matched && c.why.length > 0)).toBe(true)
  })
})

describe('traversal: REJECT and LOG', () => {
  it('REJECT with tcp-reset answers with a RST that traverses OUTPUT as RELATED', () => {
    const host = router(`*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset
-A OUTPUT -m conntrack --ctstate RELATED
COMMIT
`)
    const r = traverse(host, pkt('tcp 10.0.0.2:40000 -> 10.0.0.1:80'), { inIface: 'eth0' })
    expect(r.verdict).toBe('rejected')
    expect(r.rejectKind).toBe('tcp-reset')
    const answer = r.answers[0].result
    expect(answer.packet).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', sport: 80, dport: 40000, proto: 'tcp' })
    expect(answer.packet.tcpFlags?.RST).toBe(true)
    expect(answer.hits).toEqual(['filter/OUTPUT#1'])
    expect(host.conntrack.size).toBe(0)
  })

  it('the default REJECT answers ICMP port unreachable quoting the packet', () => {
    const host = router(`*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -p udp -j REJECT
COMMIT
`)
    const r = traverse(host, pkt('udp 10.0.0.2:40000 -> 10.1.0.2:53'), { inIface: 'eth0' })
    expect(r.rejectKind).toBe('icmp-port-unreachable')
    expect(r.answers[0].result.packet).toMatchObject({ proto: 'icmp', icmpType: 3, icmpCode: 3, src: '10.0.0.1', dst: '10.0.0.2', length: 68 })
  })

  it('LOG appends the kernel line to dmesg with a timestamp and goes on', () => {
    const host = router(`*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -j LOG --log-prefix "in: "
COMMIT
`)
    const r = traverse(host, pkt('tcp 10.0.0.2:40000 -> 10.0.0.1:22'), { inIface: 'eth0', localAnswers: false })
    expect(r.verdict).toBe('delivered')
    expect(host.dmesgLines).toHaveLength(1)
    expect(host.dmesgLines[0]).toMatch(/^\[\s*\d+\.\d{6}\] in: IN=eth0 OUT= .*SRC=10\.0\.0\.2 DST=10\.0\.0\.1 LEN=60 .*PROTO=TCP SPT=40000 DPT=22 /)
  })
})

describe('traversal: conntrack and NAT', () => {
  const kube = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-X - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
-A PREROUTING -j KUBE-SERVICES
-A OUTPUT -j KUBE-SERVICES
-A POSTROUTING -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -j MASQUERADE
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X
-A KUBE-SVC-X ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-X -m statistic --mode nth --every 2 --packet 0 -j KUBE-SEP-A
-A KUBE-SVC-X -j KUBE-SEP-B
-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.1.0.2:8080
-A KUBE-SEP-B -p tcp -m tcp -j DNAT --to-destination 10.1.0.3:8080
COMMIT
`
  it('the first packet is DNATed and masqueraded; the binding is listed by conntrack', () => {
    const host = router(kube)
    const r = traverse(host, pkt('tcp 10.0.0.2:40000 -> 10.96.0.10:80'), { inIface: 'eth0' })
    expect(r.path).toBe('forward')
    expect(r.packet).toMatchObject({ src: '10.1.0.1', sport: 40000, dst: '10.1.0.2', dport: 8080, outIface: 'eth1' })
    expect(r.ctState).toBe('NEW')
    expect(r.conntrack?.original).toMatchObject({ src: '10.0.0.2', dst: '10.96.0.10', sport: 40000, dport: 80 })
    expect(r.conntrack?.reply).toMatchObject({ src: '10.1.0.2', dst: '10.1.0.1', sport: 8080, dport: 40000 })
  })

  it('the second connection goes to the second endpoint (statistic nth)', () => {
    const host = router(kube)
    traverse(host, pkt('tcp 10.0.0.2:40000 -> 10.96.0.10:80'), { inIface: 'eth0' })
    const r = traverse(host, pkt('tcp 10.0.0.2:40001 -> 10.96.0.10:80'), { inIface: 'eth0' })
    expect(r.packet.dst).toBe('10.1.0.3')
    expect(r.hits).toContain('nat/KUBE-SEP-B#1')
  })

  it('later packets and replies are translated from the binding without nat rules', () => {
    const host = router(kube)
    const flow = sendNth(host, parsePacketSpec('tcp 10.0.0.2:40000 -> 10.96.0.10:80'), { inIface: 'eth0' }, 2)
    const reply = flow.before[1].result
    expect(reply.ctState).toBe('ESTABLISHED')
    expect(reply.packet).toMatchObject({ src: '10.96.0.10', sport: 80, dst: '10.0.0.2', dport: 40000, outIface: 'eth0' })
    expect(reply.hits.filter((h) => h.startsWith('nat/'))).toEqual([])
    const third = flow.result
    expect(third.ctState).toBe('ESTABLISHED')
    expect(third.hits.filter((h) => h.startsWith('nat/'))).toEqual([])
    expect(third.packet).toMatchObject({ src: '10.1.0.1', dst: '10.1.0.2', dport: 8080 })
    expect(third.conntrack?.tcpState).toBe('ESTABLISHED')
    expect(third.conntrack?.status.assured).toBe(true)
  })

  it('SNAT keeps the source port unless another connection holds it', () => {
    const host = router(`*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o eth1 -j SNAT --to-source 10.1.0.1
COMMIT
`)
    const a = traverse(host, pkt('tcp 10.0.0.2:40000 -> 10.1.0.2:80'), { inIface: 'eth0' })
    const b = traverse(host, pkt('tcp 10.0.0.3:40000 -> 10.1.0.2:80'), { inIface: 'eth0' })
    expect(a.packet.sport).toBe(40000)
    expect(b.packet.src).toBe('10.1.0.1')
    expect(b.packet.sport).not.toBe(40000)
    expect(b.packet.sport).toBeGreaterThanOrEqual(1024)
  })

  it('raw NOTRACK leaves the packet UNTRACKED and the nat table unconsulted', () => {
    const host = router(`*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -j NOTRACK
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING
COMMIT
`)
    const r = traverse(host, pkt('udp 10.0.0.2:40000 -> 10.1.0.2:53'), { inIface: 'eth0' })
    expect(r.ctState).toBe('UNTRACKED')
    expect(r.hits).toEqual(['raw/PREROUTING#1'])
    expect(host.conntrack.size).toBe(0)
  })
})

describe('traversal: kernel trace lines', () => {
  it('prints PACKET and TRACE lines as xtables-monitor --trace does', () => {
    const host = router(`*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
-A PREROUTING -m comment --comment kube -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.0.0.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.1:81
COMMIT
`)
    const r = traverse(host, pkt('tcp 10.0.0.2:53880 -> 10.0.0.1:80'), { inIface: 'eth0', localAnswers: false })
    const id = r.kernelTrace[0].split(' ')[2]
    expect(r.kernelTrace[0]).toMatch(new RegExp(`^PACKET: 2 ${id} IN=eth0 MACSRC=\\S+ MACDST=\\S+ MACPROTO=0800 SRC=10.0.0.2 DST=10.0.0.1 LEN=60 TOS=0x0 TTL=64 ID=0 DF SPORT=53880 DPORT=80 SYN $`))
    expect(r.kernelTrace).toContain(` TRACE: 2 ${id} nat:PREROUTING:rule:0x6:JUMP:KUBE-SERVICES  -4 -t nat -A PREROUTING -m comment --comment kube -j KUBE-SERVICES`)
    expect(r.kernelTrace).toContain(` TRACE: 2 ${id} nat:KUBE-SERVICES:rule:0x7:ACCEPT  -4 -t nat -A KUBE-SERVICES -d 10.0.0.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.1:81`)
  })
})

describe('traversal: kernel trace of chains', () => {
  it('prints JUMP, GOTO, RETURN (as 0xfffffffb) and the policy; falling off a chain prints nothing', () => {
    const host = router(`*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -j MARK --set-mark 0x4000
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
:C - [0:0]
-A INPUT -j A
-A INPUT -g B
-A A -p tcp
-A B -j C
-A B -j RETURN
-A C -p udp
COMMIT
`)
    const r = traverse(host, pkt('udp 10.0.0.2:32898 -> 10.0.0.1:53'), { inIface: 'eth0' })
    const id = r.kernelTrace[0].split(' ')[2]
    const filter = r.kernelTrace.slice(r.kernelTrace.findIndex((l) => l.startsWith(` TRACE: 2 ${id} filter:`)) - 1)
    expect(filter[0]).toMatch(/ SRC=10\.0\.0\.2 DST=10\.0\.0\.1 LEN=40 TOS=0x0 TTL=64 ID=0 DF SPORT=32898 DPORT=53 MARK=0x4000 $/)
    expect(filter.slice(1)).toEqual([
      ` TRACE: 2 ${id} filter:INPUT:rule:0x7:JUMP:A  -4 -t filter -A INPUT -j A`,
      ` TRACE: 2 ${id} filter:INPUT:rule:0x8:GOTO:B  -4 -t filter -A INPUT -g B`,
      ` TRACE: 2 ${id} filter:B:rule:0xa:JUMP:C  -4 -t filter -A B -j C`,
      ` TRACE: 2 ${id} filter:C:rule:0xc:CONTINUE  -4 -t filter -A C -p udp`,
      ` TRACE: 2 ${id} filter:B:rule:0xb:0xfffffffb  -4 -t filter -A B -j RETURN`,
      ` TRACE: 2 ${id} filter:INPUT:policy:DROP `,
    ])
  })
})

describe('traversal: LOG lines as the kernel writes them', () => {
  it('matches a line measured in a network namespace (iptables 1.8.9, kernel 6.18)', () => {
    // Measured: a SYN from 10.9.0.2:53880, DNATed from port 80 to 81, logged in filter INPUT.
    const host = new Host({ interfaces: [{ name: 'eth0', addresses: ['10.9.0.1/24'] }] })
    runCommandLine(host.ruleset, 'iptables -A INPUT -p tcp -j LOG --log-prefix "hello: "')
    host.advance(1_372_551.855 - 100_000 - 1) // the clock is in ms; traverse ticks 1 ms
    traverse(host, {
      ...pkt('tcp 10.9.0.2:53880 -> 10.9.0.1:81'), ipId: 1827, dontFragment: true, tcpWindow: 64240,
      macHeader: 'de:b6:cc:a6:6c:55:02:f1:68:c0:7d:de:08:00',
    }, { inIface: 'eth0', localAnswers: false })
    expect(host.dmesgLines).toEqual([
      '[ 1372.551855] hello: IN=eth0 OUT= MAC=de:b6:cc:a6:6c:55:02:f1:68:c0:7d:de:08:00 SRC=10.9.0.2 DST=10.9.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1827 DF PROTO=TCP SPT=53880 DPT=81 WINDOW=64240 RES=0x00 SYN URGP=0 ',
    ])
  })
})

describe('traversal: ICMP errors about a connection', () => {
  it('are RELATED, and NAT rewrites both the outer header and the quoted one', () => {
    const host = router(`*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.1.0.2:5353
-A POSTROUTING -o eth1 -j MASQUERADE
COMMIT
`)
    const first = traverse(host, pkt('udp 10.0.0.2:40000 -> 10.96.0.10:53'), { inIface: 'eth0' })
    expect(first.packet).toMatchObject({ src: '10.1.0.1', sport: 40000, dst: '10.1.0.2', dport: 5353 })
    // The server answers what it received with a port unreachable that quotes it.
    const error: Packet = {
      src: '10.1.0.2', dst: '10.1.0.1', proto: 'icmp', icmpType: 3, icmpCode: 3, length: 56, ttl: 64, mark: 0,
      quoted: { proto: 'udp', src: '10.1.0.1', sport: 40000, dst: '10.1.0.2', dport: 5353 },
    }
    const r = traverse(host, error, { inIface: 'eth1' })
    expect(r.ctState).toBe('RELATED')
    expect(r.path).toBe('forward')
    expect(r.packet).toMatchObject({ src: '10.96.0.10', dst: '10.0.0.2', outIface: 'eth0' })
    // The client sees an error about the datagram it sent.
    expect(r.packet.quoted).toEqual({ proto: 'udp', src: '10.0.0.2', sport: 40000, dst: '10.96.0.10', dport: 53 })
  })

  it('about no connection are INVALID', () => {
    const host = router('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n')
    const r = traverse(host, {
      src: '10.1.0.2', dst: '10.0.0.2', proto: 'icmp', icmpType: 3, icmpCode: 1, length: 56, ttl: 64, mark: 0,
      quoted: { proto: 'tcp', src: '10.0.0.2', sport: 1234, dst: '10.1.0.2', dport: 80 },
    }, { inIface: 'eth1' })
    expect(r.ctState).toBe('INVALID')
  })
})

describe('traversal: TTL', () => {
  it('a forwarded packet reaches FORWARD with its TTL decreased; at TTL 1 it is answered with time exceeded', () => {
    const host = router(counting)
    const r = traverse(host, { ...pkt('udp 10.0.0.2:40000 -> 10.1.0.2:53'), ttl: 64 }, { inIface: 'eth0' })
    expect(r.steps.find((s) => s.hook === 'FORWARD')?.packetBefore.ttl).toBe(63)
    const dead = traverse(host, { ...pkt('udp 10.0.0.2:40001 -> 10.1.0.2:53'), ttl: 1 }, { inIface: 'eth0' })
    expect(dead.verdict).toBe('dropped')
    expect(dead.hits).toEqual(['raw/PREROUTING#1', 'mangle/PREROUTING#1', 'nat/PREROUTING#1'])
    const answer = dead.answers[0]
    expect(answer.role).toBe('time-exceeded')
    expect(answer.result.packet).toMatchObject({ proto: 'icmp', icmpType: 11, icmpCode: 0, src: '10.0.0.1', dst: '10.0.0.2' })
    expect(answer.result.ctState).toBe('RELATED')
  })
})
