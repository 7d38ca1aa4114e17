/**
 * A node's IPVS state: the virtual server table (as kube-proxy programs it), per-service scheduler memory,
 * the connection table (`ipvsadm -Lnc`) with persistence templates, and the statistics (`--stats`).
 *
 * The packet hooks (`localIn`, `reply`) are what the netfilter traversal calls where the kernel's ip_vs
 * hooks sit (ip_vs_core.c ip_vs_ops4):
 *   - LOCAL_IN  at NF_IP_PRI_NAT_SRC - 1 (99, after the filter INPUT chain, before nat INPUT):
 *     ip_vs_remote_request4 — a packet to a virtual service is scheduled and DNAT-ed to a real server,
 *     then re-sent through LOCAL_OUT and POSTROUTING (ip_vs_nat_xmit → NF_INET_LOCAL_OUT);
 *   - LOCAL_OUT at NF_IP_PRI_NAT_DST + 2 (-98, after nat OUTPUT): ip_vs_local_request4 — the same for
 *     connections the node itself opens to a virtual service;
 *   - LOCAL_IN at NF_IP_PRI_NAT_SRC - 2 (98) and FORWARD at 100 (ip_vs_reply4): replies from a real server
 *     get their source rewritten back to the virtual address.
 */
import type { Packet } from '../netfilter/types.ts'
import { newSchedState, schedule } from './scheduler.ts'
import type { SchedDest, SchedState } from './scheduler.ts'
import { IPVS_SVC_F_PERSISTENT, IPVS_SVC_F_SCHED2, virtualServerKey } from './types.ts'
import type { IpvsProtocol, RealServerSpec, VirtualServerSpec } from './types.ts'

/** TCP state timeouts of IPVS (ip_vs_proto_tcp.c tcp_timeouts), seconds. */
export const TCP_TIMEOUTS: Record<string, number> = {
  NONE: 2, ESTABLISHED: 900, SYN_SENT: 120, SYN_RECV: 60, FIN_WAIT: 120, TIME_WAIT: 120, CLOSE: 10,
  CLOSE_WAIT: 60, LAST_ACK: 30, LISTEN: 120, SYNACK: 120,
}
export const UDP_TIMEOUT = 300

export interface Counters {
  conns: number
  inpkts: number
  outpkts: number
  inbytes: number
  outbytes: number
}

const zero = (): Counters => ({ conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 })

export interface RealServer extends RealServerSpec {
  activeConns: number
  inactConns: number
  persistConns: number
  stats: Counters
}

export interface VirtualService {
  protocol: IpvsProtocol
  address: string
  port: number
  scheduler: string
  flags: number
  timeout: number
  /** Destinations in kernel list order (each new one goes to the head). */
  dests: RealServer[]
  stats: Counters
  sched: SchedState
}

export interface IpvsConnection {
  protocol: IpvsProtocol
  client: { address: string; port: number }
  virtual: { address: string; port: number }
  dest: { address: string; port: number }
  /** TCP state name, `UDP` / `SCTP` for those, `NONE` for a persistence template. */
  state: string
  /** Simulated time (ms) when the entry expires. */
  expiresAt: number
  template: boolean
}

/** What the LOCAL_IN / LOCAL_OUT request hook did with a packet. */
export type IpvsRequestResult =
  /** Not for a virtual service: IPVS lets it continue (NF_ACCEPT) unchanged. */
  | { action: 'pass'; step: string }
  /** Scheduled (or matched an existing connection) and rewritten to the real server. */
  | { action: 'forward'; packet: Packet; realServer: { address: string; port: number }; newConnection: boolean; step: string; service: string }
  /** A virtual service without an available real server: ICMP port unreachable to the client, drop. */
  | { action: 'reject'; step: string; service: string }

/** What the reply hook did. */
export type IpvsReplyResult =
  | { action: 'pass'; step: string }
  | { action: 'unnat'; packet: Packet; step: string }

