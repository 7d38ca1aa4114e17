/**
 * Runs one upstream scenario (a fixture under ../upstream-scenarios/) through our KubeProxy: applies each
 * step's manifests / deletions as watch events, syncs like upstream's test does (syncProxyRules or
 * forceSyncProxyRules), and hands back the payload and the node's tables for comparison and tracing.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { ClusterObject, KubeProxyConfiguration, WatchEvent } from '../../../../cluster/types.ts'
import { KubeProxy } from '../proxier.ts'
import type { IptablesSyncRecord, KubeProxyOptions } from '../proxier.ts'
import type { IptablesEnvironment } from '../compile.ts'
import { DEFAULT_TEST_CONFIG, snapshotFromManifests } from '../../../raw-snapshot.ts'
import type { PacketFlowTest } from './tracer.ts'

export interface ChainExpectation {
  table: 'filter' | 'nat'
  chain: string
  /** The chain's rules in payload form, one per line ("" for an empty chain). */
  rules: string
}

export interface ScenarioStep {
  /** Multi-document YAML: objects added or replaced. */
  apply?: string
  /** Objects deleted: `Kind namespace/name`. */
  delete?: string[]
  /** `full` = forceSyncProxyRules; default: syncProxyRules (full only when needed). */
  sync?: 'auto' | 'full'
  /** Simulated time of the sync (ms), for large-cluster cleanup timing. */
  at?: number
  /** upstream's `expected` dump, verbatim. */
  expected?: string
  /** assertIPTablesRulesEqual's checkConsistency flag. */
  consistency?: boolean
  chains?: ChainExpectation[]
  flows?: PacketFlowTest[]
  /** Per-case changes to shared flows (upstream's packetFlowTestOverride), by flow name. */
  flowOverrides?: Record<string, { output?: string; masq?: boolean }>
  /** A rule added behind kube-proxy's back before this step's sync (`table`, then the `-A ...` line in save form). */
  inject?: { table: 'nat' | 'filter'; rule: string }
  /** This sync's iptables-restore must fail (upstream's forced partial-restore failure). */
  restoreFails?: boolean
  /** Statements about the payload upstream's test makes (substring present / absent, DNAT line counts). */
  payloadContains?: string[]
  payloadLacks?: string[]
  /** countEndpointsAndComments: [match, expected DNAT line (or ""), numEndpoints, numComments]. */
  endpointCount?: { match: string; line?: string; endpoints: number; comments?: number }
  /** Rules kube-proxy has in nat after the sync: a number, or 'expected' = as many as `expected` holds. */
  natRulesTotal?: number | 'expected'
}

export interface ScenarioCase {
  name: string
  /** Manifests put in front of the first step's (after the scenario's `base`). */
  base?: string
  environment?: Partial<IptablesEnvironment>
  steps: ScenarioStep[]
}

export interface Scenario {
  test: string
  /** What upstream's test checks that we reproduce, and what we leave out. */
  notes?: string
  node: string
  /** Manifests put in front of every case's first step (the test node, the KubeProxyConfiguration). */
  base?: string
  environment?: Partial<IptablesEnvironment>
  cases: ScenarioCase[]
  file: string
}

export const SCENARIO_DIR = join(import.meta.dirname, '..', 'upstream-scenarios')

/** upstream NewFakeProxier: mark text "0x4000", no --random-fully, nfacct counters present. */
export const UPSTREAM_FAKE_ENVIRONMENT: Partial<IptablesEnvironment> = {
  randomFully: false, nfacct: true, conntrackTCPLiberal: false, masqueradeMark: '0x4000',
}

export function loadScenarios(): Scenario[] {
  return readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const raw = parse(readFileSync(join(SCENARIO_DIR, f), 'utf8'), { merge: true }) as Omit<Scenario, 'file'>
    return { ...raw, file: f }
  })
}

export interface StepResult {
  record: IptablesSyncRecord
  proxy: KubeProxy
}

function objectsOf(text: string): { objects: ClusterObject[]; config?: KubeProxyConfiguration } {
  const snap = snapshotFromManifests(text)
  const hasConfig = /kind:\s*KubeProxyConfiguration/.test(text)
  return {
    objects: [...snap.nodes, ...snap.services, ...snap.endpointSlices],
    config: hasConfig ? snap.kubeProxyConfig : undefined,
  }
}

/** Runs a case, calling `check` after every step's sync. */
export interface RunHooks {
  /** Extra KubeProxy options (e.g. a netfilter Ruleset to program as well). */
  proxyOptions?: Omit<KubeProxyOptions, 'environment'>
  /** Called for a step's `inject` after it was planted in kube-proxy's view of the node. */
  inject?: (table: 'nat' | 'filter', rule: string) => void
}

export function runCase(
  scenario: Scenario, c: ScenarioCase, check: (step: ScenarioStep, index: number, result: StepResult) => void,
  hooks: RunHooks = {},
): void {
  const environment = { ...UPSTREAM_FAKE_ENVIRONMENT, ...scenario.environment, ...c.environment }
  let proxy: KubeProxy | undefined
  const live = new Map<string, ClusterObject>()
  let seq = 0
  c.steps.forEach((step, i) => {
    const events: WatchEvent[] = []
    const text = i === 0
      ? [scenario.base, c.base, step.apply].filter((t): t is string => !!t).join('\n---\n')
      : step.apply
    if (text) {
      const { objects, config } = objectsOf(text)
      if (!proxy) proxy = new KubeProxy(scenario.node, config ?? DEFAULT_TEST_CONFIG, { ...hooks.proxyOptions, environment })
      else if (config) proxy.setConfig(config)
      for (const o of objects) {
        const k = `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`
        const old = live.get(k)
        live.set(k, o)
        events.push({ seq: ++seq, type: old ? 'MODIFIED' : 'ADDED', kind: o.kind, object: o, oldObject: old })
      }
    }
    if (!proxy) proxy = new KubeProxy(scenario.node, DEFAULT_TEST_CONFIG, { ...hooks.proxyOptions, environment })
    for (const d of step.delete ?? []) {
      const old = live.get(d)
      if (!old) throw new Error(`${scenario.file}: cannot delete unknown object ${d}`)
      live.delete(d)
      events.push({ seq: ++seq, type: 'DELETED', kind: old.kind, object: old })
    }
    proxy.observe(events)
    if (step.inject) {
      const chain = step.inject.rule.split(' ')[1]
      const table = proxy.nodeTables()[step.inject.table]
      if (!table?.[chain]) throw new Error(`${scenario.file}: cannot inject into missing chain ${chain}`)
      table[chain].rules.push(step.inject.rule)
      hooks.inject?.(step.inject.table, step.inject.rule)
    }
    const record = proxy.sync(step.at ?? 0, step.sync === 'full')
    check(step, i, { record, proxy })
  })
}
