/**
 * Packet-level behaviour of the target extensions: what each rewrites (packet, connection, CT template),
 * what verdict it gives where the node lacks what the kernel would hand the packet to (a queue listener,
 * a transparent socket), and the packets some of them send (TEE's copy, SYNPROXY's SYN-ACK) through the
 * host. The kernel parity suite checks the ones the lab can observe against Linux.
 */
import { describe, expect, it } from 'vitest'
import { Host } from '../host/host.ts'
import { runConsoleLine } from '../host/console.ts'
import { applyTarget } from './evaluate-rule.ts'
import { context, ruleFrom } from './test-support/rules.ts'
import { setAssumption } from './assumptions.ts'
import { runCommandLine } from './command-line.ts'
import { traverse } from './traversal.ts'
import { hmarkHash, hmarkTarget, type HmarkOptions } from './targets/HMARK.ts'
import type { ConntrackInfo, EvalContext, Hook, Packet, TableName } from './types.ts'

const SYN = { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false }
const ACK = { ...SYN, SYN: false, ACK: true }

function apply(spec: string, p: Partial<Packet> = {}, extra: Partial<EvalContext> = {}, table: TableName = 'mangle', chain: Hook = 'POSTROUTING') {
  return applyTarget(ruleFrom(spec, table, chain), context(p, { table, chain, hook: chain, ...extra }))
}

/** A router: eth0 10.0.0.1/24 (clients), eth1 10.1.0.1/24 (servers), default via 10.1.0.254. */
function router(rules: string): Host {
  const host = new Host({
    interfaces: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }, { name: 'eth1', addresses: ['10.1.0.1/24'] }],
    routes: [{ dst: 'default', via: '10.1.0.254' }], ipForward: true, seed: 3,
  })
  const r = runCommandLine(host.ruleset, 'iptables-restore', rules)
  expect(r.err).toBe('')
  return host
}

const udp = (sport: number, over: Partial<Packet> = {}): Packet =>
  ({ src: '10.0.0.2', dst: '10.1.0.2', proto: 'udp', sport, dport: 53, length: 28, ttl: 64, mark: 0, ...over })
const syn = (sport: number, over: Partial<Packet> = {}): Packet =>
  ({ src: '10.0.0.2', dst: '10.1.0.2', proto: 'tcp', sport, dport: 80, length: 40, ttl: 64, mark: 0, tcpFlags: SYN, ...over })

describe('targets that rewrite the IP header', () => {
  it('TTL sets, lowers and raises the TTL, held within 0-255', () => {
    expect(apply('-j TTL --ttl-set 5', { ttl: 64 }).packet).toEqual({ ttl: 5 })
    expect(apply('-j TTL --ttl-dec 10', { ttl: 3 }).packet).toEqual({ ttl: 0 })
    expect(apply('-j TTL --ttl-inc 10', { ttl: 250 }).packet).toEqual({ ttl: 255 })
  })

  it('DSCP keeps the two ECN bits; TOS is (tos & ~mask) ^ value, a symbol under the mask 0x3f', () => {
    expect(apply('-j DSCP --set-dscp-class EF', { tos: 0x03 }).packet).toEqual({ tos: 0xbb })
    expect(apply('-j TOS --set-tos Minimize-Delay', { tos: 0xe3 }).packet).toEqual({ tos: 0xd0 })
    expect(apply('-j TOS --and-tos 0x0f', { tos: 0xff }).packet).toEqual({ tos: 0x0f })
    expect(apply('-j TOS --xor-tos 0x01', { tos: 0x01 }).packet).toEqual({ tos: 0x00 })
  })

  it('ECN sets the IP codepoint, and the TCP bits only on TCP', () => {
    expect(apply('-j ECN --ecn-ip-ect 2', { tos: 0x11 }).packet).toEqual({ tos: 0x12 })
    expect(apply('-p tcp -j ECN --ecn-tcp-remove', { tcpFlags: { ...SYN, ECE: true, CWR: true } }).packet)
      .toEqual({ tcpFlags: { ...SYN, ECE: false, CWR: false } })
  })

  it('CLASSIFY sets the priority tc classifies by; CHECKSUM fills what the node left to the card', () => {
    expect(apply('-j CLASSIFY --set-class 1:10').packet).toEqual({ priority: 0x10010 })
    expect(apply('-p udp -j CHECKSUM --checksum-fill', { proto: 'udp', sport: 1, dport: 68 }).packet).toEqual({ checksumFilled: true })
    const arriving = apply('-p udp -j CHECKSUM --checksum-fill', { proto: 'udp', sport: 1, dport: 68, inIface: 'eth0' })
    expect(arriving.packet).toBeUndefined()
    expect(arriving.why).toContain('flip with --assume CHECKSUM=true')
    const state = new Map<string, unknown>()
    setAssumption(state, 'CHECKSUM', true)
    expect(apply('-p udp -j CHECKSUM --checksum-fill', { proto: 'udp', sport: 1, dport: 68, inIface: 'eth0' }, { state }).packet).toEqual({ checksumFilled: true })
  })
})

