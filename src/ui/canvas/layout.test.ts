import { describe, expect, it } from 'vitest'
import type { ClusterSnapshot, Endpoint, EndpointSlice, Node, Pod, Service } from '../../engine/cluster/types.ts'
import { UNSCHEDULED, layoutCluster, nodeId, podId, serviceId } from './layout.ts'

const meta = (name: string, namespace?: string, labels?: Record<string, string>) =>
  ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...(labels ? { labels } : {}) })

const node = (name: string, ip: string): Node => ({
  apiVersion: 'v1', kind: 'Node', metadata: meta(name), spec: { podCIDR: '10.244.1.0/24' },
  status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: 'True' }] },
})

const pod = (name: string, nodeName: string | undefined, ip: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: meta(name, 'default', { app: 'web' }),
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
  status: { phase: nodeName ? 'Running' : 'Pending', ...(nodeName ? { podIP: ip } : {}) },
})

const service = (name: string): Service => ({
  apiVersion: 'v1', kind: 'Service', metadata: meta(name, 'default'),
  spec: { type: 'ClusterIP', ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], sessionAffinity: 'None' },
  status: { loadBalancer: {} },
})

const toPod = (name: string, address: string, conditions: Endpoint['conditions'] = { ready: true }): Endpoint =>
  ({ addresses: [address], conditions, targetRef: { kind: 'Pod', name, namespace: 'default' } })

const slice = (serviceName: string, endpoints: Endpoint[]): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: meta(`${serviceName}-abcde`, 'default', { 'kubernetes.io/service-name': serviceName }),
  addressType: 'IPv4', endpoints, ports: [{ protocol: 'TCP', port: 80 }],
})

function snapshot(parts: Partial<ClusterSnapshot>): ClusterSnapshot {
  return {
    namespaces: [], nodes: [], deployments: [], pods: [], services: [], endpointSlices: [], serviceCIDRs: [],
    kubeProxyConfig: {} as ClusterSnapshot['kubeProxyConfig'], ...parts,
  }
}

const cluster = snapshot({
  nodes: [node('cp', '172.18.0.2'), node('w1', '172.18.0.3'), node('w2', '172.18.0.4')],
  pods: [pod('web-b', 'w1', '10.244.1.3'), pod('web-a', 'w1', '10.244.1.2'), pod('web-c', 'w2', '10.244.2.2')],
  services: [service('kubernetes'), service('web')],
  endpointSlices: [
    slice('web', [toPod('web-a', '10.244.1.2'), toPod('web-b', '10.244.1.3', { ready: false, terminating: true }), toPod('web-c', '10.244.2.2', { ready: false })]),
    // The API server's endpoint is the control-plane Node's own address, with no Pod behind it.
    slice('kubernetes', [{ addresses: ['172.18.0.2'], conditions: { ready: true } }]),
  ],
})

