import { describe, expect, it } from 'vitest'
import { applyTarget, evaluateRule, interfaceMatches } from './evaluate-rule.ts'
import { context, fixedRng, ruleFrom } from './test-support/rules.ts'
import type { ConntrackEntry, ConntrackInfo } from './types.ts'

function entry(over: Partial<ConntrackEntry> = {}): ConntrackEntry {
  return {
    id: 1,
    original: { proto: 'tcp', src: '10.0.0.1', dst: '10.96.0.1', sport: 40000, dport: 443 },
    reply: { proto: 'tcp', src: '10.244.1.2', dst: '10.0.0.1', sport: 8443, dport: 40000 },
    status: { seenReply: true, assured: false, confirmed: true, srcNat: false, dstNat: true },
    mark: 0,
    timeout: 120,
    ...over,
  }
}

function ct(state: ConntrackInfo['state'], over: Partial<ConntrackEntry> = {}, direction: ConntrackInfo['direction'] = 'ORIGINAL'): ConntrackInfo {
  return { state, direction, entry: state === 'INVALID' || state === 'UNTRACKED' ? undefined : entry(over) }
}

const matches = (spec: string, ctxArgs: Parameters<typeof context>[0] = {}, extra: Parameters<typeof context>[1] = {}) =>
  evaluateRule(ruleFrom(spec), context(ctxArgs, extra)).matched

describe('base clauses', () => {
  it('matches -s/-d against CIDRs and explains why not', () => {
    const r = evaluateRule(ruleFrom('-s 10.0.0.0/8 -d 10.96.0.10 -j ACCEPT'), context({ dst: '10.96.0.1' }))
    expect(r.matched).toBe(false)
    expect(r.clauses).toEqual([
      { clause: '-s 10.0.0.0/8', matched: true, why: 'source 10.0.0.1 is in 10.0.0.0/8' },
      { clause: '-d 10.96.0.10/32', matched: false, why: 'destination 10.96.0.1 is not in 10.96.0.10/32' },
    ])
  })

  it('negates with !', () => {
    expect(matches('! -s 10.244.0.0/16 -j ACCEPT', { src: '10.0.0.1' })).toBe(true)
    expect(matches('! -s 10.244.0.0/16 -j ACCEPT', { src: '10.244.3.4' })).toBe(false)
  })

  it('handles non-contiguous masks', () => {
    expect(matches('-d 10.0.0.5/255.0.0.255 -j ACCEPT', { dst: '10.7.7.5' })).toBe(true)
    expect(matches('-d 10.0.0.5/255.0.0.255 -j ACCEPT', { dst: '10.7.7.6' })).toBe(false)
  })

  it('compares -p by name or number', () => {
    expect(matches('-p tcp -j ACCEPT', { proto: 'tcp' })).toBe(true)
    expect(matches('-p 17 -j ACCEPT', { proto: 'udp' })).toBe(true)
    expect(matches('-p udp -j ACCEPT', { proto: 'tcp' })).toBe(false)
    expect(matches('! -p icmp -j ACCEPT', { proto: 'tcp' })).toBe(true)
    expect(matches('-p gre -j ACCEPT', { proto: 47 })).toBe(true)
  })

  it('matches interfaces with + wildcards', () => {
    expect(interfaceMatches('veth+', 'veth1234')).toBe(true)
    expect(interfaceMatches('eth0', 'eth01')).toBe(false)
    expect(matches('-i cali+ -j ACCEPT', { inIface: 'cali9' })).toBe(true)
    expect(evaluateRule(ruleFrom('! -o lo -j ACCEPT', 'filter', 'OUTPUT'), context({ outIface: 'lo' })).matched).toBe(false)
  })

  it('stops at the first failing clause but reports it', () => {
    const r = evaluateRule(ruleFrom('-s 1.2.3.4 -p tcp --dport 80 -j ACCEPT'), context())
    expect(r.clauses.map((c) => [c.clause, c.matched])).toEqual([['-s 1.2.3.4/32', false]])
  })

  it('never matches -f (simulated packets are not fragments), ! -f always', () => {
    expect(matches('-f -j DROP')).toBe(false)
    expect(matches('! -f -j DROP')).toBe(true)
  })
})

