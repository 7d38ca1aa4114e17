/**
 * A simulated packet as the bytes the kernel sees at a netfilter hook (skb->data at the IP header): the
 * IPv4 header, the TCP (with its MSS and other options), UDP or ICMP header, and the payload — what byte
 * matches read (`-m u32`, `-m string`, `-m bpf`). Checksums are computed as a real stack fills them.
 * Fields a packet leaves out take the values the simulation sends: IP id 0, TCP window 64240, sequence
 * numbers 0, a payload of zero bytes.
 */
import { parseStrictIPv4 } from '../net/ipv4.ts'
import { parseProtocol } from './protocols.ts'
import type { ConnTuple, Packet } from './types.ts'

function checksum(bytes: number[], start = 0, end = bytes.length, initial = 0): number {
  let sum = initial
  for (let i = start; i < end; i += 2) sum += (bytes[i] << 8) + (i + 1 < end ? bytes[i + 1] : 0)
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return ~sum & 0xffff
}

function put16(b: number[], at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff
  b[at + 1] = v & 0xff
}

function put32(b: number[], at: number, v: number): void {
  put16(b, at, (v >>> 16) & 0xffff)
  put16(b, at + 2, v & 0xffff)
}

function addressBytes(text: string): number[] {
  const n = parseStrictIPv4(text) ?? 0
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
}

function protoNumber(p: Packet['proto']): number {
  return typeof p === 'number' ? p : (parseProtocol(p) ?? 0)
}

/** The bytes a TCP option of this kind takes as the simulation writes it (EOL and NOP take one). */
export function tcpOptionLength(kind: number): number {
  if (kind === 0 || kind === 1) return 1
  if (kind === 2) return 4
  if (kind === 3) return 3
  if (kind === 8) return 10
  return 2
}

/** TCP options as a stack writes them: MSS first, then the kinds listed, padded with NOPs to 4 bytes. */
function tcpOptionBytes(p: Packet): number[] {
  const out: number[] = []
  if (p.tcpMss !== undefined) out.push(2, 4, (p.tcpMss >>> 8) & 0xff, p.tcpMss & 0xff)
  for (const kind of p.tcpOptions ?? []) {
    if (kind === 2) continue
    if (kind === 0 || kind === 1) out.push(kind)
    else if (kind === 3) out.push(3, 3, 7)
    else if (kind === 8) out.push(8, 10, 0, 0, 0, 0, 0, 0, 0, 0)
    else out.push(kind, 2)
  }
  while (out.length % 4 !== 0) out.push(1)
  return out
}

/** The TCP header's length in bytes (20 plus the options, padded), what the data offset field says. */
export function tcpHeaderLength(p: Packet): number {
  return 20 + tcpOptionBytes(p).length
}

function tcpFlagByte(p: Packet): number {
  const f = p.tcpFlags
  if (!f) return 0
  return (f.FIN ? 1 : 0) | (f.SYN ? 2 : 0) | (f.RST ? 4 : 0) | (f.PSH ? 8 : 0) | (f.ACK ? 16 : 0) | (f.URG ? 32 : 0) | (f.ECE ? 64 : 0) | (f.CWR ? 128 : 0)
}

/** The transport header of a packet (no payload). */
function transportHeader(p: Packet): number[] {
  if (p.proto === 'tcp') {
    const opts = tcpOptionBytes(p)
    const h = new Array<number>(20).fill(0)
    put16(h, 0, p.sport ?? 0)
    put16(h, 2, p.dport ?? 0)
    put32(h, 4, p.tcpSeq ?? 0)
    put32(h, 8, p.tcpAck ?? 0)
    h[12] = ((20 + opts.length) / 4) << 4
    h[13] = tcpFlagByte(p)
    put16(h, 14, p.tcpWindow ?? 64240)
    return [...h, ...opts]
  }
  if (p.proto === 'udp' || p.proto === 'sctp') {
    const h = new Array<number>(8).fill(0)
    put16(h, 0, p.sport ?? 0)
    put16(h, 2, p.dport ?? 0)
    return h
  }
  if (p.proto === 'icmp') {
    const h = new Array<number>(8).fill(0)
    h[0] = p.icmpType ?? 8
    h[1] = p.icmpCode ?? 0
    put16(h, 4, p.icmpId ?? 0)
    put16(h, 6, p.icmpSeq ?? 1)
    return h
  }
  if (p.proto === 50 || p.proto === 51 || p.proto === 108) {
    // ESP: SPI, sequence. AH: next header, length, reserved, SPI. IPComp: next header, flags, CPI.
    const h = new Array<number>(8).fill(0)
    if (p.proto === 50) put32(h, 0, p.spi ?? 0)
    else if (p.proto === 51) put32(h, 4, p.spi ?? 0)
    else put16(h, 2, p.spi ?? 0)
    return h
  }
  return []
}

/** The quoted part of an ICMP error: the offending packet's IP header and its first 8 bytes. */
function quotedBytes(q: ConnTuple): number[] {
  const inner: Packet = { src: q.src, dst: q.dst, proto: q.proto, sport: q.sport, dport: q.dport, length: 28, ttl: 64, mark: 0 }
  if (q.proto === 'icmp') Object.assign(inner, { icmpType: q.icmpType, icmpCode: q.icmpCode, icmpId: q.icmpId })
  return packetBytes(inner).slice(0, 28)
}

/** The packet's bytes from its IP header on, `length` bytes long. */
export function packetBytes(p: Packet): number[] {
  const proto = protoNumber(p.proto)
  const ip = new Array<number>(20).fill(0)
  ip[0] = 0x45
  ip[1] = (p.tos ?? 0) & 0xff
  put16(ip, 2, p.length)
  put16(ip, 4, p.ipId ?? 0)
  put16(ip, 6, p.dontFragment ? 0x4000 : 0)
  ip[8] = p.ttl & 0xff
  ip[9] = proto
  ip.splice(12, 8, ...addressBytes(p.src), ...addressBytes(p.dst))
  put16(ip, 10, checksum(ip))
  const l4 = transportHeader(p)
  const room = Math.max(0, p.length - 20 - l4.length)
  let payload: number[]
  if (p.proto === 'icmp' && p.quoted) payload = quotedBytes(p.quoted)
  else if (p.payload !== undefined) payload = [...p.payload].map((c) => c.charCodeAt(0) & 0xff)
  else payload = []
  payload = payload.slice(0, room)
  while (payload.length < room) payload.push(0)
  const seg = [...l4, ...payload]
  if (p.proto === 'tcp' || p.proto === 'udp') {
    const len = seg.length
    const pseudo = [...ip.slice(12, 20), 0, proto, (len >>> 8) & 0xff, len & 0xff]
    let sum = 0
    for (let i = 0; i < pseudo.length; i += 2) sum += (pseudo[i] << 8) + pseudo[i + 1]
    const c = checksum(seg, 0, seg.length, sum)
    put16(seg, p.proto === 'tcp' ? 16 : 6, p.proto === 'udp' && c === 0 ? 0xffff : c)
    if (p.proto === 'udp') put16(seg, 4, len)
  } else if (p.proto === 'icmp') {
    put16(seg, 2, checksum(seg))
  }
  return [...ip, ...seg].slice(0, Math.max(p.length, 20))
}

/** Offset of the transport header (the IP header is always 20 bytes here). */
export const TRANSPORT_OFFSET = 20

/** Offset of the payload: after the IP header and the transport header. */
export function payloadOffset(p: Packet): number {
  return TRANSPORT_OFFSET + transportHeader(p).length
}
