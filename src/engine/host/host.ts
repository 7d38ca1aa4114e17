/**
 * A simulated Linux host: interfaces with addresses, the main and local routing tables, ip_forward,
 * a netfilter rule set with its ipsets, the conntrack table, the kernel log (dmesg), a simulated clock, a
 * seeded random source, the console's command history and shell (files, variables), the sockets that
 * listen (what its stack answers), and what the node's kube-proxy adds to it (extensions: stages at the
 * netfilter hooks, console commands).
 */
import { ConntrackTable, tupleOf } from '../netfilter/conntrack.ts'
import { copyMatchState } from '../netfilter/match-state.ts'
import { Ruleset } from '../netfilter/ruleset.ts'
import type { HookStage, HookStageSource, RouteResult, RuleEngine, TraversalHost } from '../netfilter/traversal-types.ts'
import type { AddrType, Hook, NodeNetView, Packet } from '../netfilter/types.ts'
import type { IpsetStore } from '../ipset/store.ts'
import { ipsetTest } from '../ipset/store.ts'
import { createRng } from '../random.ts'
import type { SeededRng } from '../random.ts'
import { parseCidr } from '../net/ipv4.ts'
import type { ConsoleCommands } from './console-types.ts'
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

/**
 * What a host runs besides its own stack and iptables, put there by whoever programs it (the node's
 * kube-proxy: nftables base chains or the IPVS hooks, `nft` / `ipvsadm` on the console). A host without
 * kube-proxy (tests, the firewall lab) has none; a mode switch replaces them.
 */
export interface HostExtensions {
  /** Stages at the netfilter hooks besides iptables' tables. */
  hookStages?: HookStageSource
  /** Console commands answered before the host's own. */
  console?: ConsoleCommands
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
  /** Not copied by clone(): the copy's kube-proxy puts its own there. */
  extensions: HostExtensions = {}
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
      for (const [k, v] of from.matchState) this.matchState.set(k, copyMatchState(v))
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

  /** The host's ipsets (the kernel's set list, what `-m set` and `ipset` read and write). */
  get ipsets(): IpsetStore {
    return this.ruleset.ipsets
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
    ipsetTest: (setName: string, packet: Packet, dirs: ('src' | 'dst')[]) => ipsetTest(this.ruleset.ipsets, setName, packet, dirs),
  }

  hookStages(hook: Hook): readonly HookStage[] {
    return this.extensions.hookStages?.(hook) ?? []
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