describe('tcp, udp, icmp, multiport', () => {
  it('tcp ports and ranges', () => {
    expect(matches('-p tcp --dport 80 -j ACCEPT', { dport: 80 })).toBe(true)
    expect(matches('-p tcp --sport 1024:65535 -j ACCEPT', { sport: 1023 })).toBe(false)
    expect(matches('-p tcp ! --dport 443 -j ACCEPT', { dport: 80 })).toBe(true)
    const r = evaluateRule(ruleFrom('-p tcp --dport 22 -j DROP'), context({ dport: 80 }))
    expect(r.clauses[1]).toEqual({ clause: '-m tcp --dport 22', matched: false, why: 'destination port 80 is not 22' })
  })

  it('--syn matches a SYN without ACK only', () => {
    const syn = { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false }
    expect(matches('-p tcp --syn -j ACCEPT', { tcpFlags: syn })).toBe(true)
    expect(matches('-p tcp --syn -j ACCEPT', { tcpFlags: { ...syn, ACK: true } })).toBe(false)
    expect(matches('-p tcp --tcp-flags ALL NONE -j DROP', { tcpFlags: { ...syn, SYN: false } })).toBe(true)
  })

  it('udp source port', () => {
    expect(matches('-p udp --sport 53 -j ACCEPT', { proto: 'udp', sport: 53 })).toBe(true)
  })

  it('icmp types and codes', () => {
    expect(matches('-p icmp --icmp-type echo-request -j ACCEPT', { proto: 'icmp', icmpType: 8, icmpCode: 0 })).toBe(true)
    expect(matches('-p icmp --icmp-type echo-request -j ACCEPT', { proto: 'icmp', icmpType: 0, icmpCode: 0 })).toBe(false)
    expect(matches('-p icmp --icmp-type 3/4 -j ACCEPT', { proto: 'icmp', icmpType: 3, icmpCode: 4 })).toBe(true)
    expect(matches('-p icmp --icmp-type 3/4 -j ACCEPT', { proto: 'icmp', icmpType: 3, icmpCode: 3 })).toBe(false)
    expect(matches('-p icmp --icmp-type any -j ACCEPT', { proto: 'icmp', icmpType: 11, icmpCode: 0 })).toBe(true)
  })

  it('multiport lists and ranges', () => {
    const spec = '-p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT'
    expect(matches(spec, { dport: 8042 })).toBe(true)
    expect(matches(spec, { dport: 22 })).toBe(false)
    expect(matches('-p tcp -m multiport --ports 22 -j ACCEPT', { sport: 22, dport: 5000 })).toBe(true)
  })
})

describe('comment, statistic, mark, connmark', () => {
  it('a comment always matches', () => {
    const r = evaluateRule(ruleFrom('-m comment --comment "kube svc" -j ACCEPT'), context())
    expect(r).toEqual({ matched: true, clauses: [{ clause: '-m comment --comment "kube svc"', matched: true, why: 'a comment always matches' }] })
  })

  it('statistic random compares the seeded draw with the stored probability', () => {
    const rule = ruleFrom('-m statistic --mode random --probability 0.5 -j ACCEPT')
    expect(evaluateRule(rule, context({}, { rng: fixedRng([0.49]) })).matched).toBe(true)
    expect(evaluateRule(rule, context({}, { rng: fixedRng([0.51]) })).matched).toBe(false)
  })

  it('statistic nth matches the first of every n, keeping its counter in ctx.state', () => {
    const rule = ruleFrom('-m statistic --mode nth --every 3 --packet 0 -j ACCEPT')
    const state = new Map<string, unknown>()
    const seen = [1, 2, 3, 4, 5, 6].map(() => evaluateRule(rule, context({}, { state })).matched)
    expect(seen).toEqual([true, false, false, true, false, false])
    const second = ruleFrom('-m statistic --mode nth --every 2 --packet 1 -j ACCEPT')
    const s2 = new Map<string, unknown>()
    expect([1, 2, 3, 4].map(() => evaluateRule(second, context({}, { state: s2 })).matched)).toEqual([false, true, false, true])
  })

  it('mark with mask', () => {
    expect(matches('-m mark --mark 0x4000/0x4000 -j ACCEPT', { mark: 0x4001 })).toBe(true)
    expect(matches('-m mark ! --mark 0x4000/0x4000 -j RETURN', { mark: 0x1 })).toBe(true)
    expect(matches('-m mark --mark 0x1 -j ACCEPT', { mark: 0x3 })).toBe(false)
  })

  it('connmark needs a conntrack entry', () => {
    expect(matches('-m connmark --mark 0x1 -j ACCEPT', {}, { ct: ct('ESTABLISHED', { mark: 1 }) })).toBe(true)
    expect(matches('-m connmark --mark 0x1 -j ACCEPT')).toBe(false)
  })
})

