/**
 * A simulated Linux host: interfaces with addresses, the main and local routing tables, ip_forward,
 * a netfilter rule set, the conntrack table, the kernel log (dmesg), a simulated clock, a seeded random
 * source, the console's command history and shell (files, variables), and the sockets that listen (what
 * its stack answers).
 */
import { ConntrackTable, tupleOf } from '../netfilter/conntrack.ts'
import { Ruleset } from '../netfilter/ruleset.ts'
import type { RouteResult, RuleEngine, TraversalHost } from '../netfilter/traversal-types.ts'
import type { AddrType, NodeNetView, Packet } from '../netfilter/types.ts'
import { createRng } from '../random.ts'
import type { SeededRng } from '../random.ts'
import { parseCidr } from '../net/ipv4.ts'
import type { NetInterface } from './interfaces.ts'
import { interfaceAddress, loopback, macFor } from './interfaces.ts'
import { rulesetEngine } from './rules-adapter.ts'
import type { LocalRoute, Route } from './routes.ts'
import { addrTypeOf, connectedRoutes, localRoutes, lookupLocal, lookupMain } from './routes.ts'
import { formatIPv4, networkOf, parseIPv4OrThrow } from '../net/ipv4.ts'
import { ShellState } from '../shell/state.ts'

export interface HostSpec {
  name?: string
  /** Interfaces besides lo, e.g. `{ name: 'eth0', addresses: ['172.18.0.2/16'] }`. */
  interfaces: { name: string; addresses: string[] }[]
  /** Extra routes; `default` or a CIDR, via a gateway. Connected routes come from the interfaces. */
  routes?: { dst: string; via: string; dev?: string }[]
  /** net.ipv4.ip_forward; Kubernetes nodes run with 1. */
  ipForward?: boolean
  /** Seed of the random source (statistic matches, NAT port choice). */
  seed?: number
  /** Sockets listening on this host, e.g. `tcp/22`, `udp/53`. */
  listeners?: string[]
}

/** Simulated uptime at boot: dmesg timestamps start here. */
const BOOT_UPTIME_MS = 100_000

export class Host implements TraversalHost {
  readonly name: string
  readonly interfaces: NetInterface[] = []
  readonly staticRoutes: Route[] = []
  ipForward: boolean
  readonly ruleset: Ruleset
  readonly conntrack: ConntrackTable
  readonly rng: SeededRng
  readonly matchState = new Map<string, unknown>()
  readonly dmesgLines: string[] = []
  readonly history: string[] = []
  /** The console's shell: files, variables, working directory (src/engine/shell). */
  readonly shell: ShellState
  readonly listeners: Set<string>
  private clock = BOOT_UPTIME_MS
  private traceSeq = 0

  /** `from`: copy that host's whole state instead (see clone()). */
  constructor(spec: HostSpec, from?: Host) {
    this.name = spec.name ?? 'node'
    this.ipForward = spec.ipForward ?? true
    this.rng = from ? from.rng.clone() : createRng(spec.seed ?? 1)
    this.ruleset = from ? from.ruleset.clone() : Ruleset.create()
    this.conntrack = from ? from.conntrack.clone() : new ConntrackTable()
    this.shell = from ? from.shell.clone() : ShellState.create(this.name)
    this.rules = rulesetEngine(this.ruleset)
    this.listeners = new Set(spec.listeners ?? [])
    if (from) {
      for (const i of from.interfaces) this.interfaces.push({ ...i, addresses: i.addresses.map((a) => ({ ...a })) })
      for (const r of from.staticRoutes) this.staticRoutes.push({ ...r })
      for (const [k, v] of from.matchState) this.matchState.set(k, copyState(v))
      this.dmesgLines.push(...from.dmesgLines)
      this.history.push(...from.history)
      this.clock = from.clock
      this.traceSeq = from.traceSeq
      return
    }
    this.interfaces.push(loopback())
    for (const i of spec.interfaces) this.addInterface(i.name, i.addresses)
    for (const r of spec.routes ?? []) this.addRoute(r.dst, r.via, r.dev)
  }

