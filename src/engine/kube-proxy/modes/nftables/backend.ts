/**
 * nftables mode behind the KubeProxyBackend interface: the NftablesKubeProxy of ./proxier.ts; its
 * `ip kube-proxy` table's base chains run at the host's hooks (nftables/hook-stages.ts), and the console
 * answers `nft list ruleset`, `nft list table ip kube-proxy` and `nft list tables`.
 */
import type { KubeProxyConfiguration } from '../../../cluster/types.ts'
import type { ConsoleResult } from '../../../host/console-types.ts'
import type { Host } from '../../../host/host.ts'
import type { HookStage } from '../../../netfilter/traversal-types.ts'
import type { Hook } from '../../../netfilter/types.ts'
import { newNftHostState, nftHookStages } from '../../../nftables/hook-stages.ts'
import type { NftHostState } from '../../../nftables/hook-stages.ts'
import { ProxierBackend } from '../../backend.ts'
import type { BackendSync, KubeProxyBackend, LoadBalancing, PathStep, ProxierEnvironment } from '../../backend.ts'
import { setUpKubelet } from '../../node-iptables/kubelet.ts'
import { rulesetWriter } from '../../node-iptables/writer.ts'
import { nftablesLoadBalancing } from './load-balancing.ts'
import { missingNftTable } from './nft-console.ts'
import { NftablesKubeProxy } from './proxier.ts'
import type { NftablesSyncRecord } from './proxier.ts'

export class NftablesBackend extends ProxierBackend<NftablesKubeProxy> implements KubeProxyBackend {
  readonly mode = 'nftables' as const
  private deleted = false
  /** Dynamic sets (session affinity) the packet path fills. */
  private nftState: NftHostState = newNftHostState()

  constructor(private readonly host: Host, nodeName: string, config: KubeProxyConfiguration, environment: ProxierEnvironment = {}, proxy?: NftablesKubeProxy) {
    super(proxy ?? NftablesBackend.start(host, nodeName, config, environment))
  }

  /** kubelet keeps its iptables chains in every mode; kube-proxy starts with an empty table. */
  private static start(host: Host, nodeName: string, config: KubeProxyConfiguration, environment: ProxierEnvironment): NftablesKubeProxy {
    setUpKubelet(rulesetWriter(host.ruleset))
    return new NftablesKubeProxy(nodeName, config, environment.masqueradeMark ? { masqueradeMark: environment.masqueradeMark } : {})
  }

  sync(now: number, forceFull = false): BackendSync { return toBackendSync(this.proxy.sync(now, forceFull)) }

  /** The `ip kube-proxy` table's base chains at a hook. */
  hookStages(hook: Hook): readonly HookStage[] {
    const table = this.deleted ? undefined : this.proxy.table()
    return table ? nftHookStages(() => [table], this.nftState, hook) : []
  }

  /** Rules the packets so far evaluated in kube-proxy's chains (the compare chart's measure). */
  rulesEvaluated(): number { return this.nftState.rulesEvaluated }

  loadBalancing(step: PathStep): LoadBalancing | undefined {
    const table = this.deleted ? undefined : this.proxy.table()
    return table ? nftablesLoadBalancing(this.host, table, this.nftState, step) : undefined
  }

  console(words: readonly string[]): ConsoleResult | undefined {
    if (words[0] !== 'nft') return undefined
    const args = words.slice(1).filter((w) => !/^-[ans]+$/.test(w))
    const table = this.deleted ? undefined : this.proxy.table()
    if (args[0] === 'list' && args[1] === 'ruleset') return { rc: 0, out: table ? this.proxy.listRuleset() : '', err: '' }
    if (args[0] === 'list' && args[1] === 'tables') return { rc: 0, out: table ? 'table ip kube-proxy\n' : '', err: '' }
    if (args[0] === 'list' && args[1] === 'table') {
      const rest = args.slice(2)
      const [family, name] = rest.length >= 2 ? rest : ['ip', rest[0]]
      if (table && family === 'ip' && name === 'kube-proxy') return { rc: 0, out: this.proxy.listTable(), err: '' }
      return missingNftTable(rest)
    }
    return { rc: 1, out: '', err: 'Error: this simulated node answers nft list ruleset, nft list tables and nft list table ip kube-proxy\n' }
  }

  render(): string {
    return this.deleted ? '' : this.proxy.listRuleset()
  }

  /** kube-proxy --cleanup in nftables mode: `delete table ip kube-proxy`. */
  cleanup(): void {
    this.deleted = true
  }

  clone(host: Host): NftablesBackend {
    const copy = new NftablesBackend(host, this.nodeName, this.proxy.view().kubeProxyConfig, {}, this.proxy.clone())
    copy.deleted = this.deleted
    copy.nftState = {
      rulesEvaluated: this.nftState.rulesEvaluated,
      dynamicSets: new Map([...this.nftState.dynamicSets].map(([k, v]) => [k, new Map(v)])),
    }
    return copy
  }
}

function toBackendSync(r: NftablesSyncRecord): BackendSync {
  const { seq: _seq, operations, staleChains, transaction: _transaction, cleanup: _cleanup, ...facts } = r
  return { ...facts, mode: 'nftables', detail: { mode: 'nftables', operations, staleChains } }
}
