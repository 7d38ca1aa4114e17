/**
 * The IPVS table as ipvsadm shows it and as the kernel schedules: given virtual servers and packets, expect
 * ipvsadm's text (formats from ipvsadm.c, compared with published real outputs) and the kernel
 * schedulers' choices.
 */
import { describe, expect, it } from 'vitest'
import type { Packet } from '../netfilter/types.ts'
import { listConnections, runIpvsadm } from './ipvsadm.ts'
import { IpvsTable } from './table.ts'
import { IPVS_SVC_F_PERSISTENT } from './types.ts'
import type { VirtualServerSpec } from './types.ts'

const rs = (address: string, port: number, weight = 1) => ({ address, port, weight, forward: 'Masq' as const })
const vs = (protocol: 'TCP' | 'UDP', address: string, port: number, realServers: ReturnType<typeof rs>[], extra: Partial<VirtualServerSpec> = {}): VirtualServerSpec =>
  ({ protocol, address, port, scheduler: 'rr', flags: 0, timeout: 0, realServers, ...extra })

const SYN = { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false }
const ACK = { ...SYN, SYN: false, ACK: true }
const pkt = (src: string, sport: number, dst: string, dport: number, p: Partial<Packet> = {}): Packet =>
  ({ src, sport, dst, dport, proto: 'tcp', tcpFlags: SYN, length: 60, ttl: 64, mark: 0, ...p })

function kindTable(): IpvsTable {
  const t = new IpvsTable()
  t.sync([
    vs('TCP', '10.96.0.1', 443, [rs('172.18.0.2', 6443)]),
    vs('UDP', '10.96.0.10', 53, []),
    vs('TCP', '172.18.0.2', 30080, [rs('10.244.1.2', 80), rs('10.244.2.2', 80)]),
  ])
  return t
}

describe('ipvsadm -Ln', () => {
  it('prints the header, services sorted as libipvs compares them (172.18.0.2 before 10.96.0.1) and padded real servers', () => {
    expect(runIpvsadm(kindTable(), ['-Ln'], 0)).toEqual({
      rc: 0, err: '', out: [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  172.18.0.2:30080 rr',
        '  -> 10.244.1.2:80                Masq    1      0          0         ',
        '  -> 10.244.2.2:80                Masq    1      0          0         ',
        'TCP  10.96.0.1:443 rr',
        '  -> 172.18.0.2:6443              Masq    1      0          0         ',
        'UDP  10.96.0.10:53 rr',
        '',
      ].join('\n'),
    })
  })

  it('shows persistence and scheduler flags on the service line', () => {
    const t = new IpvsTable()
    t.sync([
      vs('TCP', '10.96.0.20', 80, [rs('10.244.1.2', 80)], { flags: IPVS_SVC_F_PERSISTENT, timeout: 10800 }),
      vs('TCP', '10.96.0.21', 80, [rs('10.244.1.2', 80)], { scheduler: 'mh', flags: 0x10 }),
    ])
    const lines = runIpvsadm(t, ['-L', '-n'], 0).out.split('\n')
    expect(lines).toContain('TCP  10.96.0.20:80 rr persistent 10800')
    expect(lines).toContain('TCP  10.96.0.21:80 mh (mh-port)')
  })

  it('formats the protocol as %-4s: SCTP gets one space', () => {
    const t = new IpvsTable()
    t.sync([{ ...vs('TCP', '10.96.0.60', 9999, []), protocol: 'SCTP' }])
    expect(runIpvsadm(t, ['-Ln'], 0).out.split('\n')[3]).toBe('SCTP 10.96.0.60:9999 rr')
    expect(runIpvsadm(t, ['-X'], 0)).toEqual({ rc: 2, out: '', err: "invalid option `-X'\n" })
  })

  it('without -n names well-known ports as /etc/services does', () => {
    expect(runIpvsadm(kindTable(), ['-L'], 0).out).toContain('TCP  10.96.0.1:https rr\n')
  })

  it('--stats counts connections, packets and bytes in 9-wide columns', () => {
    const t = kindTable()
    t.localIn(pkt('10.244.1.5', 40000, '10.96.0.1', 443), 0)
    const out = runIpvsadm(t, ['-Ln', '--stats'], 0).out.split('\n')
    expect(out[1]).toBe('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes')
    expect(out[2]).toBe('  -> RemoteAddress:Port')
    expect(out).toContain('TCP  10.96.0.1:443                       1        1        0       60        0')
    expect(out).toContain('  -> 172.18.0.2:6443                     1        1        0       60        0')
  })

  it('-c lists connections with MM:SS until expiry, persistence templates as NONE', () => {
    const t = new IpvsTable()
    t.sync([vs('TCP', '10.96.0.20', 80, [rs('10.244.1.2', 80)], { flags: IPVS_SVC_F_PERSISTENT, timeout: 10800 })])
    t.localIn(pkt('10.244.2.7', 51000, '10.96.0.20', 80), 0)
    expect(listConnections(t, 5000, true)).toBe([
      'IPVS connection entries',
      'pro expire state       source             virtual            destination',
      'TCP 179:55 NONE        10.244.2.7:0       10.96.0.20:80      10.244.1.2:80',
      'TCP 00:55  SYN_RECV    10.244.2.7:51000   10.96.0.20:80      10.244.1.2:80',
      '',
    ].join('\n'))
    expect(runIpvsadm(t, ['-Lnc'], 5000).out).toBe(listConnections(t, 5000, true))
  })

  it('refuses conflicting options like ipvsadm', () => {
    expect(runIpvsadm(kindTable(), ['-L', '-c', '--stats'], 0)).toEqual({ rc: 2, out: '', err: 'options conflicts in the list command\n' })
    expect(runIpvsadm(kindTable(), ['-L', '--timeout'], 0).out).toBe('Timeout (tcp tcpfin udp): 900 120 300\n')
  })
})

