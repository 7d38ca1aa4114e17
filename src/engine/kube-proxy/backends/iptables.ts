/** iptables mode behind the KubeProxyBackend interface: the KubeProxy of ../proxier.ts programming the host's rule set. */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../../cluster/types.ts'
import type { ConsoleResult } from '../../host/console.ts'
import type { HookStage } from '../../host/hook-stages.ts'
import type { Host } from '../../host/host.ts'
import { runIptablesSave } from '../../netfilter/iptables-command.ts'
import { KubeProxy } from '../proxier.ts'
import type { BackendSyncRecord, KubeProxyBackend } from '../backend.ts'
import { cleanupIptables } from './common.ts'

export class IptablesBackend implements KubeProxyBackend {
  readonly mode = 'iptables' as const
  readonly proxy: KubeProxy

  constructor(private readonly host: Host, readonly nodeName: string, config: KubeProxyConfiguration, proxy?: KubeProxy) {
    this.proxy = proxy ?? new KubeProxy(nodeName, config, { ruleset: host.ruleset })
  }

  loadSnapshot(snapshot: ClusterSnapshot): void { this.proxy.loadSnapshot(snapshot) }
  observe(events: readonly WatchEvent[]): void { this.proxy.observe(events) }
  setConfig(config: KubeProxyConfiguration): void { this.proxy.setConfig(config) }
  requestFullSync(reason: string): void { this.proxy.requestFullSync(reason) }

  sync(now: number, forceFull = false): BackendSyncRecord {
    return Object.assign(this.proxy.sync(now, forceFull), { mode: this.mode })
  }

  get history(): BackendSyncRecord[] {
    return this.proxy.history.map((r) => Object.assign(r, { mode: this.mode }))
  }

  chainsOf(service: string): string[] { return this.proxy.chainsOf(service) }
  hookStages(): readonly HookStage[] { return [] }
  console(): ConsoleResult | undefined { return undefined }

  render(options: { now?: Date } = {}): string {
    return runIptablesSave(this.host.ruleset, [], options.now ? { now: options.now } : {}).out
  }

  cleanup(): void {
    cleanupIptables(this.host.ruleset)
  }

  clone(host: Host): IptablesBackend {
    return new IptablesBackend(host, this.nodeName, this.proxy.view().kubeProxyConfig, this.proxy.clone(host.ruleset))
  }
}
