/**
 * What REJECT sends back, as nf_reject_ipv4.c builds it: a TCP reset (nf_send_reset) or an ICMP
 * destination-unreachable error (nf_send_unreach → icmp_send). The answer is a locally generated packet,
 * attached to the rejected packet's connection as RELATED (nf_ct_attach), and it traverses OUTPUT and
 * POSTROUTING like any packet the host sends.
 */
import { tupleOf } from './conntrack.ts'
import type { Packet, RejectKind } from './types.ts'

/** ICMP destination-unreachable code per --reject-with (type 3). */
export const REJECT_ICMP_CODE: Record<Exclude<RejectKind, 'tcp-reset'>, number> = {
  'icmp-net-unreachable': 0,
  'icmp-host-unreachable': 1,
  'icmp-proto-unreachable': 2,
  'icmp-port-unreachable': 3,
  'icmp-net-prohibited': 9,
  'icmp-host-prohibited': 10,
  'icmp-admin-prohibited': 13,
}

/** What the client sees, in words, for the trace and the UI. */
export function describeReject(kind: RejectKind): string {
  switch (kind) {
    case 'tcp-reset': return 'TCP RST (the client sees "Connection refused")'
    case 'icmp-port-unreachable': return 'ICMP type 3 code 3, port unreachable (the client sees "Connection refused")'
    case 'icmp-host-unreachable': return 'ICMP type 3 code 1, host unreachable ("No route to host")'
    case 'icmp-net-unreachable': return 'ICMP type 3 code 0, network unreachable ("Network is unreachable")'
    case 'icmp-proto-unreachable': return 'ICMP type 3 code 2, protocol unreachable'
    case 'icmp-net-prohibited': return 'ICMP type 3 code 9, network administratively prohibited'
    case 'icmp-host-prohibited': return 'ICMP type 3 code 10, host administratively prohibited ("No route to host")'
    case 'icmp-admin-prohibited': return 'ICMP type 3 code 13, communication administratively prohibited'
  }
}

/**
 * The answer packet, or undefined when the kernel sends none: nf_send_reset only answers TCP segments
 * that are not themselves resets; icmp_send never answers an ICMP error, nor a broadcast or multicast.
 * `source` is the address the host answers from (the rejected packet's destination when it was addressed
 * to this host, else the address of the interface towards the sender).
 */
export function rejectAnswer(p: Packet, kind: RejectKind, source: string): Packet | undefined {
  if (kind === 'tcp-reset') {
    if (p.proto !== 'tcp' || p.tcpFlags?.RST) return undefined
    const ackIn = p.tcpFlags?.ACK ?? false
    return {
      src: p.dst, dst: p.src, proto: 'tcp', sport: p.dport, dport: p.sport,
      // With an ACK in the offending segment the reset takes its sequence from it and carries no ACK.
      tcpFlags: { SYN: false, ACK: !ackIn, FIN: false, RST: true, PSH: false, URG: false },
      // nf_reject_iphdr_put sets DF.
      length: 40, ttl: 64, mark: 0, dontFragment: true,
    }
  }
  if (p.proto === 'icmp' && (p.icmpType === undefined || [3, 4, 5, 11, 12].includes(p.icmpType))) return undefined
  const first = Number(p.dst.split('.')[0])
  if (p.dst === '255.255.255.255' || (first >= 224 && first <= 239)) return undefined
  // icmp_send quotes as much of the offending packet as fits in 576 bytes.
  const quoted = Math.min(p.length, 576 - 28)
  return {
    src: source, dst: p.src, proto: 'icmp', icmpType: 3, icmpCode: REJECT_ICMP_CODE[kind],
    // icmp_send marks errors as internetwork control (TOS 0xc0), as xtables-monitor shows them.
    length: 28 + quoted, ttl: 64, tos: 0xc0, mark: 0, quoted: tupleOf(p),
  }
}