describe('IPVS scheduling at LOCAL_IN', () => {
  it('rr walks the kernel list (newest destination first) and wraps; the choice is a trace step', () => {
    const t = kindTable()
    const picks = [1, 2, 3, 4].map((i) => t.localIn(pkt('10.0.0.9', 40000 + i, '172.18.0.2', 30080), 0))
    expect(picks.map((p) => (p.action === 'forward' ? p.realServer.address : p.action))).toEqual(['10.244.2.2', '10.244.1.2', '10.244.2.2', '10.244.1.2'])
    const first = picks[0]
    expect(first.action === 'forward' && first.packet).toMatchObject({ dst: '10.244.2.2', dport: 80, src: '10.0.0.9' })
    expect(first.step).toMatch(/^IPVS: TCP 172\.18\.0\.2:30080 \(rr\) schedules 10\.0\.0\.9:40001 to 10\.244\.2\.2:80/)
  })

  it('later packets of a connection follow it, the ACK makes it ESTABLISHED (ActiveConn)', () => {
    const t = kindTable()
    t.localIn(pkt('10.0.0.9', 40001, '10.96.0.1', 443), 0)
    const again = t.localIn(pkt('10.0.0.9', 40001, '10.96.0.1', 443, { tcpFlags: ACK }), 10)
    expect(again.action === 'forward' && again.newConnection).toBe(false)
    expect(runIpvsadm(t, ['-Ln'], 10).out).toContain('  -> 172.18.0.2:6443              Masq    1      1          0         ')
  })

  it('a virtual service without real servers answers ICMP port unreachable; other traffic passes', () => {
    const t = kindTable()
    const r = t.localIn(pkt('10.0.0.9', 40000, '10.96.0.10', 53, { proto: 'udp', tcpFlags: undefined }), 0)
    expect(r.action).toBe('reject')
    expect(r.step).toContain('ICMP port unreachable')
    expect(t.localIn(pkt('10.0.0.9', 40000, '10.96.0.99', 80), 0).action).toBe('pass')
  })

  it('persistence keeps a client on its real server for the timeout', () => {
    const t = new IpvsTable()
    t.sync([vs('TCP', '10.96.0.20', 80, [rs('10.244.1.2', 80), rs('10.244.2.2', 80), rs('10.244.3.2', 80)], { flags: IPVS_SVC_F_PERSISTENT, timeout: 10800 })])
    const dest = (sport: number, src = '10.0.0.9', at = 0) => {
      const r = t.localIn(pkt(src, sport, '10.96.0.20', 80), at)
      return r.action === 'forward' ? r.realServer.address : r.action
    }
    const first = dest(1000)
    expect([dest(1001), dest(1002), dest(1003, '10.0.0.9', 3600_000)]).toEqual([first, first, first])
    expect(dest(1004, '10.0.0.10')).not.toBe(first)
  })

  it('wrr gives a weight-3 server three of every four connections', () => {
    const t = new IpvsTable()
    t.sync([vs('TCP', '10.96.0.30', 80, [rs('10.244.1.2', 80, 1), rs('10.244.2.2', 80, 3)], { scheduler: 'wrr' })])
    const got = Array.from({ length: 8 }, (_, i) => t.localIn(pkt('10.0.0.9', 2000 + i, '10.96.0.30', 80), 0))
      .map((r) => (r.action === 'forward' ? r.realServer.address : r.action))
    expect(got.filter((a) => a === '10.244.2.2')).toHaveLength(6)
    expect(got.filter((a) => a === '10.244.1.2')).toHaveLength(2)
  })

  it('lc sends a new connection to the server with the fewest', () => {
    const t = new IpvsTable()
    t.sync([vs('TCP', '10.96.0.40', 80, [rs('10.244.1.2', 80), rs('10.244.2.2', 80)], { scheduler: 'lc' })])
    const a = t.localIn(pkt('10.0.0.9', 3000, '10.96.0.40', 80), 0)
    const b = t.localIn(pkt('10.0.0.9', 3001, '10.96.0.40', 80), 0)
    expect(a.action === 'forward' && b.action === 'forward' && a.realServer.address !== b.realServer.address).toBe(true)
  })

  it('sh maps a source address to the same server every time', () => {
    const t = new IpvsTable()
    t.sync([vs('TCP', '10.96.0.50', 80, [rs('10.244.1.2', 80), rs('10.244.2.2', 80), rs('10.244.3.2', 80)], { scheduler: 'sh' })])
    const d = (src: string, sport: number) => { const r = t.localIn(pkt(src, sport, '10.96.0.50', 80), 0); return r.action === 'forward' ? r.realServer.address : '' }
    expect(new Set([d('10.0.0.9', 1), d('10.0.0.9', 2), d('10.0.0.9', 3)]).size).toBe(1)
    expect(new Set(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'].map((s, i) => d(s, 10 + i))).size).toBeGreaterThan(1)
  })

  it('a reply from the real server gets the virtual address back as its source', () => {
    const t = kindTable()
    t.localIn(pkt('10.0.0.9', 40001, '10.96.0.1', 443), 0)
    const r = t.reply(pkt('172.18.0.2', 6443, '10.0.0.9', 40001, { tcpFlags: { ...SYN, ACK: true } }), 1)
    expect(r.action === 'unnat' && r.packet).toMatchObject({ src: '10.96.0.1', sport: 443, dst: '10.0.0.9' })
  })

  it('a removed endpoint with live connections stays with weight 0 (graceful termination) and gets no new ones', () => {
    const t = kindTable()
    t.localIn(pkt('10.0.0.9', 40001, '172.18.0.2', 30080), 0)
    t.sync([vs('TCP', '172.18.0.2', 30080, [rs('10.244.1.2', 80)])])
    expect(runIpvsadm(t, ['-Ln'], 0).out).toContain('  -> 10.244.2.2:80                Masq    0      0          1         ')
    const r = t.localIn(pkt('10.0.0.9', 40002, '172.18.0.2', 30080), 0)
    expect(r.action === 'forward' && r.realServer.address).toBe('10.244.1.2')
  })
})
