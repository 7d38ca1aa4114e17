/**
 * A per-node kube-proxy in nftables mode that keeps the node's `ip kube-proxy` table in step with the
 * cluster (pkg/proxy/nftables/proxier.go): it consumes watch events for Services, EndpointSlices and
 * Nodes, tracks which Services changed, and syncs — fully at start, after a configuration change, after
 * FullSyncPeriod (1 h); otherwise partially, rewriting only the changed Services' chains, updating set and
 * map elements one by one, flushing chains no longer used and deleting them a second later.
 *
 * Every sync records the transaction sent to nft and what changed in `nft list table ip kube-proxy`.
 * Same shape as the iptables-mode KubeProxy (../proxier.ts) so that a mode switch can swap one for the other.
 */
import type { ClusterSnapshot, EndpointSlice, KubeProxyConfiguration, Node, Service, ServiceCIDR, WatchEvent } from '../../cluster/types.ts'
import { SERVICE_NAME_LABEL } from '../iptables/service-info.ts'
import { listRuleset, listTable } from '../../nftables/list-format.ts'
import { ruleCount } from '../../nftables/model.ts'
import type { NftTable } from '../../nftables/model.ts'
import { formatTransaction } from '../../nftables/transaction.ts'
import { compileNftables, KUBE_PROXY_TABLE } from './compile.ts'
import type { NftablesCompileOptions, NftablesCompileResult, NftablesSyncState } from './compile.ts'

// A global in Node and in Web Workers; the engine's lib (ES2023, no DOM) does not declare it.
declare const performance: { now(): number }

/** Upstream proxyutil.FullSyncPeriod. */
export const NFTABLES_FULL_SYNC_PERIOD_MS = 60 * 60 * 1000

export interface NftListDiffLine {
  op: '+' | '-'
  line: string
}

export interface NftablesSyncRecord {
  seq: number
  kind: 'full' | 'partial'
  /** Simulated time of the sync (ms). */
  time: number
  durationMs: number
  /** Why the sync was full. */
  reason?: string
  /** Services whose chains were rewritten (all of them in a full sync). */
  services: string[]
  /** Operations in the sync's transaction (upstream's nft.LastTransaction.NumOperations()). */
  operations: number
  /** The transaction, in `nft -f` syntax. */
  transaction: string
  /** Stale chains deleted before the sync, in their own transaction ('' when none). */
  cleanup: string
  /** Rules in the table after the sync. */
  totalRules: number
  /** Chains flushed and waiting to be deleted. */
  staleChains: string[]
  /** Lines of `nft list table ip kube-proxy` removed and added by this sync. */
  diff: NftListDiffLine[]
}

export interface NftablesKubeProxyOptions extends Pick<NftablesCompileOptions, 'masqueradeMark' | 'localAddresses'> {
  fullSyncPeriodMs?: number
  /** Keep at most this many records (default 50). */
  historyLimit?: number
}

