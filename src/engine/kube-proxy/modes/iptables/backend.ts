/** iptables mode behind the KubeProxyBackend interface: the KubeProxy of ./proxier.ts programming the host's rule set. */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../../../cluster/types.ts'
import type { ConsoleResult } from '../../../host/console-types.ts'
import type { Host } from '../../../host/host.ts'
import { runIptablesSave } from '../../../netfilter/iptables-command.ts'
import type { HookStage } from '../../../netfilter/traversal-types.ts'
import type { BackendSync, KubeProxyBackend, LoadBalancing, PathStep, ProxierEnvironment } from '../../backend.ts'
import { cleanupIptables } from '../../node-iptables/cleanup.ts'
import { iptablesLoadBalancing } from './load-balancing.ts'
import { KubeProxy } from './proxier.ts'
import type { IptablesSyncRecord } from './proxier.ts'

export class IptablesBackend implements KubeProxyBackend {
  readonly mode = 'iptables' as const
  readonly proxy: KubeProxy

  constructor(private readonly host: Host, readonly nodeName: string, config: KubeProxyConfiguration, environment: ProxierEnvironment = {}, proxy?: KubeProxy) {
    this.proxy = proxy ?? new KubeProxy(nodeName, config, { ruleset: host.ruleset, environment })
  }

  loadSnapshot(snapshot: ClusterSnapshot): void { this.proxy.loadSnapshot(snapshot) }
  observe(events: readonly WatchEvent[]): void { this.proxy.observe(events) }
  setConfig(config: KubeProxyConfiguration): void { this.proxy.setConfig(config) }
  requestFullSync(reason: string): void { this.proxy.requestFullSync(reason) }

  sync(now: number, forceFull = false): BackendSync {
    return toBackendSync(this.proxy.sync(now, forceFull))
  }

  chainsOf(service: string): string[] { return this.proxy.chainsOf(service) }
  hookStages(): readonly HookStage[] { return [] }
  rulesEvaluated(): number { return 0 }
  console(): ConsoleResult | undefined { return undefined }

  loadBalancing(step: PathStep): LoadBalancing | undefined {
    return iptablesLoadBalancing(this.host, step)
  }

  render(options: { now?: Date } = {}): string {
    return runIptablesSave(this.host.ruleset, [], options.now ? { now: options.now } : {}).out
  }

  cleanup(): void {
    cleanupIptables(this.host.ruleset)
  }

  clone(host: Host): IptablesBackend {
    return new IptablesBackend(host, this.nodeName, this.proxy.view().kubeProxyConfig, {}, this.proxy.clone(host.ruleset))
  }
}

function toBackendSync(r: IptablesSyncRecord): BackendSync {
  const sync: BackendSync = {
    mode: 'iptables', kind: r.kind, time: r.time, durationMs: r.durationMs, services: r.services, totalRules: r.totalRules,
    payload: r.payload, diff: r.diff,
    detail: { mode: 'iptables', rulesWritten: r.rulesWritten, chainsWritten: r.chainsWritten, deletedChains: r.deletedChains },
  }
  if (r.at !== undefined) sync.at = r.at
  if (r.reason !== undefined) sync.reason = r.reason
  if (r.error !== undefined) sync.error = r.error
  return sync
}
