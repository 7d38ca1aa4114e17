/**
 * The kernel parity cases: one table. Each case is an iptables-save rule set for the router and the
 * packets sent, in order; the last packet is the one measured (counter deltas, policy deltas, verdict).
 * Earlier packets build conntrack state (first packets, replies) as a real flow would.
 *
 * Addresses: client 10.10.1.2 (router eth0 10.10.1.1), server 10.10.2.2 (router eth1 10.10.2.1).
 */
import type { Origin, WirePacket } from './kernel-lab.ts'

export interface Send { from: Origin; pkt: WirePacket }

export interface ParityCase {
  name: string
  rules: string
  sends: Send[]
  ipForward?: boolean
  /** Commands run on the router (kernel and engine alike) before the rules are loaded, e.g. ipset. */
  prepare?: string[]
  /** The kernel picks NAT ports at random here, so `conntrack -L` is not compared. */
  randomPorts?: boolean
}

export const C = '10.10.1.2'
export const R0 = '10.10.1.1'
export const R1 = '10.10.2.1'
export const S = '10.10.2.2'
export const VIP = '10.96.0.10'

const BUILTIN: Record<string, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
}

/**
 * iptables-save text from per-table lines: `:CHAIN POLICY` sets a built-in policy, `:CHAIN` declares a
 * user chain, anything else is a rule line (`-A ...`).
 */
export function save(tables: Record<string, string[]>): string {
  let out = ''
  for (const [table, lines] of Object.entries(tables)) {
    const policies = new Map<string, string>()
    const user: string[] = []
    const rules: string[] = []
    for (const l of lines) {
      const m = /^:(\S+)(?: (\S+))?$/.exec(l)
      if (m && BUILTIN[table].includes(m[1])) policies.set(m[1], m[2] ?? 'ACCEPT')
      else if (m) user.push(m[1])
      else rules.push(l)
    }
    out += `*${table}\n`
    for (const c of BUILTIN[table]) out += `:${c} ${policies.get(c) ?? 'ACCEPT'} [0:0]\n`
    for (const c of user) out += `:${c} - [0:0]\n`
    for (const r of rules) out += `${r}\n`
    out += 'COMMIT\n'
  }
  return out
}

/** A counting rule (no target) in every built-in chain of every table: shows exactly where a packet went. */
export function countEverywhere(extra: Record<string, string[]> = {}): Record<string, string[]> {
  const t: Record<string, string[]> = {}
  for (const [table, chains] of Object.entries(BUILTIN)) {
    t[table] = [...chains.map((c) => `-A ${c}`), ...(extra[table] ?? [])]
  }
  for (const [table, lines] of Object.entries(extra)) if (!t[table]) t[table] = lines
  return t
}

export const syn = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'S', seq: 1000 })
export const synAck = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'SA', seq: 5000, ack: 1001 })
export const ack = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'A', seq: 1001, ack: 5001 })
export const fin = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'FA', seq: 1001, ack: 5001 })
export const serverFin = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'FA', seq: 5001, ack: 1002 })
export const lastAck = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'A', seq: 1002, ack: 5002 })
export const rst = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'R', seq: 1001 })
export const rstAck = (src: string, sport: number, dst: string, dport: number): WirePacket =>
  ({ src, dst, proto: 'tcp', sport, dport, flags: 'RA', seq: 0, ack: 1001 })
/** An ICMP error (default: port unreachable) about `about`, sent by `src` to `dst`. */
export const icmpError = (src: string, dst: string, about: WirePacket, code = 3, type = 3): WirePacket =>
  ({ src, dst, proto: 'icmp', icmpType: type, icmpCode: code, icmpId: 0, icmpSeq: 0, quoted: about })
export const udp = (src: string, sport: number, dst: string, dport: number, payload = 10): WirePacket =>
  ({ src, dst, proto: 'udp', sport, dport, payload })
export const ping = (src: string, dst: string, id: number, seq = 1): WirePacket =>
  ({ src, dst, proto: 'icmp', icmpType: 8, icmpCode: 0, icmpId: id, icmpSeq: seq, payload: 56 })
export const pong = (src: string, dst: string, id: number, seq = 1): WirePacket =>
  ({ src, dst, proto: 'icmp', icmpType: 0, icmpCode: 0, icmpId: id, icmpSeq: seq, payload: 56 })

export const client = (pkt: WirePacket): Send => ({ from: 'client', pkt })
export const server = (pkt: WirePacket): Send => ({ from: 'server', pkt })
export const router = (pkt: WirePacket): Send => ({ from: 'router', pkt })

