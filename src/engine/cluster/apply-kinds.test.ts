import { describe, expect, it } from 'vitest'
import { Cluster } from './cluster.ts'
import { applyErrors, deploymentYaml, expectApplied, nginxCluster, NGINX_SCENARIO, podsOf, serviceOf, slicesOf } from './test-support/fixtures.ts'

describe('applying manifests as kubectl apply does', () => {
  it('fills the API server defaults of a Service', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n'))
    const svc = serviceOf(cluster.snapshot(), 'web')
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'],
      ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
    })
    expect(svc.spec.externalTrafficPolicy).toBeUndefined()
    expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP])
  })

  it('allocates node ports (upper band of 30000-32767) and externalTrafficPolicy Cluster for NodePort Services', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{name: a, port: 80}, {name: b, port: 81}]\n'))
    const svc = serviceOf(cluster.snapshot(), 'web')
    expect(svc.spec.externalTrafficPolicy).toBe('Cluster')
    const ports = svc.spec.ports.map((p) => p.nodePort ?? 0)
    expect(ports.every((p) => p >= 30086 && p <= 32767)).toBe(true)
    expect(new Set(ports).size).toBe(2)
  })

  it('reports created, configured and unchanged, and keeps the allocated cluster IP and node port on update', () => {
    const cluster = Cluster.createDefault()
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80}]\n'
    const first = cluster.apply(yaml)
    expectApplied(first)
    expect(first.applied).toEqual([{ kind: 'Service', namespace: 'default', name: 'web', action: 'created' }])
    const before = serviceOf(cluster.snapshot(), 'web')
    const again = cluster.apply(yaml)
    expectApplied(again)
    expect(again.applied[0].action).toBe('unchanged')
    const changed = cluster.apply(yaml.replace('{app: web}', '{app: web2}'))
    expectApplied(changed)
    expect(changed.applied[0].action).toBe('configured')
    const after = serviceOf(cluster.snapshot(), 'web')
    expect([after.spec.clusterIP, after.spec.ports[0].nodePort]).toEqual([before.spec.clusterIP, before.spec.ports[0].nodePort])
  })

  it('refuses to change a Service\'s cluster IP', () => {
    const cluster = nginxCluster()
    const changed = NGINX_SCENARIO.replace('  type: ClusterIP', '  type: ClusterIP\n  clusterIP: 10.96.5.5')
    const [error] = applyErrors(cluster, changed)
    expect(error).toMatchObject({
      document: 2, line: changed.split('\n').indexOf('  clusterIP: 10.96.5.5') + 1, column: 14, path: 'spec.clusterIPs[0]',
      message: 'The Service "nginx-service" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.5.5"}: may not change once set',
    })
  })

  it('takes a cluster IP and node port named in the manifest', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  clusterIP: 10.96.100.100\n  ports: [{port: 80, nodePort: 30080}]\n'))
    const svc = serviceOf(cluster.snapshot(), 'web')
    expect([svc.spec.clusterIP, svc.spec.ports[0].nodePort]).toEqual(['10.96.100.100', 30080])
  })

  it('gives LoadBalancer Services ingress IPs from the pool, or the manifest\'s status', () => {
    const cluster = Cluster.createDefault()
    const lb = (name: string, extra = '') => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80}]\n${extra}---\n`
    expectApplied(cluster.apply(lb('a') + lb('b') + lb('c', 'status:\n  loadBalancer:\n    ingress: [{ip: 172.18.255.240}]\n')))
    const ingress = (n: string) => serviceOf(cluster.snapshot(), n).status.loadBalancer.ingress?.map((i) => i.ip)
    expect([ingress('a'), ingress('b'), ingress('c')]).toEqual([['172.18.255.200'], ['172.18.255.201'], ['172.18.255.240']])
    const a = serviceOf(cluster.snapshot(), 'a')
    expect(a.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true })
    expect(a.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000)
  })

  it('allocates a healthCheckNodePort for LoadBalancer Services with externalTrafficPolicy Local', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n'))
    const svc = serviceOf(cluster.snapshot(), 'web')
    expect(svc.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000)
    expect(svc.spec.healthCheckNodePort).not.toBe(svc.spec.ports[0].nodePort)
  })

  it('keeps headless and ExternalName Services without a cluster IP', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(`apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: search}
spec:
  type: ExternalName
  externalName: search.example.com
`))
    const snap = cluster.snapshot()
    expect(serviceOf(snap, 'db').spec.clusterIP).toBe('None')
    expect(slicesOf(snap, 'db')[0].metadata.labels?.['service.kubernetes.io/headless']).toBe('')
    expect(serviceOf(snap, 'search').spec).toMatchObject({ type: 'ExternalName', externalName: 'search.example.com' })
    expect(serviceOf(snap, 'search').spec.clusterIP).toBeUndefined()
    expect(slicesOf(snap, 'search')).toEqual([])
  })

  it('creates a Namespace and uses it in the same apply', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(`apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n${deploymentYaml('web', 1).replace('  name: web\n', '  name: web\n  namespace: shop\n')}`))
    expect(podsOf(cluster.snapshot(), 'web', 'shop')).toHaveLength(1)
  })

  it('allocates from an added ServiceCIDR once the first range is not asked for', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(`apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata: {name: extra}
spec:
  cidrs: [10.100.0.0/24]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: 10.100.0.50
  ports: [{port: 80}]
