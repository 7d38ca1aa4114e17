/**
 * Kernel check of IPVS mode: for each case, a fresh network namespace gets the node's ipsets through
 * `ipset restore` (our `ipset save`, initval included so the kernel builds the same buckets), kube-proxy's
 * EnsureChain/EnsureRule jumps and its payload through `iptables-restore --test` and a real
 * `iptables-restore --noflush`; then the kernel's `ipset list` (member order, sizes, references) and
 * `iptables-save` must equal ours byte for byte.
 *
 * IPVS itself cannot be checked: this kernel has no ip_vs (ipvsadm fails, `-m ipvs` is refused). A payload
 * with upstream's `-m ipvs` rule (LoadBalancer source ranges that exclude the node IP) must therefore be
 * refused here with the extension error; everything else must load.
 *
 * Needs root (network namespaces). In CI (process.env.CI) it must run; elsewhere it is skipped when not root.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NetnsPool, kernelSuiteCanRun, netnsExec, netnsMust } from '../support/netns.ts'
import { Cluster } from '../../src/engine/cluster/cluster.ts'
import type { ClusterSnapshot, KubeProxyConfiguration } from '../../src/engine/cluster/types.ts'
import { snapshotFromManifests } from '../../src/engine/kube-proxy/raw-snapshot.ts'
import { compileIpvs } from '../../src/engine/kube-proxy/modes/ipvs/compile.ts'
import type { IpvsCompileOptions } from '../../src/engine/kube-proxy/modes/ipvs/compile.ts'
import { applyIpvsSync, ipsetSaveText, newIpvsNodeState } from '../../src/engine/kube-proxy/modes/ipvs/node-state.ts'
import { IPVS_SCENARIOS } from '../../src/engine/kube-proxy/modes/ipvs/upstream-scenarios.ts'
import { listSets } from '../../src/engine/ipset/store.ts'
import { renderIptablesSave } from '../../src/engine/kube-proxy/node-iptables/node-tables.ts'

const canRun = kernelSuiteCanRun({ suite: 'IPVS kernel check', tools: ['ipset', 'iptables-restore', 'ip'] })

const namespaces = new NetnsPool('ipvsk')
const sh = netnsExec
const must = netnsMust
const freshNamespace = (): string => namespaces.fresh()

interface Case {
  name: string
  snapshot: ClusterSnapshot
  node: string
  config: KubeProxyConfiguration
  options: IpvsCompileOptions
}

/** Load one compiled node into a namespace and compare the kernel's view with ours. */
function check(c: Case): void {
  const result = compileIpvs(c.snapshot, c.node, c.config, c.options)
  const state = newIpvsNodeState()
  applyIpvsSync(state, result)
  const ns = freshNamespace()
  must(ns, 'ipset', ['restore'], ipsetSaveText(state))
  for (const j of result.jumpRules) {
    if (sh(ns, 'iptables', ['-w', '-t', j.table, '-n', '-L', j.target]).status !== 0) must(ns, 'iptables', ['-w', '-t', j.table, '-N', j.target])
    if (sh(ns, 'iptables', ['-w', '-t', j.table, '-C', j.chain, ...j.args]).status !== 0) must(ns, 'iptables', ['-w', '-t', j.table, '-I', j.chain, '1', ...j.args])
  }
  const test = sh(ns, 'iptables-restore', ['-w', '--noflush', '--test'], result.payload)
  expect(test.status, `${c.name}: iptables-restore --test: ${test.stderr}`).toBe(0)
  const real = sh(ns, 'iptables-restore', ['-w', '--noflush'], result.payload)
  if (result.payload.includes(' -m ipvs ') && real.status !== 0) {
    // This kernel has no ip_vs, so xt_ipvs cannot be loaded: --test passes (parsing only), the filter table's
    // commit fails. iptables-restore commits table by table, so the nat table before it is in place.
    expect(real.stderr).toMatch(/Extension ipvs revision 0 not supported/)
    const natOnly = newIpvsNodeState()
    applyIpvsSync(natOnly, { ...result, tables: { nat: result.tables.nat, filter: { name: 'filter', chains: [], rules: [], deletedChains: [] } } })
    expect(kernelSave(ns), `${c.name}: iptables-save (nat only)`).toBe(renderIptablesSave(natOnly.tables, { tables: ['filter', 'nat'] }))
    expect(must(ns, 'ipset', ['list']), `${c.name}: ipset list`).toBe(listSets(natOnly.ipsets))
    return
  }
  expect(real.status, `${c.name}: iptables-restore: ${real.stderr}`).toBe(0)
  expect(kernelSave(ns), `${c.name}: iptables-save`).toBe(renderIptablesSave(state.tables, { tables: ['filter', 'nat'] }))
  expect(must(ns, 'ipset', ['list']), `${c.name}: ipset list`).toBe(listSets(state.ipsets))
}

function kernelSave(ns: string): string {
  return must(ns, 'iptables-save', []).split('\n').filter((l) => !l.startsWith('#')).join('\n')
}

const ipvsConfig = (snapshot: ClusterSnapshot, extra: Partial<KubeProxyConfiguration> = {}): KubeProxyConfiguration =>
  ({ ...snapshot.kubeProxyConfig, mode: 'ipvs', ...extra })

