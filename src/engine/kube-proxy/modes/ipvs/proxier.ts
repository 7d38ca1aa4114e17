/**
 * A per-node kube-proxy in IPVS mode (pkg/proxy/ipvs/proxier.go) on the shared ChangeTracker. Every sync is
 * full: it compiles the whole node (./compile.ts) and applies it as kube-proxy does (./node-state.ts: ipsets,
 * jump rules, iptables-restore payload, kube-ipvs0 addresses, virtual servers), here also to the host: the
 * sets are the host's, the jump rules and the payload go into its rule set, kube-ipvs0 carries the virtual
 * addresses (so routing finds them local).
 */
import type { KubeProxyConfiguration } from '../../../cluster/types.ts'
import type { Host } from '../../../host/host.ts'
import { runIptablesRestore } from '../../../netfilter/iptables-command.ts'
import { objectKey } from '../../change-tracker.ts'
import { TrackingProxier } from '../../proxier.ts'
import type { SyncFacts } from '../../sync-record.ts'
import { cleanupIptables } from '../../node-iptables/cleanup.ts'
import { addKubeProxyCanaries, setUpKubelet } from '../../node-iptables/kubelet.ts'
import { diffTables } from '../../node-iptables/node-tables.ts'
import type { SaveDiffLine } from '../../node-iptables/node-tables.ts'
import { ensureJumpRules, rulesetWriter } from '../../node-iptables/writer.ts'
import { compileIpvs, DUMMY_DEVICE, IPSET_INFO } from './compile.ts'
import type { IpvsCompileOptions, IpvsCompileResult } from './compile.ts'
import { applyIpvsSync, newIpvsNodeState } from './node-state.ts'
import type { IpvsNodeState } from './node-state.ts'

// A global in Node and in Web Workers; the engine's lib (ES2023, no DOM) does not declare it.
declare const performance: { now(): number }

/** A sync (IPVS mode writes every rule, set and virtual server each time: totalRules is what it wrote). */
export interface IpvsSyncRecord extends SyncFacts {
  kind: 'full'
  reason: string
  /** Payload `-A` lines, and chains declared. */
  rulesWritten: number
  chainsWritten: number
  /** The ipset commands the sync ran. */
  ipsetCommands: string[][]
  virtualServers: number
  /** Added / removed iptables-save lines of kube-proxy's tables, chain by chain. */
  diff: SaveDiffLine[]
}

export class IpvsProxier extends TrackingProxier {
  private state: IpvsNodeState
  private last: IpvsCompileResult | undefined
  private seq = 0

  constructor(private readonly host: Host, nodeName: string, config: KubeProxyConfiguration, private readonly options: IpvsCompileOptions = {}, ready = false) {
    super(nodeName, config)
    this.state = newIpvsNodeState({}, host.ipsets)
    if (!ready) {
      const w = rulesetWriter(host.ruleset)
      setUpKubelet(w)
      addKubeProxyCanaries(w)
    }
  }

  /** The node's IPVS-mode state: its ipsets, virtual servers, kube-ipvs0 addresses and kube-proxy's tables. */
  nodeState(): IpvsNodeState {
    return this.state
  }

  lastResult(): IpvsCompileResult | undefined {
    return this.last
  }

  sync(now: number, forceFull = false): IpvsSyncRecord {
    const started = performance.now()
    const snapshot = this.tracker.view()
    const result = compileIpvs(snapshot, this.nodeName, snapshot.kubeProxyConfig, this.options)
    const before = this.state.tables
    const ipsetCommands = applyIpvsSync(this.state, result)
    const error = this.program(result)
    this.last = result
    const reason = this.tracker.pendingFullSync ?? (forceFull ? 'forced' : undefined)
    this.tracker.fullSyncDone()
    if (error) this.tracker.requestFullSync('previous restore failed')
    let rules = 0
    for (const line of result.payload.split('\n')) if (line.startsWith('-A ')) rules++
    const record: IpvsSyncRecord = {
      seq: ++this.seq, kind: 'full', time: now, durationMs: 0, services: snapshot.services.map(objectKey),
      rulesWritten: rules, chainsWritten: result.tables.filter.chains.length + result.tables.nat.chains.length, totalRules: rules,
      ipsetCommands, virtualServers: result.virtualServers.length,
      diff: diffTables(before, this.state.tables), payload: result.payload,
      reason: reason ?? 'every IPVS sync is full',
    }
    if (error) record.error = error
    record.durationMs = performance.now() - started
    return record
  }

  /** The sync on the host: jump rules, restore, kube-ipvs0. Returns the restore's error, if any. */
  private program(result: IpvsCompileResult): string | undefined {
    const { ruleset } = this.host
    ensureJumpRules(rulesetWriter(ruleset), result.jumpRules)
    const r = runIptablesRestore(ruleset, result.payload, ['-w', '--noflush'])
    this.setDummyAddresses(this.state.dummyAddresses)
    return r.rc === 0 ? undefined : r.err.trim() || `iptables-restore exited with ${r.rc}`
  }

  private setDummyAddresses(addresses: readonly string[]): void {
    const i = this.host.interfaces.findIndex((x) => x.name === DUMMY_DEVICE)
    const have = i >= 0 ? this.host.interfaces[i].addresses.map((a) => a.address) : undefined
    if (have && have.join() === addresses.join()) return
    let index: number | undefined
    if (i >= 0) {
      index = this.host.interfaces[i].index
      this.host.interfaces.splice(i, 1)
    }
    if (addresses.length === 0 && i < 0) return
    const iface = this.host.addInterface(DUMMY_DEVICE, addresses.map((a) => `${a}/32`))
    if (index !== undefined) iface.index = index
  }

  /** The virtual servers of a Service (`namespace/name`): `TCP 10.96.0.10:53`. */
  chainsOf(service: string): string[] {
    return (this.last?.virtualServers ?? []).filter((v) => v.servicePort.startsWith(`${service}:`)).map((v) => `${v.protocol} ${v.address}:${v.port}`)
  }

  /** kube-proxy --cleanup in IPVS mode: virtual servers, kube-ipvs0, iptables chains, then the ipsets. */
  cleanup(): void {
    this.state.ipvs.clear()
    this.setDummyAddresses([])
    const i = this.host.interfaces.findIndex((x) => x.name === DUMMY_DEVICE)
    if (i >= 0) this.host.interfaces.splice(i, 1)
    cleanupIptables(this.host.ruleset)
    this.state.tables = {}
    for (const { name } of IPSET_INFO) {
      if (!this.state.ipsets.get(name)) continue
      try {
        this.state.ipsets.destroy(name)
      } catch {
        // A set still referenced by a rule someone added by hand stays, as `ipset destroy` refuses it.
      }
    }
    this.state.dummyAddresses = []
  }

  /** An independent copy programming `host` (a copy of this node's host, with its ipsets). */
  clone(host: Host): IpvsProxier {
    const copy = new IpvsProxier(host, this.nodeName, this.tracker.kubeProxyConfig, this.options, true)
    copy.tracker = this.tracker.clone()
    copy.state = { ...this.state, ipsets: host.ipsets, ipvs: this.state.ipvs.clone(), dummyAddresses: [...this.state.dummyAddresses] }
    copy.last = this.last
    copy.seq = this.seq
    return copy
  }
}