function protoOf(packet: Packet): IpvsProtocol | undefined {
  return packet.proto === 'tcp' ? 'TCP' : packet.proto === 'udp' ? 'UDP' : packet.proto === 'sctp' ? 'SCTP' : undefined
}

export class IpvsTable {
  private services = new Map<string, VirtualService>()
  /** Connections and templates by their lookup key, in creation order (what `-c` lists). */
  private connections = new Map<string, IpvsConnection>()
  /** Reply direction index: real server + client → the connection's key. */
  private replies = new Map<string, string>()
  /** No entry expires before this time (ms): expiry scans are skipped until then. */
  private nextExpiry = Infinity

  /** ipvsadm's header: IP_VS_VERSION_CODE 1.2.1, connection hash table size 4096 (conn_tab_bits 12). */
  readonly version = '1.2.1'
  readonly connTabSize = 4096
  timeouts = { tcp: 900, tcpfin: 120, udp: 300 }

  list(): VirtualService[] {
    return [...this.services.values()]
  }

  get(protocol: IpvsProtocol, address: string, port: number): VirtualService | undefined {
    return this.services.get(virtualServerKey({ protocol, address, port }))
  }

  connectionsAt(now: number): IpvsConnection[] {
    this.expire(now)
    return [...this.connections.values()]
  }

  private static key(protocol: string, client: { address: string; port: number }, virtual: { address: string; port: number }, template: boolean): string {
    return `${template ? 'T' : 'C'}|${protocol}|${client.address}:${client.port}|${virtual.address}:${virtual.port}`
  }

  private static replyKey(protocol: string, dest: { address: string; port: number }, client: { address: string; port: number }): string {
    return `${protocol}|${dest.address}:${dest.port}|${client.address}:${client.port}`
  }

  private addConnection(c: IpvsConnection): void {
    const key = IpvsTable.key(c.protocol, c.client, c.virtual, c.template)
    this.connections.set(key, c)
    if (!c.template) this.replies.set(IpvsTable.replyKey(c.protocol, c.dest, c.client), key)
    this.nextExpiry = Math.min(this.nextExpiry, c.expiresAt)
  }

  /**
   * Make the table equal to what kube-proxy wants (syncService / syncEndpoint / cleanLegacyService):
   * services added, updated (scheduler, flags, timeout) or deleted; destinations added at the list head
   * in the given order, removed ones deleted (kube-proxy's graceful termination sets weight 0 first and
   * deletes when no connections are left: here a destination with connections stays with weight 0).
   */
  sync(wanted: readonly VirtualServerSpec[]): void {
    const keys = new Set<string>()
    for (const spec of wanted) {
      const key = virtualServerKey(spec)
      keys.add(key)
      let svc = this.services.get(key)
      if (!svc) {
        svc = { protocol: spec.protocol, address: spec.address, port: spec.port, scheduler: spec.scheduler, flags: spec.flags, timeout: spec.timeout, dests: [], stats: zero(), sched: newSchedState() }
        this.services.set(key, svc)
      } else if (svc.scheduler !== spec.scheduler || svc.flags !== spec.flags || svc.timeout !== spec.timeout) {
        svc.scheduler = spec.scheduler
        svc.flags = spec.flags
        svc.timeout = spec.timeout
        svc.sched = newSchedState()
      }
      const want = new Map(spec.realServers.map((r) => [`${r.address}:${r.port}`, r]))
      for (const d of [...svc.dests]) {
        const k = `${d.address}:${d.port}`
        const w = want.get(k)
        if (w) d.weight = w.weight
        else if (d.activeConns + d.inactConns > 0) d.weight = 0
        else svc.dests = svc.dests.filter((x) => x !== d)
      }
      for (const [k, r] of want) {
        if (!svc.dests.some((d) => `${d.address}:${d.port}` === k)) {
          svc.dests.unshift({ ...r, activeConns: 0, inactConns: 0, persistConns: 0, stats: zero() })
        }
      }
    }
    for (const key of [...this.services.keys()]) if (!keys.has(key)) this.services.delete(key)
  }

