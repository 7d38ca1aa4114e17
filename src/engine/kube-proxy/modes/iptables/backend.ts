/** iptables mode behind the KubeProxyBackend interface: the KubeProxy of ./proxier.ts programming the host's rule set. */
import type { KubeProxyConfiguration } from '../../../cluster/types.ts'
import type { ConsoleResult } from '../../../host/console-types.ts'
import type { Host } from '../../../host/host.ts'
import { runIptablesSave } from '../../../netfilter/iptables-command.ts'
import type { HookStage } from '../../../netfilter/traversal-types.ts'
import { ProxierBackend } from '../../backend.ts'
import type { BackendSync, KubeProxyBackend, LoadBalancing, PathStep, ProxierEnvironment } from '../../backend.ts'
import { cleanupIptables } from '../../node-iptables/cleanup.ts'
import { iptablesLoadBalancing } from './load-balancing.ts'
import { KubeProxy } from './proxier.ts'
import type { IptablesSyncRecord } from './proxier.ts'

export class IptablesBackend extends ProxierBackend<KubeProxy> implements KubeProxyBackend {
  readonly mode = 'iptables' as const

  constructor(private readonly host: Host, nodeName: string, config: KubeProxyConfiguration, environment: ProxierEnvironment = {}, proxy?: KubeProxy) {
    super(proxy ?? new KubeProxy(nodeName, config, { ruleset: host.ruleset, environment }))
  }

  sync(now: number, forceFull = false): BackendSync {
    return toBackendSync(this.proxy.sync(now, forceFull))
  }

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
  const { seq: _seq, rulesWritten, chainsWritten, deletedChains, ...facts } = r
  return { ...facts, mode: 'iptables', detail: { mode: 'iptables', rulesWritten, chainsWritten, deletedChains } }
}
