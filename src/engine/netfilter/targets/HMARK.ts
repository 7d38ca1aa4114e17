/**
 * `-j HMARK`: set the packet mark to a hash of its addresses, ports (or IPsec SPI) and protocol, each under
 * a mask, scaled into `--hmark-mod` values and shifted by `--hmark-offset` — xt_HMARK's
 * `reciprocal_scale(jhash_3words(src, dst, ports, rnd) ^ (proto & mask), mod) + offset`, with the smaller
 * address and port first so both directions of a flow get the same mark. `--hmark-tuple ct` hashes the
 * connection's tuples instead (packets without a connection keep their mark).
 *
 * Parsing follows libxt_HMARK: `--hmark-tuple src,dst,...` stands for full masks of those fields (so it
 * cannot be combined with the option that sets the same mask), prefixes of the types are accepted
 * (`s` is src), and only what was given is hashed — a field without a mask counts as zero.
 */
import type { TargetModule } from '../module-api.ts'
import { ParameterProblem } from '../module-api.ts'
import { xtPlenMask, xtUint } from '../xtopt.ts'
import { jhash2 } from '../../ipset/jhash.ts'
import { maskToPrefix, parseStrictIPv4 } from '../../net/ipv4.ts'
import { parseProtocol } from '../protocols.ts'
import type { ConnTuple, EvalContext, Packet } from '../types.ts'

/** xt_HMARK's flag bits (the option ids of libxt_HMARK, hmark-tuple apart). */
const F = { SADDR: 0, DADDR: 1, SPI: 2, SPI_MASK: 3, SPORT: 4, DPORT: 5, SPORT_MASK: 6, DPORT_MASK: 7, PROTO_MASK: 8, RND: 9, MOD: 10, OFFSET: 11, CT: 12 }

export interface HmarkOptions {
  flags: number
  srcMask: number
  dstMask: number
  /** port_mask and port_set as the four bytes they occupy (source port first), read big-endian. */
  portMask: number
  portSet: number
  protoMask: number
  rnd: number
  mod: number
  offset: number
}

const has = (o: HmarkOptions, f: number) => (o.flags & (1 << f)) !== 0
const hex = (n: number, width = 0) => `0x${(n >>> 0).toString(16).padStart(width, '0')}`

/** The types of --hmark-tuple in the order libxt_HMARK tries them (a prefix of the name selects one). */
const TUPLE_TYPES: [string, (o: HmarkOptions) => number, string | undefined][] = [
  ['ct', () => F.CT, undefined],
  ['src', (o) => { o.srcMask = 0xffffffff; return F.SADDR }, 'hmark-src-prefix'],
  ['dst', (o) => { o.dstMask = 0xffffffff; return F.DADDR }, 'hmark-dst-prefix'],
  ['sport', (o) => { o.portMask = (o.portMask | 0xffff0000) >>> 0; return F.SPORT_MASK }, 'hmark-sport-mask'],
  ['dport', (o) => { o.portMask = (o.portMask | 0xffff) >>> 0; return F.DPORT_MASK }, 'hmark-dport-mask'],
  ['proto', (o) => { o.protoMask = 0xffff; return F.PROTO_MASK }, 'hmark-proto-mask'],
  ['spi', (o) => { o.portMask = 0xffffffff; return F.SPI_MASK }, 'hmark-spi-mask'],
]

function parseTupleType(o: HmarkOptions, token: string, rest: string, markSeen: (name: string) => void): void {
  const t = token.length > 0 ? TUPLE_TYPES.find(([name]) => name.startsWith(token.toLowerCase())) : undefined
  if (!t) throw new ParameterProblem(`Bad type "${rest}"`)
  o.flags |= 1 << t[1](o)
  if (t[2]) markSeen(t[2])
}

