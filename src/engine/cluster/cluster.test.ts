import { describe, expect, it } from 'vitest'
import { Cluster } from './cluster.ts'
import type { WatchEvent } from './types.ts'
import { nginxCluster, NGINX_SCENARIO, podsOf } from './test-support/fixtures.ts'

describe('Cluster: watch events, clock, subscriptions and copies', () => {
  it('emits ordered ADDED/MODIFIED/DELETED events with increasing sequence numbers and resourceVersions', () => {
    const cluster = nginxCluster()
    const from = cluster.watchEvents().length
    const [pod] = podsOf(cluster.snapshot(), 'nginx-deployment')
    cluster.deletePod('default', pod.metadata.name)
    cluster.advanceTime(30)
    const events = cluster.watchEvents(from)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => from + i + 1))
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion))
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs)
    const aboutVictim = events.filter((e) => e.object.metadata.name === pod.metadata.name).map((e) => e.type)
    expect(aboutVictim).toEqual(['MODIFIED', 'DELETED'])
    const modified = events.find((e) => e.type === 'MODIFIED' && e.object.metadata.name === pod.metadata.name)
    expect(modified?.oldObject?.metadata.deletionTimestamp).toBeUndefined()
    expect(events.some((e) => e.type === 'ADDED' && e.kind === 'Pod')).toBe(true)
    expect(events.some((e) => e.type === 'MODIFIED' && e.kind === 'EndpointSlice')).toBe(true)
  })

  it('tells subscribers about every change, and stops after unsubscribe', () => {
    const cluster = nginxCluster()
    const seen: WatchEvent[][] = []
    const unsubscribe = cluster.subscribe((events) => seen.push(events))
    cluster.scaleDeployment('default', 'nginx-deployment', 3)
    expect(seen).toHaveLength(1)
    expect(seen[0][0].seq).toBe(cluster.watchEvents().length - seen[0].length + 1)
    unsubscribe()
    cluster.scaleDeployment('default', 'nginx-deployment', 1)
    expect(seen).toHaveLength(1)
  })

  it('keeps a simulated clock that only moves when told', () => {
    const cluster = Cluster.createDefault()
    expect(cluster.now()).toBe('2026-01-01T00:00:00Z')
    cluster.apply(NGINX_SCENARIO)
    expect(cluster.now()).toBe('2026-01-01T00:00:00Z')
    cluster.advanceTime(90)
    expect(cluster.snapshot().now).toBe('2026-01-01T00:01:30Z')
    cluster.scaleDeployment('default', 'nginx-deployment', 3)
    const newest = podsOf(cluster.snapshot(), 'nginx-deployment').map((p) => p.metadata.creationTimestamp).sort().at(-1)
    expect(newest).toBe('2026-01-01T00:01:30Z')
    expect(cluster.eventLog().at(-1)?.time).toBe('2026-01-01T00:01:30Z')
  })

  it('clones into an independent cluster that continues identically', () => {
    const a = nginxCluster()
    const b = a.clone()
    a.scaleDeployment('default', 'nginx-deployment', 4)
    expect(podsOf(b.snapshot(), 'nginx-deployment')).toHaveLength(2)
    b.scaleDeployment('default', 'nginx-deployment', 4)
    expect(b.snapshot()).toEqual(a.snapshot())
  })

  it('records kubectl-style events for what happened', () => {
    const cluster = nginxCluster()
    const [pod] = podsOf(cluster.snapshot(), 'nginx-deployment')
    cluster.deletePod('default', pod.metadata.name)
    const reasons = cluster.eventLog().map((e) => `${e.reason} ${e.object}`)
    expect(reasons).toContain(`Scheduled pod/${pod.metadata.name}`)
    expect(reasons).toContain(`Started pod/${pod.metadata.name}`)
    expect(reasons).toContain(`Killing pod/${pod.metadata.name}`)
    expect(cluster.eventLog().find((e) => e.reason === 'Scheduled' && e.object === `pod/${pod.metadata.name}`)?.message)
      .toBe(`Successfully assigned default/${pod.metadata.name} to ${pod.spec.nodeName}`)
  })
})
