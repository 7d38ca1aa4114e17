/**
 * The whole simulated cluster: the Kubernetes objects (Cluster) plus, for every Node, a simulated Linux
 * host wired as a kind node is (see wiring.ts) and a kube-proxy in the configured mode programming that
 * host exactly as on a real node (kubelet's setup, canaries, jump rules, restore payloads; nftables tables;
 * IPVS virtual servers and ipsets).
 *
 * It stays in step with the cluster: after every change (through `apply` or any Cluster method, e.g.
 * `sim.cluster.scaleDeployment(...)`), hosts get or lose Pod veths and pod-CIDR routes, Nodes come and go,
 * and every node's kube-proxy consumes the watch events and syncs (full or partial, as upstream).
 *
 * Determinism: names and IPs come from the cluster's seeded generator; each host has its own seeded
 * generator (statistic matches, NAT port choice); journeys draw source ports from a separate packet
 * stream, so sending packets never changes names or IPs.
 *
 * clone(): the cluster and every host (rules with counters, conntrack, `recent` lists, clocks, random
 * sources, logs, console history) and kube-proxy (what it has seen, its sync history) are copied, and the
 * packet stream continues from the same position: the copy behaves exactly as the original would.
 */
import { Cluster } from '../cluster/cluster.ts'
import type { ApplyOutcome } from '../cluster/cluster.ts'
import type { ClusterSnapshot, WatchEvent } from '../cluster/types.ts'
import { rerunConsoleWatch, runConsoleLine } from '../host/console.ts'
import type { ConsoleResult } from '../host/console-types.ts'
import { Host } from '../host/host.ts'
import { NodeKubeProxy } from '../kube-proxy/node-kube-proxy.ts'
import type { SyncRecord } from '../kube-proxy/sync-record.ts'
import { runIptablesSave } from '../netfilter/iptables-command.ts'
import { createRng } from '../random.ts'
import type { SeededRng } from '../random.ts'
import { JourneyError, MAX_SEND_COUNT, runJourney } from '../journeys/journey.ts'
import type { Journey, JourneySpec } from '../journeys/journey.ts'
import { sendMany } from '../journeys/load-balancing.ts'
import type { LoadBalanceResult, LoadBalancingWorld } from '../journeys/load-balancing.ts'
import { BRIDGE_GATEWAY, BRIDGE_PREFIX, nodeWiring } from './wiring.ts'
import type { NodeWiring } from './wiring.ts'

export interface SimulationOptions {
  seed?: number
  /** Start from an empty cluster (no Nodes) instead of the kind-like default (3 Nodes). */
  empty?: boolean
}

/** Sockets a kind node listens on (kubelet, kube-proxy healthz); the control plane adds the API server. */
const NODE_LISTENERS = ['tcp/10250', 'tcp/10256']
const CONTROL_PLANE_LISTENERS = ['tcp/6443', 'tcp/2379', 'tcp/2380', 'tcp/10257', 'tcp/10259']
const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane'

/** The packet stream's seed is derived from the simulation seed, apart from the cluster's own stream. */
const PACKET_STREAM = 0x70616b74

export class Simulation implements LoadBalancingWorld {
  readonly cluster: Cluster
  readonly seed: number
  /** Source ports and other per-packet choices of journeys. */
  readonly packetRng: SeededRng
  private readonly hosts = new Map<string, Host>()
  private readonly proxies = new Map<string, NodeKubeProxy>()
  private readonly wirings = new Map<string, NodeWiring>()
  private readonly nextIfIndex = new Map<string, number>()
  private readonly startMs: number
  /** The KubeProxyConfiguration the kube-proxies last saw (JSON). */
  private lastConfig = ''
  /** The cluster time the hosts' clocks last followed (ms). */
  private lastClusterMs: number
  private readonly unsubscribe: () => void
  /** Source ports each client address has used (new connections take fresh ones). */
  readonly usedPorts = new Map<string, Set<number>>()

