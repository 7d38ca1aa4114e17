/**
 * NAT bindings as nf_nat makes them: the nat table is consulted once per connection and manip type
 * (DST in PREROUTING/OUTPUT, SRC in INPUT/POSTROUTING); the chosen mapping is stored in the conntrack
 * entry's reply tuple, and every later packet of the connection, in both directions, is rewritten from it.
 */
import type { ConntrackTable, CtRecord } from './conntrack.ts'
import { invertTuple } from './conntrack.ts'
import type { ConnTuple, ConntrackTemplate, Hook, NatAction, Packet, Rng } from './types.ts'

export type ManipType = 'SRC' | 'DST'

/** Which manip a nat hook does: DNAT before routing (PREROUTING, OUTPUT), SNAT after (INPUT, POSTROUTING). */
export function manipTypeOf(hook: Hook): ManipType | undefined {
  if (hook === 'PREROUTING' || hook === 'OUTPUT') return 'DST'
  if (hook === 'INPUT' || hook === 'POSTROUTING') return 'SRC'
  return undefined
}

function hasPorts(t: ConnTuple): boolean {
  return t.proto === 'tcp' || t.proto === 'udp' || t.proto === 'sctp'
}

function portOf(t: ConnTuple, m: ManipType): number | undefined {
  if (t.proto === 'icmp') return t.icmpId
  return m === 'SRC' ? t.sport : t.dport
}

function withPort(t: ConnTuple, m: ManipType, port: number): ConnTuple {
  if (t.proto === 'icmp') return { ...t, icmpId: port }
  return m === 'SRC' ? { ...t, sport: port } : { ...t, dport: port }
}

/** Default port ranges nf_nat_l4proto_unique_tuple searches when a port must change. */
function defaultRange(port: number, isIcmp: boolean): [number, number] {
  if (isIcmp) return [0, 65535]
  if (port < 512) return [1, 511]
  if (port < 1024) return [600, 1023]
  return [1024, 65535]
}

export interface NatBindingResult {
  /** The connection's new original-direction tuple after this manip. */
  tuple: ConnTuple
  /** Human explanation for the trace. */
  why: string
}

/**
 * nf_nat_setup_info: choose the mapping for one manip type. `action` is the nat target's result, or
 * undefined for the null binding the kernel makes when no nat rule matched. Ports are preserved unless the
 * resulting tuple is already used by another connection (or --random-fully asks for a random one); the
 * replacement port comes from the seeded generator.
 */
export function chooseBinding(
  current: ConnTuple, m: ManipType, action: NatAction | undefined, ct: ConntrackTable, rng: Rng, now: number,
  zone?: ConntrackTemplate,
): NatBindingResult {
  let t: ConnTuple = { ...current }
  if (action?.address) t = m === 'SRC' ? { ...t, src: action.address } : { ...t, dst: action.address }
  else if (action?.addressRange) {
    const a = action.addressRange[0]
    t = m === 'SRC' ? { ...t, src: a } : { ...t, dst: a }
  }
  const portable = hasPorts(t) || t.proto === 'icmp'
  if (!portable) return { tuple: t, why: 'no ports to map' }
  let port = portOf(t, m) ?? 0
  const original = port
  let range: [number, number] | undefined
  if (action?.port !== undefined && hasPorts(t)) { port = action.port; range = [action.port, action.port] }
  if (action?.portRange && hasPorts(t)) range = action.portRange
  const inRange = (p: number) => !range || (p >= range[0] && p <= range[1])
  const used = (p: number) => ct.taken(invertTuple(withPort(t, m, p)), now, zone)
  if (action?.portBase !== undefined && range && hasPorts(t)) {
    // NF_NAT_RANGE_PROTO_OFFSET: always mapped, by the port's distance from the base (a 16-bit offset).
    const [min, max] = range
    const size = max - min + 1
    let off = (original - action.portBase) & 0xffff
    for (let i = 0; i < size; i++, off = (off + 1) & 0xffff) {
      const p = min + (off % size)
      if (!used(p)) return { tuple: withPort(t, m, p), why: `port ${original} shifted from base ${action.portBase} into ${min}-${max}: ${p}` }
    }
    return { tuple: withPort(t, m, original), why: 'no free port in range; kept' }
  }
  if (!action?.randomFully && inRange(port) && !used(port)) return { tuple: withPort(t, m, port), why: 'port kept' }
  const [min, max] = range ?? defaultRange(port, t.proto === 'icmp')
  const size = max - min + 1
  let off = Math.floor(rng.next() * size)
  for (let i = 0; i < size; i++, off++) {
    const p = min + (off % size)
    if (!used(p)) {
      const why = action?.randomFully ? `--random-fully chose port ${p}` : `port ${port} is in use by another connection; chose ${p}`
      return { tuple: withPort(t, m, p), why }
    }
  }
  return { tuple: withPort(t, m, port), why: 'no free port in range; kept' }
}