  /** `ipvsadm -C` */
  clear(): void {
    this.services.clear()
  }

  /** `ipvsadm -Z` */
  zero(): void {
    for (const s of this.services.values()) {
      s.stats = zero()
      for (const d of s.dests) d.stats = zero()
    }
  }

  private expire(now: number): void {
    if (now < this.nextExpiry) return
    let next = Infinity
    for (const [key, c] of this.connections) {
      if (c.expiresAt > now) { next = Math.min(next, c.expiresAt); continue }
      this.connections.delete(key)
      if (!c.template) this.replies.delete(IpvsTable.replyKey(c.protocol, c.dest, c.client))
      const d = this.destOf(c)
      if (d) {
        if (c.template) d.persistConns--
        else if (c.state === 'ESTABLISHED') d.activeConns--
        else d.inactConns--
      }
    }
    this.nextExpiry = next
  }

  private destOf(c: IpvsConnection): RealServer | undefined {
    const svc = this.get(c.protocol, c.virtual.address, c.virtual.port)
    return svc?.dests.find((d) => d.address === c.dest.address && d.port === c.dest.port)
  }

  private setState(c: IpvsConnection, state: string, now: number): void {
    const d = this.destOf(c)
    if (d && !c.template && (c.state === 'ESTABLISHED') !== (state === 'ESTABLISHED')) {
      if (state === 'ESTABLISHED') { d.activeConns++; d.inactConns-- } else { d.activeConns--; d.inactConns++ }
    }
    c.state = state
    c.expiresAt = now + 1000 * (c.protocol === 'TCP' ? TCP_TIMEOUTS[state] ?? 60 : UDP_TIMEOUT)
    this.nextExpiry = Math.min(this.nextExpiry, c.expiresAt)
  }

