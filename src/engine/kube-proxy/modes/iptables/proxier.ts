/**
 * A per-node kube-proxy (iptables mode) that keeps the node's rules in step with the cluster, as upstream's
 * Proxier does: the shared ChangeTracker (../../change-tracker.ts, upstream's ServiceChangeTracker and
 * EndpointsChangeTracker) follows Services, EndpointSlices and Nodes and tells which Services changed, and it
 * syncs — fully at start, after a node-label change, after a failed restore and at least once per
 * FullSyncPeriod (1 h); otherwise partially, writing only the changed Services' chains and deleting chains
 * no longer used (pkg/proxy/iptables/proxier.go).
 *
 * Every sync records what it rewrote as a diff of iptables-save lines, with counts and its duration.
 */
import type { KubeProxyConfiguration } from '../../../cluster/types.ts'
import { runIptables, runIptablesRestore, runIptablesSave } from '../../../netfilter/iptables-command.ts'
import type { Ruleset } from '../../../netfilter/ruleset.ts'
import { TrackingProxier } from '../../proxier.ts'
import type { SyncFacts } from '../../sync-record.ts'
import { freshNodeTables } from '../../node-iptables/fresh-node.ts'
import { addKubeProxyCanaries, setUpKubelet } from '../../node-iptables/kubelet.ts'
import { applyPayload, cloneTables, diffTables, renderIptablesSave, tablesFromSave } from '../../node-iptables/node-tables.ts'
import type { NodeTables, SaveDiffLine, SaveOptions } from '../../node-iptables/node-tables.ts'
import { ensureJumpRules, nodeTablesWriter, rulesetWriter } from '../../node-iptables/writer.ts'
import { compileIptables, isServiceChainName, jumpRules, REAL_NODE_ENVIRONMENT } from './compile.ts'
import type { IptablesCompileResult, IptablesEnvironment } from './compile.ts'

// A global in Node and in Web Workers; the engine's lib (ES2023, no DOM) does not declare it.
declare const performance: { now(): number }

/** Upstream proxyutil.FullSyncPeriod. */
export const FULL_SYNC_PERIOD_MS = 60 * 60 * 1000
/** Default --iptables-sync-period (30 s): also how often large clusters delete stale chains. */
export const DEFAULT_SYNC_PERIOD_MS = 30 * 1000

/** A sync (totalRules: nat total + filter, as upstream's metrics count them; payload: the iptables-restore input). */
export interface IptablesSyncRecord extends SyncFacts {
  /** Payload `-A` lines written (nat + filter), and chains declared (without `-X`'d ones). */
  rulesWritten: number
  chainsWritten: number
  deletedChains: string[]
  /** Added / removed iptables-save lines, chain by chain. */
  diff: SaveDiffLine[]
}

export interface KubeProxyOptions {
  environment?: Partial<IptablesEnvironment>
  /** Force a full sync every N syncs (in addition to upstream's 1 h rule); 0 = never. */
  fullSyncEvery?: number
  fullSyncPeriodMs?: number
  syncPeriodMs?: number
  /**
   * The node's netfilter ruleset. When given, kube-proxy programs it exactly as on a real node: kubelet's
   * setup and the canaries at start, `iptables -C`/`-I … 1` for the jump rules on full syncs, and every
   * payload through `iptables-restore -w --noflush`. A refused restore fails the sync (next one is full).
   */
  ruleset?: Ruleset
  /** The ruleset is a copy of one a kube-proxy already set up (clone()): kubelet's setup is not run again. */
  rulesetReady?: boolean
}

export class KubeProxy extends TrackingProxier {
  private tables: NodeTables
  private lastFullSync = -Infinity
  private lastCleanup = -Infinity
  private syncCount = 0
  private seq = 0
  private readonly env: IptablesEnvironment

  constructor(nodeName: string, config: KubeProxyConfiguration, private readonly options: KubeProxyOptions = {}) {
    super(nodeName, config, { fullSyncOn: { nodeLabels: true } })
    this.env = { ...REAL_NODE_ENVIRONMENT, ...options.environment }
    this.tables = freshNodeTables()
    if (options.ruleset && !options.rulesetReady) {
      setUpRuleset(options.ruleset)
      this.tables = tablesFromSave(runIptablesSave(options.ruleset, []).out)
    }
  }