const key = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`

/** Lines removed and added, in order, by a longest-common-subsequence match of the two listings. */
export function diffListing(before: string, after: string): NftListDiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n')
  const b = after.replace(/\n$/, '').split('\n')
  // Trim the common head and tail first: syncs change little, so the LCS table stays small.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const x = a.slice(head, a.length - tail)
  const y = b.slice(head, b.length - tail)
  if (x.length * y.length > 4_000_000) {
    return [...x.map((line) => ({ op: '-' as const, line })), ...y.map((line) => ({ op: '+' as const, line }))]
  }
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0))
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  }
  const out: NftListDiffLine[] = []
  let i = 0
  let j = 0
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++
      j++
    } else if (j < y.length && (i >= x.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push({ op: '+', line: y[j++] })
    } else {
      out.push({ op: '-', line: x[i++] })
    }
  }
  return out
}

export class NftablesKubeProxy {
  readonly history: NftablesSyncRecord[] = []
  private services = new Map<string, Service>()
  private slices = new Map<string, EndpointSlice>()
  private nodes = new Map<string, Node>()
  private serviceCIDRs = new Map<string, ServiceCIDR>()
  private config: KubeProxyConfiguration
  private state: NftablesSyncState | undefined
  private last: NftablesCompileResult | undefined
  private lastFingerprints = new Map<string, string>()
  private needFullSync = true
  private fullSyncReason = 'first sync'
  private lastFullSync = -Infinity
  private seq = 0

  constructor(readonly nodeName: string, config: KubeProxyConfiguration, private readonly options: NftablesKubeProxyOptions = {}) {
    this.config = config
  }

  loadSnapshot(snapshot: ClusterSnapshot): void {
    this.services = new Map(snapshot.services.map((s) => [key(s), s]))
    this.slices = new Map(snapshot.endpointSlices.map((s) => [key(s), s]))
    this.nodes = new Map(snapshot.nodes.map((n) => [n.metadata.name, n]))
    this.serviceCIDRs = new Map((snapshot.serviceCIDRs ?? []).map((c) => [c.metadata.name, c]))
    this.setConfig(snapshot.kubeProxyConfig)
  }

  /** A changed KubeProxyConfiguration restarts kube-proxy: the next sync is full. */
  setConfig(config: KubeProxyConfiguration): void {
    if (JSON.stringify(config) !== JSON.stringify(this.config)) this.requestFullSync('configuration changed')
    this.config = config
  }

  requestFullSync(reason: string): void {
    if (!this.needFullSync) this.fullSyncReason = reason
    this.needFullSync = true
  }

  observe(events: readonly WatchEvent[]): void {
    for (const e of events) {
      const gone = e.type === 'DELETED'
      switch (e.kind) {
        case 'Service': {
          const s = e.object as Service
          if (gone) this.services.delete(key(s))
          else this.services.set(key(s), s)
          break
        }
        case 'EndpointSlice': {
          const s = e.object as EndpointSlice
          if (gone) this.slices.delete(key(s))
          else this.slices.set(key(s), s)
          break
        }
        case 'Node': {
          const n = e.object as Node
          if (gone) this.nodes.delete(n.metadata.name)
          else this.nodes.set(n.metadata.name, n)
          break
        }
        case 'ServiceCIDR': {
          const c = e.object as ServiceCIDR
          // OnServiceCIDRsChanged: the drop rule for unallocated ClusterIPs is written by full syncs.
          if (gone) this.serviceCIDRs.delete(c.metadata.name)
          else this.serviceCIDRs.set(c.metadata.name, c)
          this.requestFullSync('ServiceCIDRs changed')
          break
        }
        default:
          break
      }
    }
  }

  /** The cluster as this kube-proxy sees it. */
  view(): ClusterSnapshot {
    return {
      namespaces: [], deployments: [], pods: [],
      nodes: [...this.nodes.values()],
      services: [...this.services.values()].sort((a, b) => key(a).localeCompare(key(b))),
      endpointSlices: [...this.slices.values()].sort((a, b) => key(a).localeCompare(key(b))),
      serviceCIDRs: [...this.serviceCIDRs.values()],
      kubeProxyConfig: this.config,
    }
  }

  /** Per Service (`namespace/name`): the Service and its slices as text, to tell which ones changed. */
  private fingerprints(): Map<string, string> {
    const parts = new Map<string, string[]>()
    for (const [k, s] of this.services) parts.set(k, [JSON.stringify(s.spec) + JSON.stringify(s.status ?? {})])
    for (const slice of this.slices.values()) {
      const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL]
      if (!svc) continue
      const k = `${slice.metadata.namespace ?? ''}/${svc}`
      const list = parts.get(k) ?? []
      list.push(JSON.stringify([slice.metadata.name, slice.addressType, slice.endpoints, slice.ports]))
      parts.set(k, list)
    }
    return new Map([...parts].map(([k, v]) => [k, v.sort().join('\n')]))
  }

  /** One sync at simulated time `time` (ms). */
  sync(time = 0, forceFull = false): NftablesSyncRecord {
    const started = performance.now()
    const period = this.options.fullSyncPeriodMs ?? NFTABLES_FULL_SYNC_PERIOD_MS
    let reason: string | undefined
    if (forceFull) reason = 'requested'
    else if (this.needFullSync || !this.state) reason = this.fullSyncReason
    else if (time - this.lastFullSync > period) reason = 'FullSyncPeriod'
    const fingerprints = this.fingerprints()
    let changed: Set<string> | undefined
    if (!reason) {
      changed = new Set()
      for (const k of new Set([...fingerprints.keys(), ...this.lastFingerprints.keys()])) {
        if (fingerprints.get(k) !== this.lastFingerprints.get(k)) changed.add(k)
      }
    }
    const before = this.state ? listTable(this.state.table) : ''
    const snapshot = this.view()
    const result = compileNftables(snapshot, this.nodeName, this.config, {
      masqueradeMark: this.options.masqueradeMark,
      localAddresses: this.options.localAddresses,
      // A full sync starts from what is in the kernel too (stale chains are still there), without a
      // partial-sync change set.
      previous: this.state,
      changedServices: reason ? undefined : changed,
      now: time,
    })
    this.state = result.state
    this.last = result
    this.lastFingerprints = fingerprints
    if (reason) {
      this.needFullSync = false
      this.lastFullSync = time
    }
    const record: NftablesSyncRecord = {
      seq: ++this.seq,
      kind: reason ? 'full' : 'partial',
      time,
      durationMs: performance.now() - started,
      reason,
      services: reason ? [...this.services.keys()] : [...changed!].sort(),
      operations: result.transaction.length,
      transaction: result.transactionText,
      cleanup: result.cleanup.length ? formatTransaction(result.cleanup, 'ip', KUBE_PROXY_TABLE) : '',
      totalRules: ruleCount(result.table),
      staleChains: [...result.state.staleChains.keys()],
      diff: diffListing(before, listTable(result.table)),
    }
    this.history.push(record)
    const limit = this.options.historyLimit ?? 50
    if (this.history.length > limit) this.history.splice(0, this.history.length - limit)
    return record
  }

  lastResult(): NftablesCompileResult | undefined {
    return this.last
  }

  /** The per-service chains and sets a Service (`namespace/name`) owns on this node. */
  chainsOf(service: string): string[] {
    return this.last?.serviceChains[service] ?? []
  }

  /** The `ip kube-proxy` table (empty before the first sync). */
  table(): NftTable | undefined {
    return this.state?.table
  }

  /** `nft list table ip kube-proxy`. */
  listTable(): string {
    return this.state ? listTable(this.state.table) : ''
  }

  /** `nft list ruleset` of a node whose only nftables table is kube-proxy's. */
  listRuleset(): string {
    return this.state ? listRuleset([this.state.table]) : ''
  }
}
