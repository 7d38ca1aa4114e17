/**
 * IPVS mode behind the KubeProxyBackend interface. Every sync compiles the whole node (the IPVS proxier
 * rewrites everything each time: ../ipvs/compile.ts) and applies it as kube-proxy does (../ipvs/node-state.ts:
 * ipsets, jump rules, iptables-restore payload, kube-ipvs0 addresses, virtual servers); here also to the host:
 * the payload and jump rules go into the host's rule set (with `-m set` answered by the node's ipset store),
 * kube-ipvs0 carries the virtual addresses (so routing finds them local), and the IPVS hooks run at
 * LOCAL_IN / LOCAL_OUT / FORWARD (host/ipvs-stages.ts). The console answers `ipvsadm`, `ipset` and
 * `ip addr show kube-ipvs0`.
 */
import type { ClusterSnapshot, KubeProxyConfiguration, WatchEvent } from '../../cluster/types.ts'
import type { ConsoleResult } from '../../host/console.ts'
import type { HookStage } from '../../host/hook-stages.ts'
import type { Host } from '../../host/host.ts'
import { ipvsHookStages } from '../../host/ipvs-stages.ts'
import { ipAddr } from '../../host/ip-output.ts'
import { runIpset } from '../../ipset/command.ts'
import { ipsetTester } from '../../ipset/store.ts'
import { runIpvsadm } from '../../ipvs/ipvsadm.ts'
import { runIptables, runIptablesRestore } from '../../netfilter/iptables-command.ts'
import type { Hook, NodeNetView } from '../../netfilter/types.ts'
import { diffTables } from '../iptables/node-tables.ts'
import { compileIpvs, DUMMY_DEVICE } from '../ipvs/compile.ts'
import type { IpvsCompileResult } from '../ipvs/compile.ts'
import { applyIpvsSync, dummyInterfaceText, newIpvsNodeState, renderIpvsNode, setReferences } from '../ipvs/node-state.ts'
import type { IpvsNodeState } from '../ipvs/node-state.ts'
import { KubeProxy } from '../proxier.ts'
import type { BackendSyncRecord, KubeProxyBackend } from '../backend.ts'
import { addProxyCanary, cleanupIptables, payloadRuleCount, setUpKubelet } from './common.ts'

// A global in Node and in Web Workers; the engine's lib (ES2023, no DOM) does not declare it.
declare const performance: { now(): number }

export class IpvsBackend implements KubeProxyBackend {
  readonly mode = 'ipvs' as const
  /** Tracks what kube-proxy has seen (never syncs: it has no rule set). */
  private tracker: KubeProxy
  private state: IpvsNodeState = newIpvsNodeState()
  private last: IpvsCompileResult | undefined
  private records: BackendSyncRecord[] = []
  private pendingFull: string | undefined = 'first sync'
  private readonly originalIpsetTest: NodeNetView['ipsetTest']
  private ownSets = new Set<string>()

  constructor(private readonly host: Host, readonly nodeName: string, config: KubeProxyConfiguration) {
    this.tracker = new KubeProxy(nodeName, config)
    this.originalIpsetTest = host.node.ipsetTest
    setUpKubelet(host.ruleset)
    addProxyCanary(host.ruleset)
  }

  loadSnapshot(snapshot: ClusterSnapshot): void { this.tracker.loadSnapshot(snapshot) }
  observe(events: readonly WatchEvent[]): void { this.tracker.observe(events) }

  setConfig(config: KubeProxyConfiguration): void {
    if (JSON.stringify(config) !== JSON.stringify(this.tracker.view().kubeProxyConfig)) this.requestFullSync('configuration changed')
    this.tracker.setConfig(config)
  }

  requestFullSync(reason: string): void {
    this.pendingFull ??= reason
  }

  sync(now: number, forceFull = false): BackendSyncRecord {
    const started = performance.now()
    const snapshot = this.tracker.view()
    const result = compileIpvs(snapshot, this.nodeName, snapshot.kubeProxyConfig)
    const before = this.state.tables
    applyIpvsSync(this.state, result)
    const error = this.program(result)
    this.last = result
    const reason = this.pendingFull ?? (forceFull ? 'forced' : undefined)
    this.pendingFull = error ? 'previous restore failed' : undefined
    const rules = payloadRuleCount(result.payload)
    const record: BackendSyncRecord = {
      mode: 'ipvs', seq: (this.records.at(-1)?.seq ?? 0) + 1,
      // The IPVS proxier writes every rule, set and virtual server on every sync.
      kind: 'full', time: now, durationMs: 0, services: snapshot.services.map((s) => `${s.metadata.namespace ?? 'default'}/${s.metadata.name}`),
      rulesWritten: rules, chainsWritten: result.tables.filter.chains.length + result.tables.nat.chains.length, totalRules: rules,
      deletedChains: [], diff: diffTables(before, this.state.tables), payload: result.payload,
      reason: reason ?? 'every IPVS sync is full',
    }
    if (error) record.error = error
    record.durationMs = performance.now() - started
    this.records.push(record)
    if (this.records.length > 50) this.records.splice(0, this.records.length - 50)
    return record
  }