  /**
   * One syncProxyRules run at simulated time `now` (ms). `forceFull` is forceSyncProxyRules.
   */
  sync(when: number | string = 0, forceFull = false): IptablesSyncRecord {
    const started = performance.now()
    const now = typeof when === 'string' ? Date.parse(when) : when
    if (Number.isNaN(now)) throw new Error(`sync: not a time: ${String(when)}`)
    this.syncCount++
    const ruleset = this.options.ruleset
    if (ruleset) {
      // With a real ruleset the node is the truth: someone may have changed or flushed it (iptables -F on the
      // node console). kube-proxy's iptables.Monitor notices a vanished canary, recreates it and forces a
      // full resync; kubelet's monitor restores its own chains the same way.
      const canaryGone = ['mangle', 'nat', 'filter'].some((t) =>
        runIptables(ruleset, ['-w', '-t', t, '-n', '-L', 'KUBE-PROXY-CANARY']).rc !== 0)
      if (canaryGone) {
        setUpRuleset(ruleset)
        this.requestFullSync('canary chain vanished (iptables flushed)')
      }
      this.tables = tablesFromSave(runIptablesSave(ruleset, []).out)
    }
    const every = this.options.fullSyncEvery ?? 0
    let reason = this.tracker.pendingFullSync
    if (reason === undefined) {
      if (forceFull) reason = 'forced'
      else if (now - this.lastFullSync >= (this.options.fullSyncPeriodMs ?? FULL_SYNC_PERIOD_MS)) reason = 'FullSyncPeriod elapsed'
      else if (every > 0 && this.syncCount % every === 0) reason = `every ${every} syncs`
    }
    const full = reason !== undefined

    const snapshot = this.view()
    const config = this.tracker.kubeProxyConfig
    const { changed, fingerprints } = this.tracker.pendingChanges(snapshot)
    const existingNatChains = Object.keys(this.tables.nat ?? {}).filter(isServiceChainName)
    const syncPeriod = this.options.syncPeriodMs ?? parseGoDuration(config.iptables?.syncPeriod) ?? DEFAULT_SYNC_PERIOD_MS
    let cleaned = false
    const applied = compileIptables(snapshot, this.nodeName, config, {
      ...this.env,
      changedServices: full ? undefined : changed,
      existingNatChains,
      // Large clusters delete stale chains at most once per syncPeriod (upstream lastIPTablesCleanup).
      cleanupStaleChains: (large) => (cleaned = !large || now - this.lastCleanup > syncPeriod),
    })
    if (cleaned) this.lastCleanup = now

    const before = this.tables
    let error: string | undefined
    try {
      let next = before
      if (full) {
        next = cloneTables(before)
        ensureJumpRules(nodeTablesWriter(next), applied.jumpRules)
      }
      if (ruleset) {
        applyToRuleset(ruleset, applied, full)
        this.tables = tablesFromSave(runIptablesSave(ruleset, []).out)
      } else {
        this.tables = applyPayload(next, applied)
      }
      this.tracker.commit(fingerprints)
      if (full) {
        this.tracker.fullSyncDone()
        this.lastFullSync = now
      }
    } catch (e) {
      // Upstream: a failed (partial) restore queues a full resync.
      error = e instanceof Error ? e.message : String(e)
      this.requestFullSync('previous restore failed')
    }
    const record = this.record(applied, now, full, reason, changed, before, error, started)
    if (typeof when === 'string') record.at = when
    this.last = applied
    return record
  }

  private record(
    result: IptablesCompileResult, now: number, full: boolean, reason: string | undefined, changed: Set<string>,
    before: NodeTables, error: string | undefined, started: number,
  ): IptablesSyncRecord {
    const nat = result.tables.nat
    const filter = result.tables.filter
    const record: IptablesSyncRecord = {
      seq: ++this.seq,
      kind: full ? 'full' : 'partial',
      time: now,
      durationMs: 0,
      reason,
      services: full ? Object.keys(result.serviceChains).sort() : [...changed].sort(),
      rulesWritten: nat.rules.length + filter.rules.length,
      chainsWritten: nat.chains.length - nat.deletedChains.length + filter.chains.length,
      totalRules: result.counts.natRulesTotal + result.counts.filterRules,
      deletedChains: [...nat.deletedChains],
      diff: error ? [] : diffTables(before, this.tables),
      payload: result.payload,
      error,
    }
    record.durationMs = performance.now() - started
    return record
  }

  private last: IptablesCompileResult | undefined

  /**
   * An independent copy programming `ruleset` (a copy of this node's rule set): what it has seen, its
   * tables and timers, so its next sync is the one this kube-proxy would run.
   */
  clone(ruleset?: Ruleset): KubeProxy {
    const copy = new KubeProxy(this.nodeName, this.tracker.kubeProxyConfig, { ...this.options, ruleset, rulesetReady: true })
    copy.tables = cloneTables(this.tables)
    copy.tracker = this.tracker.clone()
    copy.lastFullSync = this.lastFullSync
    copy.lastCleanup = this.lastCleanup
    copy.syncCount = this.syncCount
    copy.seq = this.seq
    copy.last = this.last
    return copy
  }

  /** The last sync's compile result (payload, structured rules, jump rules), if any. */
  lastResult(): IptablesCompileResult | undefined {
    return this.last
  }

  /** The per-service chains (KUBE-SVC/SVL/EXT/FW/SEP) a Service (`namespace/name`) has on this node. */
  chainsOf(service: string): string[] {
    return this.last?.serviceChains[service] ?? []
  }

  /** The node's tables as kubelet and kube-proxy left them. */
  nodeTables(): NodeTables {
    return this.tables
  }

  iptablesSave(options: SaveOptions = {}): string {
    return renderIptablesSave(this.tables, options)
  }
}

/** A Go duration as KubeProxyConfiguration writes them ("30s", "1m0s", "500ms", "1h"), in ms. */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text) return undefined
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 }
  let total = 0
  let rest = text.trim()
  if (rest === '0') return 0
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest)
    if (!m) return undefined
    total += Number(m[1]) * units[m[2]]
    rest = rest.slice(m[0].length)
  }
  return total
}

/** What kubelet and a starting kube-proxy do to a fresh node's netfilter (the same set-up as freshNodeTables). */
function setUpRuleset(ruleset: Ruleset): void {
  const w = rulesetWriter(ruleset)
  setUpKubelet(w)
  addKubeProxyCanaries(w)
}

/** A sync on the real tools: EnsureChain/EnsureRule(Prepend) for full syncs, then iptables-restore --noflush. */
function applyToRuleset(ruleset: Ruleset, result: IptablesCompileResult, full: boolean): void {
  if (full) ensureJumpRules(rulesetWriter(ruleset), jumpRules())
  const r = runIptablesRestore(ruleset, result.payload, ['-w', '--noflush'])
  if (r.rc !== 0) throw new Error(r.err.trim() || `iptables-restore exited with ${r.rc}`)
}