/** Record a binding in the connection: the reply tuple is the inverse of the new original tuple. */
export function applyBinding(record: CtRecord, m: ManipType, tuple: ConnTuple): void {
  const before = invertTuple(record.entry.reply)
  record.entry.reply = invertTuple(tuple)
  record.natInitialized[m] = true
  const changed = m === 'SRC'
    ? before.src !== tuple.src || portOf(before, 'SRC') !== portOf(tuple, 'SRC')
    : before.dst !== tuple.dst || portOf(before, 'DST') !== portOf(tuple, 'DST')
  if (changed) {
    if (m === 'SRC') record.entry.status.srcNat = true
    else record.entry.status.dstNat = true
  }
}

/**
 * nf_nat_packet: rewrite a packet of a tracked connection at a nat hook from the binding. In the original
 * direction the packet takes the translated tuple's fields; in the reply direction the original tuple's
 * (DNAT is undone on the reply's source, SNAT on its destination).
 */
export function natPacket(record: CtRecord, direction: 'ORIGINAL' | 'REPLY', m: ManipType, p: Packet): Packet {
  const e = record.entry
  const statusBit = direction === 'ORIGINAL' ? (m === 'SRC' ? e.status.srcNat : e.status.dstNat) : (m === 'SRC' ? e.status.dstNat : e.status.srcNat)
  if (!statusBit) return p
  const target = direction === 'ORIGINAL' ? invertTuple(e.reply) : invertTuple(e.original)
  if (p.quoted) p = { ...p, quoted: natQuoted(p.quoted, direction === 'ORIGINAL' ? e.reply : e.original, m) }
  if (m === 'SRC') {
    const q: Packet = { ...p, src: target.src }
    if (p.proto === 'icmp') { if (p.icmpId !== undefined && target.icmpId !== undefined) q.icmpId = target.icmpId }
    else if (target.sport !== undefined && p.sport !== undefined) q.sport = target.sport
    return q
  }
  const q: Packet = { ...p, dst: target.dst }
  // icmp_manip_pkt writes the echo id from the target tuple for either manip type.
  if (p.proto === 'icmp') { if (p.icmpId !== undefined && target.icmpId !== undefined) q.icmpId = target.icmpId }
  else if (target.dport !== undefined && p.dport !== undefined) q.dport = target.dport
  return q
}

/**
 * nf_nat_icmp_reply_translation: the header an ICMP error quotes gets the opposite manip from the other
 * direction's tuple, so it reads as the packet its receiver once sent.
 */
function natQuoted(q: ConnTuple, other: ConnTuple, m: ManipType): ConnTuple {
  if (m === 'SRC') {
    const r: ConnTuple = { ...q, dst: other.dst }
    if (q.proto === 'icmp') r.icmpId = other.icmpId
    else if (q.dport !== undefined && other.dport !== undefined) r.dport = other.dport
    return r
  }
  const r: ConnTuple = { ...q, src: other.src }
  if (q.proto === 'icmp') r.icmpId = other.icmpId
  else if (q.sport !== undefined && other.sport !== undefined) r.sport = other.sport
  return r
}

/** `DNAT to 10.244.1.2:80` style summary of a binding for the trace. */
export function describeBinding(m: ManipType, t: ConnTuple): string {
  const addr = m === 'SRC' ? t.src : t.dst
  const port = portOf(t, m)
  const kind = m === 'SRC' ? 'SNAT' : 'DNAT'
  return t.proto === 'icmp' || port === undefined ? `${kind} to ${addr}` : `${kind} to ${addr}:${port}`
}