  private constructor(cluster: Cluster, seed: number, from?: Simulation) {
    this.cluster = cluster
    this.seed = seed
    if (from) {
      this.packetRng = from.packetRng.clone()
      this.startMs = from.startMs
      this.lastClusterMs = from.lastClusterMs
      this.lastConfig = from.lastConfig
      for (const [name, host] of from.hosts) {
        const copy = host.clone()
        this.hosts.set(name, copy)
        this.proxies.set(name, from.proxies.get(name)!.clone(copy))
      }
      // Wirings are rebuilt (never changed) on every sync, so they can be shared.
      for (const [name, w] of from.wirings) this.wirings.set(name, w)
      for (const [name, i] of from.nextIfIndex) this.nextIfIndex.set(name, i)
      for (const [client, ports] of from.usedPorts) this.usedPorts.set(client, new Set(ports))
    } else {
      this.packetRng = createRng(seed ^ PACKET_STREAM)
      const snapshot = cluster.snapshot()
      this.startMs = msOf(snapshot.now)
      this.lastClusterMs = this.startMs
      this.sync(snapshot, [])
    }
    this.unsubscribe = cluster.subscribe((events) => this.sync(this.cluster.snapshot(), events))
  }

  static create(options: SimulationOptions = {}): Simulation {
    const seed = options.seed ?? 1
    const cluster = options.empty ? Cluster.createEmpty({ seed }) : Cluster.createDefault({ seed })
    return new Simulation(cluster, seed)
  }

  /** Stop following the cluster (the simulation is no longer used). */
  dispose(): void {
    this.unsubscribe()
  }

  snapshot(): ClusterSnapshot {
    return this.cluster.snapshot()
  }

  /** Node names in the cluster's order (kind-control-plane, kind-worker, kind-worker2 by default). */
  nodeNames(): string[] {
    return [...this.hosts.keys()]
  }

  host(node: string): Host {
    const h = this.hosts.get(node)
    if (!h) throw new Error(`no node named "${node}" (nodes: ${this.nodeNames().join(', ') || 'none'})`)
    return h
  }

  kubeProxy(node: string): NodeKubeProxy {
    this.host(node)
    return this.proxies.get(node)!
  }

  /** The node's wiring: InternalIP, the Pods' veths and IPs, the routes to other Nodes' pod CIDRs. */
  wiring(node: string): NodeWiring {
    this.host(node)
    return this.wirings.get(node)!
  }

  /** Apply manifests to the cluster; hosts and kube-proxies follow (see the class comment). */
  apply(yaml: string): ApplyOutcome {
    const outcome = this.cluster.apply(yaml)
    // A KubeProxyConfiguration is not a watched object: a change of it alone produces no watch event, but
    // kube-proxy restarts with it (and then syncs fully), so the hosts follow here.
    const snapshot = this.cluster.snapshot()
    if (outcome.ok && JSON.stringify(snapshot.kubeProxyConfig) !== this.lastConfig) this.sync(snapshot, [])
    return outcome
  }

  /**
   * Let cluster time pass (controllers act: e.g. terminating Pods go away); the Nodes' clocks follow, so
   * conntrack entries and `recent` lists (session affinity) age as they would.
   */
  advanceTime(seconds: number): void {
    this.cluster.advanceTime(seconds)
    this.followClock(this.cluster.now())
  }

  /** One line typed into the node's root console (iptables, iptables-save, conntrack -L, ip route, ...). */
  runConsole(node: string, line: string, stdin?: string): ConsoleResult {
    return runConsoleLine(this.host(node), line, stdin)
  }

  /**
   * The last `watch` typed on the node, run again: what its screen shows now (the UI calls this on each
   * scenario step). Undefined when no watch was typed there.
   */
  rerunWatch(node: string): ConsoleResult | undefined {
    return rerunConsoleWatch(this.host(node))
  }

  /** The node's `iptables-save` (with `-c`: counters), dated with the cluster's clock. */
  iptablesSave(node: string, options: { counters?: boolean } = {}): string {
    return runIptablesSave(this.host(node).ruleset, options.counters ? ['-c'] : [], { now: new Date(msOf(this.cluster.now())) }).out
  }

  syncRecords(node: string): SyncRecord[] {
    return [...this.kubeProxy(node).history]
  }

  /** Follow one connection across the cluster (see journeys/journey.ts). */
  sendJourney(spec: JourneySpec): Journey {
    return runJourney(this, spec)
  }

  /** N new connections (distinct source ports): where they landed. */
  sendMany(spec: JourneySpec, count: number): LoadBalanceResult {
    if (!Number.isInteger(count) || count < 1 || count > MAX_SEND_COUNT) throw new JourneyError(`count must be an integer from 1 to ${MAX_SEND_COUNT}, got ${count}`)
    return sendMany(this, spec, count)
  }

  /** An independent copy: same cluster, rules, counters, conntrack, affinity state and packet stream position. */
  clone(): Simulation {
    return new Simulation(this.cluster.clone(), this.seed, this)
  }

