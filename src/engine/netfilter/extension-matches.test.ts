/**
 * Packet-level behaviour of the match extensions beyond kube-proxy's: what each tests in a packet, its
 * connection or the node, and — where the node cannot know — the assumption it takes and says it took.
 * The kernel parity suite (test/parity/extension-cases.ts) checks those the lab can send against Linux.
 */
import { describe, expect, it } from 'vitest'
import { evaluateRule } from './evaluate-rule.ts'
import { context, ruleFrom } from './test-support/rules.ts'
import { setAssumption } from './assumptions.ts'
import { Ruleset } from './ruleset.ts'
import { runIptables } from './iptables-command.ts'
import { tokenizeCommandLine } from './command-line.ts'
import type { ConntrackEntry, ConntrackInfo, EvalContext, Packet, TableName } from './types.ts'

const SYN = { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false }

function run(spec: string, p: Partial<Packet> = {}, extra: Partial<EvalContext> = {}, table: TableName = 'filter', chain = 'INPUT') {
  return evaluateRule(ruleFrom(spec, table, chain), context(p, { table, chain, ...extra }))
}
const hit = (spec: string, p: Partial<Packet> = {}, extra: Partial<EvalContext> = {}, table: TableName = 'filter', chain = 'INPUT') =>
  run(spec, p, extra, table, chain).matched
const whyOf = (spec: string, p: Partial<Packet> = {}, extra: Partial<EvalContext> = {}, table: TableName = 'filter', chain = 'INPUT') =>
  run(spec, p, extra, table, chain).clauses.map((c) => c.why).join(' | ')

function conn(over: Partial<ConntrackEntry> = {}, state: ConntrackInfo['state'] = 'ESTABLISHED'): ConntrackInfo {
  const entry: ConntrackEntry = {
    id: 3,
    original: { proto: 'tcp', src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80 },
    reply: { proto: 'tcp', src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000 },
    status: { seenReply: true, assured: true, confirmed: true, srcNat: false, dstNat: false },
    mark: 0, timeout: 300, ...over,
  }
  return { state, direction: 'ORIGINAL', entry }
}

describe('header matches', () => {
  it('esp and ah compare the security parameter index, as a range or negated', () => {
    expect(hit('-p esp -m esp --espspi 100:200', { proto: 50, spi: 150 })).toBe(true)
    expect(hit('-p esp -m esp --espspi 100:200', { proto: 50, spi: 300 })).toBe(false)
    expect(hit('-p esp -m esp ! --espspi 5', { proto: 50, spi: 6 })).toBe(true)
    expect(hit('-p ah -m ah --ahspi 7', { proto: 51, spi: 7 })).toBe(true)
    expect(hit('-p ipcomp -m ipcomp --ipcompspi 9', { proto: 108, spi: 9 })).toBe(true)
  })

  it('dccp matches the packet type', () => {
    expect(hit('-p dccp -m dccp --dccp-types REQUEST', { proto: 33, sport: 1, dport: 2, dccpType: 0 })).toBe(true)
    expect(hit('-p dccp -m dccp --dccp-types REQUEST', { proto: 33, sport: 1, dport: 2, dccpType: 1 })).toBe(false)
    expect(hit('-p dccp -m dccp ! --dccp-types RESPONSE,DATA', { proto: 33, sport: 1, dport: 2, dccpType: 0 })).toBe(true)
  })

  it('tcpmss reads the MSS option; a segment without one gives the negation (xt_tcpmss returns invert)', () => {
    expect(hit('-p tcp -m tcpmss --mss 1000:1460', { tcpFlags: SYN, tcpMss: 1460 })).toBe(true)
    expect(hit('-p tcp -m tcpmss --mss 0:65535', { tcpFlags: SYN })).toBe(false)
    expect(hit('-p tcp -m tcpmss ! --mss 0:65535', { tcpFlags: SYN })).toBe(true)
  })

  it('tos, dscp and ecn read the TOS byte', () => {
    // A symbol compares under the mask 0x3f: the precedence bits do not count.
    expect(hit('-m tos --tos Minimize-Delay', { tos: 0x90 })).toBe(true)
    expect(hit('-m tos --tos Minimize-Delay', { tos: 0x12 })).toBe(false)
    expect(hit('-m dscp --dscp-class EF', { tos: 0xb8 })).toBe(true)
    expect(hit('-m ecn --ecn-ip-ect 3', { tos: 0x03 })).toBe(true)
    expect(hit('-p tcp -m ecn --ecn-tcp-cwr', { tcpFlags: { ...SYN, CWR: true } })).toBe(true)
  })

  it('u32 reads the packet\'s bytes: header fields and the payload', () => {
    // The UDP payload starts at byte 28; "xxxx" is 0x78787878.
    expect(hit('-m u32 --u32 "28=0x78787878"', { proto: 'udp', sport: 1, dport: 2, payload: 'xxxxxx', length: 34 })).toBe(true)
    expect(hit('-m u32 --u32 "6&0xFF=17"', { proto: 'tcp' })).toBe(false)
    expect(hit('-m u32 --u32 "0>>22&0x3C@0&0xFFFF=80"', {})).toBe(true)
  })

  it('string searches from the IP header on, between --from and --to, optionally ignoring case', () => {
    const get = { payload: 'GET /index.html HTTP/1.1', length: 64 }
    expect(hit('-p tcp -m string --string "GET /" --algo bm', get)).toBe(true)
    expect(hit('-p tcp -m string --string "get /" --algo kmp --icase', get)).toBe(true)
    expect(hit('-p tcp -m string --string "GET /" --algo bm --to 30', get)).toBe(false)
    expect(hit('-p tcp -m string ! --string "POST" --algo bm', get)).toBe(true)
  })

  it('length and ttl compare the IP header', () => {
    expect(hit('-m length --length 60', { length: 60 })).toBe(true)
    expect(hit('-m length ! --length 0:59', { length: 60 })).toBe(true)
    expect(hit('-m ttl --ttl-gt 63', { ttl: 64 })).toBe(true)
    expect(hit('-m ttl --ttl-lt 64', { ttl: 64 })).toBe(false)
  })

  it('bpf runs the classic BPF program over the packet (a program for TCP)', () => {
    const prog = "-m bpf --bytecode '4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0'"
    expect(hit(prog, { proto: 'tcp' })).toBe(true)
    expect(hit(prog, { proto: 'udp', sport: 1, dport: 2 })).toBe(false)
  })
})