describe('conntrack and state', () => {
  it('ctstate with NEW/ESTABLISHED/INVALID and the DNAT bit', () => {
    expect(matches('-m conntrack --ctstate NEW -j ACCEPT', {}, { ct: ct('NEW') })).toBe(true)
    expect(matches('-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', {}, { ct: ct('NEW') })).toBe(false)
    expect(matches('-m conntrack --ctstate INVALID -j DROP')).toBe(true)
    expect(matches('-m conntrack ! --ctstate INVALID -j ACCEPT', {}, { ct: ct('ESTABLISHED') })).toBe(true)
    expect(matches('-m conntrack --ctstate DNAT -j ACCEPT', {}, { ct: ct('ESTABLISHED') })).toBe(true)
  })

  it('original and reply tuples, status and direction', () => {
    const c = { ct: ct('ESTABLISHED') }
    expect(matches('-m conntrack --ctorigdst 10.96.0.1 --ctorigdstport 443 -j ACCEPT', {}, c)).toBe(true)
    expect(matches('-m conntrack --ctreplsrc 10.244.0.0/16 -j ACCEPT', {}, c)).toBe(true)
    expect(matches('-m conntrack --ctorigsrcport 1000 -j ACCEPT', {}, c)).toBe(false)
    expect(matches('-m conntrack --ctstatus SEEN_REPLY -j ACCEPT', {}, c)).toBe(true)
    expect(matches('-m conntrack --ctdir REPLY -j ACCEPT', {}, c)).toBe(false)
    expect(matches('-m conntrack --ctproto tcp -j ACCEPT', {}, c)).toBe(true)
  })

  it('state', () => {
    expect(matches('-m state --state ESTABLISHED,RELATED -j ACCEPT', {}, { ct: ct('RELATED') })).toBe(true)
    expect(matches('-m state ! --state NEW -j ACCEPT', {}, { ct: ct('NEW') })).toBe(false)
  })
})

describe('addrtype, recent, set, iprange, limit', () => {
  it('addrtype asks the node', () => {
    expect(matches('-m addrtype --dst-type LOCAL -j ACCEPT', { dst: '10.0.0.2' })).toBe(true)
    expect(matches('-m addrtype --dst-type LOCAL -j ACCEPT', { dst: '8.8.8.8' })).toBe(false)
    expect(matches('-m addrtype ! --src-type LOCAL -j ACCEPT', { src: '8.8.8.8' })).toBe(true)
  })

  it('recent: --set records, --rcheck with --seconds and --hitcount counts recent hits per address', () => {
    const state = new Map<string, unknown>()
    const set = ruleFrom('-m recent --name ssh --set')
    const check = ruleFrom('-m recent --name ssh --rcheck --seconds 60 --hitcount 2 -j DROP')
    expect(evaluateRule(check, context({}, { state, now: 0 })).matched).toBe(false)
    evaluateRule(set, context({}, { state, now: 0 }))
    expect(evaluateRule(check, context({}, { state, now: 1000 })).matched).toBe(false)
    evaluateRule(set, context({}, { state, now: 2000 }))
    expect(evaluateRule(check, context({}, { state, now: 3000 })).matched).toBe(true)
    expect(evaluateRule(check, context({}, { state, now: 61_000 })).matched).toBe(false)
    expect(evaluateRule(check, context({ src: '10.9.9.9' }, { state, now: 3000 })).matched).toBe(false)
  })

  it('set asks the node for membership', () => {
    const node = { ...context().node, ipsetTest: (name: string, p: { src: string }) => name === 'block' && p.src === '10.0.0.1' }
    const rule = ruleFrom('-m set --match-set block src -j DROP', 'filter', 'INPUT', ['block'])
    expect(evaluateRule(rule, context({}, { node })).matched).toBe(true)
    expect(evaluateRule(rule, context({ src: '10.0.0.9' }, { node })).matched).toBe(false)
    expect(evaluateRule(rule, context()).clauses[0].why).toBe('ipset block does not exist on this node')
  })

  it('iprange', () => {
    expect(matches('-m iprange --src-range 10.0.0.1-10.0.0.50 -j ACCEPT', { src: '10.0.0.50' })).toBe(true)
    expect(matches('-m iprange ! --dst-range 10.0.0.1-10.0.0.9 -j ACCEPT', { dst: '10.0.0.2' })).toBe(false)
  })

  it('limit lets a burst through, then one packet per period', () => {
    const rule = ruleFrom('-m limit --limit 1/sec --limit-burst 2 -j ACCEPT')
    const state = new Map<string, unknown>()
    const at = (now: number) => evaluateRule(rule, context({}, { state, now })).matched
    expect([at(0), at(0), at(0), at(500), at(1000), at(1000)]).toEqual([true, true, false, false, true, false])
  })
})