  /**
   * The request hook (LOCAL_IN for packets arriving, LOCAL_OUT for the node's own): a packet of an existing
   * IPVS connection is rewritten to its real server; a new one to a virtual service is scheduled.
   */
  localIn(packet: Packet, now: number): IpvsRequestResult {
    this.expire(now)
    const protocol = protoOf(packet)
    if (!protocol || packet.dport === undefined || packet.sport === undefined) {
      return { action: 'pass', step: 'IPVS: not TCP, UDP or SCTP — not for a virtual service' }
    }
    const existing = this.connections.get(IpvsTable.key(protocol, { address: packet.src, port: packet.sport }, { address: packet.dst, port: packet.dport }, false))
    const svc = this.get(protocol, packet.dst, packet.dport)
    const vname = `${protocol} ${packet.dst}:${packet.dport}`
    if (existing) {
      const flags = packet.tcpFlags
      if (protocol === 'TCP' && flags) {
        if (flags.RST) this.setState(existing, 'CLOSE', now)
        else if (flags.FIN) this.setState(existing, existing.state === 'CLOSE_WAIT' ? 'LAST_ACK' : 'FIN_WAIT', now)
        else if (flags.ACK && existing.state === 'SYN_RECV') this.setState(existing, 'ESTABLISHED', now)
        else this.setState(existing, existing.state, now)
      } else this.setState(existing, existing.state, now)
      this.count(svc, existing.dest, packet, 'in', false)
      return {
        action: 'forward', packet: { ...packet, dst: existing.dest.address, dport: existing.dest.port }, realServer: { ...existing.dest },
        newConnection: false, service: vname,
        step: `IPVS: existing connection ${packet.src}:${packet.sport} → ${vname} goes to ${existing.dest.address}:${existing.dest.port} (${existing.state})`,
      }
    }
    if (!svc) return { action: 'pass', step: `IPVS: no virtual service ${vname} — packet continues unchanged` }
    // A new connection must start with a SYN for TCP (otherwise IPVS ignores it; conntrack decides).
    if (protocol === 'TCP' && packet.tcpFlags && !packet.tcpFlags.SYN) {
      return { action: 'pass', step: `IPVS: ${vname} is a virtual service but this TCP packet does not open a connection` }
    }
    let chosen: RealServer | undefined
    let why = ''
    if (svc.flags & IPVS_SVC_F_PERSISTENT) {
      const tpl = this.connections.get(IpvsTable.key(protocol, { address: packet.src, port: 0 }, svc, true))
      const d = tpl && this.destOf(tpl)
      if (d && d.weight > 0) {
        chosen = d
        why = `persistence: ${packet.src} already bound to ${d.address}:${d.port} (template expires in ${Math.ceil((tpl!.expiresAt - now) / 1000)}s)`
        tpl!.expiresAt = now + svc.timeout * 1000
      }
    }
    if (!chosen) {
      const sched: SchedDest[] = svc.dests.map((d) => ({ key: `${d.address}:${d.port}`, weight: d.weight, activeConns: d.activeConns, inactConns: d.inactConns }))
      const r = schedule({ scheduler: svc.scheduler, flags: svc.flags, dests: sched, state: svc.sched, srcAddr: packet.src, srcPort: packet.sport, dstAddr: packet.dst })
      if (r.index === undefined) {
        return { action: 'reject', service: vname, step: `IPVS: ${vname} has no available real server (${r.why}) — ICMP port unreachable to ${packet.src}, packet dropped` }
      }
      chosen = svc.dests[r.index]
      why = r.why
      if (svc.flags & IPVS_SVC_F_PERSISTENT) {
        this.addConnection({
          protocol, client: { address: packet.src, port: 0 }, virtual: { address: svc.address, port: svc.port },
          dest: { address: chosen.address, port: chosen.port }, state: 'NONE', expiresAt: now + svc.timeout * 1000, template: true,
        })
        chosen.persistConns++
      }
    }
    const conn: IpvsConnection = {
      protocol, client: { address: packet.src, port: packet.sport }, virtual: { address: svc.address, port: svc.port },
      dest: { address: chosen.address, port: chosen.port }, state: 'NONE', expiresAt: now, template: false,
    }
    this.addConnection(conn)
    chosen.inactConns++
    this.setState(conn, protocol === 'TCP' ? 'SYN_RECV' : protocol, now)
    this.count(svc, conn.dest, packet, 'in', true)
    return {
      action: 'forward', packet: { ...packet, dst: chosen.address, dport: chosen.port }, realServer: { address: chosen.address, port: chosen.port },
      newConnection: true, service: vname,
      step: `IPVS: ${vname} (${svc.scheduler}) schedules ${packet.src}:${packet.sport} to ${chosen.address}:${chosen.port} — ${why}; destination rewritten (Masq)`,
    }
  }

