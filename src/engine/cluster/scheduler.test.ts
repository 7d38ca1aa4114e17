import { describe, expect, it } from 'vitest'
import { Cluster } from './cluster.ts'
import { deploymentYaml, endpointsOf, expectApplied, nginxCluster, podsOf } from './test-support/fixtures.ts'

const nodesOf = (cluster: Cluster, name: string) =>
  podsOf(cluster.snapshot(), name).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName ?? '<none>').sort()

describe('the scheduler', () => {
  it('spreads Pods over the workers, least loaded first, and never onto the tainted control plane', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(deploymentYaml('web', 5)))
    expect(nodesOf(cluster, 'web')).toEqual(['kind-worker', 'kind-worker', 'kind-worker', 'kind-worker2', 'kind-worker2'])
  })

  it('places Pods that tolerate the control-plane taint there too', () => {
    const cluster = Cluster.createDefault()
    const toleration = '      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n        operator: Exists\n        effect: NoSchedule\n'
    expectApplied(cluster.apply(deploymentYaml('web', 6, toleration)))
    // The control plane already runs the two CoreDNS Pods: it only takes one once the workers have two each
    // (ties go to the first Node by name).
    expect(nodesOf(cluster, 'web')).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker', 'kind-worker', 'kind-worker2', 'kind-worker2'])
  })

  it('honours nodeSelector', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(deploymentYaml('web', 3, '      nodeSelector:\n        kubernetes.io/hostname: kind-worker2\n')))
    expect(nodesOf(cluster, 'web')).toEqual(['kind-worker2', 'kind-worker2', 'kind-worker2'])
  })

  it('skips a cordoned Node, and leaves Pods Pending with the scheduler\'s reasons when nothing fits', () => {
    const cluster = Cluster.createDefault()
    cluster.setNodeSchedulable('kind-worker', false)
    expectApplied(cluster.apply(deploymentYaml('web', 2)))
    expect(nodesOf(cluster, 'web')).toEqual(['kind-worker2', 'kind-worker2'])
    cluster.setNodeSchedulable('kind-worker2', false)
    cluster.scaleDeployment('default', 'web', 3)
    const pending = podsOf(cluster.snapshot(), 'web').filter((p) => !p.spec.nodeName)
    expect(pending.map((p) => p.status.phase)).toEqual(['Pending'])
    expect(cluster.eventLog().filter((e) => e.reason === 'FailedScheduling').map((e) => e.message)).toEqual([
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    ])
    cluster.setNodeSchedulable('kind-worker', true)
    expect(nodesOf(cluster, 'web')).toEqual(['kind-worker', 'kind-worker2', 'kind-worker2'])
    expect(cluster.snapshot().nodes.find((n) => n.metadata.name === 'kind-worker')?.spec.unschedulable).toBeUndefined()
  })

  it('a stopped Node: Ready Unknown, tainted unreachable, its Pods not ready, evicted after 300 s and replaced elsewhere', () => {
    const cluster = nginxCluster()
    cluster.setNodeReady('kind-worker', false)
    const node = cluster.snapshot().nodes.find((n) => n.metadata.name === 'kind-worker')
    expect(node?.status.conditions).toContainEqual({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' })
    expect(node?.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'])
    const onWorker = endpointsOf(cluster.snapshot(), 'nginx-service').find((e) => e.node === 'kind-worker')
    expect(onWorker).toMatchObject({ ready: false, serving: false, terminating: false })

    cluster.advanceTime(299)
    expect(nodesOf(cluster, 'nginx-deployment')).toEqual(['kind-worker', 'kind-worker2'])
    cluster.advanceTime(1)
    expect(nodesOf(cluster, 'nginx-deployment')).toEqual(['kind-worker2', 'kind-worker2'])
    // The kubelet is gone, so the evicted Pod stays Terminating until the Node comes back.
    cluster.advanceTime(600)
    expect(podsOf(cluster.snapshot(), 'nginx-deployment').filter((p) => p.metadata.deletionTimestamp)).toHaveLength(1)
    cluster.setNodeReady('kind-worker', true)
    expect(podsOf(cluster.snapshot(), 'nginx-deployment')).toHaveLength(2)
  })
})

describe('node capacity', () => {
  it('puts at most 110 Pods on a Node (the kubelet default max-pods); the rest stay Pending', () => {
    const cluster = Cluster.createDefault()
    expectApplied(cluster.apply(deploymentYaml('web', 221)))
    const nodes = nodesOf(cluster, 'web')
    expect(nodes.filter((n) => n === 'kind-worker')).toHaveLength(110)
    expect(nodes.filter((n) => n === 'kind-worker2')).toHaveLength(110)
    expect(nodes.filter((n) => n === '<none>')).toHaveLength(1)
    expect(cluster.eventLog().filter((e) => e.reason === 'FailedScheduling').at(-1)?.message)
      .toBe('0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Too many pods. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.')
  })
})
