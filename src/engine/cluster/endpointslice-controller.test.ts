import { describe, expect, it } from 'vitest'
import { Cluster } from './cluster.ts'
import { deploymentYaml, endpointsOf, expectApplied, nginxCluster, podsOf, slicesOf } from './test-support/fixtures.ts'

const webService = (targetPort: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {team: a}
spec:
  selector: {app: web}
${extra}  ports:
  - name: http
    port: 80
    targetPort: ${targetPort}
`

describe('the EndpointSlice controller', () => {
  it('names slices <service>-<5 chars>, labels and owns them as upstream does', () => {
    const snap = nginxCluster().snapshot()
    const [slice] = slicesOf(snap, 'nginx-service')
    expect(slice.metadata.name).toMatch(/^nginx-service-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(slice.metadata.labels).toEqual({
      'kubernetes.io/service-name': 'nginx-service',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
    expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Service', name: 'nginx-service', controller: true })])
    expect(slice.addressType).toBe('IPv4')
    expect(slice.ports).toEqual([{ name: '', protocol: 'TCP', port: 80 }])
    expect(slice.endpoints[0]).toMatchObject({ nodeName: expect.stringMatching(/^kind-worker/), targetRef: { kind: 'Pod', namespace: 'default' } })
  })

  it('resolves a named targetPort per Pod: Pods declaring different numbers land in separate slices', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(deploymentYaml('web', 2)))
    expectApplied(cluster.apply(`${deploymentYaml('web-canary', 1).replaceAll('app: web-canary', 'app: web').replace('8080', '9090').replace('name: web-canary', 'name: web-canary')}`))
    expectApplied(cluster.apply(webService('http')))
    const slices = slicesOf(cluster.snapshot(), 'web')
    expect(slices.map((s) => [s.ports.map((p) => `${p.name}:${p.port}`), s.endpoints.length]).sort()).toEqual([
      [['http:8080'], 2],
      [['http:9090'], 1],
    ])
    // Copies the Service's labels.
    expect(slices[0].metadata.labels?.team).toBe('a')
  })

  it('leaves out the port of a Pod that does not declare the named port', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(deploymentYaml('web', 1)))
    expectApplied(cluster.apply(webService('metrics')))
    const [slice] = slicesOf(cluster.snapshot(), 'web')
    expect(slice.ports).toEqual([])
    expect(slice.endpoints).toHaveLength(1)
  })

  it('marks a Pod whose readiness fails not ready and not serving, and ready again when it passes', () => {
    const cluster = nginxCluster()
    const [pod] = podsOf(cluster.snapshot(), 'nginx-deployment')
    cluster.setPodReady('default', pod.metadata.name, false)
    expect(endpointsOf(cluster.snapshot(), 'nginx-service').find((e) => e.pod === pod.metadata.name)).toMatchObject({ ready: false, serving: false, terminating: false })
    expect(cluster.snapshot().deployments.find((d) => d.metadata.name === 'nginx-deployment')?.status.readyReplicas).toBe(1)
    cluster.setPodReady('default', pod.metadata.name, true)
    expect(endpointsOf(cluster.snapshot(), 'nginx-service').every((e) => e.ready)).toBe(true)
  })

  it('publishes not-ready addresses as ready when publishNotReadyAddresses is set', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(deploymentYaml('web', 1)))
    expectApplied(cluster.apply(webService('8080', '  publishNotReadyAddresses: true\n')))
    const [pod] = podsOf(cluster.snapshot(), 'web')
    cluster.setPodReady('default', pod.metadata.name, false)
    expect(endpointsOf(cluster.snapshot(), 'web')).toEqual([expect.objectContaining({ ready: true, serving: false })])
  })

  it('keeps at most 100 endpoints per slice', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(deploymentYaml('web', 150)))
    expectApplied(cluster.apply(webService('8080')))
    expect(slicesOf(cluster.snapshot(), 'web').map((s) => s.endpoints.length).sort((a, b) => a - b)).toEqual([50, 100])
  })

  it('keeps one placeholder slice with no endpoints and no ports when nothing matches', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(webService('8080')))
    expect(slicesOf(cluster.snapshot(), 'web').map((s) => [s.endpoints, s.ports])).toEqual([[[], []]])
  })

  it('leaves user-supplied EndpointSlices of a Service without selector alone', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(`apiVersion: v1
kind: Service
metadata: {name: external-db}
spec:
  ports: [{port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: external-db-1
  labels: {kubernetes.io/service-name: external-db}
addressType: IPv4
ports: [{name: "", port: 5432, protocol: TCP}]
endpoints:
- addresses: [192.168.10.5]
`))
    cluster.advanceTime(60)
    expect(slicesOf(cluster.snapshot(), 'external-db').map((s) => [s.metadata.name, s.endpoints.map((e) => e.addresses[0])])).toEqual([['external-db-1', ['192.168.10.5']]])
  })

  it('removes a Service\'s slices with the Service', () => {
    const cluster = nginxCluster()
    cluster.delete('Service', 'default', 'nginx-service')
    expect(slicesOf(cluster.snapshot(), 'nginx-service')).toEqual([])
  })
})
