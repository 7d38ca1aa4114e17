/**
 * Packets of a flow as a client would send them: parse `tcp 10.0.0.1:40000 -> 10.96.0.10:80`, build the
 * first packet (a TCP SYN, a UDP datagram, an ICMP echo request), the answer the other end sends, and the
 * flow's next packet; and send the n-th packet of a flow through a host, with everything before it
 * (the first packet and its answer) traversing too, so conntrack holds what it would.
 */
import ipaddr from 'ipaddr.js'
import { traverse } from '../netfilter/traversal.ts'
import type { TraversalHost, TraversalResult, TraverseOptions } from '../netfilter/traversal-types.ts'
import type { Packet, TcpFlags } from '../netfilter/types.ts'

export interface PacketSpec {
  proto: 'tcp' | 'udp' | 'icmp'
  src: string
  sport?: number
  dst: string
  dport?: number
}

/** Ephemeral source port used when the spec gives none (inside Linux's 32768-60999 range). */
export const DEFAULT_SPORT = 40000
/** Echo identifier of generated pings. */
export const ICMP_ID = 4242

/** Typical sizes on the wire (IP header included): SYN/SYN-ACK with options, ACK with timestamps, ping -s 56. */
export const LENGTHS = { syn: 60, ack: 52, udp: 40, icmp: 84 } as const

function flags(set: Partial<TcpFlags>): TcpFlags {
  return { SYN: false, ACK: false, FIN: false, RST: false, PSH: false, URG: false, ...set }
}

/** A packet spec that cannot be read (parsePacketSpec's only error). */
export class PacketSpecError extends Error {
  override name = 'PacketSpecError'
}

function endpoint(text: string, what: string): { addr: string; port?: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(text)
  if (!m || !ipaddr.IPv4.isValidFourPartDecimal(m[1])) throw new PacketSpecError(`invalid ${what} ${JSON.stringify(text)}: expected ADDRESS or ADDRESS:PORT`)
  if (m[2] === undefined) return { addr: m[1] }
  const port = Number(m[2])
  if (port < 1 || port > 65535) throw new PacketSpecError(`invalid ${what} port ${m[2]}: expected 1-65535`)
  return { addr: m[1], port }
}

/** Parse `PROTO SRC[:PORT] -> DST[:PORT]`; PacketSpecError when it cannot. */
export function parsePacketSpec(text: string): PacketSpec {
  const m = /^\s*(\S+)\s+(\S+)\s*->\s*(\S+)\s*$/.exec(text)
  if (!m) throw new PacketSpecError(`invalid packet ${JSON.stringify(text)}: expected "PROTO SRC[:PORT] -> DST[:PORT]"`)
  const proto = m[1].toLowerCase()
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp') throw new PacketSpecError(`invalid protocol ${JSON.stringify(m[1])}: expected tcp, udp or icmp`)
  const s = endpoint(m[2], 'source')
  const d = endpoint(m[3], 'destination')
  if (proto === 'icmp' && (s.port !== undefined || d.port !== undefined)) throw new PacketSpecError('icmp has no ports: give addresses only')
  if (proto !== 'icmp' && d.port === undefined) throw new PacketSpecError(`${proto} needs a destination port (DST:PORT)`)
  const spec: PacketSpec = { proto, src: s.addr, dst: d.addr }
  if (proto !== 'icmp') {
    spec.sport = s.port ?? DEFAULT_SPORT
    spec.dport = d.port
  }
  return spec
}

export function firstPacket(spec: PacketSpec): Packet {
  // Linux sets DF on what its sockets send (path MTU discovery).
  const base = { src: spec.src, dst: spec.dst, ttl: 64, mark: 0, dontFragment: true }
  if (spec.proto === 'tcp') return { ...base, proto: 'tcp', sport: spec.sport, dport: spec.dport, tcpFlags: flags({ SYN: true }), length: LENGTHS.syn }
  if (spec.proto === 'udp') return { ...base, proto: 'udp', sport: spec.sport, dport: spec.dport, length: LENGTHS.udp }
  return { ...base, proto: 'icmp', icmpType: 8, icmpCode: 0, icmpId: ICMP_ID, length: LENGTHS.icmp }
}

/** The packet after the first one was answered: TCP's handshake ACK, another datagram, another ping. */
export function nextPacket(spec: PacketSpec): Packet {
  const p = firstPacket(spec)
  if (p.proto === 'tcp') return { ...p, tcpFlags: flags({ ACK: true }), length: LENGTHS.ack }
  return p
}

/** What the other end answers to a packet as it arrived there: SYN-ACK, a datagram back, an echo reply. */
export function answerTo(p: Packet): Packet {
  const base: Packet = { src: p.dst, dst: p.src, proto: p.proto, ttl: 64, mark: 0, length: p.length }
  if (p.proto === 'tcp') return { ...base, sport: p.dport, dport: p.sport, tcpFlags: flags({ SYN: true, ACK: true }), length: LENGTHS.syn }
  if (p.proto === 'udp') return { ...base, sport: p.dport, dport: p.sport }
  const r: Packet = { ...base, icmpType: 0, icmpCode: 0 }
  if (p.icmpId !== undefined) r.icmpId = p.icmpId
  return r
}

export interface FlowResult {
  /** The packets before the measured one, in order (first packet, its answer). */
  before: { role: 'first' | 'answer'; result: TraversalResult }[]
  result: TraversalResult
}

/**
 * Send the nth (1 or 2) packet of a flow. For 2, the first packet traverses, the other end answers — the
 * answer arrives on the interface the first packet left by, or is sent by this host when the first packet
 * was delivered to it — and then the flow's next packet traverses: that one is the result.
 */
export function sendNth(host: TraversalHost, spec: PacketSpec, opts: TraverseOptions, nth: 1 | 2): FlowResult {
  if (nth === 1) return { before: [], result: traverse(host, firstPacket(spec), opts) }
  const first = traverse(host, firstPacket(spec), { ...opts, localAnswers: false })
  const before: FlowResult['before'] = [{ role: 'first', result: first }]
  if (first.verdict !== 'delivered') {
    throw new FlowError(`the first packet was ${first.verdict} (${first.reason}), so there is no second packet`, before)
  }
  const answer = answerTo(first.packet)
  const deliveredHere = first.packet.outIface === undefined
  const replyOpts: TraverseOptions = deliveredHere ? { local: true, localAnswers: false } : { inIface: first.packet.outIface, localAnswers: false }
  const reply = traverse(host, answer, replyOpts)
  before.push({ role: 'answer', result: reply })
  if (reply.verdict !== 'delivered') {
    throw new FlowError(`the answer to the first packet was ${reply.verdict} (${reply.reason}), so the flow never got going`, before)
  }
  return { before, result: traverse(host, nextPacket(spec), opts) }
}

export class FlowError extends Error {
  readonly before: FlowResult['before']
  constructor(message: string, before: FlowResult['before']) {
    super(message)
    this.name = 'FlowError'
    this.before = before
  }
}
