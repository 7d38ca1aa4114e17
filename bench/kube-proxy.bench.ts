/**
 * kube-proxy (iptables mode) at scale: S ClusterIP Services with 10 endpoints each.
 * Figures: the pure compile of a full sync (rules + payload text + iptables-save forms), a full sync of one
 * node's KubeProxy (compile, apply to the node's tables, diff), and a partial sync after one endpoint of one
 * Service changed (what upstream's partial sync writes: the fixed chains + that Service's chains).
 */
import type { ClusterSnapshot, EndpointSlice, Service } from '../src/engine/cluster/types.ts'
import { compileIptables } from '../src/engine/kube-proxy/modes/iptables/compile.ts'
import { KubeProxy } from '../src/engine/kube-proxy/modes/iptables/proxier.ts'
import { DEFAULT_TEST_CONFIG } from '../src/engine/kube-proxy/raw-snapshot.ts'

export const name = 'kube-proxy iptables: compile and sync S ClusterIP Services × 10 endpoints'

const ENDPOINTS = 10
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
    slices.push(endpointSlice(i, 0))
  }
  return {
    namespaces: [], deployments: [], pods: [], serviceCIDRs: [],
    nodes: [{ apiVersion: 'v1', kind: 'Node', metadata: meta('', 'node-a'), spec: {}, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }], conditions: [] } }],
    services: svcs, endpointSlices: slices,
    kubeProxyConfig: { ...DEFAULT_TEST_CONFIG, clusterCIDR: '10.0.0.0/8' },
  }
}

/** Service i's slice; `generation` shifts one endpoint's address (a Pod replaced). */
function endpointSlice(i: number, generation: number): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('default', `svc-${i}-abcde`, { 'kubernetes.io/service-name': `svc-${i}` }),
    addressType: 'IPv4',
    endpoints: Array.from({ length: ENDPOINTS }, (_, j) => ({
      addresses: [`10.${(i >> 8) & 255}.${i & 255}.${j === 0 ? 100 + generation : j + 1}`],
      conditions: { ready: true }, nodeName: j % 2 ? 'node-a' : 'node-b',
    })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }
}

function time<T>(f: () => T): [number, T] {
  const t0 = performance.now()
  const r = f()
  return [performance.now() - t0, r]
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const ms = (x: number) => `${x.toFixed(1)} ms`

export async function run(): Promise<string[]> {
  const lines: string[] = []
  for (const services of [1_000, 10_000]) {
    const snap = snapshot(services)
    const repeats = services >= 10_000 ? 3 : 5
    const compiles: number[] = []
    let rules = 0
    let payloadBytes = 0
    for (let k = 0; k < repeats; k++) {
      const [t, r] = time(() => compileIptables(snap, 'node-a', snap.kubeProxyConfig))
      compiles.push(t)
      rules = r.tables.nat.rules.length + r.tables.filter.rules.length
      payloadBytes = r.payload.length
    }
    lines.push(`S=${services}: full compile ${ms(median(compiles))} (median of ${repeats}); ${rules} rules, payload ${(payloadBytes / 1e6).toFixed(1)} MB`)

    const proxy = new KubeProxy('node-a', snap.kubeProxyConfig)
    proxy.loadSnapshot(snap)
    const [tFull, full] = time(() => proxy.sync(0))
    lines.push(`S=${services}: first full sync on a node (compile + apply + diff) ${ms(tFull)}; recorded ${ms(full.durationMs)}, ${full.diff.length} diff lines`)

    const partials: number[] = []
    let last = full
    for (let k = 1; k <= repeats; k++) {
      const before = endpointSlice(7, k - 1)
      const after = endpointSlice(7, k)
      proxy.observe([{ seq: k, type: 'MODIFIED', kind: 'EndpointSlice', object: after, oldObject: before }])
      const [t, r] = time(() => proxy.sync(k * 1000))
      partials.push(t)
      last = r
    }
    lines.push(`S=${services}: partial sync after one endpoint changed ${ms(median(partials))} (median of ${repeats}); ` +
      `${last.kind}, wrote ${last.rulesWritten} rules in ${last.chainsWritten} chains, ${last.deletedChains.length} chain deleted, ` +
      `${last.diff.length} diff lines, ${last.totalRules} rules total`)
  }
  return lines
}

export default run