export const hmarkTarget: TargetModule<HmarkOptions> = {
  kind: 'target',
  name: 'HMARK',
  xtopt: true,
  options: [
    { name: 'hmark-tuple', arg: 'required' }, { name: 'hmark-src-prefix', arg: 'required' }, { name: 'hmark-dst-prefix', arg: 'required' },
    { name: 'hmark-sport-mask', arg: 'required' }, { name: 'hmark-dport-mask', arg: 'required' }, { name: 'hmark-spi-mask', arg: 'required' },
    { name: 'hmark-sport', arg: 'required' }, { name: 'hmark-dport', arg: 'required' }, { name: 'hmark-spi', arg: 'required' },
    { name: 'hmark-proto-mask', arg: 'required' }, { name: 'hmark-rnd', arg: 'required' }, { name: 'hmark-mod', arg: 'required' },
    { name: 'hmark-offset', arg: 'required' },
  ],
  create: () => ({ flags: 0, srcMask: 0, dstMask: 0, portMask: 0, portSet: 0, protoMask: 0, rnd: 0, mod: 0, offset: 0 }),
  parse(o, option, arg, _inverted, env) {
    const text = arg ?? ''
    const u16 = () => xtUint('HMARK', option, text, 16)
    const u32 = () => xtUint('HMARK', option, text)
    switch (option) {
      case 'hmark-tuple': {
        const markSeen = env.markSeen ?? (() => undefined)
        let rest = text
        for (let comma = rest.indexOf(','); comma >= 0; comma = rest.indexOf(',')) {
          if (comma === 0) throw new ParameterProblem(`Bad type "${rest}"`)
          parseTupleType(o, rest.slice(0, comma), rest, markSeen)
          rest = rest.slice(comma + 1)
        }
        if (rest === '') throw new ParameterProblem('"--hmark-tuple" requires a list of types with no spaces, e.g. src,dst,sport,dport,proto')
        parseTupleType(o, rest, rest, markSeen)
        return
      }
      case 'hmark-src-prefix': o.srcMask = xtPlenMask('HMARK', option, text); o.flags |= 1 << F.SADDR; return
      case 'hmark-dst-prefix': o.dstMask = xtPlenMask('HMARK', option, text); o.flags |= 1 << F.DADDR; return
      case 'hmark-sport-mask': o.portMask = ((o.portMask & 0xffff) | (u16() << 16)) >>> 0; o.flags |= 1 << F.SPORT_MASK; return
      case 'hmark-dport-mask': o.portMask = ((o.portMask & 0xffff0000) | u16()) >>> 0; o.flags |= 1 << F.DPORT_MASK; return
      case 'hmark-spi-mask': o.portMask = u32(); o.flags |= 1 << F.SPI_MASK; return
      case 'hmark-sport': o.portSet = ((o.portSet & 0xffff) | (u16() << 16)) >>> 0; o.flags |= 1 << F.SPORT; return
      case 'hmark-dport': o.portSet = ((o.portSet & 0xffff0000) | u16()) >>> 0; o.flags |= 1 << F.DPORT; return
      case 'hmark-spi': o.portSet = u32(); o.flags |= 1 << F.SPI; return
      case 'hmark-proto-mask': o.protoMask = u16(); o.flags |= 1 << F.PROTO_MASK; return
      case 'hmark-rnd': o.rnd = u32(); o.flags |= 1 << F.RND; return
      case 'hmark-mod': o.mod = xtUint('HMARK', option, text, 32, 1); o.flags |= 1 << F.MOD; return
      case 'hmark-offset': o.offset = u32(); o.flags |= 1 << F.OFFSET
    }
  },
  finalCheck(o) {
    const given = (f: number) => has(o, f)
    if (!has(o, F.MOD)) throw new ParameterProblem('--hmark-mod is mandatory')
    if (!has(o, F.RND)) throw new ParameterProblem('--hmark-rnd is mandatory')
    if (given(F.SPI_MASK) && (given(F.SPORT_MASK) || given(F.DPORT_MASK))) {
      throw new ParameterProblem('you cannot use --hmark-spi-mask and --hmark-?port-mask,at the same time')
    }
    const packetFields = [F.SADDR, F.DADDR, F.SPI_MASK, F.SPORT_MASK, F.DPORT_MASK, F.PROTO_MASK, F.SPORT, F.DPORT, F.SPI]
    if (!packetFields.some(given) && !given(F.CT)) throw new ParameterProblem('you have to specify --hmark-tuple at least')
  },
  // xt_HMARK's checkentry: an SPI to set cannot be combined with ports to set.
  kernelCheck: (o) => (has(o, F.SPI) && (has(o, F.SPORT) || has(o, F.DPORT)) ? 'EINVAL' : undefined),
  save(o) {
    const parts: string[] = []
    if (has(o, F.SADDR)) parts.push(`--hmark-src-prefix ${maskToPrefix(o.srcMask)}`)
    if (has(o, F.DADDR)) parts.push(`--hmark-dst-prefix ${maskToPrefix(o.dstMask)}`)
    if (has(o, F.SPORT_MASK)) parts.push(`--hmark-sport-mask ${hex(o.portMask >>> 16, 4)}`)
    if (has(o, F.DPORT_MASK)) parts.push(`--hmark-dport-mask ${hex(o.portMask & 0xffff, 4)}`)
    if (has(o, F.SPI_MASK)) parts.push(`--hmark-spi-mask ${hex(o.portMask, 8)}`)
    if (has(o, F.SPORT)) parts.push(`--hmark-sport ${hex(o.portSet >>> 16, 4)}`)
    if (has(o, F.DPORT)) parts.push(`--hmark-dport ${hex(o.portSet & 0xffff, 4)}`)
    if (has(o, F.SPI)) parts.push(`--hmark-spi ${hex(o.portSet, 8)}`)
    if (has(o, F.PROTO_MASK)) parts.push(`--hmark-proto-mask ${hex(o.protoMask, 2)}`)
    if (has(o, F.RND)) parts.push(`--hmark-rnd ${hex(o.rnd, 8)}`)
    if (has(o, F.MOD)) parts.push(`--hmark-mod ${o.mod}`)
    if (has(o, F.OFFSET)) parts.push(`--hmark-offset ${o.offset}`)
    if (has(o, F.CT)) parts.push('--hmark-tuple ct')
    return parts.join(' ')
  },
  list(o) {
    let s = 'HMARK '
    if (has(o, F.MOD)) s += `mod ${o.mod} `
    if (has(o, F.OFFSET)) s += `+ ${hex(o.offset)} `
    if (has(o, F.CT)) s += 'ct, '
    if (has(o, F.SADDR)) s += `src-prefix ${maskToPrefix(o.srcMask)} `
    if (has(o, F.DADDR)) s += `dst-prefix ${maskToPrefix(o.dstMask)} `
    if (has(o, F.SPORT_MASK)) s += `sport-mask ${hex(o.portMask >>> 16)} `
    if (has(o, F.DPORT_MASK)) s += `dport-mask ${hex(o.portMask & 0xffff)} `
    if (has(o, F.SPI_MASK)) s += `spi-mask ${hex(o.portMask)} `
    if (has(o, F.SPORT)) s += `sport ${hex(o.portSet >>> 16)} `
    if (has(o, F.DPORT)) s += `dport ${hex(o.portSet & 0xffff)} `
    if (has(o, F.SPI)) s += `spi ${hex(o.portSet)} `
    if (has(o, F.PROTO_MASK)) s += `proto-mask ${hex(o.protoMask)} `
    if (has(o, F.RND)) s += `rnd ${hex(o.rnd)} `
    return s
  },
  apply(o, ctx) {
    const t = has(o, F.CT) ? ctTuple(o, ctx) : packetTuple(o, ctx.packet)
    if (!t) return { outcome: { verdict: 'CONTINUE' }, why: 'the packet has no connection to hash: mark unchanged' }
    const mark = hmarkHash(o, t)
    return { outcome: { verdict: 'CONTINUE' }, mark, why: `hash of ${t.what} → mark ${hex(mark)}` }
  },
}

