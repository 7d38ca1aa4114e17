/**
 * Upstream TestSyncProxyRulesLargeClusterMode (pkg/proxy/iptables/proxier_test.go): above 1000 endpoints
 * kube-proxy drops the comments of SEP rules (and of SVC→SEP jumps), partial syncs only rewrite what
 * changed, and stale chains are deleted at most once per syncPeriod. Written as code rather than a fixture
 * because it needs a thousand generated endpoints.
 */
import { describe, expect, it } from 'vitest'
import type { ClusterObject, EndpointSlice, Service, WatchEvent } from '../../../cluster/types.ts'
import { KubeProxy } from './proxier.ts'
import { LARGE_CLUSTER_ENDPOINTS_THRESHOLD } from './compile.ts'
import { DEFAULT_TEST_CONFIG } from '../../raw-snapshot.ts'
import { UPSTREAM_FAKE_ENVIRONMENT } from './test-support/scenario.ts'

const meta = (namespace: string, name: string, labels?: Record<string, string>) =>
  ({ name, namespace, uid: `${namespace}-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', labels })

function service(ns: string, name: string, ip: string, portName: string, port: number): Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(ns, name),
    spec: { type: 'ClusterIP', clusterIP: ip, sessionAffinity: 'None', ports: [{ name: portName, port, protocol: 'TCP', targetPort: port }] },
    status: { loadBalancer: {} },
  }
}

function slice(ns: string, svc: string, addresses: string[], portName: string, port: number): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta(ns, `${svc}-1`, { 'kubernetes.io/service-name': svc }),
    addressType: 'IPv4', endpoints: addresses.map((a) => ({ addresses: [a], conditions: {} })),
    ports: [{ name: portName, port, protocol: 'TCP' }],
  }
}

let seq = 0
const added = (...objects: ClusterObject[]): WatchEvent[] => objects.map((object) => ({ seq: ++seq, type: 'ADDED', kind: object.kind, object }))

/** countEndpointsAndComments: the DNAT line for `match`, the number of DNAT lines, how many carry a comment. */
function countEndpointsAndComments(payload: string, match: string) {
  const dnat = payload.split('\n').filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('-j DNAT'))
  return { line: dnat.find((l) => l.includes(match)) ?? '', endpoints: dnat.length, comments: dnat.filter((l) => l.includes('--comment')).length }
}

describe('large cluster mode (upstream TestSyncProxyRulesLargeClusterMode)', () => {
  it('drops per-endpoint comments above the threshold and delays stale-chain deletion to once per syncPeriod', () => {
    const config = { ...DEFAULT_TEST_CONFIG, clusterCIDR: '10.0.0.0/8', iptables: { ...DEFAULT_TEST_CONFIG.iptables, masqueradeAll: true } }
    const proxy = new KubeProxy('test-node', config, { environment: UPSTREAM_FAKE_ENVIRONMENT, syncPeriodMs: 30_000 })
    const half = LARGE_CLUSTER_ENDPOINTS_THRESHOLD / 2 - 1
    const addrs = (prefix: string) => Array.from({ length: half }, (_, i) => `${prefix}.${i % 256}.${Math.floor(i / 256)}`)
    proxy.observe(added(
      service('ns1', 'svc1', '172.30.0.41', 'p80', 80),
      service('ns2', 'svc2', '172.30.0.42', 'p8080', 8080),
      service('ns3', 'svc3', '172.30.0.43', 'p8081', 8081),
      slice('ns1', 'svc1', addrs('10.0'), 'p80', 80),
      slice('ns2', 'svc2', addrs('10.1'), 'p8080', 8080),
    ))
    let r = proxy.sync(0)
    let c = countEndpointsAndComments(r.payload, '10.0.0.0')
    expect(c.line).toBe('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80')
    expect(c.endpoints).toBe(2 * half)
    expect(c.comments).toBe(c.endpoints)

    proxy.observe(added(slice('ns3', 'svc3', ['203.0.113.4', '203.0.113.8', '203.0.113.12'], 'p8081', 8081)))
    r = proxy.sync(1_000)
    c = countEndpointsAndComments(r.payload, '203.0.113.4')
    expect(r.kind).toBe('partial')
    expect(c.line).toBe('-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081')
    // Only svc3's endpoints were written: crossing the threshold does not force a full resync.
    expect(c.endpoints).toBe(3)
    expect(c.comments).toBe(0)

    r = proxy.sync(2_000, true)
    c = countEndpointsAndComments(r.payload, '10.0.0.0')
    expect(c.line).toBe('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80')
    expect(c.endpoints).toBe(2 * half + 3)
    expect(c.comments).toBe(0)

    const svc4 = service('ns4', 'svc4', '172.30.0.44', 'p8082', 8082)
    proxy.observe(added(svc4, slice('ns4', 'svc4', ['10.4.0.1'], 'p8082', 8082)))
    r = proxy.sync(3_000)
    c = countEndpointsAndComments(r.payload, '10.4.0.1')
    expect(c.line).toBe('-A KUBE-SEP-SU5STNODRYEWJAUF -m tcp -p tcp -j DNAT --to-destination 10.4.0.1:8082')
    expect(c.endpoints).toBe(1)

    // Deleting a service in large-cluster mode neither rewrites nor (yet) deletes its chains...
    proxy.observe([{ seq: ++seq, type: 'DELETED', kind: 'Service', object: svc4 }])
    r = proxy.sync(4_000)
    c = countEndpointsAndComments(r.payload, '10.4.0.1')
    expect(c.line).toBe('')
    expect(c.endpoints).toBe(0)
    expect(r.payload).not.toContain('-X ')

    // ...until a syncPeriod has passed since the last cleanup.
    r = proxy.sync(40_000)
    expect(countEndpointsAndComments(r.payload, '10.4.0.1').endpoints).toBe(0)
    expect(r.payload).toContain('-X KUBE-SVC-EBDQOQU5SJFXRIL3')
    expect(r.payload).toContain('-X KUBE-SEP-SU5STNODRYEWJAUF')

    r = proxy.sync(41_000, true)
    expect(countEndpointsAndComments(r.payload, '10.0.0.0').endpoints).toBe(2 * half + 3)
  })
})
