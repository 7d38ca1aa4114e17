/**
 * One interface every kube-proxy mode implements (iptables, IPVS, nftables), and the per-node kube-proxy the
 * Simulation keeps: it runs the backend of the cluster's `KubeProxyConfiguration.mode` and, when the mode
 * changes, does what restarting kube-proxy in another mode does on a real node — the old mode's leftovers
 * are cleaned up as `kube-proxy --cleanup` does (iptables: kube-proxy's KUBE-* chains and jump rules, not
 * kubelet's; nftables: the `ip kube-proxy` table; IPVS: virtual servers, kube-ipvs0 and the ipsets) and the
 * new mode programs the host with a full sync.
 *
 * What a backend programs on the host: iptables rules in the host's Ruleset (iptables and IPVS modes),
 * extra stages at the netfilter hooks (nftables base chains, the IPVS hooks; host/hook-stages.ts), the
 * kube-ipvs0 addresses (IPVS), and console commands (`nft list ...`, `ipvsadm`, `ipset`).
 */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../cluster/types.ts'
import type { ConsoleResult } from '../host/console.ts'
import type { HookStage } from '../host/hook-stages.ts'
import { setHookStages } from '../host/hook-stages.ts'
import { setConsoleCommands } from '../host/console-commands.ts'
import type { Host } from '../host/host.ts'
import type { Hook } from '../netfilter/types.ts'
import type { SyncRecord } from './proxier.ts'
import { IptablesBackend } from './backends/iptables.ts'
import { IpvsBackend } from './backends/ipvs.ts'
import { NftablesBackend } from './backends/nftables.ts'
import { missingNftTable } from './backends/common.ts'

export type ProxyMode = KubeProxyConfiguration['mode']
export const PROXY_MODES: readonly ProxyMode[] = ['iptables', 'ipvs', 'nftables']

/** A sync, in the iptables-mode record's shape (nftables: transaction as payload; IPVS: the restore payload). */
export type BackendSyncRecord = SyncRecord & { mode: ProxyMode }

export interface KubeProxyBackend {
  readonly mode: ProxyMode
  readonly nodeName: string
  /** Start from a whole snapshot (an informer's initial list). */
  loadSnapshot(snapshot: ClusterSnapshot): void
  /** Watch events: Services, EndpointSlices, Nodes (others ignored). */
  observe(events: readonly WatchEvent[]): void
  /** A changed configuration (same mode) restarts kube-proxy: the next sync is full. */
  setConfig(config: KubeProxyConfiguration): void
  requestFullSync(reason: string): void
  /** One syncProxyRules at simulated time `now` (ms). */
  sync(now: number, forceFull?: boolean): BackendSyncRecord
  readonly history: BackendSyncRecord[]
  /** What a Service (`namespace/name`) owns on this node: chains (iptables, nftables) or virtual servers (IPVS). */
  chainsOf(service: string): string[]
  /** The stages this mode adds at a netfilter hook (nftables base chains, IPVS hooks). */
  hookStages(hook: Hook): readonly HookStage[]
  /** Console commands this mode answers (`nft`, `ipvsadm`, `ipset`, `ip addr show kube-ipvs0`), else undefined. */
  console(words: readonly string[], stdin?: string): ConsoleResult | undefined
  /** What `compile --mode` prints: iptables-save; iptables-save, ipset list, ipvsadm -Ln; nft list ruleset. */
  render(options?: { now?: Date }): string
  /** `kube-proxy --cleanup` for this mode: remove what it programmed on the host. */
  cleanup(): void
  /** An independent copy programming `host` (a copy of this node's host). */
  clone(host: Host): KubeProxyBackend
}

export function createBackend(mode: ProxyMode, host: Host, nodeName: string, config: KubeProxyConfiguration): KubeProxyBackend {
  switch (mode) {
    case 'iptables': return new IptablesBackend(host, nodeName, config)
    case 'ipvs': return new IpvsBackend(host, nodeName, config)
    case 'nftables': return new NftablesBackend(host, nodeName, config)
  }
}

