/**
 * nftables mode behind the KubeProxyBackend interface: the NftablesKubeProxy of ../nftables/proxier.ts; its
 * `ip kube-proxy` table's base chains run at the host's hooks (host/nft-stages.ts), and the console answers
 * `nft list ruleset`, `nft list table ip kube-proxy` and `nft list tables`.
 */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../../cluster/types.ts'
import type { ConsoleResult } from '../../host/console.ts'
import type { HookStage } from '../../host/hook-stages.ts'
import type { Host } from '../../host/host.ts'
import { newNftHostState, nftHookStages } from '../../host/nft-stages.ts'
import type { NftHostState } from '../../host/nft-stages.ts'
import type { Hook } from '../../netfilter/types.ts'
import { NftablesKubeProxy } from '../nftables/proxier.ts'
import type { NftablesSyncRecord } from '../nftables/proxier.ts'
import type { BackendSyncRecord, KubeProxyBackend } from '../backend.ts'
import { missingNftTable, setUpKubelet } from './common.ts'

/** What changed the backend, in order: replayed by clone() (NftablesKubeProxy has no copy of its own). */
type Op =
  | { op: 'load'; snapshot: ClusterSnapshot }
  | { op: 'observe'; events: readonly WatchEvent[] }
  | { op: 'config'; config: KubeProxyConfiguration }
  | { op: 'full'; reason: string }
  | { op: 'sync'; now: number; forceFull: boolean }

export class NftablesBackend implements KubeProxyBackend {
  readonly mode = 'nftables' as const
  private proxy: NftablesKubeProxy
  private readonly records: BackendSyncRecord[] = []
  private ops: Op[] = []
  private deleted = false
  /** Dynamic sets (session affinity) the packet path fills. */
  private nftState: NftHostState = newNftHostState()

  constructor(host: Host, readonly nodeName: string, private config: KubeProxyConfiguration) {
    setUpKubelet(host.ruleset)
    this.proxy = new NftablesKubeProxy(nodeName, config)
  }

  private perform(op: Op): BackendSyncRecord | undefined {
    this.ops.push(op)
    switch (op.op) {
      case 'load': this.proxy.loadSnapshot(op.snapshot); return undefined
      case 'observe': this.proxy.observe(op.events); return undefined
      case 'config': this.config = op.config; this.proxy.setConfig(op.config); return undefined
      case 'full': this.proxy.requestFullSync(op.reason); return undefined
      case 'sync': {
        const r = toRecord(this.proxy.sync(op.now, op.forceFull))
        this.records.push(r)
        if (this.records.length > 50) this.records.splice(0, this.records.length - 50)
        return r
      }
    }
  }

  loadSnapshot(snapshot: ClusterSnapshot): void { this.perform({ op: 'load', snapshot }) }
  observe(events: readonly WatchEvent[]): void { this.perform({ op: 'observe', events }) }
  setConfig(config: KubeProxyConfiguration): void { this.perform({ op: 'config', config }) }
  requestFullSync(reason: string): void { this.perform({ op: 'full', reason }) }
  sync(now: number, forceFull = false): BackendSyncRecord { return this.perform({ op: 'sync', now, forceFull })! }

  get history(): BackendSyncRecord[] { return [...this.records] }

  chainsOf(service: string): string[] { return this.proxy.chainsOf(service) }

  /** The `ip kube-proxy` table's base chains at a hook. */
  hookStages(hook: Hook): readonly HookStage[] {
    const table = this.deleted ? undefined : this.proxy.table()
    return table ? nftHookStages(() => [table], this.nftState, hook) : []
  }

  /** Rules the last packets evaluated in kube-proxy's chains (the compare chart's measure). */
  get rulesEvaluated(): number { return this.nftState.rulesEvaluated }

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
    const copy = new NftablesBackend(host, this.nodeName, this.ops.find((o): o is Extract<Op, { op: 'config' }> => o.op === 'config')?.config ?? this.config)
    copy.proxy = new NftablesKubeProxy(this.nodeName, copy.config)
    for (const op of this.ops) copy.perform(op)
    copy.records.splice(0, copy.records.length, ...this.records)
    copy.deleted = this.deleted
    copy.nftState = {
      rulesEvaluated: this.nftState.rulesEvaluated,
      dynamicSets: new Map([...this.nftState.dynamicSets].map(([k, v]) => [k, new Map(v)])),
    }
    return copy
  }
}

function toRecord(r: NftablesSyncRecord): BackendSyncRecord {
  const record: BackendSyncRecord = {
    mode: 'nftables', seq: r.seq, kind: r.kind, time: r.time, durationMs: r.durationMs, services: r.services,
    rulesWritten: r.operations, chainsWritten: 0, totalRules: r.totalRules, deletedChains: r.staleChains,
    // The listing's lines, attributed to kube-proxy's table (SaveDiffLine has iptables' table names).
    diff: r.diff.map((d) => ({ op: d.op, table: 'nat', chain: 'ip kube-proxy', line: d.line })),
    payload: r.cleanup ? `${r.cleanup}\n${r.transaction}` : r.transaction,
  }
  if (r.reason !== undefined) record.reason = r.reason
  return record
}
