/**
 * Connection tracking as nf_conntrack does it for IPv4: tuples, the lookup that gives a packet its
 * state (NEW / ESTABLISHED / RELATED / INVALID / UNTRACKED) and direction, the TCP state machine, timeouts,
 * and the table of confirmed entries that `conntrack -L` lists.
 *
 * A new connection's entry stays unconfirmed while its first packet traverses; it joins the table at
 * the confirm step (end of INPUT or POSTROUTING) and is discarded if the packet is dropped, exactly as
 * the kernel does.
 */
import type { ConnTuple, ConntrackEntry, ConntrackState, ConntrackTemplate, Packet, TcpFlags } from './types.ts'

/** Default timeouts in seconds (net.netfilter.nf_conntrack_*_timeout*). */
export const TCP_TIMEOUTS: Record<string, number> = {
  SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30,
  TIME_WAIT: 120, CLOSE: 10,
}
export const UDP_TIMEOUT = 30
export const UDP_STREAM_TIMEOUT = 120
export const ICMP_TIMEOUT = 30
export const GENERIC_TIMEOUT = 600

/** ICMP types that are errors about another packet (they can only be RELATED, never start a flow). */
export const ICMP_ERROR_TYPES: ReadonlySet<number> = new Set([3, 4, 5, 11, 12])
/** ICMP query types and the reply type conntrack expects (echo, timestamp, info, address mask). */
const ICMP_REPLY_OF: Record<number, number> = { 8: 0, 13: 14, 15: 16, 17: 18 }

/** A tracked connection with what the kernel keeps beside the public entry. */
export interface CtRecord {
  entry: ConntrackEntry
  /** Simulated time (ms) at which the entry expires. */
  expiresAt: number
  /** Whether the nat table has been consulted for this manip type (nf_nat_initialized). */
  natInitialized: { SRC: boolean; DST: boolean }
  /** UDP: replies after this time make the flow a stream (longer timeout, ASSURED). */
  streamAfter: number
}

export function tupleOf(p: Packet): ConnTuple {
  if (p.proto === 'icmp') {
    return { proto: 'icmp', src: p.src, dst: p.dst, icmpType: p.icmpType ?? 8, icmpCode: p.icmpCode ?? 0, icmpId: p.icmpId ?? 0 }
  }
  if (p.proto === 'tcp' || p.proto === 'udp' || p.proto === 'sctp') {
    return { proto: p.proto, src: p.src, dst: p.dst, sport: p.sport ?? 0, dport: p.dport ?? 0 }
  }
  return { proto: p.proto, src: p.src, dst: p.dst }
}

/** The tuple the other direction's packets carry. */
export function invertTuple(t: ConnTuple): ConnTuple {
  if (t.proto === 'icmp') {
    return { proto: 'icmp', src: t.dst, dst: t.src, icmpType: ICMP_REPLY_OF[t.icmpType ?? 8] ?? 0, icmpCode: 0, icmpId: t.icmpId }
  }
  const inv: ConnTuple = { proto: t.proto, src: t.dst, dst: t.src }
  if (t.sport !== undefined) inv.sport = t.dport
  if (t.dport !== undefined) inv.dport = t.sport
  return inv
}

/** Hash key of a tuple. ICMP replies and requests share a key via the id (type is per direction). */
export function tupleKey(t: ConnTuple): string {
  if (t.proto === 'icmp') return `icmp ${t.src} ${t.dst} ${t.icmpType} ${t.icmpId}`
  return `${t.proto} ${t.src} ${t.sport ?? ''} ${t.dst} ${t.dport ?? ''}`
}

/** nf_ct_zone_id: the zone a tuple of this direction is hashed in (0 when the zone holds for the other one). */
function zoneIdFor(z: { zone?: number; zoneDir?: 'orig' | 'reply' } | undefined, dir: 'ORIGINAL' | 'REPLY'): number {
  if (!z?.zone) return 0
  if (z.zoneDir === 'orig' && dir !== 'ORIGINAL') return 0
  if (z.zoneDir === 'reply' && dir !== 'REPLY') return 0
  return z.zone
}