describe('targets', () => {
  it('REJECT defaults to icmp-port-unreachable', () => {
    expect(applyTarget(ruleFrom('-j REJECT'), context()).outcome).toEqual({ verdict: 'REJECT', kind: 'icmp-port-unreachable' })
    expect(applyTarget(ruleFrom('-p tcp -j REJECT --reject-with tcp-reset'), context()).outcome).toEqual({ verdict: 'REJECT', kind: 'tcp-reset' })
  })

  it('ACCEPT, DROP, RETURN', () => {
    expect(applyTarget(ruleFrom('-j ACCEPT'), context()).outcome).toEqual({ verdict: 'ACCEPT' })
    expect(applyTarget(ruleFrom('-j DROP'), context()).outcome).toEqual({ verdict: 'DROP' })
    expect(applyTarget(ruleFrom('-j RETURN'), context()).outcome).toEqual({ verdict: 'RETURN' })
  })

  it('MARK computes (mark & ~mask) ^ value', () => {
    const or = applyTarget(ruleFrom('-j MARK --or-mark 0x4000', 'nat', 'PREROUTING'), context({ mark: 0x1 }))
    expect(or).toMatchObject({ outcome: { verdict: 'CONTINUE' }, mark: 0x4001 })
    expect(applyTarget(ruleFrom('-j MARK --xor-mark 0x4000', 'nat', 'POSTROUTING'), context({ mark: 0x4001 })).mark).toBe(0x1)
    expect(applyTarget(ruleFrom('-j MARK --set-mark 0x10/0xf0', 'mangle', 'PREROUTING'), context({ mark: 0xff })).mark).toBe(0x1f)
  })

  it('CONNMARK saves and restores', () => {
    const c = { ct: ct('ESTABLISHED', { mark: 0x7 }) }
    expect(applyTarget(ruleFrom('-j CONNMARK --save-mark', 'mangle', 'PREROUTING'), context({ mark: 0x2 }, c)).ctMark).toBe(0x2)
    expect(applyTarget(ruleFrom('-j CONNMARK --restore-mark', 'mangle', 'PREROUTING'), context({ mark: 0x2 }, c)).mark).toBe(0x7)
  })

  it('DNAT, SNAT, MASQUERADE and REDIRECT describe the binding', () => {
    expect(applyTarget(ruleFrom('-p tcp -j DNAT --to-destination 10.244.1.2:8080', 'nat', 'PREROUTING'), context()).outcome)
      .toEqual({ verdict: 'NAT', nat: { kind: 'DNAT', address: '10.244.1.2', port: 8080 } })
    expect(applyTarget(ruleFrom('-j SNAT --to-source 1.2.3.4 --random-fully', 'nat', 'POSTROUTING'), context()).outcome)
      .toEqual({ verdict: 'NAT', nat: { kind: 'SNAT', address: '1.2.3.4', randomFully: true } })
    expect(applyTarget(ruleFrom('-j MASQUERADE --random-fully', 'nat', 'POSTROUTING'), context({ outIface: 'eth0' })).outcome)
      .toEqual({ verdict: 'NAT', nat: { kind: 'MASQUERADE', address: '192.168.0.10', randomFully: true } })
    expect(applyTarget(ruleFrom('-p tcp -j REDIRECT --to-ports 8080', 'nat', 'PREROUTING'), context({ inIface: 'eth0' }, { hook: 'PREROUTING' })).outcome)
      .toEqual({ verdict: 'NAT', nat: { kind: 'REDIRECT', address: '192.168.0.10', port: 8080 } })
  })

  it('NOTRACK and CT --notrack untrack', () => {
    expect(applyTarget(ruleFrom('-j NOTRACK', 'raw', 'PREROUTING'), context()).notrack).toBe(true)
    expect(applyTarget(ruleFrom('-j CT --notrack', 'raw', 'OUTPUT'), context()).notrack).toBe(true)
  })

  it('LOG returns the kernel log line (nf_log_syslog format)', () => {
    const effects = applyTarget(ruleFrom('-j LOG --log-prefix "IPT DROP: "'), context({
      inIface: 'eth0', macHeader: '02:42:ac:11:00:02:02:42:ac:11:00:01:08:00', ipId: 54321, dontFragment: true,
      tcpFlags: { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false },
    }))
    expect(effects.outcome).toEqual({ verdict: 'CONTINUE' })
    expect(effects.log).toBe('IPT DROP: IN=eth0 OUT= MAC=02:42:ac:11:00:02:02:42:ac:11:00:01:08:00 SRC=10.0.0.1 DST=10.0.0.2 '
      + 'LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=40000 DPT=80 WINDOW=64240 RES=0x00 SYN URGP=0 ')
  })

  it('LOG of a UDP and an ICMP packet leaving the host', () => {
    const udp = applyTarget(ruleFrom('-j LOG', 'filter', 'OUTPUT'), context({ proto: 'udp', sport: 5353, dport: 53, length: 72, outIface: 'eth0' }))
    expect(udp.log).toBe('IN= OUT=eth0 SRC=10.0.0.1 DST=10.0.0.2 LEN=72 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=UDP SPT=5353 DPT=53 LEN=52 ')
    const icmp = applyTarget(ruleFrom('-j LOG', 'filter', 'OUTPUT'), context({ proto: 'icmp', sport: undefined, dport: undefined, icmpType: 8, icmpCode: 0, icmpId: 7, icmpSeq: 1, length: 84, outIface: 'eth0', mark: 0x4000 }))
    expect(icmp.log).toBe('IN= OUT=eth0 SRC=10.0.0.1 DST=10.0.0.2 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=0 PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=1 MARK=0x4000 ')
  })
})

