import { describe, expect, it } from 'vitest'
import { Cluster, ClusterError } from './cluster.ts'
import { endpointsOf, expectApplied, nginxCluster, NGINX_SCENARIO, podsOf } from './test-support/fixtures.ts'

const live = (cluster: Cluster) => podsOf(cluster.snapshot(), 'nginx-deployment').filter((p) => !p.metadata.deletionTimestamp)

describe('the Deployment controller', () => {
  it('scales up: new Pods share the ReplicaSet hash, spread over the workers, and join the endpoints', () => {
    const cluster = nginxCluster()
    cluster.scaleDeployment('default', 'nginx-deployment', 4)
    const pods = live(cluster)
    expect(pods).toHaveLength(4)
    expect(new Set(pods.map((p) => p.metadata.labels?.['pod-template-hash'])).size).toBe(1)
    expect(pods.filter((p) => p.spec.nodeName === 'kind-worker')).toHaveLength(2)
    expect(pods.filter((p) => p.spec.nodeName === 'kind-worker2')).toHaveLength(2)
    expect(endpointsOf(cluster.snapshot(), 'nginx-service').filter((e) => e.ready)).toHaveLength(4)
    expect(cluster.snapshot().deployments.find((d) => d.metadata.name === 'nginx-deployment')?.status).toEqual({ replicas: 4, readyReplicas: 4, availableReplicas: 4 })
  })

  it('scales down by terminating the newest Pods first; they leave after the grace period', () => {
    const cluster = nginxCluster()
    const original = live(cluster).map((p) => p.metadata.name).sort()
    cluster.advanceTime(60)
    cluster.scaleDeployment('default', 'nginx-deployment', 4)
    cluster.scaleDeployment('default', 'nginx-deployment', 2)
    expect(live(cluster).map((p) => p.metadata.name).sort()).toEqual(original)
    const terminating = podsOf(cluster.snapshot(), 'nginx-deployment').filter((p) => p.metadata.deletionTimestamp)
    expect(terminating).toHaveLength(2)
    expect(terminating[0].metadata.deletionTimestamp).toBe('2026-01-01T00:01:30Z')
    cluster.advanceTime(29)
    expect(podsOf(cluster.snapshot(), 'nginx-deployment')).toHaveLength(4)
    cluster.advanceTime(1)
    expect(podsOf(cluster.snapshot(), 'nginx-deployment')).toHaveLength(2)
  })

  it('replaces a deleted Pod at once with a new name and a new IP; the old one is a terminating endpoint', () => {
    const cluster = nginxCluster()
    const [victim] = live(cluster)
    cluster.deletePod('default', victim.metadata.name)
    const pods = live(cluster)
    expect(pods).toHaveLength(2)
    const replacement = pods.find((p) => !p.metadata.name.startsWith(victim.metadata.name))
    expect(replacement?.metadata.name).not.toBe(victim.metadata.name)
    expect(pods.map((p) => p.status.podIP)).not.toContain(victim.status.podIP)
    expect(endpointsOf(cluster.snapshot(), 'nginx-service').find((e) => e.pod === victim.metadata.name))
      .toMatchObject({ ready: false, serving: true, terminating: true })
    cluster.advanceTime(30)
    expect(endpointsOf(cluster.snapshot(), 'nginx-service').map((e) => e.pod)).not.toContain(victim.metadata.name)
  })

  it('hands out Pod IPs as host-local does: the next address after the last one, not the freed one', () => {
    const cluster = nginxCluster()
    const onWorker = () => live(cluster).filter((p) => p.spec.nodeName === 'kind-worker')
    const [first] = onWorker()
    expect(first.status.podIP).toBe('10.244.1.2')
    cluster.deletePod('default', first.metadata.name)
    cluster.advanceTime(30)
    expect(onWorker().map((p) => p.status.podIP)).toEqual(['10.244.1.3'])
  })

  it('keeps the ReplicaSet hash when only replicas change', () => {
    const cluster = nginxCluster()
    const hash = live(cluster)[0].metadata.labels?.['pod-template-hash']
    expectApplied(cluster.apply(NGINX_SCENARIO.replace('replicas: 2', 'replicas: 3')))
    expect(live(cluster).map((p) => p.metadata.labels?.['pod-template-hash'])).toEqual([hash, hash, hash])
  })

  it('rolls out a new template with maxSurge 25% / maxUnavailable 25%, one Pod at a time for 2 replicas', () => {
    const cluster = nginxCluster()
    const hash = live(cluster)[0].metadata.labels?.['pod-template-hash']
    const from = cluster.eventLog().length
    expectApplied(cluster.apply(NGINX_SCENARIO.replace('nginx:1.21', 'nginx:1.27')))
    const pods = live(cluster)
    expect(pods).toHaveLength(2)
    const newHash = pods[0].metadata.labels?.['pod-template-hash']
    expect(newHash).not.toBe(hash)
    expect(pods.every((p) => p.metadata.name.startsWith(`nginx-deployment-${newHash}-`) && p.spec.containers[0].image === 'nginx:1.27')).toBe(true)
    expect(cluster.eventLog().slice(from).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message)).toEqual([
      `Scaled up replica set nginx-deployment-${newHash} from 0 to 1`,
      `Scaled down replica set nginx-deployment-${hash} from 2 to 1`,
      `Scaled up replica set nginx-deployment-${newHash} from 1 to 2`,
      `Scaled down replica set nginx-deployment-${hash} from 1 to 0`,
    ])
    // The old Pods are terminating endpoints until their grace period ends.
    expect(endpointsOf(cluster.snapshot(), 'nginx-service').map((e) => `ready=${e.ready} terminating=${e.terminating}`).sort()).toEqual([
      'ready=false terminating=true', 'ready=false terminating=true', 'ready=true terminating=false', 'ready=true terminating=false',
    ])
    // Going back to the first template brings back the first ReplicaSet's hash.
    expectApplied(cluster.apply(NGINX_SCENARIO))
    expect(live(cluster).map((p) => p.metadata.labels?.['pod-template-hash'])).toEqual([hash, hash])
  })

  it('stalls a rollout whose new Pods cannot start, keeping the old Pods serving', () => {
    const cluster = nginxCluster()
    const old = live(cluster).map((p) => p.metadata.name).sort()
    cluster.setNodeSchedulable('kind-worker', false)
    cluster.setNodeSchedulable('kind-worker2', false)
    expectApplied(cluster.apply(NGINX_SCENARIO.replace('nginx:1.21', 'nginx:1.27')))
    const pods = podsOf(cluster.snapshot(), 'nginx-deployment')
    expect(pods.filter((p) => p.status.phase === 'Pending')).toHaveLength(1)
    expect(pods.filter((p) => p.status.phase === 'Running').map((p) => p.metadata.name).sort()).toEqual(old)
    cluster.setNodeSchedulable('kind-worker', true)
    expect(live(cluster).every((p) => p.spec.containers[0].image === 'nginx:1.27')).toBe(true)
  })

  it('deleting the Deployment terminates its Pods; the Service keeps a placeholder EndpointSlice', () => {
    const cluster = nginxCluster()
    cluster.delete('Deployment', 'default', 'nginx-deployment')
    expect(live(cluster)).toEqual([])
    cluster.advanceTime(30)
    expect(podsOf(cluster.snapshot(), 'nginx-deployment')).toEqual([])
    expect(endpointsOf(cluster.snapshot(), 'nginx-service')).toEqual([])
  })

  it('refuses invalid actions with a ClusterError and changes nothing', () => {
    const cluster = nginxCluster()
    const before = cluster.snapshot()
    expect(() => cluster.scaleDeployment('default', 'nope', 2)).toThrow(new ClusterError('deployments.apps "nope" not found'))
    expect(() => cluster.scaleDeployment('default', 'nginx-deployment', -1)).toThrow(ClusterError)
    expect(() => cluster.deletePod('default', 'nope')).toThrow('pods "nope" not found')
    expect(() => cluster.delete('Namespace', undefined, 'default')).toThrow('namespaces "default" is forbidden: this namespace may not be deleted')
    expect(cluster.snapshot()).toEqual(before)
  })
})