/**
 * The kube-proxy of one node: the backend of the configured mode, switched (cleanup + full sync of the new
 * mode) when a configuration with another mode arrives. Registers the backend's hook stages and console
 * commands for the host.
 */
export class NodeKubeProxy {
  private current: KubeProxyBackend
  private snapshotSeen: ClusterSnapshot | undefined
  /** Records of earlier modes' backends, so the sync history survives a mode switch. */
  private earlier: BackendSyncRecord[] = []
  /** Why the next sync is full when it follows a mode change (a new backend would say "first sync"). */
  private switched: string | undefined

  constructor(private host: Host, readonly nodeName: string, config: KubeProxyConfiguration, backend?: KubeProxyBackend) {
    this.current = backend ?? createBackend(config.mode, host, nodeName, config)
    this.register()
  }

  get mode(): ProxyMode { return this.current.mode }
  get backend(): KubeProxyBackend { return this.current }

  private register(): void {
    setHookStages(this.host, (hook) => this.current.hookStages(hook))
    setConsoleCommands(this.host, (words, stdin) => this.current.console(words, stdin) ?? otherModeConsole(this.current.mode, words))
  }

  loadSnapshot(snapshot: ClusterSnapshot): void {
    this.snapshotSeen = snapshot
    this.current.loadSnapshot(snapshot)
  }

  observe(events: readonly WatchEvent[]): void {
    this.current.observe(events)
  }

  /** A configuration with another mode: clean up the old mode, start the new one from the cluster it saw. */
  setConfig(config: KubeProxyConfiguration, snapshot?: ClusterSnapshot): void {
    if (config.mode === this.current.mode) {
      this.current.setConfig(config)
      return
    }
    const from = this.current.mode
    this.current.cleanup()
    this.earlier.push(...this.current.history)
    this.current = createBackend(config.mode, this.host, this.nodeName, config)
    const seen = snapshot ?? this.snapshotSeen
    if (seen) this.current.loadSnapshot({ ...seen, kubeProxyConfig: config })
    this.switched = `mode changed from ${from} to ${config.mode}`
  }

  requestFullSync(reason: string): void {
    this.current.requestFullSync(reason)
  }

  sync(now: number, forceFull = false): BackendSyncRecord {
    const r = this.current.sync(now, forceFull)
    if (this.switched) {
      r.reason = this.switched
      this.switched = undefined
    }
    // Keep seq increasing across a mode switch.
    const prev = this.earlier.at(-1)
    if (prev && r.seq <= prev.seq) r.seq = prev.seq + this.current.history.length
    return r
  }

  get history(): BackendSyncRecord[] {
    return [...this.earlier, ...this.current.history].slice(-50)
  }

  chainsOf(service: string): string[] {
    return this.current.chainsOf(service)
  }

  render(options: { now?: Date } = {}): string {
    return this.current.render(options)
  }

  /** The node's iptables-save as kube-proxy left it (all modes share the host's iptables). */
  iptablesSave(): string {
    return this.current instanceof IptablesBackend ? this.current.proxy.iptablesSave() : this.current.render()
  }

  clone(host: Host): NodeKubeProxy {
    const copy = new NodeKubeProxy(host, this.nodeName, { mode: this.current.mode } as KubeProxyConfiguration, this.current.clone(host))
    copy.snapshotSeen = this.snapshotSeen
    copy.earlier = [...this.earlier]
    return copy
  }
}

/** `nft list ...` on a node whose kube-proxy is not in nftables mode. */
function otherModeConsole(mode: ProxyMode, words: readonly string[]): ConsoleResult | undefined {
  if (words[0] !== 'nft') return undefined
  const args = words.slice(1).filter((w) => w !== '-a' && w !== '-n' && w !== '-s')
  if (args[0] === 'list' && args[1] === 'ruleset') {
    return { rc: 0, out: '', err: `# kube-proxy runs in ${mode} mode here: no nftables-native tables (iptables-nft's tables are shown by iptables-save)\n` }
  }
  if (args[0] === 'list' && args[1] === 'table') return missingNftTable(args.slice(2))
  return undefined
}