describe('TCPMSS and TCPOPTSTRIP, as tcpmss_mangle_packet and tcpoptstrip_mangle_packet do', () => {
  const mss = (spec: string, p: Partial<Packet>, extra: Partial<EvalContext> = {}) => apply(`-p tcp ${spec}`, { tcpFlags: SYN, ...p }, extra, 'mangle', 'FORWARD')

  it('lowers an MSS above the value, never raises one below it', () => {
    expect(mss('-j TCPMSS --set-mss 1200', { tcpMss: 1460 }).packet).toEqual({ tcpMss: 1200 })
    expect(mss('-j TCPMSS --set-mss 1400', { tcpMss: 1000 }).packet).toBeUndefined()
  })

  it('adds an option (at most 536) to a segment without one and without data, four bytes longer', () => {
    expect(mss('-j TCPMSS --set-mss 1300', { length: 40 }).packet).toEqual({ tcpMss: 536, length: 44 })
    expect(mss('-j TCPMSS --set-mss 1300', { length: 44, payload: 'data' }).packet).toBeUndefined()
  })

  it('clamps to the path MTU: 1500 for the simulated interfaces, 65536 to a local address', () => {
    const route = (dst: string) => ({ dev: dst === '10.0.0.1' ? 'lo' : 'eth1', local: dst === '10.0.0.1' })
    expect(mss('-j TCPMSS --clamp-mss-to-pmtu', { tcpMss: 8960, src: '10.0.0.9', dst: '10.1.0.2' }, { route }).packet).toEqual({ tcpMss: 1460 })
    expect(mss('-j TCPMSS --clamp-mss-to-pmtu', { tcpMss: 8960, src: '10.0.0.1', dst: '10.0.0.1' }, { route }).packet).toBeUndefined()
  })

  it('TCPOPTSTRIP overwrites the options with NOPs, so the header keeps its length', () => {
    const r = apply('-p tcp -j TCPOPTSTRIP --strip-options mss,sack-permitted', { tcpFlags: SYN, tcpMss: 1460, tcpOptions: [4, 8] })
    expect(r.packet).toEqual({ tcpOptions: [1, 1, 1, 1, 1, 1, 8], tcpMss: undefined })
  })
})

describe('HMARK', () => {
  const opts = (spec: string): HmarkOptions => {
    const t = ruleFrom(`-j HMARK ${spec}`, 'mangle', 'PREROUTING').target
    if (t?.kind !== 'module') throw new Error('no HMARK target')
    return t.options as HmarkOptions
  }

  it('gives both directions of a flow the same mark (smaller address and port first)', () => {
    const o = opts('--hmark-tuple src,dst,sport,dport,proto --hmark-mod 1000 --hmark-rnd 0xcafe')
    const there = hmarkTarget.apply(o, context({ src: '10.0.0.2', dst: '10.1.0.2', sport: 40000, dport: 80 }))
    const back = hmarkTarget.apply(o, context({ src: '10.1.0.2', dst: '10.0.0.2', sport: 80, dport: 40000 }))
    expect(there.mark).toBe(back.mark)
    expect(there.mark).toBeLessThan(1000)
  })

  it('hashes only what was given: without a port mask, ports do not count; --hmark-offset is added', () => {
    const o = opts('--hmark-tuple src,dst --hmark-mod 7 --hmark-offset 100 --hmark-rnd 1')
    const a = hmarkTarget.apply(o, context({ sport: 1, dport: 2 })).mark!
    expect(hmarkTarget.apply(o, context({ sport: 3, dport: 4 })).mark).toBe(a)
    expect(a).toBeGreaterThanOrEqual(100)
    expect(a).toBeLessThan(107)
    expect(hmarkHash(o, { src: 0, dst: 0, ports: 0, portsRead: false, proto: 6, what: '' })).toBeLessThan(107)
  })

  it('--hmark-tuple ct hashes the connection; a packet without one keeps its mark', () => {
    const o = opts('--hmark-tuple ct --hmark-mod 3 --hmark-rnd 0x1234')
    expect(hmarkTarget.apply(o, context({ mark: 9 })).mark).toBeUndefined()
    const ct: ConntrackInfo = {
      state: 'NEW', direction: 'ORIGINAL',
      entry: {
        id: 1, original: { proto: 'udp', src: '10.0.0.2', dst: '10.1.0.2', sport: 5000, dport: 53 },
        reply: { proto: 'udp', src: '10.1.0.2', dst: '10.0.0.2', sport: 53, dport: 5000 },
        status: { seenReply: false, assured: false, confirmed: false, srcNat: false, dstNat: false }, mark: 0, timeout: 30,
      },
    }
    const m = hmarkTarget.apply(o, context({ proto: 'udp' }, { ct })).mark
    expect(m).toBeDefined()
    expect(m).toBeLessThan(3)
  })
})