describe('conntrack matches', () => {
  it('conntrack compares tuple addresses under the mask on both sides (xt_conntrack)', () => {
    const ct = conn()
    expect(hit('-m conntrack --ctorigdst 10.0.0.9/24', {}, { ct })).toBe(true)
    expect(hit('-m conntrack --ctorigdst 10.0.1.2/24', {}, { ct })).toBe(false)
    expect(hit('-m conntrack --ctreplsrc 10.0.0.2 --ctreplsrcport 80', {}, { ct })).toBe(true)
  })

  it('connbytes counts what conntrack accounted; a connection without counters never matches', () => {
    const counters = { original: { packets: 3, bytes: 180 }, reply: { packets: 2, bytes: 120 } }
    expect(hit('-m connbytes --connbytes 5 --connbytes-dir both --connbytes-mode packets', {}, { ct: conn({ counters }) })).toBe(true)
    expect(hit('-m connbytes --connbytes 0:100 --connbytes-dir reply --connbytes-mode bytes', {}, { ct: conn({ counters }) })).toBe(false)
    expect(hit('-m connbytes --connbytes 60 --connbytes-dir original --connbytes-mode avgpkt', {}, { ct: conn({ counters }) })).toBe(true)
    expect(hit('-m connbytes ! --connbytes 100 --connbytes-dir both --connbytes-mode packets', {}, { ct: conn() })).toBe(false)
    expect(whyOf('-m connbytes --connbytes 1 --connbytes-dir both --connbytes-mode packets', {}, { ct: conn() })).toContain('before accounting was on')
  })

  it('helper looks at the master of an expected connection, so a control connection matches only negated', () => {
    const ct = conn({ helper: 'ftp' })
    expect(hit('-m helper --helper ftp', {}, { ct })).toBe(false)
    expect(hit('-m helper ! --helper ftp', {}, { ct })).toBe(true)
    expect(whyOf('-m helper --helper ftp', {}, { ct })).toContain('has no master')
  })

  it('connmark compares the connection mark under a mask', () => {
    expect(hit('-m connmark --mark 0x500/0xff00', {}, { ct: conn({ mark: 0x5ff }) })).toBe(true)
    expect(hit('-m connmark ! --mark 0x1', {}, { ct: conn({ mark: 0x1 }) })).toBe(false)
  })
})

describe('what a simulated node knows about itself', () => {
  it('physdev: without a bridge the packet crossed no bridge port, so only negated tests hold', () => {
    expect(hit('-m physdev --physdev-is-bridged', {}, {}, 'filter', 'FORWARD')).toBe(false)
    expect(hit('-m physdev ! --physdev-is-in ! --physdev-out veth1', {}, {}, 'filter', 'FORWARD')).toBe(true)
    expect(hit('-m physdev ! --physdev-is-in --physdev-out veth1', {}, {}, 'filter', 'FORWARD')).toBe(false)
  })

  it('policy: a node without IPsec policies sees every packet as --pol none', () => {
    expect(hit('-m policy --dir in --pol none')).toBe(true)
    expect(hit('-m policy --dir in --pol ipsec')).toBe(false)
  })

  it('osf: no fingerprints are loaded, so a genre is never recognised', () => {
    expect(hit('-p tcp -m osf --genre Linux', { tcpFlags: SYN })).toBe(false)
    expect(hit('-p tcp -m osf ! --genre Linux', { tcpFlags: SYN })).toBe(true)
  })

  it('rpfilter: the route back to the source must leave by the interface the packet came in on', () => {
    const route = (dst: string) => (dst.startsWith('10.0.0.') ? { dev: 'eth0', local: false } : { dev: 'eth1', local: false })
    const at = (src: string, inIface: string, spec: string) => hit(spec, { src, inIface }, { hook: 'PREROUTING', route }, 'raw', 'PREROUTING')
    expect(at('10.0.0.7', 'eth0', '-m rpfilter')).toBe(true)
    expect(at('10.9.0.7', 'eth0', '-m rpfilter')).toBe(false)
    expect(at('10.9.0.7', 'eth0', '-m rpfilter --invert')).toBe(true)
    expect(at('10.9.0.7', 'eth0', '-m rpfilter --loose')).toBe(true)
  })

  it('devgroup: every interface is in the default group 0', () => {
    expect(hit('-m devgroup --src-group 0', { inIface: 'eth0' })).toBe(true)
    expect(hit('-m devgroup --src-group 1', { inIface: 'eth0' })).toBe(false)
  })

  it('owner: locally generated packets carry their socket\'s user', () => {
    expect(hit('-m owner --uid-owner 0', { uid: 0, gid: 0 }, { hook: 'OUTPUT' }, 'filter', 'OUTPUT')).toBe(true)
    expect(hit('-m owner --uid-owner 1000-2000', { uid: 0, gid: 0 }, { hook: 'OUTPUT' }, 'filter', 'OUTPUT')).toBe(false)
  })
})

