/**
 * The one interface every kube-proxy mode implements (iptables, IPVS, nftables: modes/NAME/backend.ts), and
 * all that callers ask of a mode. Only the mode switch (node-kube-proxy.ts) knows which backend it holds.
 *
 * What a backend programs on its host: iptables rules in the host's rule set (iptables and IPVS modes, kubelet's
 * chains in every mode), ipsets (IPVS), stages at the netfilter hooks (nftables base chains, the IPVS hooks),
 * the kube-ipvs0 addresses (IPVS); its console commands (`nft list ...`, `ipvsadm`) are answered through it.
 */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../cluster/types.ts'
import type { ConsoleResult } from '../host/console-types.ts'
import type { Host } from '../host/host.ts'
import type { HookStage } from '../netfilter/traversal-types.ts'
import type { Hook, Packet, TableName } from '../netfilter/types.ts'
import type { TrackingProxier } from './proxier.ts'
import type { ProxyMode } from './proxy-modes.ts'
import type { SyncRecord } from './sync-record.ts'

/** A sync as a backend reports it; the node's kube-proxy numbers it (`seq`) and keeps it. */
export type BackendSync = Omit<SyncRecord, 'seq'>

/** How the node's tools write what kube-proxy asks (the fake proxier of upstream's tests differs from a real node). */
export interface ProxierEnvironment {
  /** The mark as written into rules (`0x00004000` on a real node; upstream's tests write `0x4000`). */
  masqueradeMark?: string
  /** MASQUERADE `--random-fully` (real nodes: yes; upstream's fake: no). */
  randomFully?: boolean
}

/** A step of a packet's way through a node, as a trace step or a journey hop has it. */
export interface PathStep {
  hook: Hook | null
  table: TableName | null
  chain: string | null
  /** What the step did: `jump KUBE-SEP-…`, `goto endpoint-…`, `schedule → 10.244.1.2:80`. */
  verdict?: string
  packetBefore: Packet
}

/** One endpoint's expected share of the new connections a rule set spreads, by endpoint (`ip:port`). */
export interface EndpointShare {
  endpoint: string
  share: number
}

/** Where a node's rules send new connections of one client, as the rules (and affinity state) say now. */
export interface LoadBalancing {
  /** Where the choice is made: `nat KUBE-SVC-…`, `ip kube-proxy service-…`, `IPVS TCP 10.96.0.10:80`. */
  where: string
  /** The chain, set or virtual server itself (`KUBE-SVC-…`). */
  chain: string
  /** How: `the statistic cascade`, `numgen random`, `rr`, `session affinity`, … */
  how: string
  /** In rule (or real-server list) order, each endpoint once. */
  shares: EndpointShare[]
}

export interface KubeProxyBackend {
  readonly mode: ProxyMode
  readonly nodeName: string
  /** Start from a whole snapshot (an informer's initial list). */
  loadSnapshot(snapshot: ClusterSnapshot): void
  /** Watch events: Services, EndpointSlices, Nodes, ServiceCIDRs (others ignored). */
  observe(events: readonly WatchEvent[]): void
  /** A changed configuration (same mode) restarts kube-proxy: the next sync is full. */
  setConfig(config: KubeProxyConfiguration): void
  requestFullSync(reason: string): void
  /** One syncProxyRules at simulated time `now` (ms). */
  sync(now: number, forceFull?: boolean): BackendSync
  /** What a Service (`namespace/name`) owns on this node: chains (iptables, nftables) or virtual servers (IPVS). */
  chainsOf(service: string): string[]
  /** The stages this mode adds at a netfilter hook (nftables base chains, IPVS hooks). */
  hookStages(hook: Hook): readonly HookStage[]
  /** Rules of this mode that packets were evaluated against and the trace does not list one by one (nftables). */
  rulesEvaluated(): number
  /**
   * Where this mode's rules send new connections like the one of `step`, when `step` is where this mode
   * chose the endpoint (a KUBE-SVC- rule, an nftables service chain, an IPVS scheduling); else undefined.
   */
  loadBalancing(step: PathStep): LoadBalancing | undefined
  /** Console commands this mode answers (`nft`, `ipvsadm`, `ip addr show kube-ipvs0`), else undefined. */
  console(words: readonly string[], stdin?: string): ConsoleResult | undefined
  /** What `compile --mode` prints: iptables-save; iptables-save, ipset list, ipvsadm -Ln; nft list ruleset. */
  render(options?: { now?: Date }): string
  /** `kube-proxy --cleanup` for this mode: remove what it programmed on the host. */
  cleanup(): void
  /** An independent copy programming `host` (a copy of this node's host). */
  clone(host: Host): KubeProxyBackend
}

/** What every backend passes straight to its mode's proxier: the informers' news and the chains of a Service. */
export abstract class ProxierBackend<P extends TrackingProxier> {
  constructor(protected readonly proxy: P) {}

  get nodeName(): string { return this.proxy.nodeName }
  loadSnapshot(snapshot: ClusterSnapshot): void { this.proxy.loadSnapshot(snapshot) }
  observe(events: readonly WatchEvent[]): void { this.proxy.observe(events) }
  setConfig(config: KubeProxyConfiguration): void { this.proxy.setConfig(config) }
  requestFullSync(reason: string): void { this.proxy.requestFullSync(reason) }
  chainsOf(service: string): string[] { return this.proxy.chainsOf(service) }
}