describe('verdicts where the node lacks what the kernel hands the packet to', () => {
  it('NFQUEUE: no program listens, so the packet is dropped — unless --queue-bypass', () => {
    expect(apply('-j NFQUEUE --queue-num 3', {}, {}, 'filter', 'FORWARD').outcome).toEqual({ verdict: 'DROP' })
    const bypass = apply('-j NFQUEUE --queue-balance 2:5 --queue-bypass', {}, {}, 'filter', 'FORWARD')
    expect(bypass.outcome).toEqual({ verdict: 'ACCEPT' })
    expect(bypass.why).toContain('one of queues 2:5')
  })

  it('TPROXY: no transparent socket listens, so the kernel drops the packet; with --assume TPROXY=true it is taken and marked', () => {
    const spec = '-p tcp -j TPROXY --on-port 3129 --tproxy-mark 0x1/0x1'
    const none = apply(spec, { inIface: 'eth0' }, {}, 'mangle', 'PREROUTING')
    expect(none.outcome).toEqual({ verdict: 'DROP' })
    expect(none.why).toContain('no transparent socket on 192.168.0.10:3129')
    const state = new Map<string, unknown>()
    setAssumption(state, 'TPROXY', true)
    const taken = apply(spec, { inIface: 'eth0', mark: 0x10 }, { state }, 'mangle', 'PREROUTING')
    expect(taken.outcome).toEqual({ verdict: 'ACCEPT' })
    expect(taken.mark).toBe(0x11)
  })

  it('SYNPROXY takes a SYN (answering it), drops a bare ACK it cannot check, lets anything else go on', () => {
    const at = (p: Partial<Packet>) => apply('-p tcp -j SYNPROXY --mss 1400', p, {}, 'filter', 'FORWARD')
    const s = at({ tcpFlags: SYN, tcpMss: 1460, tcpSeq: 1000 })
    expect(s.outcome).toEqual({ verdict: 'DROP' })
    expect(s.answer).toMatchObject({ src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000, tcpMss: 1400, tcpAck: 1001, length: 44 })
    expect(at({ tcpFlags: ACK }).why).toContain('flip with --assume SYNPROXY=true')
    expect(at({ tcpFlags: { ...ACK, FIN: true } }).outcome).toEqual({ verdict: 'CONTINUE' })
  })

  it('NFLOG, AUDIT and IDLETIMER go on to the next rule and say where the packet was reported', () => {
    expect(apply('-j NFLOG --nflog-group 86 --nflog-prefix "x y"', {}, {}, 'filter', 'FORWARD').why)
      .toBe('copy sent to nflog group 86 with prefix "x y"; no logger listens on this node')
    expect(apply('-j AUDIT --type drop', { mark: 5 }, {}, 'filter', 'FORWARD').why).toContain('mark=0x5 saddr=10.0.0.1 daddr=10.0.0.2 proto=6')
    expect(apply('-j IDLETIMER --timeout 60 --label wlan', {}, {}, 'filter', 'FORWARD').outcome).toEqual({ verdict: 'CONTINUE' })
  })

  it('IDLETIMER refuses a label in use with the other kind of timer, as the kernel does', () => {
    const host = router('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j IDLETIMER --timeout 60 --label wlan\nCOMMIT\n')
    const again = runCommandLine(host.ruleset, 'iptables -A INPUT -j IDLETIMER --timeout 5 --label wlan --alarm')
    expect(again.rc).toBe(4)
    expect(again.err).toContain('RULE_APPEND failed (Invalid argument)')
    expect(runCommandLine(host.ruleset, 'iptables -A INPUT -j IDLETIMER --timeout 5 --label wlan').rc).toBe(0)
  })
})