  /**
   * An independent copy of the whole host: interfaces, routes, rules with their counters, conntrack,
   * match state (`recent` lists, `limit` buckets, `statistic --mode nth` counters), the random source's
   * position, clock, kernel log, console history and the console's shell (its files included).
   */
  clone(): Host {
    return new Host({ name: this.name, interfaces: [], ipForward: this.ipForward, listeners: [...this.listeners] }, this)
  }

  addInterface(name: string, addresses: string[]): NetInterface {
    if (this.interfaces.some((i) => i.name === name)) throw new Error(`interface ${name} already exists`)
    const addrs = addresses.map(interfaceAddress)
    const index = this.interfaces.length + 1
    const iface: NetInterface = {
      index, name, kind: 'veth', mac: macFor(addrs[0]?.address, index), mtu: 1500, peerIndex: index + 3, addresses: addrs,
    }
    this.interfaces.push(iface)
    return iface
  }

  /** `ip route add DST via GW [dev DEV]`: the device is the one whose subnet holds the gateway. */
  addRoute(dst: string, via: string, dev?: string): Route {
    const { address, prefix } = dst === 'default' ? { address: 0, prefix: 0 } : parseCidr(dst)
    parseIPv4OrThrow(via)
    const device = dev ?? connectedRoutes(this.interfaces).find((r) => networkOf(parseIPv4OrThrow(via), r.prefix) === parseIPv4OrThrow(r.network))?.dev
    if (!device) throw new Error(`Nexthop has invalid gateway: ${via} is not on a connected network`)
    const route: Route = { network: formatIPv4(networkOf(address, prefix)), prefix, via, dev: device, proto: 'boot', scope: 'global' }
    this.staticRoutes.push(route)
    return route
  }

  /** The main table: connected routes, then the added ones. */
  mainRoutes(): Route[] {
    return [...this.staticRoutes, ...connectedRoutes(this.interfaces)]
  }

  localTable(): LocalRoute[] {
    return localRoutes(this.interfaces)
  }

  // ------------------------------------------------------------------ TraversalHost

  readonly rules: RuleEngine

  readonly node: NodeNetView = {
    addrType: (addr: string, limitIface?: string): AddrType => addrTypeOf(this.localTable(), addr, limitIface),
    primaryAddress: (iface: string) => this.interfaces.find((i) => i.name === iface)?.addresses[0]?.address,
    ipsetTest: (setName: string, packet: Packet, dirs: ('src' | 'dst')[]) => ipsetContains(this.ruleset.ipsets.get(setName), packet, dirs),
  }

  now(): number { return this.clock }

  tick(): void { this.clock += 1 }

  /** Let simulated time pass (conntrack timeouts, `limit`, `recent`). */
  advance(ms: number): void { this.clock += ms }

  isLocalAddress(addr: string): boolean {
    return lookupLocal(this.localTable(), addr)?.type === 'local'
  }

  route(dst: string): RouteResult | undefined {
    const l = lookupLocal(this.localTable(), dst)
    if (l?.type === 'local') return { dev: 'lo', src: l.src, local: true }
    const r = lookupMain(this.mainRoutes(), dst)
    if (!r) return undefined
    const src = r.src ?? this.interfaces.find((i) => i.name === r.dev)?.addresses[0]?.address
    return src ? { dev: r.dev, src, local: false } : { dev: r.dev, local: false }
  }

  kernelLog(line: string): void {
    this.dmesgLines.push(`${dmesgTimestamp(this.clock)} ${line}`)
  }

  interfaceMac(name: string): string | undefined {
    return this.interfaces.find((i) => i.name === name)?.mac
  }

  nextTraceId(): string {
    // A deterministic stand-in for the kernel's per-packet trace id (a hash of the skb address).
    this.traceSeq += 1
    let x = (this.traceSeq * 0x9e3779b1) >>> 0
    x = (x ^ (x >>> 15)) >>> 0
    x = Math.imul(x, 0x85ebca6b) >>> 0
    return ((x ^ (x >>> 13)) >>> 0).toString(16).padStart(8, '0')
  }