interface HashTuple {
  src: number
  dst: number
  /** The first four bytes of the transport header (ports or SPI), big-endian; 0 when not hashed. */
  ports: number
  portsRead: boolean
  proto: number
  what: string
}

const protoNum = (p: Packet['proto'] | ConnTuple['proto']) => (typeof p === 'number' ? p : (parseProtocol(p) ?? 0))
const addr = (text: string) => parseStrictIPv4(text) ?? 0

/** Offset of the ports (or SPI) in the transport header, as proto_ports_offset; undefined when none. */
function portsOf(proto: number, sport: number | undefined, dport: number | undefined, spi: number | undefined): number | undefined {
  if (proto === 50 || proto === 51) return (spi ?? 0) >>> 0
  if ([6, 17, 33, 132, 136].includes(proto)) return (((sport ?? 0) << 16) | (dport ?? 0)) >>> 0
  return undefined
}

const ICMP_ERRORS = new Set([3, 4, 5, 11, 12])

function packetTuple(o: HmarkOptions, packet: Packet): HashTuple {
  // ICMP errors are hashed by the header they quote (get_inner_hdr).
  const inner = packet.proto === 'icmp' && ICMP_ERRORS.has(packet.icmpType ?? -1) ? packet.quoted : undefined
  const src = addr(inner ? inner.src : packet.src)
  const dst = addr(inner ? inner.dst : packet.dst)
  const proto = protoNum(inner ? inner.proto : packet.proto)
  const ports = proto === 1 ? undefined : inner ? portsOf(proto, inner.sport, inner.dport, undefined) : portsOf(proto, packet.sport, packet.dport, packet.spi)
  return {
    src: (src & o.srcMask) >>> 0, dst: (dst & o.dstMask) >>> 0, ports: ports ?? 0, portsRead: ports !== undefined, proto,
    what: inner ? 'the header the ICMP error quotes' : 'the packet',
  }
}

function ctTuple(o: HmarkOptions, ctx: EvalContext): HashTuple | undefined {
  const e = ctx.ct?.entry
  if (!e) return undefined
  const proto = protoNum(e.original.proto)
  const ports = proto === 1 ? undefined : ((((e.original.sport ?? 0) << 16) | (e.reply.sport ?? 0)) >>> 0)
  return {
    src: (addr(e.original.src) & o.srcMask) >>> 0, dst: (addr(e.reply.src) & o.dstMask) >>> 0,
    ports: ports ?? 0, portsRead: ports !== undefined, proto, what: `connection ${e.id}`,
  }
}

/** hmark_hash: addresses and ports each ordered smaller first, jhash_3words, the protocol, then the scale. */
export function hmarkHash(o: HmarkOptions, t: HashTuple): number {
  let src = t.src
  let dst = t.dst
  if (dst < src) [src, dst] = [dst, src]
  let ports = 0
  if (t.portsRead) {
    const hp = ((t.ports & o.portMask) | o.portSet) >>> 0
    const ps = hp >>> 16
    const pd = hp & 0xffff
    ports = (pd > ps ? (pd << 16) | ps : (ps << 16) | pd) >>> 0
  }
  const hash = (jhash2([src, dst, ports], o.rnd) ^ (t.proto & o.protoMask)) >>> 0
  return (Number((BigInt(hash) * BigInt(o.mod)) >> 32n) + o.offset) >>> 0
}