/** kube-proxy style nat chains for one Service VIP:80 with the given endpoints (server ports). */
function kubeNat(endpoints: number[], mode: 'nth' | 'random' = 'nth'): Record<string, string[]> {
  const sep = (p: number) => `KUBE-SEP-${p}`
  const svc = 'KUBE-SVC-WEB'
  const nat = [
    ':KUBE-SERVICES', ':KUBE-POSTROUTING', ':KUBE-MARK-MASQ', `:${svc}`, ...endpoints.map((p) => `:${sep(p)}`),
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE',
    `-A KUBE-SERVICES -d ${VIP}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svc}`,
    `-A ${svc} ! -s 10.244.0.0/16 -d ${VIP}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
  ]
  endpoints.forEach((p, i) => {
    const left = endpoints.length - i
    const stat = left === 1 ? '' : mode === 'nth' ? ` -m statistic --mode nth --every ${left} --packet 0` : ' -m statistic --mode random --probability 1.00000000000'
    nat.push(`-A ${svc} -m comment --comment "default/web:http -> ${S}:${p}"${stat} -j ${sep(p)}`)
  })
  for (const p of endpoints) {
    nat.push(`-A ${sep(p)} -s ${S}/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ`)
    nat.push(`-A ${sep(p)} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination ${S}:${p}`)
  }
  return { nat }
}

const kubeFilter = [
  ':KUBE-FORWARD', ':KUBE-SERVICES',
  '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
  '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
]

const REJECT_WITH = ['icmp-net-unreachable', 'icmp-host-unreachable', 'icmp-port-unreachable', 'icmp-proto-unreachable',
  'icmp-net-prohibited', 'icmp-host-prohibited', 'icmp-admin-prohibited'] as const

export const CASES: ParityCase[] = [
  // ------------------------------------------------------------------ arriving for the host (input)
  { name: 'input: every chain counts a SYN to the router; its RST answer goes out', rules: save(countEverywhere()),
    sends: [client(syn(C, 40000, R0, 22))] },
  { name: 'input: ACCEPT rule before a DROP policy', rules: save({ filter: [':INPUT DROP', '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT'] }),
    sends: [client(syn(C, 40001, R0, 22))] },
  { name: 'input: DROP policy when no rule matches', rules: save({ filter: [':INPUT DROP', '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT'] }),
    sends: [client(syn(C, 40002, R0, 80))] },
  { name: 'input: DROP by source address', rules: save({ filter: [`-A INPUT -s ${C}/32 -j DROP`, '-A INPUT -j ACCEPT'] }),
    sends: [client(syn(C, 40003, R0, 22))] },
  { name: 'input: source that does not match falls through', rules: save({ filter: ['-A INPUT -s 192.168.1.1/32 -j DROP', '-A INPUT -p tcp -j ACCEPT'] }),
    sends: [client(syn(C, 40004, R0, 22))] },
  { name: 'input: REJECT with the default icmp-port-unreachable (udp)', rules: save(countEverywhere({ filter: ['-A INPUT -p udp -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable'] })),
    sends: [client(udp(C, 40005, R0, 53))] },
  { name: 'input: REJECT --reject-with tcp-reset; the reset traverses OUTPUT and nat POSTROUTING', rules: save(countEverywhere({ filter: ['-A INPUT -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset'] })),
    sends: [client(syn(C, 40006, R0, 80))] },
  ...REJECT_WITH.map((kind, i): ParityCase => ({
    name: `input: REJECT --reject-with ${kind} (tcp)`,
    rules: save({ filter: [`-A INPUT -p tcp -m tcp --dport 81 -j REJECT --reject-with ${kind}`, '-A OUTPUT -p icmp -m icmp --icmp-type 3'] }),
    sends: [client(syn(C, 40100 + i, R0, 81))],
  })),
  { name: 'input: ping rejected with icmp-host-prohibited', rules: save({ filter: ['-A INPUT -p icmp -m icmp --icmp-type 8 -j REJECT --reject-with icmp-host-prohibited'] }),
    sends: [client(ping(C, R0, 7))] },
  { name: 'input: LOG is non-terminating, then DROP', rules: save({ filter: ['-A INPUT -p tcp -j LOG --log-prefix "in: "', '-A INPUT -p tcp -j DROP'] }),
    sends: [client(syn(C, 40010, R0, 22))] },
  { name: 'input: jump to a user chain that RETURNs, then the next rule', rules: save({ filter: [':CHECK', '-A INPUT -j CHECK', '-A INPUT -p tcp -j DROP', '-A CHECK -p udp -j ACCEPT', '-A CHECK -j RETURN', '-A CHECK -j ACCEPT'] }),
    sends: [client(syn(C, 40011, R0, 22))] },
  { name: 'input: falling off the end of a user chain returns', rules: save({ filter: [':CHECK', '-A INPUT -j CHECK', '-A INPUT -j ACCEPT', '-A CHECK -p udp -j DROP'] }),
    sends: [client(syn(C, 40012, R0, 22))] },
  { name: 'input: goto a chain that falls off applies the base policy', rules: save({ filter: [':INPUT DROP', ':G', '-A INPUT -p tcp -g G', '-A INPUT -j ACCEPT', '-A G -p udp -j ACCEPT'] }),
    sends: [client(syn(C, 40013, R0, 22))] },
  { name: 'input: RETURN inside a goto chain returns to the jumper', rules: save({ filter: [':A', ':B', '-A INPUT -j A', '-A INPUT -j DROP', '-A A -g B', '-A A -j ACCEPT', '-A B -j RETURN'] }),
    sends: [client(syn(C, 40014, R0, 22))] },
  { name: 'input: RETURN in a built-in chain applies its policy', rules: save({ filter: [':INPUT DROP', '-A INPUT -p tcp -j RETURN', '-A INPUT -j ACCEPT'] }),
    sends: [client(syn(C, 40015, R0, 22))] },
  { name: 'input: MARK in mangle PREROUTING is seen by filter INPUT', rules: save({ mangle: ['-A PREROUTING -p tcp -j MARK --set-mark 0x1'], filter: ['-A INPUT -m mark --mark 0x1 -j DROP'] }),
    sends: [client(syn(C, 40016, R0, 22))] },
  { name: 'input: MARK --or-mark and --and-mark combine', rules: save({ mangle: ['-A PREROUTING -j MARK --set-xmark 0x6/0xffffffff', '-A PREROUTING -j MARK --or-mark 0x10', '-A PREROUTING -j MARK --and-mark 0x14', '-A INPUT -m mark --mark 0x14 -j ACCEPT'] }),
    sends: [client(syn(C, 40017, R0, 22))] },
  { name: 'input: CONNMARK --set-mark then -m connmark', rules: save({ mangle: ['-A PREROUTING -j CONNMARK --set-xmark 0x5/0xffffffff'], filter: ['-A INPUT -m connmark --mark 0x5 -j DROP'] }),
    sends: [client(syn(C, 40018, R0, 22))] },
  { name: 'input: CONNMARK --save-mark copies the packet mark', rules: save({ mangle: ['-A PREROUTING -j MARK --set-mark 0x7', '-A PREROUTING -j CONNMARK --save-mark', '-A INPUT -m connmark --mark 0x7'] }),
    sends: [client(syn(C, 40019, R0, 22))] },
  { name: 'input: multiport --dports', rules: save({ filter: ['-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT', '-A INPUT -p tcp -m multiport --dports 22,2222 -j DROP'] }),
    sends: [client(syn(C, 40020, R0, 22))] },
  { name: 'input: icmp echo-request dropped', rules: save({ filter: ['-A INPUT -p icmp -m icmp --icmp-type 0 -j ACCEPT', '-A INPUT -p icmp -m icmp --icmp-type 8 -j DROP'] }),
    sends: [client(ping(C, R0, 9))] },
  { name: 'input: echo answered, second echo is ESTABLISHED', rules: save({ filter: ['-A INPUT -m conntrack --ctstate ESTABLISHED', '-A INPUT -m conntrack --ctstate NEW', '-A OUTPUT -m conntrack --ctstate ESTABLISHED'] }),
    sends: [client(ping(C, R0, 11, 1)), client(ping(C, R0, 11, 2))] },
  { name: 'input: a second UDP datagram without reply is still NEW', rules: save({ filter: ['-A INPUT -m conntrack --ctstate NEW', '-A INPUT -m conntrack --ctstate ESTABLISHED', '-A OUTPUT -m conntrack --ctstate RELATED'] }),
    sends: [client(udp(C, 40021, R0, 9999)), client(udp(C, 40021, R0, 9999))] },
  { name: 'input: DNAT to another local port', rules: save({ nat: [`-A PREROUTING -d ${R0}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${R0}:8080`], filter: ['-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 80 -j DROP'] }),
    sends: [client(syn(C, 40022, R0, 80))] },
  { name: 'input: REDIRECT --to-ports', rules: save({ nat: ['-A PREROUTING -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080'], filter: ['-A INPUT -p tcp -m tcp --dport 8080', '-A INPUT -p tcp -m tcp --dport 80'] }),
    sends: [client(syn(C, 40023, R0, 80))] },
  { name: 'input: raw NOTRACK makes the packet UNTRACKED and skips nat', rules: save(countEverywhere({ raw: ['-A PREROUTING -p tcp -j NOTRACK'], filter: ['-A INPUT -m conntrack --ctstate UNTRACKED'] })),
    sends: [client(syn(C, 40024, R0, 22))] },
  { name: 'input: raw CT --notrack', rules: save({ raw: ['-A PREROUTING -p udp -j CT --notrack', '-A OUTPUT -p icmp -j CT --notrack'], filter: ['-A INPUT -m state --state UNTRACKED', '-A OUTPUT -m state --state UNTRACKED'] }),
    sends: [client(udp(C, 40025, R0, 9999))] },
  { name: 'input: addrtype --dst-type LOCAL', rules: save({ filter: ['-A INPUT -m addrtype --dst-type BROADCAST -j DROP', '-A INPUT -m addrtype --dst-type LOCAL -j ACCEPT'] }),
    sends: [client(syn(C, 40026, R0, 22))] },
  { name: 'input: nat INPUT SNAT runs after filter INPUT', rules: save({ nat: ['-A INPUT -p tcp -j SNAT --to-source 10.10.1.100'], filter: ['-A INPUT -s 10.10.1.100/32', `-A INPUT -s ${C}/32`] }),
    sends: [client(syn(C, 40027, R0, 22))] },
  { name: 'input: comment match', rules: save({ filter: ['-A INPUT -p tcp -m comment --comment "ssh from anywhere" -m tcp --dport 22 -j ACCEPT'] }),
    sends: [client(syn(C, 40028, R0, 22))] },
  { name: 'input: iprange --src-range', rules: save({ filter: ['-A INPUT -m iprange --src-range 10.10.1.1-10.10.1.9 -j DROP'] }),
    sends: [client(syn(C, 40029, R0, 22))] },
  { name: 'input: --tcp-flags SYN,ACK SYN (a SYN)', rules: save({ filter: ['-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN -j DROP'] }),
    sends: [client(syn(C, 40030, R0, 22))] },
  { name: 'input: a SYN-ACK with no connection is INVALID', rules: save({ filter: ['-A INPUT -m conntrack --ctstate INVALID -j DROP', '-A INPUT -j ACCEPT'] }),
    sends: [client(synAck(C, 40031, R0, 22))] },
  { name: 'input: a bare ACK is picked up as NEW (tcp_loose)', rules: save({ filter: ['-A INPUT -m conntrack --ctstate INVALID -j DROP', '-A INPUT -m conntrack --ctstate NEW -j ACCEPT'] }),
    sends: [client(ack(C, 40032, R0, 22))] },
  { name: 'input: security table runs after filter', rules: save({ filter: ['-A INPUT -j ACCEPT'], security: ['-A INPUT -p tcp -j DROP'] }),
    sends: [client(syn(C, 40033, R0, 22))] },
  { name: 'input: limit lets the first packet through', rules: save({ filter: ['-A INPUT -m limit --limit 1/sec --limit-burst 2 -j ACCEPT', '-A INPUT -j DROP'] }),
    sends: [client(syn(C, 40034, R0, 22))] },
  { name: 'input: recent --set then --rcheck in the same pass', rules: save({ filter: ['-A INPUT -m recent --set --name seen --mask 255.255.255.255 --rsource', '-A INPUT -m recent --rcheck --name seen --mask 255.255.255.255 --rsource -j DROP'] }),
    sends: [client(syn(C, 40035, R0, 22))] },
  { name: 'input: protocol by number and negation', rules: save({ filter: ['-A INPUT -p 17 -j DROP', '-A INPUT ! -p udp -j ACCEPT'] }),
    sends: [client(syn(C, 40036, R0, 22))] },
  { name: 'input: -i wildcard', rules: save({ filter: ['-A INPUT -i eth+ -p tcp -j ACCEPT'] }),
    sends: [client(syn(C, 40037, R0, 22))] },

  // ------------------------------------------------------------------ forwarded
  { name: 'forward: every chain counts a forwarded SYN', rules: save(countEverywhere()),
    sends: [client(syn(C, 41000, S, 80))] },
  { name: 'forward: FORWARD policy DROP', rules: save({ filter: [':FORWARD DROP', '-A FORWARD -p udp -j ACCEPT'] }),
    sends: [client(syn(C, 41001, S, 80))] },
  { name: 'forward: ip_forward=0 drops after PREROUTING', rules: save(countEverywhere()), ipForward: false,
    sends: [client(syn(C, 41002, S, 80))] },
  { name: 'forward: REJECT tcp-reset; the reset passes nat POSTROUTING', rules: save(countEverywhere({ filter: ['-A FORWARD -p tcp -j REJECT --reject-with tcp-reset'], nat: ['-A POSTROUTING -p tcp -m tcp --tcp-flags RST RST'] })),
    sends: [client(syn(C, 41003, S, 80))] },
  { name: 'forward: REJECT icmp-port-unreachable; nat is not consulted for the ICMP error', rules: save(countEverywhere({ filter: ['-A FORWARD -p udp -j REJECT'] })),
    sends: [client(udp(C, 41004, S, 53))] },
  { name: 'forward: SNAT in POSTROUTING', rules: save({ nat: [`-A POSTROUTING -o eth1 -j SNAT --to-source ${R1}`], filter: ['-A FORWARD -o eth1 -j ACCEPT'] }),
    sends: [client(syn(C, 41005, S, 80))] },
  { name: 'forward: MASQUERADE out of eth1', rules: save({ nat: ['-A POSTROUTING -o eth1 -j MASQUERADE'] }),
    sends: [client(syn(C, 41006, S, 80))] },
  { name: 'forward: masqueraded flow, the reply is translated back without nat rules', rules: save(countEverywhere({ nat: ['-A POSTROUTING -o eth1 -j MASQUERADE'], filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED'] })),
    sends: [client(syn(C, 41007, S, 80)), server(synAck(S, 80, R1, 41007))] },
  { name: 'forward: masqueraded flow, the third packet (ACK) is ESTABLISHED', rules: save(countEverywhere({ nat: ['-A POSTROUTING -o eth1 -j MASQUERADE'], filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED'] })),
    sends: [client(syn(C, 41008, S, 80)), server(synAck(S, 80, R1, 41008)), client(ack(C, 41008, S, 80))] },
  { name: 'forward: DNAT from the router address to the server', rules: save({ nat: [`-A PREROUTING -d ${R0}/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${S}:80`], filter: [`-A FORWARD -d ${S}/32 -p tcp -m tcp --dport 80 -j ACCEPT`, '-A INPUT -p tcp'] }),
    sends: [client(syn(C, 41009, R0, 8080))] },
  { name: 'forward: DNAT reply is un-DNATed on its source', rules: save(countEverywhere({ nat: [`-A PREROUTING -d ${R0}/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${S}:80`], filter: [`-A FORWARD -s ${S}/32 -p tcp -m tcp --sport 80`] })),
    sends: [client(syn(C, 41010, R0, 8080)), server(synAck(S, 80, C, 41010))] },
  { name: 'forward: DNAT later packet is translated from the binding', rules: save(countEverywhere({ nat: [`-A PREROUTING -d ${R0}/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${S}:80`], filter: [`-A FORWARD -d ${S}/32 -p tcp -m tcp --dport 80`] })),
    sends: [client(syn(C, 41011, R0, 8080)), server(synAck(S, 80, C, 41011)), client(ack(C, 41011, R0, 8080))] },
  { name: 'forward: stateful firewall accepts the reply as ESTABLISHED', rules: save({ filter: [':FORWARD DROP', '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A FORWARD -p tcp -m tcp --dport 80 --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT'] }),
    sends: [client(syn(C, 41012, S, 80)), server(synAck(S, 80, C, 41012))] },
  { name: 'forward: state module --state NEW', rules: save({ filter: ['-A FORWARD -m state --state NEW -j ACCEPT'] }),
    sends: [client(syn(C, 41013, S, 80))] },
  { name: 'forward: a FIN with no connection is INVALID', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate INVALID -j DROP'] }),
    sends: [client(fin(C, 41014, S, 80))] },
  { name: 'forward: UDP, reply, then the second datagram is ESTABLISHED', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate NEW', '-A FORWARD -m conntrack --ctstate ESTABLISHED'], nat: ['-A POSTROUTING -p udp'] }),
    sends: [client(udp(C, 41015, S, 53)), server(udp(S, 53, C, 41015)), client(udp(C, 41015, S, 53))] },
  { name: 'forward: ping, reply, second ping', rules: save({ filter: ['-A FORWARD -p icmp -m conntrack --ctstate NEW', '-A FORWARD -p icmp -m conntrack --ctstate ESTABLISHED'], nat: ['-A PREROUTING -p icmp'] }),
    sends: [client(ping(C, S, 21, 1)), server(pong(S, C, 21, 1)), client(ping(C, S, 21, 2))] },
  { name: 'forward: SNAT port clash between two clients still delivers', randomPorts: true, rules: save({ nat: [`-A POSTROUTING -o eth1 -j SNAT --to-source ${R1}`] }),
    sends: [client(syn(C, 41016, S, 80)), client(syn('10.10.1.3', 41016, S, 80))] },
  { name: 'forward: goto chain falls off to a DROP policy', rules: save({ filter: [':FORWARD DROP', ':G', '-A FORWARD -g G', '-A FORWARD -j ACCEPT', '-A G -p udp -j ACCEPT'] }),
    sends: [client(syn(C, 41017, S, 80))] },
  { name: 'forward: LOG then ACCEPT', rules: save({ filter: ['-A FORWARD -j LOG --log-prefix "fwd: " --log-level 4', '-A FORWARD -j ACCEPT'] }),
    sends: [client(syn(C, 41018, S, 80))] },
  { name: 'forward: mangle FORWARD MARK seen by mangle POSTROUTING', rules: save({ mangle: ['-A FORWARD -j MARK --set-mark 0x20', '-A POSTROUTING -m mark --mark 0x20'] }),
    sends: [client(syn(C, 41019, S, 80))] },
  { name: 'forward: -o interface match', rules: save({ filter: ['-A FORWARD -o eth0 -j DROP', '-A FORWARD -o eth1 -j ACCEPT'] }),
    sends: [client(syn(C, 41020, S, 80))] },
  { name: 'forward: the server opens, the client answers', rules: save(countEverywhere({ filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED -m conntrack --ctdir REPLY'] })),
    sends: [server(syn(S, 41021, C, 22)), client(synAck(C, 22, S, 41021))] },

  // ------------------------------------------------------------------ kube-proxy style
  { name: 'kube: ClusterIP with one endpoint, DNAT and masquerade', rules: save({ ...kubeNat([80]), filter: kubeFilter }),
    sends: [client(syn(C, 42000, VIP, 80))] },
  { name: 'kube: two endpoints, statistic nth sends the second connection to the second', rules: save({ ...kubeNat([80, 81]), filter: kubeFilter }),
    sends: [client(syn(C, 42001, VIP, 80)), client(syn(C, 42002, VIP, 80))] },
  { name: 'kube: three endpoints, first connection', rules: save({ ...kubeNat([80, 81, 82]), filter: kubeFilter }),
    sends: [client(syn(C, 42003, VIP, 80))] },
  { name: 'kube: statistic random with probability 1', rules: save({ ...kubeNat([80, 81], 'random'), filter: kubeFilter }),
    sends: [client(syn(C, 42004, VIP, 80))] },
  { name: 'kube: the endpoint reply is un-DNATed (source becomes the VIP)', rules: save({ ...kubeNat([80]), filter: kubeFilter }),
    sends: [client(syn(C, 42005, VIP, 80)), server(synAck(S, 80, R1, 42005))] },
  { name: 'kube: the client ACK is translated from the binding', rules: save({ ...kubeNat([80]), filter: kubeFilter }),
    sends: [client(syn(C, 42006, VIP, 80)), server(synAck(S, 80, R1, 42006)), client(ack(C, 42006, VIP, 80))] },
  { name: 'kube: no endpoints, REJECT in filter KUBE-SERVICES', rules: save({ nat: [':KUBE-SERVICES', '-A PREROUTING -j KUBE-SERVICES'], filter: [...kubeFilter, `-A KUBE-SERVICES -d ${VIP}/32 -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`] }),
    sends: [client(syn(C, 42007, VIP, 80))] },
  { name: 'kube: the node itself connects to the ClusterIP (OUTPUT DNAT, re-route)', rules: save({ ...kubeNat([80]), filter: kubeFilter }),
    sends: [router(syn(R1, 42008, VIP, 80))] },
  { name: 'kube: hairpin, the endpoint reaches itself through the VIP', rules: save({ ...kubeNat([80]), filter: kubeFilter }),
    sends: [server(syn(S, 42009, VIP, 80))] },
  { name: 'kube: traffic from the pod range is not marked by the SVC rule', rules: save({ ...kubeNat([80]), filter: kubeFilter }),
    sends: [client(syn('10.244.1.5', 42010, VIP, 80))] },

  // ------------------------------------------------------------------ generated locally (output)
  { name: 'output: every chain counts a SYN from the router', rules: save(countEverywhere()),
    sends: [router(syn(R1, 43000, S, 80))] },
  { name: 'output: DROP by destination', rules: save({ filter: [`-A OUTPUT -d ${S}/32 -p tcp -j DROP`] }),
    sends: [router(syn(R1, 43001, S, 80))] },
  { name: 'output: OUTPUT policy DROP with an exception', rules: save({ filter: [':OUTPUT DROP', '-A OUTPUT -p udp -j ACCEPT'] }),
    sends: [router(syn(R1, 43002, S, 80))] },
  { name: 'output: REJECT tcp-reset; the reset comes back through lo', rules: save(countEverywhere({ filter: [`-A OUTPUT -d ${S}/32 -p tcp -j REJECT --reject-with tcp-reset`] })),
    sends: [router(syn(R1, 43003, S, 80))] },
  { name: 'output: REJECT icmp-port-unreachable to a local sender', rules: save(countEverywhere({ filter: [`-A OUTPUT -d ${S}/32 -p udp -j REJECT`] })),
    sends: [router(udp(R1, 43004, S, 53))] },
  { name: 'output: DNAT in nat OUTPUT re-routes', rules: save(countEverywhere({ nat: ['-A OUTPUT -d 10.10.2.50/32 -p tcp -j DNAT --to-destination 10.10.2.2'], filter: [`-A OUTPUT -d ${S}/32`] })),
    sends: [router(syn(R1, 43005, '10.10.2.50', 80))] },
  { name: 'output: to the router\'s own address, through lo into INPUT', rules: save(countEverywhere()),
    sends: [router(udp(R0, 43006, R0, 9999))] },
  { name: 'output: SYN to the router itself, the RST answer also loops', rules: save(countEverywhere()),
    sends: [router(syn(R1, 43007, R0, 22))] },
  { name: 'output: DNAT to a local address', rules: save(countEverywhere({ nat: ['-A OUTPUT -d 10.10.2.50/32 -p udp -j DNAT --to-destination 127.0.0.1:9999'] })),
    sends: [router(udp(R1, 43008, '10.10.2.50', 53))] },
  { name: 'output: MASQUERADE in POSTROUTING keeps the port', rules: save({ nat: ['-A POSTROUTING -o eth1 -p tcp -j MASQUERADE'], filter: ['-A OUTPUT -o eth1'] }),
    sends: [router(syn(R1, 43009, S, 80))] },
  { name: 'output: SNAT --to-source with a port range', randomPorts: true, rules: save({ nat: [`-A POSTROUTING -o eth1 -p udp -j SNAT --to-source ${R1}:20000-20010`] }),
    sends: [router(udp(R1, 43010, S, 53))] },
  { name: 'output: mangle MARK re-routes (same route)', rules: save(countEverywhere({ mangle: ['-A OUTPUT -j MARK --set-mark 0x9'] })),
    sends: [router(syn(R1, 43011, S, 80))] },
  { name: 'output: ping, reply, second ping', rules: save({ filter: ['-A OUTPUT -m conntrack --ctstate NEW', '-A OUTPUT -m conntrack --ctstate ESTABLISHED', '-A INPUT -m conntrack --ctstate ESTABLISHED'], nat: ['-A OUTPUT -p icmp', '-A POSTROUTING -p icmp'] }),
    sends: [router(ping(R1, S, 31, 1)), server(pong(S, R1, 31, 1)), router(ping(R1, S, 31, 2))] },
  { name: 'output: the echo reply arriving is ESTABLISHED', rules: save({ filter: ['-A INPUT -m conntrack --ctstate ESTABLISHED', '-A INPUT -m conntrack --ctstate NEW'], nat: ['-A PREROUTING -p icmp', '-A INPUT -p icmp'] }),
    sends: [router(ping(R1, S, 32, 1)), server(pong(S, R1, 32, 1))] },
  { name: 'output: raw CT --notrack makes it UNTRACKED', rules: save({ raw: ['-A OUTPUT -p tcp -j CT --notrack'], filter: ['-A OUTPUT -m conntrack --ctstate UNTRACKED'], nat: ['-A POSTROUTING -p tcp'] }),
    sends: [router(syn(R1, 43012, S, 80))] },
  { name: 'output: LOG in OUTPUT', rules: save({ filter: ['-A OUTPUT -p tcp -j LOG --log-prefix "out: " --log-tcp-options'] }),
    sends: [router(syn(R1, 43013, S, 80))] },
  { name: 'output: UDP, reply, second datagram skips nat POSTROUTING', rules: save({ nat: ['-A POSTROUTING -p udp', '-A OUTPUT -p udp'], filter: ['-A INPUT -p udp -m conntrack --ctstate ESTABLISHED'] }),
    sends: [router(udp(R1, 43014, S, 53)), server(udp(S, 53, R1, 43014)), router(udp(R1, 43014, S, 53))] },
  { name: 'output: the UDP reply to a closed router port gets port unreachable', rules: save(countEverywhere()),
    sends: [router(udp(R1, 43015, S, 53)), server(udp(S, 53, R1, 43015))] },

  // ------------------------------------------------------------------ TCP states (conntrack -L compared too)
  { name: 'forward: tcp state after the client FIN', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED'] }),
    sends: [client(syn(C, 44000, S, 80)), server(synAck(S, 80, C, 44000)), client(ack(C, 44000, S, 80)), client(fin(C, 44000, S, 80))] },
  { name: 'forward: tcp state after the server FIN-ACK', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED'] }),
    sends: [client(syn(C, 44001, S, 80)), server(synAck(S, 80, C, 44001)), client(ack(C, 44001, S, 80)), client(fin(C, 44001, S, 80)), server(serverFin(S, 80, C, 44001))] },
  { name: 'forward: tcp state after the last ACK', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED'] }),
    sends: [client(syn(C, 44002, S, 80)), server(synAck(S, 80, C, 44002)), client(ack(C, 44002, S, 80)), client(fin(C, 44002, S, 80)), server(serverFin(S, 80, C, 44002)), client(lastAck(C, 44002, S, 80))] },
  { name: 'forward: a reset closes an established connection', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED'] }),
    sends: [client(syn(C, 44003, S, 80)), server(synAck(S, 80, C, 44003)), client(ack(C, 44003, S, 80)), client(rst(C, 44003, S, 80))] },
  { name: 'forward: the server refuses with a reset; the entry is deleted', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED', '-A FORWARD -m conntrack --ctstate NEW'] }),
    sends: [client(syn(C, 44004, S, 80)), server(rstAck(S, 80, C, 44004))] },
  { name: 'forward: after the SYN-ACK the state is SYN_RECV', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate ESTABLISHED -m conntrack --ctdir REPLY'] }),
    sends: [client(syn(C, 44005, S, 80)), server(synAck(S, 80, C, 44005))] },
  { name: 'forward: a retransmitted SYN is still NEW', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate NEW', '-A FORWARD -m conntrack --ctstate ESTABLISHED'] }),
    sends: [client(syn(C, 44006, S, 80)), client(syn(C, 44006, S, 80))] },

  // ------------------------------------------------------------------ ICMP errors from elsewhere (RELATED)
  { name: 'forward: the server answers UDP with port unreachable: RELATED', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate RELATED', '-A FORWARD -m conntrack --ctstate NEW'] }),
    sends: [client(udp(C, 45000, S, 53)), server(icmpError(S, C, udp(C, 45000, S, 53)))] },
  { name: 'forward: a port unreachable for a masqueraded flow is translated back', rules: save(countEverywhere({ nat: ['-A POSTROUTING -o eth1 -j MASQUERADE'], filter: ['-A FORWARD -m conntrack --ctstate RELATED -m conntrack --ctdir REPLY'] })),
    sends: [client(udp(C, 45001, S, 53)), server(icmpError(S, R1, udp(R1, 45001, S, 53)))] },
  { name: 'forward: host unreachable about a DNATed TCP SYN', rules: save({ nat: [`-A PREROUTING -d ${R0}/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${S}:80`], filter: ['-A FORWARD -p icmp -m conntrack --ctstate RELATED', '-A FORWARD -p icmp'] }),
    sends: [client(syn(C, 45002, R0, 8080)), server(icmpError(S, C, syn(C, 45002, S, 80), 1))] },
  { name: 'forward: an ICMP error about no connection is INVALID', rules: save({ filter: ['-A FORWARD -m conntrack --ctstate INVALID -j DROP', '-A FORWARD -j ACCEPT'] }),
    sends: [server(icmpError(S, C, udp(C, 45003, S, 53)))] },
  { name: 'output: time exceeded about the router\'s own ping is RELATED at INPUT', rules: save({ filter: ['-A INPUT -m conntrack --ctstate RELATED', '-A INPUT -m conntrack --ctstate INVALID'], nat: ['-A INPUT', '-A PREROUTING'] }),
    sends: [router(ping(R1, S, 46, 1)), server(icmpError(S, R1, ping(R1, S, 46, 1), 0, 11))] },

  // ------------------------------------------------------------------ more target options
  { name: 'forward: CONNMARK --restore-mark gives later packets the connection mark', rules: save({ mangle: ['-A PREROUTING -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x3/0xffffffff', '-A PREROUTING -j CONNMARK --restore-mark', '-A FORWARD -m mark --mark 0x3'] }),
    sends: [client(syn(C, 47000, S, 80)), server(synAck(S, 80, C, 47000))] },
  { name: 'forward: MASQUERADE --random-fully', randomPorts: true, rules: save({ nat: ['-A POSTROUTING -o eth1 -j MASQUERADE --random-fully'] }),
    sends: [client(syn(C, 47001, S, 80))] },
  { name: 'forward: DNAT to an address and port range', randomPorts: true, rules: save({ nat: [`-A PREROUTING -d ${R0}/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${S}:80-82`], filter: [`-A FORWARD -d ${S}/32`] }),
    sends: [client(syn(C, 47002, R0, 8080))] },
  { name: 'forward: SNAT --random', randomPorts: true, rules: save({ nat: [`-A POSTROUTING -o eth1 -p udp -j SNAT --to-source ${R1} --random`] }),
    sends: [client(udp(C, 47003, S, 53))] },
  { name: 'output: REDIRECT in nat OUTPUT goes to 127.0.0.1', rules: save(countEverywhere({ nat: ['-A OUTPUT -d 10.10.2.60/32 -p udp -j REDIRECT --to-ports 5353'] })),
    sends: [router(udp(R1, 47004, '10.10.2.60', 53))] },
  { name: 'forward: MARK --xor-mark and --and-mark', rules: save({ mangle: ['-A FORWARD -j MARK --set-mark 0xff', '-A FORWARD -j MARK --xor-mark 0xf', '-A FORWARD -j MARK --and-mark 0xf0', '-A POSTROUTING -m mark --mark 0xf0'] }),
    sends: [client(syn(C, 47005, S, 80))] },
  { name: 'forward: state --state RELATED for an ICMP error', rules: save({ filter: ['-A FORWARD -m state --state RELATED', '-A FORWARD -m state --state ESTABLISHED'] }),
    sends: [client(ping(C, S, 48, 1)), server(icmpError(S, C, ping(C, S, 48, 1), 1))] },

  // ------------------------------------------------------------------ ipset
  { name: 'input: -m set --match-set src drops a listed client', prepare: ['ipset create blocked hash:ip', `ipset add blocked ${C}`],
    rules: save({ filter: ['-A INPUT -m set --match-set blocked src -j DROP', '-A INPUT -j ACCEPT'] }),
    sends: [client(syn(C, 48000, R0, 22))] },
  { name: 'forward: ! --match-set dst lets an unlisted server through', prepare: ['ipset create servers hash:ip', 'ipset add servers 10.10.2.99'],
    rules: save({ filter: [':FORWARD DROP', '-A FORWARD -m set ! --match-set servers dst -j ACCEPT'] }),
    sends: [client(syn(C, 48001, S, 80))] },

  // ------------------------------------------------------------------ TTL
  { name: 'forward: TTL 1 is answered with time exceeded before FORWARD', rules: save(countEverywhere({ filter: ['-A OUTPUT -p icmp -m conntrack --ctstate RELATED'] })),
    sends: [client({ ...syn(C, 49000, S, 80), ttl: 1 })] },
  { name: 'forward: TTL 2 is forwarded', rules: save(countEverywhere()),
    sends: [client({ ...udp(C, 49001, S, 53), ttl: 2 })] },

  // ------------------------------------------------------------------ routing decisions
  { name: 'forward: a packet claiming the router\'s own address as source is a martian', rules: save(countEverywhere()),
    sends: [client(syn(R1, 49100, S, 80))] },
  { name: 'input: a martian source to the router itself', rules: save(countEverywhere()),
    sends: [client(udp(R0, 49101, R0, 53))] },
  { name: 'input: a UDP broadcast to the subnet is delivered locally (addrtype BROADCAST)', rules: save(countEverywhere({ filter: ['-A INPUT -m addrtype --dst-type BROADCAST', '-A INPUT -m pkttype --pkt-type broadcast'] })),
    sends: [client(udp(C, 49102, '10.10.1.255', 5000))] },
  { name: 'input: in the raw table (before conntrack) every packet is INVALID to -m conntrack', rules: save({ raw: ['-A PREROUTING -m conntrack --ctstate INVALID', '-A PREROUTING -m conntrack --ctstate NEW', '-A OUTPUT -m state --state INVALID'] }),
    sends: [client(syn(C, 49103, R0, 22))] },
]