const MIXED = `
apiVersion: v1
kind: Node
metadata: {name: worker}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system}
spec: {clusterIP: 10.96.0.10, ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: kube-dns-1, namespace: kube-system, labels: {kubernetes.io/service-name: kube-dns}}
addressType: IPv4
endpoints: [{addresses: [10.244.0.2], nodeName: control-plane}, {addresses: [10.244.1.3], nodeName: worker}]
ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: LoadBalancer
  clusterIP: 10.96.100.1
  externalIPs: [192.0.2.10]
  externalTrafficPolicy: Local
  healthCheckNodePort: 32000
  loadBalancerSourceRanges: [172.18.0.0/16, 203.0.113.0/24]
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30080}, {name: sctp, port: 9999, protocol: SCTP, nodePort: 30999}]
status: {loadBalancer: {ingress: [{ip: 198.51.100.7}]}}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.5], nodeName: worker}, {addresses: [10.244.2.5], nodeName: other}]
ports: [{name: http, port: 8080, protocol: TCP}, {name: sctp, port: 9999, protocol: SCTP}]
`

function cases(): Case[] {
  const out: Case[] = []
  const cluster = Cluster.createDefault()
  const nginx = readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'nginx-clusterip.yaml'), 'utf8')
  expect(cluster.apply(nginx).ok).toBe(true)
  const snapshot = cluster.snapshot()
  for (const node of snapshot.nodes) {
    out.push({ name: `default cluster + nginx, node ${node.metadata.name}`, snapshot, node: node.metadata.name, config: ipvsConfig(snapshot), options: {} })
  }
  const mixed = snapshotFromManifests(MIXED)
  out.push({ name: 'DNS, LB with source ranges incl. the node, eTP Local, externalIP, affinity, SCTP (clusterCIDR)', snapshot: mixed, node: 'worker', config: ipvsConfig(mixed, { clusterCIDR: '10.244.0.0/16' }), options: {} })
  out.push({ name: 'same, masqueradeAll', snapshot: mixed, node: 'worker', config: ipvsConfig(mixed, { iptables: { ...mixed.kubeProxyConfig.iptables, masqueradeAll: true } }), options: {} })
  out.push({ name: 'same, no local-traffic detector, no --random-fully', snapshot: mixed, node: 'worker', config: ipvsConfig(mixed, { clusterCIDR: '' }), options: { randomFully: false } })
  for (const s of IPVS_SCENARIOS) {
    const snap = snapshotFromManifests(s.manifests)
    out.push({
      name: `${s.test}: ${s.name}`, snapshot: snap, node: 'test-node',
      config: ipvsConfig(snap, { nodePortAddresses: s.nodePortAddresses ?? [] }),
      options: { localAddresses: s.localAddresses, masqueradeMark: '0x4000' },
    })
  }
  return out
}

describe.skipIf(!canRun)('IPVS mode in the real kernel (ipsets and iptables; IPVS itself is absent)', () => {
  it('ipvsadm cannot work here: the kernel has no IPVS', () => {
    const ns = freshNamespace()
    const r = sh(ns, 'ipvsadm', ['-Ln'])
    // Either the tool is missing or it cannot reach ip_vs; both mean no IPVS to compare with.
    expect(r.status).not.toBe(0)
  })

  for (const c of canRun ? cases() : []) {
    it(c.name, () => check(c))
  }

  it('a second sync (endpoints replaced, a LoadBalancer added) replayed as kube-proxy runs it: ipset del/add and a new restore', () => {
    const first = snapshotFromManifests(MIXED)
    const second = snapshotFromManifests(MIXED
      .replace('endpoints: [{addresses: [10.244.1.5], nodeName: worker}, {addresses: [10.244.2.5], nodeName: other}]',
        'endpoints: [{addresses: [10.244.1.6], nodeName: worker}, {addresses: [10.244.1.7], nodeName: worker}]')
      .replace('externalIPs: [192.0.2.10]', 'externalIPs: [192.0.2.10, 192.0.2.11]'))
    const config = ipvsConfig(first, { clusterCIDR: '10.244.0.0/16' })
    const state = newIpvsNodeState()
    const r1 = compileIpvs(first, 'worker', config)
    applyIpvsSync(state, r1)
    const ns = freshNamespace()
    must(ns, 'ipset', ['restore'], ipsetSaveText(state))
    for (const j of r1.jumpRules) {
      if (sh(ns, 'iptables', ['-w', '-t', j.table, '-n', '-L', j.target]).status !== 0) must(ns, 'iptables', ['-w', '-t', j.table, '-N', j.target])
      must(ns, 'iptables', ['-w', '-t', j.table, '-I', j.chain, '1', ...j.args])
    }
    must(ns, 'iptables-restore', ['-w', '--noflush'], r1.payload)
    const r2 = compileIpvs(second, 'worker', config)
    const commands = applyIpvsSync(state, r2)
    const changes = commands.filter((c) => c[0] !== 'create')
    expect(changes.length).toBeGreaterThan(0)
    for (const c of commands) must(ns, 'ipset', c)
    must(ns, 'iptables-restore', ['-w', '--noflush'], r2.payload)
    expect(kernelSave(ns)).toBe(renderIptablesSave(state.tables, { tables: ['filter', 'nat'] }))
    expect(must(ns, 'ipset', ['list'])).toBe(listSets(state.ipsets))
  })
})
