/** The engine's side of the parity suites: the same packets as send.py puts on the wire. */
import { tupleOf } from '../../src/engine/netfilter/conntrack.ts'
import type { Packet } from '../../src/engine/netfilter/types.ts'
import type { WirePacket } from './kernel-lab.ts'

/**
 * The engine's copy of a wire packet: the same bytes send.py writes (IP 20 + TCP 20 [+ 4 for an MSS
 * option] / UDP 8 / ICMP 8 + a payload of 'x's), so byte matches (u32, string) read what the kernel reads.
 */
export function toEnginePacket(w: WirePacket): Packet {
  const payload = w.payload ?? 0
  const base: Pick<Packet, 'src' | 'dst' | 'ttl' | 'mark' | 'dontFragment' | 'tos' | 'ipId'> = { src: w.src, dst: w.dst, ttl: 64, mark: 0, dontFragment: true, tos: w.tos ?? 0, ipId: 0 }
  if (w.ttl !== undefined) base.ttl = w.ttl
  const data = payload ? { payload: 'x'.repeat(payload) } : {}
  if (w.proto === 'tcp') {
    const f = w.flags ?? 'S'
    const tcp: Packet = {
      ...base, ...data, proto: 'tcp', sport: w.sport, dport: w.dport, length: 40 + (w.mss !== undefined ? 4 : 0) + payload,
      tcpSeq: w.seq ?? 1000, tcpAck: w.ack ?? 0, tcpWindow: 64240,
      tcpFlags: {
        SYN: f.includes('S'), ACK: f.includes('A'), FIN: f.includes('F'), RST: f.includes('R'), PSH: f.includes('P'), URG: f.includes('U'),
        ECE: f.includes('E'), CWR: f.includes('C'),
      },
    }
    if (w.mss !== undefined) tcp.tcpMss = w.mss
    return tcp
  }
  if (w.proto === 'udp') return { ...base, ...data, proto: 'udp', sport: w.sport, dport: w.dport, length: 28 + payload }
  if (w.quoted) {
    const q = toEnginePacket(w.quoted)
    return { ...base, proto: 'icmp', icmpType: w.icmpType ?? 3, icmpCode: w.icmpCode ?? 0, length: 28 + 28, quoted: tupleOf(q) }
  }
  return { ...base, ...data, proto: 'icmp', icmpType: w.icmpType ?? 8, icmpCode: w.icmpCode ?? 0, icmpId: w.icmpId ?? 0, icmpSeq: w.icmpSeq ?? 1, length: 28 + payload }
}