  /** The sync on the host: sets, jump rules, restore, kube-ipvs0. Returns the restore's error, if any. */
  private program(result: IpvsCompileResult): string | undefined {
    const { ruleset } = this.host
    // The rule engine checks that a set exists when a rule names it; membership comes from the ipset store.
    for (const s of this.state.ipsets.all()) {
      if (!ruleset.ipsets.has(s.name)) {
        ruleset.ipsets.set(s.name, new Set())
        this.ownSets.add(s.name)
      }
    }
    this.bindIpsets(this.host)
    for (const j of result.jumpRules) {
      if (runIptables(ruleset, ['-w', '-t', j.table, '-n', '-L', j.target]).rc !== 0) runIptables(ruleset, ['-w', '-t', j.table, '-N', j.target])
      if (runIptables(ruleset, ['-w', '-t', j.table, '-C', j.chain, ...j.args]).rc !== 0) runIptables(ruleset, ['-w', '-t', j.table, '-I', j.chain, '1', ...j.args])
    }
    const r = runIptablesRestore(ruleset, result.payload, ['-w', '--noflush'])
    this.setDummyAddresses(this.state.dummyAddresses)
    return r.rc === 0 ? undefined : r.err.trim() || `iptables-restore exited with ${r.rc}`
  }

  private bindIpsets(host: Host): void {
    ;(host.node as NodeNetView).ipsetTest = ipsetTester(this.state.ipsets)
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

  get history(): BackendSyncRecord[] { return [...this.records] }

  /** The virtual servers of a Service (`namespace/name`): `TCP 10.96.0.10:53`. */
  chainsOf(service: string): string[] {
    return (this.last?.virtualServers ?? []).filter((v) => v.servicePort.startsWith(`${service}:`)).map((v) => `${v.protocol} ${v.address}:${v.port}`)
  }

  hookStages(hook: Hook): readonly HookStage[] {
    return ipvsHookStages(() => this.state.ipvs, hook)
  }

  console(words: readonly string[], stdin?: string): ConsoleResult | undefined {
    const [cmd, ...args] = words
    if (cmd === 'ipvsadm') return runIpvsadm(this.state.ipvs, args, this.host.now())
    if (cmd === 'ipset') return runIpset(this.state.ipsets, args, stdin ?? '')
    if (cmd === 'ip' && (args[0] === 'a' || (args[0] !== undefined && 'address'.startsWith(args[0])))) {
      const rest = args.slice(1).filter((a) => a !== 'show' && a !== 'list' && a !== 'dev')
      const iface = this.host.interfaces.find((x) => x.name === DUMMY_DEVICE)
      if (rest[0] === DUMMY_DEVICE) {
        if (!iface) return { rc: 1, out: '', err: `Device "${DUMMY_DEVICE}" does not exist.\n` }
        return { rc: 0, out: dummyInterfaceText(this.state.dummyAddresses, iface.index), err: '' }
      }
      if (rest.length === 0 && iface) {
        // The whole listing, with kube-ipvs0 in a dummy device's layout (the host models only lo and veths).
        return { rc: 0, out: replaceInterfaceBlock(ipAddr(this.host).out, DUMMY_DEVICE, dummyInterfaceText(this.state.dummyAddresses, iface.index)), err: '' }
      }
    }
    return undefined
  }

  render(options: { now?: Date } = {}): string {
    return renderIpvsNode(this.state, options)
  }

  /** kube-proxy --cleanup in IPVS mode: virtual servers, kube-ipvs0, iptables chains, then the ipsets. */
  cleanup(): void {
    this.state.ipvs.clear()
    this.setDummyAddresses([])
    const i = this.host.interfaces.findIndex((x) => x.name === DUMMY_DEVICE)
    if (i >= 0) this.host.interfaces.splice(i, 1)
    cleanupIptables(this.host.ruleset)
    for (const name of this.ownSets) this.host.ruleset.ipsets.delete(name)
    this.ownSets.clear()
    this.state.tables = {}
    try {
      this.state.ipsets.destroy()
    } catch {
      // A set still referenced by a rule someone added by hand stays, as `ipset destroy` refuses it.
    }
    this.state.dummyAddresses = []
    ;(this.host.node as NodeNetView).ipsetTest = this.originalIpsetTest
  }

  clone(host: Host): IpvsBackend {
    const copy = new IpvsBackend(host, this.nodeName, this.tracker.view().kubeProxyConfig)
    copy.tracker = this.tracker.clone()
    copy.state = { ...this.state, ipsets: this.state.ipsets.clone(), ipvs: this.state.ipvs.clone(), dummyAddresses: [...this.state.dummyAddresses] }
    const copyState = copy.state
    copy.state.ipsets.references = (name) => setReferences(copyState.tables)(name)
    copy.last = this.last
    copy.records = [...this.records]
    copy.pendingFull = this.pendingFull
    copy.ownSets = new Set(this.ownSets)
    copy.bindIpsets(host)
    return copy
  }
}

/** `ip addr` text with one interface's block (from its `N: name:` line to the next) replaced. */
export function replaceInterfaceBlock(listing: string, name: string, block: string): string {
  const lines = listing.split('\n')
  const start = lines.findIndex((l) => new RegExp(`^\\d+: ${name}[:@]`).test(l))
  if (start < 0) return listing
  let end = start + 1
  while (end < lines.length && !/^\d+: /.test(lines[end]) && lines[end] !== '') end++
  return [...lines.slice(0, start), ...block.replace(/\n$/, '').split('\n'), ...lines.slice(end)].join('\n')
}
