/**
 * A per-node kube-proxy in nftables mode that keeps the node's `ip kube-proxy` table in step with the
 * cluster (pkg/proxy/nftables/proxier.go): the shared ChangeTracker (../../change-tracker.ts) follows the
 * Services, EndpointSlices, Nodes and ServiceCIDRs and tells which Services changed; it syncs — fully at
 * start, after a configuration or ServiceCIDR change, after FullSyncPeriod (1 h); otherwise partially,
 * rewriting only the changed Services' chains, updating set and map elements one by one, flushing chains no
 * longer used and deleting them a second later.
 *
 * Every sync records the transaction sent to nft and what changed in `nft list table ip kube-proxy`.
 */
import type { KubeProxyConfiguration } from '../../../cluster/types.ts'
import { listRuleset, listTable } from '../../../nftables/list-format.ts'
import { ruleCount } from '../../../nftables/model.ts'
import type { NftTable } from '../../../nftables/model.ts'
import { formatTransaction } from '../../../nftables/transaction.ts'
import { TrackingProxier } from '../../proxier.ts'
import type { SyncFacts } from '../../sync-record.ts'
import { diffLines } from '../../line-diff.ts'
import type { LineChange } from '../../line-diff.ts'
import { compileNftables, KUBE_PROXY_TABLE } from './compile.ts'
import type { NftablesCompileOptions, NftablesCompileResult, NftablesSyncState } from './compile.ts'

// A global in Node and in Web Workers; the engine's lib (ES2023, no DOM) does not declare it.
declare const performance: { now(): number }

/** Upstream proxyutil.FullSyncPeriod. */
export const NFTABLES_FULL_SYNC_PERIOD_MS = 60 * 60 * 1000

/** A sync (totalRules: rules in the table after it; payload: the cleanup transaction, then the sync's). */
export interface NftablesSyncRecord extends SyncFacts {
  /** Operations in the sync's transaction (upstream's nft.LastTransaction.NumOperations()). */
  operations: number
  /** The transaction, in `nft -f` syntax. */
  transaction: string
  /** Stale chains deleted before the sync, in their own transaction ('' when none). */
  cleanup: string
  /** Chains flushed and waiting to be deleted. */
  staleChains: string[]
  /** Lines of `nft list table ip kube-proxy` removed and added by this sync. */
  diff: LineChange[]
}

export interface NftablesKubeProxyOptions extends Pick<NftablesCompileOptions, 'masqueradeMark' | 'localAddresses'> {
  fullSyncPeriodMs?: number
}

/** The lines of `nft list table` removed and added between two listings. */
export function diffListing(before: string, after: string): LineChange[] {
  const lines = (listing: string) => listing.replace(/\n$/, '').split('\n')
  return diffLines(before === '' ? [] : lines(before), lines(after))
}

export class NftablesKubeProxy extends TrackingProxier {
  private state: NftablesSyncState | undefined
  private last: NftablesCompileResult | undefined
  private lastFullSync = -Infinity
  private seq = 0

  constructor(nodeName: string, config: KubeProxyConfiguration, private readonly options: NftablesKubeProxyOptions = {}) {
    super(nodeName, config, { fullSyncOn: { serviceCIDRs: true } })
  }

  /** One sync at simulated time `time` (ms). */
  sync(time = 0, forceFull = false): NftablesSyncRecord {
    const started = performance.now()
    const period = this.options.fullSyncPeriodMs ?? NFTABLES_FULL_SYNC_PERIOD_MS
    let reason: string | undefined
    if (forceFull) reason = 'requested'
    else if (this.tracker.pendingFullSync !== undefined || !this.state) reason = this.tracker.pendingFullSync ?? 'first sync'
    else if (time - this.lastFullSync > period) reason = 'FullSyncPeriod'
    const snapshot = this.view()
    const { changed, fingerprints } = this.tracker.pendingChanges(snapshot)
    const before = this.state ? listTable(this.state.table) : ''
    const result = compileNftables(snapshot, this.nodeName, this.tracker.kubeProxyConfig, {
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
    this.tracker.commit(fingerprints)
    if (reason) {
      this.tracker.fullSyncDone()
      this.lastFullSync = time
    }
    const cleanup = result.cleanup.length ? formatTransaction(result.cleanup, 'ip', KUBE_PROXY_TABLE) : ''
    return {
      seq: ++this.seq,
      kind: reason ? 'full' : 'partial',
      time,
      durationMs: performance.now() - started,
      reason,
      services: reason ? this.tracker.serviceNames() : [...changed].sort(),
      operations: result.transaction.length,
      transaction: result.transactionText,
      cleanup,
      payload: cleanup ? `${cleanup}\n${result.transactionText}` : result.transactionText,
      totalRules: ruleCount(result.table),
      staleChains: [...result.state.staleChains.keys()],
      diff: diffListing(before, listTable(result.table)),
    }
  }

  /** An independent copy: what it has seen and the table it keeps (compile results are never changed). */
  clone(): NftablesKubeProxy {
    const copy = new NftablesKubeProxy(this.nodeName, this.tracker.kubeProxyConfig, this.options)
    copy.tracker = this.tracker.clone()
    copy.state = this.state
    copy.last = this.last
    copy.lastFullSync = this.lastFullSync
    copy.seq = this.seq
    return copy
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