describe('stated assumptions: what the node cannot know, said and flippable', () => {
  it('socket: assumed false (no sockets), true with --assume socket=true', () => {
    const ctx = { hook: 'PREROUTING' as const }
    expect(hit('-m socket', {}, ctx, 'mangle', 'PREROUTING')).toBe(false)
    expect(whyOf('-m socket', {}, ctx, 'mangle', 'PREROUTING')).toBe('assumed false (the simulation has no sockets): flip with --assume socket=true')
    const state = new Map<string, unknown>()
    setAssumption(state, 'socket', true)
    expect(hit('-m socket', {}, { ...ctx, state }, 'mangle', 'PREROUTING')).toBe(true)
    expect(whyOf('-m socket', {}, { ...ctx, state }, 'mangle', 'PREROUTING')).toBe('assumed true as set with --assume socket=true (the simulation has no sockets)')
  })

  it('time: assumed within the window (no wall clock); a negated rule uses the same assumption', () => {
    expect(hit('-m time --timestart 09:00 --timestop 17:00')).toBe(true)
    const state = new Map<string, unknown>()
    setAssumption(state, 'time', false)
    expect(hit('-m time --timestart 09:00 --timestop 17:00', {}, { state })).toBe(false)
    expect(whyOf('-m time --weekdays Sat', {})).toMatch(/flip with --assume time=false/)
  })

  it('cpu: the packet is taken to run on CPU 0', () => {
    expect(hit('-m cpu --cpu 0')).toBe(true)
    expect(hit('-m cpu --cpu 1')).toBe(false)
    expect(whyOf('-m cpu --cpu 1')).toMatch(/flip with --assume cpu=true/)
  })

  it('cgroup: assumed not in the cgroup', () => {
    expect(hit('-m cgroup --cgroup 1', {}, { hook: 'OUTPUT' }, 'filter', 'OUTPUT')).toBe(false)
    expect(hit('-m cgroup ! --cgroup 1', {}, { hook: 'OUTPUT' }, 'filter', 'OUTPUT')).toBe(true)
  })
})

describe('rates and quotas keep their state per rule, in the node\'s match state', () => {
  it('quota lets bytes through until it is spent', () => {
    const rule = ruleFrom('-m quota --quota 100')
    const state = new Map<string, unknown>()
    const pass = (length: number) => evaluateRule(rule, context({ length }, { state })).matched
    expect(pass(60)).toBe(true)
    expect(pass(40)).toBe(true)
    expect(pass(1)).toBe(false)
  })

  it('hashlimit keeps one bucket per key of --hashlimit-mode', () => {
    const rule = ruleFrom('-p udp -m hashlimit --hashlimit-upto 1/min --hashlimit-burst 1 --hashlimit-mode srcip --hashlimit-name u')
    const state = new Map<string, unknown>()
    const from = (src: string, now: number) => evaluateRule(rule, context({ proto: 'udp', src, sport: 1, dport: 2 }, { state, now })).matched
    expect(from('10.0.0.1', 0)).toBe(true)
    expect(from('10.0.0.1', 1000)).toBe(false)
    expect(from('10.0.0.9', 1000)).toBe(true)
    expect(from('10.0.0.1', 61_000)).toBe(true)
  })

  it('rateest: the kernel\'s estimators do not run here, so the comparison is an assumption', () => {
    const rs = Ruleset.create()
    expect(runIptables(rs, tokenizeCommandLine('-A INPUT -j RATEEST --rateest-name est1 --rateest-interval 250ms --rateest-ewmalog 1s')).err).toBe('')
    expect(runIptables(rs, tokenizeCommandLine('-A INPUT -m rateest --rateest est1 --rateest-bps1 1kbit --rateest-gt')).err).toBe('')
    const rule = rs.chain('filter', 'INPUT')!.rules[1]
    expect(evaluateRule(rule, context()).clauses[0].why).toMatch(/flip with --assume rateest=false/)
  })
})
