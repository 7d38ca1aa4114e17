/**
 * The rules view's questions to the worker on a big node: S ClusterIP Services × 10 endpoints programmed by
 * kube-proxy into the node's Ruleset. Figures: a table's chain list with a page of KUBE-SERVICES, the same
 * with a filter, the answer's size as it crosses to the UI (JSON), and the newest sync record (diff cut).
 */
import type { ClusterSnapshot, EndpointSlice, Service } from '../src/engine/cluster/types.ts'
import { freshNode } from '../src/engine/host/host.ts'
import { NodeKubeProxy } from '../src/engine/kube-proxy/node-kube-proxy.ts'
import { DEFAULT_TEST_CONFIG } from '../src/engine/kube-proxy/raw-snapshot.ts'
import { syncViews, tableView } from '../src/worker/node-queries.ts'

export const name = 'rules view queries on a node with S ClusterIP Services × 10 endpoints'

const meta = (namespace: string, n: string, labels?: Record<string, string>) =>
  ({ name: n, namespace, uid: `${namespace}/${n}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', labels })

function snapshot(services: number): ClusterSnapshot {
  const svcs: Service[] = []
  const slices: EndpointSlice[] = []
  for (let i = 0; i < services; i++) {
    svcs.push({
      apiVersion: 'v1', kind: 'Service', metadata: meta('default', `svc-${i}`),
      spec: { type: 'ClusterIP', clusterIP: `10.96.${i >> 8}.${i & 255}`, sessionAffinity: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
      status: { loadBalancer: {} },
    })
    slices.push({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('default', `svc-${i}-abcde`, { 'kubernetes.io/service-name': `svc-${i}` }),
      addressType: 'IPv4',
      endpoints: Array.from({ length: 10 }, (_, j) => ({ addresses: [`10.${(i >> 8) & 255}.${i & 255}.${j + 1}`], conditions: { ready: true }, nodeName: 'node-a' })),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    })
  }
  return {
    namespaces: [], deployments: [], pods: [], serviceCIDRs: [],
    nodes: [{ apiVersion: 'v1', kind: 'Node', metadata: meta('', 'node-a'), spec: {}, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }], conditions: [] } }],
    services: svcs, endpointSlices: slices,
    kubeProxyConfig: { ...DEFAULT_TEST_CONFIG, clusterCIDR: '10.0.0.0/8' },
  }
}

function time<T>(f: () => T): [number, T] {
  const t0 = performance.now()
  const r = f()
  return [performance.now() - t0, r]
}

const ms = (x: number) => `${x.toFixed(1)} ms`
const kb = (o: unknown) => `${(JSON.stringify(o).length / 1024).toFixed(0)} KB`

export function run(): string[] {
  const lines: string[] = []
  for (const services of [1_000, 10_000]) {
    const snap = snapshot(services)
    const host = freshNode('node-a')
    const ruleset = host.ruleset
    const proxy = new NodeKubeProxy(host, 'node-a', snap.kubeProxyConfig)
    proxy.loadSnapshot(snap)
    proxy.sync(0)
    const [tPage, page] = time(() => tableView(ruleset, 'node-a', { table: 'nat', chain: 'KUBE-SERVICES', offset: 0, limit: 100 }))
    lines.push(`S=${services}: nat chain list + KUBE-SERVICES rules 1-100 of ${page.selected?.total}: ${ms(tPage)}, ${page.chains.length} chains, answer ${kb(page)}`)
    const [tSort] = time(() => ruleset.chainsInOrder('nat'))
    lines.push(`S=${services}:   of which sorting the chains (Ruleset.chainsInOrder): ${ms(tSort)}`)
    const [tAgain] = time(() => tableView(ruleset, 'node-a', { table: 'nat', chain: 'KUBE-SERVICES', offset: 100, limit: 100 }))
    lines.push(`S=${services}: next page, table unchanged: ${ms(tAgain)}`)
    const [tFilter, filtered] = time(() => tableView(ruleset, 'node-a', { table: 'nat', chain: 'KUBE-SERVICES', filter: 'svc-4242', offset: 0, limit: 100 }))
    lines.push(`S=${services}: the same filtered by "svc-4242": ${ms(tFilter)}, ${filtered.chains.length} chains, ${filtered.selected?.total} rules, answer ${kb(filtered)}`)
    const [tSyncs, syncs] = time(() => syncViews(proxy.history))
    lines.push(`S=${services}: sync records for the UI: ${ms(tSyncs)}, newest shows ${syncs[0].diff.length} of ${syncs[0].diffTotal} diff lines, answer ${kb(syncs)}`)
  }
  return lines
}