  /**
   * Where this virtual service sends new connections from the packet's client, as it stands now (nothing
   * changes): a client with a persistence template goes to its real server; a hashing scheduler (sh, dh, mh
   * without port hashing) sends one client always to the same one; the others spread connections by weight.
   * Undefined when the packet is not for a virtual service.
   */
  shares(packet: Packet, now: number): { service: string; scheduler: string; how: string; shares: { address: string; port: number; share: number }[] } | undefined {
    const protocol = protoOf(packet)
    const svc = protocol && packet.dport !== undefined ? this.get(protocol, packet.dst, packet.dport) : undefined
    if (!svc || !protocol) return undefined
    const service = `${protocol} ${svc.address}:${svc.port}`
    const one = (d: RealServer | undefined, how: string) => ({
      service, scheduler: svc.scheduler, how, shares: svc.dests.map((x) => ({ address: x.address, port: x.port, share: x === d ? 1 : 0 })),
    })
    if (svc.flags & IPVS_SVC_F_PERSISTENT) {
      const tpl = this.connections.get(IpvsTable.key(protocol, { address: packet.src, port: 0 }, svc, true))
      const d = tpl && tpl.expiresAt > now ? this.destOf(tpl) : undefined
      if (d && d.weight > 0) return one(d, 'persistence')
    }
    const hashesClient = svc.scheduler === 'dh' || ((svc.scheduler === 'sh' || svc.scheduler === 'mh') && (svc.flags & IPVS_SVC_F_SCHED2) === 0)
    if (hashesClient) {
      const sched: SchedDest[] = svc.dests.map((d) => ({ key: `${d.address}:${d.port}`, weight: d.weight, activeConns: d.activeConns, inactConns: d.inactConns }))
      const state = { ...svc.sched, table: svc.sched.table && { ...svc.sched.table, buckets: [...svc.sched.table.buckets] } }
      const r = schedule({ scheduler: svc.scheduler, flags: svc.flags, dests: sched, state, srcAddr: packet.src, srcPort: packet.sport ?? 0, dstAddr: packet.dst })
      return one(r.index === undefined ? undefined : svc.dests[r.index], svc.scheduler)
    }
    const total = svc.dests.reduce((n, d) => n + Math.max(0, d.weight), 0)
    return {
      service, scheduler: svc.scheduler, how: svc.scheduler,
      shares: svc.dests.map((d) => ({ address: d.address, port: d.port, share: total > 0 ? Math.max(0, d.weight) / total : 0 })),
    }
  }

  /** The reply hook: a packet from a real server of a known connection gets the virtual address back as source. */
  reply(packet: Packet, now: number): IpvsReplyResult {
    this.expire(now)
    const protocol = protoOf(packet)
    const key = protocol && packet.sport !== undefined && packet.dport !== undefined
      ? this.replies.get(IpvsTable.replyKey(protocol, { address: packet.src, port: packet.sport }, { address: packet.dst, port: packet.dport }))
      : undefined
    const c = key === undefined ? undefined : this.connections.get(key)
    if (!c) return { action: 'pass', step: 'IPVS: not a reply of an IPVS connection' }
    const flags = packet.tcpFlags
    if (protocol === 'TCP' && flags) {
      if (flags.RST) this.setState(c, 'CLOSE', now)
      else if (flags.FIN) this.setState(c, c.state === 'FIN_WAIT' ? 'TIME_WAIT' : 'CLOSE_WAIT', now)
      else this.setState(c, c.state, now)
    } else this.setState(c, c.state, now)
    this.count(this.get(c.protocol, c.virtual.address, c.virtual.port), c.dest, packet, 'out', false)
    return {
      action: 'unnat', packet: { ...packet, src: c.virtual.address, sport: c.virtual.port },
      step: `IPVS: reply from real server ${packet.src}:${packet.sport} gets source ${c.virtual.address}:${c.virtual.port} back`,
    }
  }

  private count(svc: VirtualService | undefined, dest: { address: string; port: number }, packet: Packet, dir: 'in' | 'out', newConn: boolean): void {
    const d = svc?.dests.find((x) => x.address === dest.address && x.port === dest.port)
    for (const s of [svc?.stats, d?.stats]) {
      if (!s) continue
      if (newConn) s.conns++
      if (dir === 'in') { s.inpkts++; s.inbytes += packet.length } else { s.outpkts++; s.outbytes += packet.length }
    }
  }

  /** A deep copy (simulation clone()). */
  clone(): IpvsTable {
    const t = new IpvsTable()
    for (const [k, s] of this.services) {
      t.services.set(k, { ...s, stats: { ...s.stats }, sched: { ...s.sched, table: s.sched.table && { signature: s.sched.table.signature, buckets: [...s.sched.table.buckets] } }, dests: s.dests.map((d) => ({ ...d, stats: { ...d.stats } })) })
    }
    for (const c of this.connections.values()) t.addConnection({ ...c, client: { ...c.client }, virtual: { ...c.virtual }, dest: { ...c.dest } })
    t.timeouts = { ...this.timeouts }
    return t
  }
}
