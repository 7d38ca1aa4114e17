/** The engine's side of the parity suites: the same packets as send.py puts on the wire. */
import { tupleOf } from '../../src/engine/netfilter/conntrack.ts'
import type { Packet } from '../../src/engine/netfilter/types.ts'
import type { WirePacket } from './kernel-lab.ts'

/** The engine's copy of a wire packet (same length: IP 20 + TCP 20 / UDP 8 / ICMP 8 + payload). */
export function toEnginePacket(w: WirePacket): Packet {
  const payload = w.payload ?? 0
  const base = { src: w.src, dst: w.dst, ttl: 64, mark: 0, dontFragment: true }
  if (w.ttl !== undefined) base.ttl = w.ttl
  if (w.proto === 'tcp') {
    const f = w.flags ?? 'S'
    return {
      ...base, proto: 'tcp', sport: w.sport, dport: w.dport, length: 40 + payload,
      tcpFlags: { SYN: f.includes('S'), ACK: f.includes('A'), FIN: f.includes('F'), RST: f.includes('R'), PSH: f.includes('P'), URG: f.includes('U') },
    }
  }
  if (w.proto === 'udp') return { ...base, proto: 'udp', sport: w.sport, dport: w.dport, length: 28 + payload }
  if (w.quoted) {
    const q = toEnginePacket(w.quoted)
    return { ...base, proto: 'icmp', icmpType: w.icmpType ?? 3, icmpCode: w.icmpCode ?? 0, length: 28 + 28, quoted: tupleOf(q) }
  }
  return { ...base, proto: 'icmp', icmpType: w.icmpType ?? 8, icmpCode: w.icmpCode ?? 0, icmpId: w.icmpId ?? 0, length: 28 + payload }
}