describe('layoutCluster', () => {
  const { nodes, edges } = layoutCluster(cluster)
  const byId = new Map(nodes.map((n) => [n.id, n]))

  it('draws every Node as a container, side by side, and every Pod inside the Node it runs on', () => {
    const containers = nodes.filter((n) => n.type === 'k8sNode')
    expect(containers.map((n) => n.id)).toEqual([nodeId('cp'), nodeId('w1'), nodeId('w2')])
    expect(new Set(containers.map((n) => n.position.y)).size).toBe(1)
    expect(containers[0].position.x).toBeLessThan(containers[1].position.x)
    expect(byId.get(podId('default', 'web-a'))!.parentId).toBe(nodeId('w1'))
    expect(byId.get(podId('default', 'web-c'))!.parentId).toBe(nodeId('w2'))
  })

  it('lists a container before its Pods, as React Flow requires of parents', () => {
    const index = (id: string) => nodes.findIndex((n) => n.id === id)
    expect(index(nodeId('w1'))).toBeLessThan(index(podId('default', 'web-a')))
    expect(index(nodeId('w2'))).toBeLessThan(index(podId('default', 'web-c')))
  })

  it('stacks the Pods of a Node in name order, inside the container', () => {
    const a = byId.get(podId('default', 'web-a'))!
    const b = byId.get(podId('default', 'web-b'))!
    expect(a.position.y).toBeLessThan(b.position.y)
    const container = byId.get(nodeId('w1'))!
    expect(b.position.y + b.height!).toBeLessThanOrEqual(container.height!)
  })

  it('puts Services above the Nodes with one edge per endpoint, styled by the endpoint state', () => {
    const web = byId.get(serviceId('default', 'web'))!
    expect(web.position.y + web.height!).toBeLessThan(byId.get(nodeId('w1'))!.position.y)
    const webEdges = edges.filter((e) => e.source === serviceId('default', 'web'))
    expect(webEdges.map((e) => [e.target, e.data!.state])).toEqual([
      [podId('default', 'web-a'), 'ready'],
      [podId('default', 'web-b'), 'terminating'],
      [podId('default', 'web-c'), 'notReady'],
    ])
    // All edges of one Service cross at one height, inside the band between the rows.
    const heights = new Set(webEdges.map((e) => e.data!.centerY))
    expect(heights.size).toBe(1)
    const [h] = heights
    expect(h).toBeGreaterThan(web.position.y + web.height!)
    expect(h).toBeLessThan(byId.get(nodeId('w1'))!.position.y)
  })

  it('links an endpoint without a Pod to the Node that owns its address, and orders Services by their backends', () => {
    expect(edges.filter((e) => e.source === serviceId('default', 'kubernetes')).map((e) => e.target)).toEqual([nodeId('cp')])
    // kubernetes' backend (cp) is left of web's (w1, w2), so kubernetes comes first.
    expect(byId.get(serviceId('default', 'kubernetes'))!.position.x).toBeLessThan(byId.get(serviceId('default', 'web'))!.position.x)
  })

  it('gathers Pods no Node runs in an extra "unscheduled" container', () => {
    const withPending = layoutCluster({ ...cluster, pods: [...cluster.pods, pod('web-pending', undefined, '')] })
    const pending = withPending.nodes.find((n) => n.id === podId('default', 'web-pending'))!
    expect(pending.parentId).toBe(nodeId(UNSCHEDULED))
    expect(layoutCluster(cluster).nodes.some((n) => n.id === nodeId(UNSCHEDULED))).toBe(false)
  })

  it('makes every container tall enough for the busiest Node', () => {
    const busy = layoutCluster({ ...cluster, pods: [...cluster.pods, pod('web-d', 'w2', '10.244.2.3'), pod('web-e', 'w2', '10.244.2.4')] })
    const heights = busy.nodes.filter((n) => n.type === 'k8sNode').map((n) => n.height!)
    expect(new Set(heights).size).toBe(1)
    expect(heights[0]).toBeGreaterThan(layoutCluster(cluster).nodes.find((n) => n.type === 'k8sNode')!.height!)
  })

  it('makes the Service row tall enough for a line of external addresses when one Service has them', () => {
    const lb: Service = { ...service('lb'), spec: { ...service('lb').spec, type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } } }
    const plain = layoutCluster(cluster)
    const withLB = layoutCluster({ ...cluster, services: [...cluster.services, lb] })
    const heights = withLB.nodes.filter((n) => n.type === 'service').map((n) => n.height!)
    expect(new Set(heights).size).toBe(1)
    expect(heights[0]).toBeGreaterThan(plain.nodes.find((n) => n.type === 'service')!.height!)
    // The Nodes move down to make room.
    expect(withLB.nodes.find((n) => n.type === 'k8sNode')!.position.y).toBeGreaterThan(plain.nodes.find((n) => n.type === 'k8sNode')!.position.y)
  })

  it('is deterministic: the same snapshot always gives the same picture', () => {
    expect(layoutCluster(structuredClone(cluster))).toEqual(layoutCluster(cluster))
  })
})