  // ------------------------------------------------------------------------------------------ internals

  /** Every Node's clock moves on by the time the cluster's clock moved since last time. */
  private followClock(now: string | undefined): void {
    const ms = msOf(now)
    if (ms <= this.lastClusterMs) return
    for (const host of this.hosts.values()) host.advance(ms - this.lastClusterMs)
    this.lastClusterMs = ms
  }

  /** Hosts follow the Nodes, Pods and pod CIDRs; every kube-proxy observes the events and syncs. */
  private sync(snapshot: ClusterSnapshot, events: readonly WatchEvent[]): void {
    const now = msOf(snapshot.now) - this.startMs
    const names = snapshot.nodes.map((n) => n.metadata.name)
    for (const name of [...this.hosts.keys()]) {
      if (names.includes(name)) continue
      this.hosts.delete(name)
      this.proxies.delete(name)
      this.wirings.delete(name)
    }
    for (const node of snapshot.nodes) {
      const name = node.metadata.name
      const wiring = nodeWiring(snapshot, name)
      let host = this.hosts.get(name)
      let proxy = this.proxies.get(name)
      if (!host || !proxy) {
        const controlPlane = node.metadata.labels?.[CONTROL_PLANE_LABEL] !== undefined
        host = new Host({
          name,
          interfaces: [{ name: 'eth0', addresses: [`${wiring.ip}/${BRIDGE_PREFIX}`] }],
          routes: [{ dst: 'default', via: BRIDGE_GATEWAY }],
          ipForward: true,
          seed: hostSeed(this.seed, name),
          listeners: controlPlane ? [...NODE_LISTENERS, ...CONTROL_PLANE_LISTENERS] : NODE_LISTENERS,
        })
        this.nextIfIndex.set(name, host.interfaces.length + 1)
        proxy = new NodeKubeProxy(host, name, snapshot.kubeProxyConfig)
        proxy.loadSnapshot(snapshot)
        this.hosts.set(name, host)
        this.proxies.set(name, proxy)
      } else {
        proxy.observe(events)
        proxy.setConfig(snapshot.kubeProxyConfig, snapshot)
      }
      this.rewire(host, wiring)
      this.wirings.set(name, wiring)
    }
    for (const proxy of this.proxies.values()) proxy.sync(now)
    this.lastConfig = JSON.stringify(snapshot.kubeProxyConfig)
    this.followClock(snapshot.now)
  }

  /** Make the host's veths and routes what the wiring says (kindnet / the ptp CNI plugin do this). */
  private rewire(host: Host, w: NodeWiring): void {
    const wanted = new Map(w.pods.map((p) => [p.veth, p]))
    for (let i = host.interfaces.length - 1; i >= 0; i--) {
      const iface = host.interfaces[i]
      if (iface.name.startsWith('veth') && !wanted.has(iface.name)) host.interfaces.splice(i, 1)
    }
    for (const p of w.pods) {
      if (host.interfaces.some((i) => i.name === p.veth)) continue
      const iface = host.addInterface(p.veth, w.gatewayIP ? [`${w.gatewayIP}/32`] : [])
      // ifindex only grows, as the kernel's does; the Pod's eth0 is ifindex 2 in its own namespace.
      const index = this.nextIfIndex.get(host.name) ?? host.interfaces.length
      this.nextIfIndex.set(host.name, index + 1)
      iface.index = index
      iface.peerIndex = 2
      iface.mac = vethMac(p.veth)
    }
    host.staticRoutes.length = 0
    host.addRoute('default', BRIDGE_GATEWAY, 'eth0')
    for (const r of w.podRoutes) host.addRoute(r.cidr, r.via, 'eth0')
    for (const p of w.pods) {
      host.staticRoutes.push({ network: p.ip, prefix: 32, dev: p.veth, proto: 'boot', scope: 'host' })
    }
  }
}

function msOf(rfc3339: string | undefined): number {
  const ms = rfc3339 ? Date.parse(rfc3339) : NaN
  return Number.isFinite(ms) ? ms : 0
}

/** A per-node seed (FNV-1a of the name, mixed with the simulation seed). */
function hostSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return h >>> 0
}

/** A locally administered unicast MAC derived from the veth's name (real ones are random). */
function vethMac(veth: string): string {
  const hex = veth.slice(4).padEnd(8, '0')
  const bytes = [0x0a ^ (hex.charCodeAt(0) & 0x0c), 0x58, ...[0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16))]
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')
}