`))
    expect(serviceOf(cluster.snapshot(), 'web').spec.clusterIP).toBe('10.100.0.50')
    expect(cluster.snapshot().serviceCIDRs.map((c) => c.metadata.name)).toEqual(['extra', 'kubernetes'])
  })

  it('merges a KubeProxyConfiguration over the defaults', () => {
    const cluster = Cluster.createDefault()
    const outcome = cluster.apply('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\niptables:\n  masqueradeAll: true\n')
    expectApplied(outcome)
    expect(outcome.applied).toEqual([{ kind: 'KubeProxyConfiguration', name: 'kube-proxy', action: 'configured' }])
    expect(cluster.snapshot().kubeProxyConfig).toMatchObject({ mode: 'ipvs', clusterCIDR: '10.244.0.0/16', iptables: { masqueradeAll: true, masqueradeBit: 14 } })
    const [error] = applyErrors(cluster, 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\niptables:\n  masqueradeBit: 32\n')
    expect(error).toMatchObject({ line: 4, column: 18, path: 'iptables.masqueradeBit' })
  })

  it('registers a Node from a manifest with the next kind address and pod CIDR, and schedules onto it', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply('apiVersion: v1\nkind: Node\nmetadata: {name: kind-worker3}\n'))
    const node = cluster.snapshot().nodes.find((n) => n.metadata.name === 'kind-worker3')
    expect(node?.status.addresses).toEqual([{ type: 'InternalIP', address: '172.18.0.5' }, { type: 'Hostname', address: 'kind-worker3' }])
    expect(node?.spec.podCIDR).toBe('10.244.3.0/24')
    expectApplied(cluster.apply(deploymentYaml('web', 3)))
    expect(podsOf(cluster.snapshot(), 'web').map((p) => p.spec.nodeName).sort()).toEqual(['kind-worker', 'kind-worker2', 'kind-worker3'])
  })

  it('skips kinds it does not simulate and reports them', () => {
    const cluster = Cluster.createDefault()
    const outcome = cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n' + NGINX_SCENARIO)
    expectApplied(outcome)
    expect(outcome.skipped).toEqual([{ document: 1, apiVersion: 'v1', kind: 'ConfigMap', line: 1, reason: 'kind ConfigMap (v1) is not simulated' }])
    expect(outcome.applied.map((a) => a.name)).toEqual(['nginx-deployment', 'nginx-service'])
  })

  it('imports a List as kubectl get -o yaml prints it: same Pods, IPs, Services and slices', () => {
    const source = nginxCluster().snapshot()
    const list = { apiVersion: 'v1', kind: 'List', items: [...source.nodes, ...source.pods, ...source.services, ...source.endpointSlices] }
    const target = Cluster.createEmpty({ seed: 99 })
    const outcome = target.apply(JSON.stringify(list, null, 2))
    expectApplied(outcome)
    const snap = target.snapshot()
    const pods = (s: typeof snap) => s.pods.map((p) => [p.metadata.name, p.spec.nodeName, p.status.podIP, p.status.phase])
    expect(pods(snap)).toEqual(pods(source))
    expect(snap.services.map((s) => [s.metadata.name, s.spec.clusterIP])).toEqual(source.services.map((s) => [s.metadata.name, s.spec.clusterIP]))
    expect(snap.endpointSlices.map((s) => [s.metadata.name, s.endpoints.map((e) => e.addresses[0])]))
      .toEqual(source.endpointSlices.map((s) => [s.metadata.name, s.endpoints.map((e) => e.addresses[0])]))
  })

  it('locates errors inside a List item', () => {
    const yaml = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n  spec:\n    ports: [{port: 0}]\n'
    const [error] = applyErrors(Cluster.createDefault(), yaml)
    expect(error).toMatchObject({ document: 1, line: 8, column: 20, path: 'spec.ports[0].port' })
  })
})

describe('kubectl apply keeps what the manifest does not set', () => {
  it('a Deployment scaled by hand stays scaled when re-applied without replicas, and follows replicas when given', () => {
    const cluster = Cluster.createDefault()
    const withoutReplicas = deploymentYaml('web', 1).replace('  replicas: 1\n', '')
    expectApplied(cluster.apply(withoutReplicas))
    expect(podsOf(cluster.snapshot(), 'web')).toHaveLength(1)
    cluster.scaleDeployment('default', 'web', 3)
    const again = cluster.apply(withoutReplicas)
    expectApplied(again)
    expect(again.applied[0].action).toBe('unchanged')
    expect(podsOf(cluster.snapshot(), 'web')).toHaveLength(3)
    expectApplied(cluster.apply(deploymentYaml('web', 2)))
    expect(podsOf(cluster.snapshot(), 'web').filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(2)
  })

  it('a cordoned Node stays cordoned when its manifest is re-applied', () => {
    const cluster = Cluster.createDefault()
    cluster.setNodeSchedulable('kind-worker', false)
    expectApplied(cluster.apply('apiVersion: v1\nkind: Node\nmetadata:\n  name: kind-worker\n  labels: {tier: web}\n'))
    const node = cluster.snapshot().nodes.find((n) => n.metadata.name === 'kind-worker')
    expect(node?.spec.unschedulable).toBe(true)
    expect(node?.metadata.labels?.tier).toBe('web')
    expect(node?.spec.podCIDR).toBe('10.244.1.0/24')
  })
})

describe('applying nothing', () => {
  it('accepts empty text and comment-only documents and changes nothing', () => {
    const cluster = Cluster.createDefault()
    const events = cluster.watchEvents().length
    for (const text of ['', '# just a comment\n', '---\n---\n']) {
      expect(cluster.apply(text)).toEqual({ ok: true, applied: [], skipped: [] })
    }
    expect(cluster.watchEvents()).toHaveLength(events)
  })
})