describe('mac, owner, length, pkttype, ttl; TRACE and TCPMSS', () => {
  const mac = '02:42:ac:11:00:02:02:42:ac:11:00:01:08:00'
  it('mac compares the Ethernet source of the logged header', () => {
    expect(matches('-m mac --mac-source 02:42:AC:11:00:01 -j ACCEPT', { macHeader: mac })).toBe(true)
    expect(matches('-m mac --mac-source 02:42:ac:11:00:02 -j ACCEPT', { macHeader: mac })).toBe(false)
    expect(matches('-m mac ! --mac-source 02:42:ac:11:00:02 -j ACCEPT', { macHeader: mac })).toBe(true)
  })

  it('owner compares the sending socket uid/gid in OUTPUT', () => {
    const rule = ruleFrom('-m owner --uid-owner www-data -j ACCEPT', 'filter', 'OUTPUT')
    expect(evaluateRule(rule, context({ uid: 33 })).matched).toBe(true)
    expect(evaluateRule(rule, context({ uid: 0 })).matched).toBe(false)
    expect(evaluateRule(rule, context()).clauses[0].why).toBe('the packet has no local socket owner')
  })

  it('length, ttl and pkttype', () => {
    expect(matches('-m length --length 0:100 -j ACCEPT', { length: 60 })).toBe(true)
    expect(matches('-m length ! --length 1500 -j ACCEPT', { length: 1500 })).toBe(false)
    expect(matches('-m ttl --ttl-lt 10 -j DROP', { ttl: 9 })).toBe(true)
    expect(matches('-m ttl ! --ttl-eq 64 -j DROP', { ttl: 64 })).toBe(false)
    expect(matches('-m pkttype --pkt-type multicast -j DROP', { dst: '224.0.0.251' })).toBe(true)
    expect(matches('-m pkttype --pkt-type broadcast -j DROP', { dst: '255.255.255.255' })).toBe(true)
    expect(matches('-m pkttype --pkt-type unicast -j ACCEPT', { dst: '10.0.0.2' })).toBe(true)
  })

  it('TRACE and TCPMSS let evaluation continue', () => {
    expect(applyTarget(ruleFrom('-j TRACE', 'raw', 'PREROUTING'), context()).outcome).toEqual({ verdict: 'CONTINUE' })
    const syn = { tcpFlags: { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false }, tcpMss: 1460 }
    expect(applyTarget(ruleFrom('-p tcp --syn -j TCPMSS --set-mss 1400', 'mangle', 'FORWARD'), context(syn)))
      .toEqual({ outcome: { verdict: 'CONTINUE' }, packet: { tcpMss: 1400 }, why: 'MSS 1460 -> 1400 (1400)' })
  })
})

describe('sctp', () => {
  it('matches SCTP ports (kube-proxy SCTP Services)', () => {
    expect(matches('-p sctp --dport 53 -j ACCEPT', { proto: 'sctp', dport: 53 })).toBe(true)
    expect(matches('-p sctp ! --dport 53 -j ACCEPT', { proto: 'sctp', dport: 53 })).toBe(false)
    expect(matches('-p sctp --dport 53 -j ACCEPT', { proto: 'tcp', dport: 53 })).toBe(false)
  })
})