function zoneKey(zone: number, t: ConnTuple): string {
  return zone ? `zone ${zone} ${tupleKey(t)}` : tupleKey(t)
}

export function isIcmpError(p: Packet): boolean {
  return p.proto === 'icmp' && ICMP_ERROR_TYPES.has(p.icmpType ?? -1)
}

type TcpIndex = 'SYN' | 'SYNACK' | 'FIN' | 'ACK' | 'RST' | 'NONE'

function tcpIndex(f: TcpFlags | undefined): TcpIndex {
  if (!f) return 'NONE'
  if (f.RST) return 'RST'
  if (f.SYN) return f.ACK ? 'SYNACK' : 'SYN'
  if (f.FIN) return 'FIN'
  if (f.ACK) return 'ACK'
  return 'NONE'
}

/**
 * Whether a TCP packet without an entry may start one, and in which state: a SYN opens SYN_SENT; with
 * nf_conntrack_tcp_loose=1 (the default) a bare ACK picks the connection up mid-stream as ESTABLISHED;
 * anything else (SYN-ACK, FIN, RST, no flags) is INVALID.
 */
export function tcpNewState(flags: TcpFlags | undefined): string | undefined {
  const i = tcpIndex(flags)
  if (i === 'SYN') return 'SYN_SENT'
  if (i === 'ACK') return 'ESTABLISHED'
  return undefined
}

/**
 * The TCP state machine of nf_conntrack_proto_tcp.c, reduced to the transitions a learner meets.
 * Returns the new state, or undefined when the kernel would mark the packet INVALID.
 */
export function tcpTransition(state: string, dir: 'ORIGINAL' | 'REPLY', flags: TcpFlags | undefined): string | undefined {
  const i = tcpIndex(flags)
  if (i === 'RST') return 'CLOSE'
  switch (state) {
    case 'SYN_SENT':
      if (dir === 'ORIGINAL') return i === 'SYN' ? 'SYN_SENT' : undefined
      if (i === 'SYNACK') return 'SYN_RECV'
      if (i === 'SYN') return 'SYN_SENT'
      return undefined
    case 'SYN_RECV':
      if (i === 'ACK') return dir === 'ORIGINAL' ? 'ESTABLISHED' : 'SYN_RECV'
      if (i === 'SYNACK' || i === 'SYN') return 'SYN_RECV'
      if (i === 'FIN') return 'FIN_WAIT'
      return 'SYN_RECV'
    case 'ESTABLISHED':
      if (i === 'FIN') return 'FIN_WAIT'
      if (i === 'SYNACK' && dir === 'ORIGINAL') return undefined
      return 'ESTABLISHED'
    case 'FIN_WAIT':
      if (i === 'FIN') return 'LAST_ACK'
      if (i === 'ACK') return 'CLOSE_WAIT'
      return 'FIN_WAIT'
    case 'CLOSE_WAIT':
      if (i === 'FIN') return 'LAST_ACK'
      return 'CLOSE_WAIT'
    case 'LAST_ACK':
      if (i === 'ACK') return 'TIME_WAIT'
      return 'LAST_ACK'
    case 'TIME_WAIT':
      if (i === 'SYN' && dir === 'ORIGINAL') return 'SYN_SENT'
      return 'TIME_WAIT'
    case 'CLOSE':
      if (i === 'SYN' && dir === 'ORIGINAL') return 'SYN_SENT'
      return 'CLOSE'
    default:
      return state
  }
}

export function timeoutFor(entry: ConntrackEntry, stream = false): number {
  if (entry.original.proto === 'tcp') return TCP_TIMEOUTS[entry.tcpState ?? 'SYN_SENT'] ?? 120
  if (entry.original.proto === 'udp') return stream ? UDP_STREAM_TIMEOUT : UDP_TIMEOUT
  if (entry.original.proto === 'icmp') return ICMP_TIMEOUT
  return GENERIC_TIMEOUT
}

