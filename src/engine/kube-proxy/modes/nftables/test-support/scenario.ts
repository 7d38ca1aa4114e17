/**
 * Runs one upstream nftables scenario (a fixture under ../upstream-scenarios/): every step applies or
 * deletes manifests, then syncs like upstream's test calls syncProxyRules() — the first sync full, later
 * ones partial for the Services whose Service or EndpointSlices changed — chaining our compile's state
 * from sync to sync, with the simulated clock advanced by 2 s where upstream calls ageStaleChains().
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import type { ClusterSnapshot, ServiceCIDR } from '../../../../cluster/types.ts'
import { snapshotFromManifests } from '../../../raw-snapshot.ts'
import { compileNftables } from '../compile.ts'
import type { NftablesCompileResult, NftablesSyncState } from '../compile.ts'
import { parseDump } from '../../../../nftables/parse.ts'
import { emptyTable } from '../../../../nftables/model.ts'
import type { NftTable } from '../../../../nftables/model.ts'
import { ELEMENT_CONTAINERS } from '../compile.ts'
import type { PacketFlowTest } from './tracer.ts'

export interface ScenarioStep {
  apply?: string
  /** `Kind namespace/name`. */
  delete?: string[]
  /** upstream's ageStaleChains() before this sync: the clock moves on 2 s. */
  ageStaleChains?: boolean
  /** The table already in the kernel before the first sync (upstream's nft.ParseDump), `{{baseRules}}` allowed. */
  existing?: string
  /** upstream's expected dump, verbatim (`{{baseRules}}` stands for upstream's baseRules). */
  expected?: string
  /** nft.LastTransaction.NumOperations(). */
  operations?: number
  /** fp.staleChains after the sync. */
  staleChains?: string[]
  /** Elements upstream looks up in a map: `map`, key parts, whether it must exist. */
  findElement?: { map: string; key: string[]; exists: boolean }[]
  /** sync_proxy_rules_no_local_endpoints_total after the sync (internal, external). */
  noLocalEndpoints?: { internal: number; external: number }
  flows?: PacketFlowTest[]
  flowOverrides?: Record<string, { output?: string; masq?: boolean }>
}

export interface ScenarioCase {
  name: string
  base?: string
  steps: ScenarioStep[]
}

export interface Scenario {
  test: string
  notes?: string
  node: string
  /** Local node IPs for `fib … type local` in flows (upstream's testNodeIPs, IPv4 part). */
  nodeIPs: string[]
  /** Interface addresses of the node (upstream's fake network), for nodePortAddresses. */
  localAddresses?: string[]
  base?: string
  cases: ScenarioCase[]
  file: string
}

export const SCENARIO_DIR = join(import.meta.dirname, '..', 'upstream-scenarios')

/** upstream NewFakeProxier: the mark written as "0x4000". */
export const UPSTREAM_MARK = '0x4000'

export function baseRules(): string {
  return readFileSync(join(SCENARIO_DIR, 'baseRules.txt'), 'utf8')
}

export function expand(text: string): string {
  return text.replaceAll('{{baseRules}}', baseRules())
}

export function loadScenarios(): Scenario[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ ...(parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as Omit<Scenario, 'file'>), file }))
}

interface Obj { kind: string; metadata?: { name?: string; namespace?: string }; [k: string]: unknown }

const objKey = (o: Obj) => `${o.kind} ${o.metadata?.namespace ?? (o.kind === 'Node' || o.kind === 'ServiceCIDR' || o.kind === 'KubeProxyConfiguration' ? '' : 'default')}/${o.metadata?.name ?? ''}`.replace(' /', ' ')

function docs(text: string | undefined): Obj[] {
  if (!text) return []
  return parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((o) => o && typeof o === 'object')
}

/** The snapshot of the objects (ServiceCIDRs taken here: raw snapshots do not read them). */
function snapshotOf(objects: Map<string, Obj>): ClusterSnapshot {
  const others = [...objects.values()].filter((o) => o.kind !== 'ServiceCIDR')
  const snapshot = snapshotFromManifests(others.map((o) => JSON.stringify(o)).join('\n---\n'))
  snapshot.kubeProxyConfig = { ...snapshot.kubeProxyConfig, mode: 'nftables' }
  snapshot.serviceCIDRs = [...objects.values()].filter((o) => o.kind === 'ServiceCIDR').map((o) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR',
    metadata: { name: o.metadata?.name ?? 'kubernetes', uid: 'uid', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: o.spec as ServiceCIDR['spec'],
  }))
  return snapshot
}

/** `namespace/name` → JSON of the Service and its EndpointSlices: what makes a Service "changed". */
function serviceFingerprints(objects: Map<string, Obj>): Map<string, string> {
  const out = new Map<string, string[]>()
  for (const o of objects.values()) {
    let service: string | undefined
    const ns = o.metadata?.namespace ?? 'default'
    if (o.kind === 'Service') service = `${ns}/${o.metadata?.name}`
    else if (o.kind === 'EndpointSlice') {
      const label = (o.metadata as { labels?: Record<string, string> } | undefined)?.labels?.['kubernetes.io/service-name']
      if (label) service = `${ns}/${label}`
    }
    if (!service) continue
    const list = out.get(service) ?? []
    list.push(`${o.kind}:${JSON.stringify(o)}`)
    out.set(service, list)
  }
  return new Map([...out].map(([k, v]) => [k, v.sort().join('\n')]))
}

export interface StepResult {
  result: NftablesCompileResult
  snapshot: ClusterSnapshot
  /** The table in the kernel before this sync. */
  before: NftTable
}

/** Runs a case; `check` is called after each sync. */
export function runCase(scenario: Scenario, c: ScenarioCase, check: (step: ScenarioStep, index: number, r: StepResult) => void): void {
  const objects = new Map<string, Obj>()
  for (const o of [...docs(scenario.base), ...docs(c.base)]) objects.set(objKey(o), o)
  let previous: NftablesSyncState | undefined
  let fingerprints = new Map<string, string>()
  let now = 1_000_000
  c.steps.forEach((step, i) => {
    for (const o of docs(step.apply)) objects.set(objKey(o), o)
    for (const d of step.delete ?? []) {
      if (!objects.delete(d)) throw new Error(`${scenario.file}: step ${i + 1} deletes ${d}, which does not exist`)
    }
    now += step.ageStaleChains ? 2000 : 1
    const snapshot = snapshotOf(objects)
    const nextFingerprints = serviceFingerprints(objects)
    let changed: Set<string> | undefined
    if (step.existing !== undefined) {
      // A fresh kube-proxy finding a table in the kernel: it knows no elements and syncs fully.
      previous = {
        table: parseDump(expand(step.existing)),
        elements: Object.fromEntries(ELEMENT_CONTAINERS.map(([n]) => [n, new Map<string, string>()])),
        staleChains: new Map(),
        flushed: false,
      }
    } else if (previous) {
      changed = new Set<string>()
      for (const k of new Set([...fingerprints.keys(), ...nextFingerprints.keys()])) {
        if (fingerprints.get(k) !== nextFingerprints.get(k)) changed.add(k)
      }
    }
    const before = previous?.table ?? emptyTable('ip', 'kube-proxy')
    const result = compileNftables(snapshot, scenario.node, snapshot.kubeProxyConfig, {
      masqueradeMark: UPSTREAM_MARK,
      localAddresses: scenario.localAddresses,
      previous,
      changedServices: changed,
      now,
    })
    previous = result.state
    fingerprints = nextFingerprints
    check(step, i, { result, snapshot, before })
  })
}