  /**
   * What the host's own network stack sends back to a packet delivered to it: a TCP segment to a port
   * nobody listens on gets a reset (tcp_v4_send_reset), a SYN to a listener a SYN-ACK; a UDP datagram to a
   * closed port an ICMP port unreachable; an echo request an echo reply. Nothing answers resets, replies or
   * ICMP errors.
   */
  localAnswer(p: Packet): Packet | undefined {
    // Nothing answers a broadcast (icmp_echo_ignore_broadcasts=1, no ICMP errors about broadcasts).
    if (!this.isLocalAddress(p.dst)) return undefined
    if (p.proto === 'tcp') {
      const f = p.tcpFlags
      if (!f || f.RST) return undefined
      const listening = this.listeners.has(`tcp/${p.dport}`)
      if (listening) {
        if (!f.SYN || f.ACK) return undefined
        return { src: p.dst, dst: p.src, proto: 'tcp', sport: p.dport, dport: p.sport, length: 60, ttl: 64, mark: 0,
          tcpFlags: { SYN: true, ACK: true, FIN: false, RST: false, PSH: false, URG: false } }
      }
      return { src: p.dst, dst: p.src, proto: 'tcp', sport: p.dport, dport: p.sport, length: 40, ttl: 64, mark: 0,
        tcpFlags: { SYN: false, ACK: !f.ACK, FIN: false, RST: true, PSH: false, URG: false } }
    }
    if (p.proto === 'udp') {
      if (this.listeners.has(`udp/${p.dport}`)) return undefined
      return { src: p.dst, dst: p.src, proto: 'icmp', icmpType: 3, icmpCode: 3, length: 28 + Math.min(p.length, 548), ttl: 64, tos: 0xc0, mark: 0, quoted: tupleOf(p) }
    }
    if (p.proto === 'icmp' && (p.icmpType ?? 8) === 8) {
      const reply: Packet = { src: p.dst, dst: p.src, proto: 'icmp', icmpType: 0, icmpCode: 0, length: p.length, ttl: 64, mark: 0 }
      if (p.icmpId !== undefined) reply.icmpId = p.icmpId
      return reply
    }
    return undefined
  }
}

/**
 * Membership test for `-m set`: the first dimension is an address (`src`/`dst`), later ones ports
 * (`tcp:80`), joined with commas as ipset prints members; a member with a prefix (hash:net) contains the
 * addresses inside it. Undefined when the set does not exist.
 */
export function ipsetContains(members: Set<string> | undefined, p: Packet, dirs: ('src' | 'dst')[]): boolean | undefined {
  if (!members) return undefined
  const parts = dirs.map((d, i) => {
    if (i === 0) return d === 'src' ? p.src : p.dst
    const port = d === 'src' ? p.sport : p.dport
    return `${typeof p.proto === 'number' ? p.proto : p.proto}:${port ?? 0}`
  })
  if (members.has(parts.join(','))) return true
  const addr = parseIPv4OrThrow(parts[0])
  const rest = parts.slice(1).join(',')
  for (const m of members) {
    const [net, ...others] = m.split(',')
    if (!net.includes('/') || others.join(',') !== rest) continue
    const c = parseCidr(net)
    if (networkOf(addr, c.prefix) === networkOf(c.address, c.prefix)) return true
  }
  return false
}

/** A deep copy of match state (plain data: numbers, arrays, Maps, Sets and plain objects). */
function copyState(v: unknown): unknown {
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, copyState(x)]))
  if (v instanceof Set) return new Set([...v].map(copyState))
  if (Array.isArray(v)) return v.map(copyState)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyState(x)]))
  return v
}

/** `[  100.000001]`: the printk timestamp, seconds right-aligned in five columns, microseconds. */
export function dmesgTimestamp(ms: number): string {
  const us = Math.round(ms * 1000)
  const sec = Math.floor(us / 1_000_000)
  return `[${String(sec).padStart(5)}.${String(us % 1_000_000).padStart(6, '0')}]`
}

/**
 * The fresh node `shell` and the app start from: eth0 172.18.0.2/16 (a kind/Docker node on the default
 * bridge network), lo, a default route via 172.18.0.1, ip_forward=1.
 */
export function freshNode(name = 'node'): Host {
  return new Host({
    name, interfaces: [{ name: 'eth0', addresses: ['172.18.0.2/16'] }],
    routes: [{ dst: 'default', via: '172.18.0.1' }], ipForward: true,
  })
}