/** What the conntrack hook (priority -200) found for a packet. */
export interface CtLookup {
  state: ConntrackState
  direction: 'ORIGINAL' | 'REPLY'
  /** The connection (confirmed, or new and unconfirmed); absent for INVALID and UNTRACKED. */
  record?: CtRecord
  /** True when `record` was created for this packet and waits for the confirm step. */
  unconfirmed: boolean
  /** Why the state is what it is, for the trace. */
  why: string
}

/** The conntrack table of one host. */
export class ConntrackTable {
  private readonly byKey = new Map<string, { record: CtRecord; direction: 'ORIGINAL' | 'REPLY' }>()
  private readonly records: CtRecord[] = []
  private nextId = 1

  /** Confirmed, unexpired entries in insertion order. */
  list(now: number): CtRecord[] {
    this.expire(now)
    return [...this.records]
  }

  flush(): number {
    const n = this.records.length
    this.records.length = 0
    this.byKey.clear()
    return n
  }

  get size(): number { return this.records.length }

  /** An independent copy (entries, their NAT bindings and timers, the next id): for copying a whole host. */
  clone(): ConntrackTable {
    const copy = new ConntrackTable()
    const mapped = new Map<CtRecord, CtRecord>()
    const copyOf = (r: CtRecord): CtRecord => {
      let c = mapped.get(r)
      if (!c) {
        c = { ...r, entry: JSON.parse(JSON.stringify(r.entry)) as ConntrackEntry, natInitialized: { ...r.natInitialized } }
        mapped.set(r, c)
      }
      return c
    }
    for (const r of this.records) copy.records.push(copyOf(r))
    for (const [k, v] of this.byKey) copy.byKey.set(k, { record: copyOf(v.record), direction: v.direction })
    copy.nextId = this.nextId
    return copy
  }

  /** Whether a confirmed, unexpired connection with this id is in the table and not closed. */
  isLive(id: number, now: number): boolean {
    const r = this.records.find((x) => x.entry.id === id)
    if (!r || r.expiresAt <= now) return false
    return r.entry.tcpState !== 'CLOSE' && r.entry.tcpState !== 'TIME_WAIT'
  }

  /**
   * The confirmed connection a tuple belongs to, and in which direction, within a conntrack zone (a CT
   * template's): a tuple hashed in direction D carries the zone id when the zone holds for D, else zone 0.
   */
  find(t: ConnTuple, now: number, zone?: ConntrackTemplate): { record: CtRecord; direction: 'ORIGINAL' | 'REPLY' } | undefined {
    const zo = zoneIdFor(zone, 'ORIGINAL')
    const zr = zoneIdFor(zone, 'REPLY')
    let hit = this.byKey.get(zoneKey(zo, t))
    if (hit && zo !== zr && hit.direction !== 'ORIGINAL') hit = undefined
    if (!hit && zr !== zo) {
      hit = this.byKey.get(zoneKey(zr, t))
      if (hit && hit.direction !== 'REPLY') hit = undefined
    }
    if (hit && hit.record.expiresAt <= now) {
      this.remove(hit.record)
      return undefined
    }
    return hit
  }

  /** Whether a tuple is in use by any connection of the zone (nf_nat_used_tuple: the NAT clash check). */
  taken(t: ConnTuple, now: number, zone?: ConntrackTemplate): boolean {
    return this.find(t, now, zone) !== undefined
  }

  /**
   * nf_conntrack_in: classify a packet and update the connection it belongs to. `relatedTo` attaches
   * a locally generated answer (REJECT's reset or ICMP error) to the connection it answers, as
   * nf_ct_attach does.
   */
  classify(p: Packet, now: number, template?: ConntrackTemplate, accounting = false): CtLookup {
    const r = this.lookup(p, now, template, accounting)
    // nf_ct_acct_update: the connection's counters (when it has them) take this packet, INVALID ones aside.
    const c = r.record?.entry.counters
    if (c && r.state !== 'INVALID' && r.state !== 'RELATED') {
      const d = r.direction === 'REPLY' ? c.reply : c.original
      d.packets += 1
      d.bytes += p.length
    }
    return r
  }