describe('through the host: NAT, copies, answers and connection state', () => {
  it('NETMAP maps the destination network in PREROUTING, host part kept', () => {
    const host = router('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.99.0.0/16 -j NETMAP --to 10.1.0.0/24\nCOMMIT\n')
    const r = traverse(host, syn(40000, { dst: '10.99.3.7' }), { inIface: 'eth0' })
    expect(r.packet.dst).toBe('10.1.0.7')
    expect(r.verdict).toBe('delivered')
  })

  it('DNAT with a shifted port range maps the port by its distance from the base', () => {
    const host = router('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -m tcp --dport 8000:8010 -j DNAT --to-destination 10.1.0.2:9000-9010/8000\nCOMMIT\n')
    expect(traverse(host, syn(40000, { dst: '10.0.0.1', dport: 8007 }), { inIface: 'eth0' }).packet.dport).toBe(9007)
  })

  it('TEE sends an untracked copy through OUTPUT towards the gateway; the copy is not copied again', () => {
    const host = router([
      '*mangle', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
      '-A PREROUTING -p udp -j TEE --gateway 10.1.0.9', '-A OUTPUT -j TEE --gateway 10.1.0.9', '-A OUTPUT -m conntrack --ctstate UNTRACKED', 'COMMIT', '',
    ].join('\n'))
    const r = traverse(host, udp(5000), { inIface: 'eth0' })
    expect(r.verdict).toBe('delivered')
    const copies = r.answers.filter((a) => a.role === 'tee')
    expect(copies).toHaveLength(1)
    expect(copies[0].result.hits).toEqual(['mangle/OUTPUT#1', 'mangle/OUTPUT#2'])
    expect(copies[0].result.packet).toMatchObject({ dst: '10.1.0.2', outIface: 'eth1', ttl: 63 })
    expect(copies[0].result.answers).toHaveLength(0)
  })

  it('SYNPROXY\'s SYN-ACK leaves through OUTPUT with the SYN\'s untracked connection', () => {
    const host = router([
      '*raw', ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -p tcp -m tcp --syn -j CT --notrack', 'COMMIT',
      '*filter', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', '-A FORWARD -p tcp -m conntrack --ctstate UNTRACKED -j SYNPROXY', '-A OUTPUT -m conntrack --ctstate UNTRACKED', 'COMMIT', '',
    ].join('\n'))
    const r = traverse(host, syn(40000), { inIface: 'eth0' })
    expect(r.verdict).toBe('dropped')
    const [answer] = r.answers
    expect(answer.role).toBe('synproxy')
    expect(answer.result.hits).toEqual(['filter/OUTPUT#1'])
    expect(answer.result.packet).toMatchObject({ src: '10.1.0.2', dst: '10.0.0.2', outIface: 'eth0' })
  })

  it('CT --zone: the same tuple in another zone is another connection; conntrack -L names the zone', () => {
    const host = router('*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p udp -m udp --sport 6000 -j CT --zone 5\nCOMMIT\n')
    expect(traverse(host, udp(6000), { inIface: 'eth0' }).ctState).toBe('NEW')
    // The server's answer carries no template: it is looked up in zone 0, where no connection has it.
    const reply = traverse(host, { ...udp(53), src: '10.1.0.2', dst: '10.0.0.2', sport: 53, dport: 6000 }, { inIface: 'eth1' })
    expect(reply.ctState).toBe('NEW')
    const lines = runConsoleLine(host, 'conntrack -L').out
    expect(lines).toMatch(/sport=6000 dport=53 \[UNREPLIED\] .* mark=0 zone=5 use=1/)
  })

  it('-m connbytes switches accounting on for good: new connections count, conntrack -L prints it', () => {
    const host = router('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m connbytes --connbytes 2 --connbytes-dir original --connbytes-mode packets\nCOMMIT\n')
    traverse(host, udp(7000), { inIface: 'eth0' })
    const second = traverse(host, udp(7000), { inIface: 'eth0' })
    expect(second.hits).toEqual(['filter/FORWARD#1'])
    expect(runCommandLine(host.ruleset, 'iptables -F').rc).toBe(0)
    expect(host.ruleset.conntrackAccounting).toBe(true)
    expect(runConsoleLine(host, 'conntrack -L').out).toContain('sport=7000 dport=53 packets=2 bytes=56 [UNREPLIED]')
  })

  it('the first packet of a connection sees an expiry of 0: its entry is not confirmed yet', () => {
    const host = router('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m conntrack --ctexpire 0\n-A FORWARD -m conntrack --ctexpire 1:300\nCOMMIT\n')
    expect(traverse(host, udp(8000), { inIface: 'eth0' }).hits).toEqual(['filter/FORWARD#1'])
    expect(traverse(host, udp(8000), { inIface: 'eth0' }).hits).toEqual(['filter/FORWARD#2'])
  })
})
