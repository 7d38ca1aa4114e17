/**
 * The nftables interpreter, as specifications: given these rules and this packet, expect these trace
 * lines (the format is checked against the kernel's `nft monitor trace` in test/nftables-kernel).
 */
import { describe, expect, it } from 'vitest'
import { evaluateHook, hookChains, packetText, traceIdFrom } from './eval.ts'
import type { NftHostContext, NftPacket } from './eval.ts'
import { parseDump } from './parse.ts'

const table = parseDump(`
add table ip kube-proxy { comment "rules for kube-proxy" ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy services
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy svc
add chain ip kube-proxy ep-a
add chain ip kube-proxy ep-b
add chain ip kube-proxy fw
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }
add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }
add set ip kube-proxy aff-a { type ipv4_addr ; flags dynamic,timeout ; timeout 10s ; }
add rule ip kube-proxy filter-prerouting-pre-dnat ct state new ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy svc ip daddr 172.30.0.1 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy svc ip saddr @aff-a goto ep-a
add rule ip kube-proxy svc numgen random mod 2 vmap { 0 : goto ep-a , 1 : goto ep-b }
add rule ip kube-proxy ep-a update @aff-a { ip saddr }
add rule ip kube-proxy ep-a meta l4proto tcp dnat to 10.0.1.1:8080
add rule ip kube-proxy ep-b meta l4proto tcp dnat to 10.0.1.2:8080
add rule ip kube-proxy fw ip saddr != { 203.0.113.0/25 } drop
add element ip kube-proxy service-ips { 172.30.0.1 . tcp . 80 : goto svc }
add element ip kube-proxy firewall-ips { 172.30.0.1 . tcp . 80 : goto fw }
`)

const packet = (saddr: string): NftPacket => ({
  iif: 'eth0', saddr, daddr: '172.30.0.1', ttl: 64, id: 7, length: 60, protocol: 'tcp', sport: 40000, dport: 80, mark: 0, ct: 'new',
})

function context(randoms: number[]): NftHostContext {
  return { isLocal: () => false, random: () => randoms.shift() ?? 0, now: 100, dynamicSets: new Map() }
}

describe('evaluateHook', () => {
  it('runs base chains by priority, follows the verdict maps and applies DNAT', () => {
    expect(hookChains([table], 'prerouting').map((c) => c.chain.name)).toEqual(['filter-prerouting-pre-dnat', 'nat-prerouting'])
    const r = evaluateHook([table], 'prerouting', packet('203.0.113.2'), context([0.75]), '0000abcd')
    expect(r.trace.map((t) => t.text)).toEqual([
      'trace id 0000abcd ip kube-proxy filter-prerouting-pre-dnat packet: iif "eth0" ip saddr 203.0.113.2 ip daddr 172.30.0.1 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 7 ip length 60 tcp sport 40000 tcp dport 80 tcp flags == syn tcp window 64240 ',
      'trace id 0000abcd ip kube-proxy filter-prerouting-pre-dnat rule ct state new ip daddr . meta l4proto . th dport vmap @firewall-ips (verdict goto fw)',
      'trace id 0000abcd ip kube-proxy filter-prerouting-pre-dnat policy accept ',
      'trace id 0000abcd ip kube-proxy nat-prerouting packet: iif "eth0" ip saddr 203.0.113.2 ip daddr 172.30.0.1 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 7 ip length 60 tcp sport 40000 tcp dport 80 tcp flags == syn tcp window 64240 ',
      'trace id 0000abcd ip kube-proxy nat-prerouting rule jump services (verdict jump services)',
      'trace id 0000abcd ip kube-proxy services rule ip daddr . meta l4proto . th dport vmap @service-ips (verdict goto svc)',
      'trace id 0000abcd ip kube-proxy svc rule ip daddr 172.30.0.1 ip saddr != 10.0.0.0/8 jump mark-for-masquerade (verdict jump mark-for-masquerade)',
      'trace id 0000abcd ip kube-proxy mark-for-masquerade rule meta mark set meta mark | 0x00004000 (verdict continue)',
      'trace id 0000abcd ip kube-proxy svc rule numgen random mod 2 vmap { 0 : goto ep-a, 1 : goto ep-b } (verdict goto ep-b)',
      'trace id 0000abcd ip kube-proxy ep-b rule meta l4proto tcp dnat to 10.0.1.2:8080 (verdict accept)',
    ])
    expect(r.verdict).toBe('accept')
    expect(r.packet).toMatchObject({ daddr: '10.0.1.2', dport: 8080, mark: 0x4000 })
    expect(r.nat).toEqual([{ type: 'dnat', addr: '10.0.1.2', port: 8080 }])
  })

  it('drops in a filter chain before NAT is reached', () => {
    const r = evaluateHook([table], 'prerouting', packet('198.51.100.1'), context([0]), '00000001')
    expect(r.verdict).toBe('drop')
    expect(r.trace.at(-1)!.text).toBe('trace id 00000001 ip kube-proxy fw rule ip saddr != 203.0.113.0/25 drop (verdict drop)')
  })

  it('records session affinity and follows it on the next connection', () => {
    const ctx = context([0.1])
    evaluateHook([table], 'prerouting', packet('203.0.113.3'), ctx, '00000002')
    expect(ctx.dynamicSets.get('aff-a')?.get('203.0.113.3')).toBe(110)
    const again = evaluateHook([table], 'prerouting', packet('203.0.113.3'), ctx, '00000003')
    expect(again.trace.map((t) => t.rule)).toContain('ip saddr @aff-a goto ep-a')
    ctx.now = 111
    const expired = evaluateHook([table], 'prerouting', packet('203.0.113.3'), { ...ctx, random: () => 0.9 }, '00000004')
    expect(expired.packet.daddr).toBe('10.0.1.2')
  })

  it('skips NAT chains for packets of established connections', () => {
    const r = evaluateHook([table], 'prerouting', { ...packet('203.0.113.2'), ct: 'established' }, context([]), '00000005')
    expect(r.trace.map((t) => t.chain)).toEqual(['filter-prerouting-pre-dnat', 'filter-prerouting-pre-dnat'])
    expect(r.packet.daddr).toBe('172.30.0.1')
  })

  it('prints the mark on policy lines and UDP headers in packet lines', () => {
    expect(packetText({ ...packet('1.1.1.1'), protocol: 'udp', dport: 53, length: 28, iif: undefined, oif: 'eth0' }))
      .toBe('oif "eth0" ip saddr 1.1.1.1 ip daddr 172.30.0.1 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 7 ip length 28 udp sport 40000 udp dport 53 udp length 8 ')
    expect(traceIdFrom(() => 0.5)).toBe('80000000')
  })
})