  private lookup(p: Packet, now: number, template: ConntrackTemplate | undefined, accounting: boolean): CtLookup {
    const t = tupleOf(p)
    if (isIcmpError(p)) {
      // nf_conntrack_inet_error: the quoted header, inverted, is looked up; the error belongs to the
      // connection in the direction found (a quoted original-direction packet makes a reply-direction error).
      const about = p.quoted ? this.find(invertTuple(p.quoted), now, template) : undefined
      if (!about) return { state: 'INVALID', direction: 'ORIGINAL', unconfirmed: false, why: 'ICMP error about no tracked connection' }
      return { state: 'RELATED', direction: about.direction, record: about.record, unconfirmed: false, why: `ICMP error about connection ${about.record.entry.id}` }
    }
    const hit = this.find(t, now, template)
    if (hit) return this.update(hit.record, hit.direction, p, now)
    if (p.proto === 'tcp') {
      const st = tcpNewState(p.tcpFlags)
      if (!st) return { state: 'INVALID', direction: 'ORIGINAL', unconfirmed: false, why: 'TCP packet that cannot open a connection (not a SYN) and no entry matches' }
      return this.create(t, now, st, template, accounting)
    }
    if (p.proto === 'icmp' && ICMP_REPLY_OF[p.icmpType ?? 8] === undefined) {
      return { state: 'INVALID', direction: 'ORIGINAL', unconfirmed: false, why: `ICMP type ${p.icmpType} cannot open a connection and no entry matches` }
    }
    return this.create(t, now, undefined, template, accounting)
  }

  private create(t: ConnTuple, now: number, tcpState?: string, template?: ConntrackTemplate, accounting = false): CtLookup {
    const entry: ConntrackEntry = {
      id: this.nextId++,
      original: t,
      reply: invertTuple(t),
      status: { seenReply: false, assured: false, confirmed: false, srcNat: false, dstNat: false },
      mark: 0,
      timeout: 0,
    }
    if (tcpState) entry.tcpState = tcpState
    // The CT template's zone and helper go to the new connection (nf_ct_zone_tmpl, __nf_ct_try_assign_helper).
    if (template?.zone) {
      entry.zone = template.zone
      if (template.zoneDir) entry.zoneDir = template.zoneDir
    }
    if (template?.helper) entry.helper = template.helper
    if (accounting) entry.counters = { original: { packets: 0, bytes: 0 }, reply: { packets: 0, bytes: 0 } }
    entry.timeout = timeoutFor(entry)
    const record: CtRecord = {
      entry, expiresAt: now + entry.timeout * 1000, natInitialized: { SRC: false, DST: false }, streamAfter: now + 2000,
    }
    return { state: 'NEW', direction: 'ORIGINAL', record, unconfirmed: true, why: 'first packet of a connection: no entry matches its tuple' }
  }

  private update(record: CtRecord, direction: 'ORIGINAL' | 'REPLY', p: Packet, now: number): CtLookup {
    const e = record.entry
    let stream = false
    if (e.original.proto === 'tcp') {
      const next = tcpTransition(e.tcpState ?? 'SYN_SENT', direction, p.tcpFlags)
      if (!next) {
        return { state: 'INVALID', direction, unconfirmed: false, why: `TCP flags not valid in state ${e.tcpState} (${direction.toLowerCase()} direction)` }
      }
      if (!e.status.assured && next === 'ESTABLISHED' && (e.tcpState === 'SYN_RECV' || e.tcpState === 'ESTABLISHED') && e.status.seenReply) {
        e.status.assured = true
      }
      e.tcpState = next
      // "If only reply is a RST, we can consider ourselves not to have an established connection ...
      // delete the conntrack immediately" (nf_conntrack_proto_tcp.c): the packet keeps its state.
      if (p.tcpFlags?.RST && direction === 'REPLY' && !e.status.seenReply) {
        this.remove(record)
        return { state: 'ESTABLISHED', direction, record, unconfirmed: false, why: `reset answering connection ${e.id}: the entry is deleted at once` }
      }
    }
    if (direction === 'REPLY') e.status.seenReply = true
    if (e.original.proto === 'udp' && e.status.seenReply && now >= record.streamAfter) {
      stream = true
      if (direction === 'ORIGINAL' || e.status.seenReply) e.status.assured = true
    }
    e.timeout = timeoutFor(e, stream)
    record.expiresAt = now + e.timeout * 1000
    const state: ConntrackState = direction === 'REPLY' || e.status.seenReply ? 'ESTABLISHED' : 'NEW'
    const why = direction === 'REPLY'
      ? `reply of connection ${e.id}`
      : e.status.seenReply ? `connection ${e.id} has seen a reply` : `connection ${e.id} exists but has seen no reply yet`
    return { state, direction, record, unconfirmed: false, why }
  }

