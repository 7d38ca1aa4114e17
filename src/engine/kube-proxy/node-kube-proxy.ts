/**
 * The kube-proxy of one node, as the Simulation keeps it: the backend of the cluster's
 * `KubeProxyConfiguration.mode` (the one place that knows which backend it holds), its sync history across
 * mode switches, and its extensions of the host (hook stages, console commands).
 *
 * When the mode changes it does what restarting kube-proxy in another mode does on a real node: the old
 * mode's leftovers are cleaned up as `kube-proxy --cleanup` does (iptables: kube-proxy's KUBE-* chains and
 * jump rules, not kubelet's; nftables: the `ip kube-proxy` table; IPVS: virtual servers, kube-ipvs0 and the
 * ipsets) and the new mode programs the host with a full sync.
 */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../cluster/types.ts'
import type { ConsoleResult } from '../host/console-types.ts'
import type { Host } from '../host/host.ts'
import { runIptablesSave } from '../netfilter/iptables-command.ts'
import type { KubeProxyBackend, LoadBalancing, PathStep, ProxierEnvironment } from './backend.ts'
import { IptablesBackend } from './modes/iptables/backend.ts'
import { IpvsBackend } from './modes/ipvs/backend.ts'
import { missingNftTable } from './modes/nftables/nft-console.ts'
import { NftablesBackend } from './modes/nftables/backend.ts'
import type { ProxyMode } from './proxy-modes.ts'
import { SYNC_HISTORY_LIMIT } from './sync-record.ts'
import type { SyncRecord } from './sync-record.ts'

export function createBackend(mode: ProxyMode, host: Host, nodeName: string, config: KubeProxyConfiguration, environment: ProxierEnvironment = {}): KubeProxyBackend {
  switch (mode) {
    case 'iptables': return new IptablesBackend(host, nodeName, config, environment)
    case 'ipvs': return new IpvsBackend(host, nodeName, config, environment)
    case 'nftables': return new NftablesBackend(host, nodeName, config, environment)
  }
}

export class NodeKubeProxy {
  private current: KubeProxyBackend
  private snapshotSeen: ClusterSnapshot | undefined
  /** The last SYNC_HISTORY_LIMIT syncs, whatever mode ran them. */
  private records: SyncRecord[] = []
  private seq = 0
  /** Why the next sync is full when it follows a mode change (a new backend would say "first sync"). */
  private switched: string | undefined

  constructor(private readonly host: Host, readonly nodeName: string, config: KubeProxyConfiguration, options: { environment?: ProxierEnvironment; backend?: KubeProxyBackend } = {}) {
    this.current = options.backend ?? createBackend(config.mode, host, nodeName, config, options.environment)
    host.extensions = {
      hookStages: (hook) => this.current.hookStages(hook),
      console: (words, stdin) => this.current.console(words, stdin) ?? otherModeConsole(this.current.mode, words),
    }
  }

  get mode(): ProxyMode { return this.current.mode }

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
    this.current = createBackend(config.mode, this.host, this.nodeName, config)
    const seen = snapshot ?? this.snapshotSeen
    if (seen) this.current.loadSnapshot({ ...seen, kubeProxyConfig: config })
    this.switched = `mode changed from ${from} to ${config.mode}`
  }

  requestFullSync(reason: string): void {
    this.current.requestFullSync(reason)
  }

  sync(now: number, forceFull = false): SyncRecord {
    const r: SyncRecord = { seq: ++this.seq, ...this.current.sync(now, forceFull) }
    if (this.switched) {
      r.reason = this.switched
      this.switched = undefined
    }
    this.records.push(r)
    if (this.records.length > SYNC_HISTORY_LIMIT) this.records.splice(0, this.records.length - SYNC_HISTORY_LIMIT)
    return r
  }

  /** The last syncs, oldest first. */
  get history(): readonly SyncRecord[] {
    return this.records
  }

  chainsOf(service: string): string[] {
    return this.current.chainsOf(service)
  }

  /** Where this node's rules send new connections like the one of `step`, if `step` is where they chose. */
  loadBalancing(step: PathStep): LoadBalancing | undefined {
    return this.current.loadBalancing(step)
  }

  rulesEvaluated(): number {
    return this.current.rulesEvaluated()
  }

  render(options: { now?: Date } = {}): string {
    return this.current.render(options)
  }

  /** The node's iptables-save (every mode shares the host's iptables: kubelet's chains at least). */
  iptablesSave(options: { now?: Date } = {}): string {
    return runIptablesSave(this.host.ruleset, [], options).out
  }

  clone(host: Host): NodeKubeProxy {
    const copy = new NodeKubeProxy(host, this.nodeName, { mode: this.current.mode } as KubeProxyConfiguration, { backend: this.current.clone(host) })
    copy.snapshotSeen = this.snapshotSeen
    copy.records = [...this.records]
    copy.seq = this.seq
    copy.switched = this.switched
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
