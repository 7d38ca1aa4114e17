import { describe, expect, it } from 'vitest'
import { Cluster } from './cluster.ts'
import { endpointsOf, nginxCluster, podsOf, serviceOf, slicesOf } from './test-support/fixtures.ts'

describe('the default cluster (a fresh three-node kind cluster)', () => {
  const snap = Cluster.createDefault().snapshot()

  it('has kind-control-plane and two workers on the kind network with their pod CIDRs', () => {
    expect(snap.nodes.map((n) => [n.metadata.name, n.status.addresses.find((a) => a.type === 'InternalIP')?.address, n.spec.podCIDR])).toEqual([
      ['kind-control-plane', '172.18.0.2', '10.244.0.0/24'],
      ['kind-worker', '172.18.0.3', '10.244.1.0/24'],
      ['kind-worker2', '172.18.0.4', '10.244.2.0/24'],
    ])
  })

  it('taints and labels the control plane, and gives every node the kubelet standard labels', () => {
    const cp = snap.nodes[0]
    expect(cp.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }])
    expect(cp.metadata.labels?.['node-role.kubernetes.io/control-plane']).toBe('')
    for (const node of snap.nodes) {
      expect(node.metadata.labels).toMatchObject({
        'kubernetes.io/hostname': node.metadata.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64',
      })
      expect(node.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }))
    }
  })

  it('has the kubernetes Service at 10.96.0.1 (443 -> 6443) with an EndpointSlice to the API server', () => {
    const k8s = serviceOf(snap, 'kubernetes')
    expect(k8s.spec.clusterIP).toBe('10.96.0.1')
    expect(k8s.spec.ports).toEqual([{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }])
    const [slice] = slicesOf(snap, 'kubernetes')
    expect(slice.endpoints.map((e) => e.addresses)).toEqual([['172.18.0.2']])
    expect(slice.ports).toEqual([{ name: 'https', protocol: 'TCP', port: 6443 }])
  })

  it('runs CoreDNS: kube-dns at 10.96.0.10 with dns/dns-tcp/metrics and two Pods on the control plane', () => {
    const dns = serviceOf(snap, 'kube-dns', 'kube-system')
    expect(dns.spec.clusterIP).toBe('10.96.0.10')
    expect(dns.spec.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP'])
    const pods = podsOf(snap, 'coredns', 'kube-system')
    expect(pods).toHaveLength(2)
    expect(pods.every((p) => p.spec.nodeName === 'kind-control-plane' && p.metadata.labels?.['k8s-app'] === 'kube-dns')).toBe(true)
    expect(pods.map((p) => p.status.podIP).sort()).toEqual(['10.244.0.2', '10.244.0.3'])
    expect(endpointsOf(snap, 'kube-dns', 'kube-system').map((e) => e.ip)).toEqual(['10.244.0.2', '10.244.0.3'])
  })

  it('has the built-in namespaces, the kubernetes ServiceCIDR and kube-proxy defaults as kind configures them', () => {
    expect(snap.namespaces.map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system'])
    expect(snap.serviceCIDRs.map((c) => [c.metadata.name, c.spec.cidrs])).toEqual([['kubernetes', ['10.96.0.0/16']]])
    expect(snap.kubeProxyConfig).toMatchObject({
      mode: 'iptables', clusterCIDR: '10.244.0.0/16', nodePortAddresses: [],
      iptables: { masqueradeAll: false, masqueradeBit: 14, localhostNodePorts: true },
    })
  })

  it('holds no workload: no nginx until the scenario is applied', () => {
    expect(snap.deployments.map((d) => d.metadata.name)).toEqual(['coredns'])
  })

  it('an empty cluster has only the namespaces and the service CIDR', () => {
    const empty = Cluster.createEmpty().snapshot()
    expect(empty.nodes).toEqual([])
    expect(empty.pods).toEqual([])
    expect(empty.services).toEqual([])
    expect(empty.namespaces.map((n) => n.metadata.name)).toContain('default')
  })
})

describe('the nginx scenario on the default cluster', () => {
  it('puts the two nginx Pods on different workers, named <deployment>-<hash>-<suffix>', () => {
    const snap = nginxCluster().snapshot()
    const pods = podsOf(snap, 'nginx-deployment')
    expect(pods).toHaveLength(2)
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['kind-worker', 'kind-worker2'])
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      expect(p.metadata.name).toContain(`-${p.metadata.labels?.['pod-template-hash']}-`)
    }
    expect(pods.map((p) => p.status.podIP).sort()).toEqual(['10.244.1.2', '10.244.2.2'])
  })

  it('gives the Service a cluster IP in 10.96.0.0/16 (upper band, not the reserved low addresses) and endpoints to both Pods', () => {
    const snap = nginxCluster().snapshot()
    const ip = serviceOf(snap, 'nginx-service').spec.clusterIP ?? ''
    const [a, b, c] = ip.split('.').map(Number)
    expect([a, b]).toEqual([10, 96])
    expect(c).toBeGreaterThanOrEqual(1)
    expect(endpointsOf(snap, 'nginx-service').map((e) => [e.ip, e.ready, e.serving, e.terminating])).toEqual([
      ['10.244.1.2', true, true, false],
      ['10.244.2.2', true, true, false],
    ])
  })

  it('is deterministic: the same seed gives the same names and IPs, another seed other names', () => {
    const names = (seed: number) => {
      const s = nginxCluster(seed).snapshot()
      return [...s.pods.map((p) => `${p.metadata.name} ${p.status.podIP}`), ...s.services.map((x) => x.spec.clusterIP), ...s.endpointSlices.map((x) => x.metadata.name)]
    }
    expect(names(7)).toEqual(names(7))
    expect(names(8)).not.toEqual(names(7))
  })
})