  /** __nf_conntrack_confirm: the connection joins the table under both tuples. */
  confirm(record: CtRecord): void {
    if (record.entry.status.confirmed) return
    record.entry.status.confirmed = true
    this.records.push(record)
    this.byKey.set(zoneKey(zoneIdFor(record.entry, 'ORIGINAL'), record.entry.original), { record, direction: 'ORIGINAL' })
    this.byKey.set(zoneKey(zoneIdFor(record.entry, 'REPLY'), record.entry.reply), { record, direction: 'REPLY' })
  }

  private remove(record: CtRecord): void {
    const i = this.records.indexOf(record)
    if (i >= 0) this.records.splice(i, 1)
    const keys = [zoneKey(zoneIdFor(record.entry, 'ORIGINAL'), record.entry.original), zoneKey(zoneIdFor(record.entry, 'REPLY'), record.entry.reply)]
    for (const k of keys) if (this.byKey.get(k)?.record === record) this.byKey.delete(k)
  }

  private expire(now: number): void {
    for (const r of [...this.records]) if (r.expiresAt <= now) this.remove(r)
  }
}

function protoNumber(p: ConnTuple['proto']): number {
  if (typeof p === 'number') return p
  return { tcp: 6, udp: 17, icmp: 1, sctp: 132 }[p]
}

function formatTuple(t: ConnTuple): string {
  if (t.proto === 'icmp') return `src=${t.src} dst=${t.dst} type=${t.icmpType} code=${t.icmpCode} id=${t.icmpId}`
  let s = `src=${t.src} dst=${t.dst}`
  if (t.sport !== undefined) s += ` sport=${t.sport} dport=${t.dport}`
  return s
}

/**
 * One line of `conntrack -L` (conntrack-tools 1.4.7), e.g.
 * `tcp      6 431999 ESTABLISHED src=... dst=... sport=... dport=... src=... ... [ASSURED] mark=0 use=1`.
 * The remaining time is rounded down after a tick has passed, as the real tool shows 29 for a fresh UDP flow.
 */
export function formatConntrackLine(r: CtRecord, now: number): string {
  const e = r.entry
  const name = typeof e.original.proto === 'number' ? 'unknown' : e.original.proto
  const remaining = Math.max(0, Math.floor((r.expiresAt - now - 1) / 1000))
  let s = `${name.padEnd(8)} ${protoNumber(e.original.proto)} ${remaining} `
  if (e.tcpState) s += `${e.tcpState} `
  // With accounting on, each tuple is followed by its direction's counters (conntrack-tools 1.4.7).
  const acct = (d: { packets: number; bytes: number } | undefined) => (d ? `packets=${d.packets} bytes=${d.bytes} ` : '')
  // A zone of one direction follows that direction's tuple; a zone of both comes after the mark (measured).
  const dirZone = (d: 'orig' | 'reply') => (e.zone && e.zoneDir === d ? `zone-${d}=${e.zone} ` : '')
  s += formatTuple(e.original) + ' ' + acct(e.counters?.original) + dirZone('orig')
  if (!e.status.seenReply) s += '[UNREPLIED] '
  s += formatTuple(e.reply) + ' ' + acct(e.counters?.reply) + dirZone('reply')
  if (e.status.assured) s += '[ASSURED] '
  s += `mark=${e.mark} `
  if (e.zone && !e.zoneDir) s += `zone=${e.zone} `
  if (e.helper) s += `helper=${e.helper} `
  s += 'use=1'
  return s
}
