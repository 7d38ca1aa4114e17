/**
 * The nftables kube-proxy of one node, kept in step with watch events: the first sync is full, later ones
 * partial (only changed Services' chains), stale chains are flushed then deleted after a second, and each
 * sync records the transaction and the change of `nft list table ip kube-proxy`.
 */
import { describe, expect, it } from 'vitest'
import type { EndpointSlice, WatchEvent } from '../../../cluster/types.ts'
import { snapshotFromManifests } from '../../raw-snapshot.ts'
import { diffListing, NftablesKubeProxy } from './proxier.ts'

const BASE = `
apiVersion: v1
kind: Node
metadata: {name: node1}
status: {addresses: [{type: InternalIP, address: 192.168.0.2}]}
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clusterCIDR: 10.244.0.0/16
nftables: {masqueradeAll: false, masqueradeBit: 14}
---
apiVersion: v1
kind: Service
metadata: {name: nginx-service, namespace: default}
spec: {clusterIP: 10.96.45.10, ports: [{port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: nginx-service-abc, namespace: default, labels: {kubernetes.io/service-name: nginx-service}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.2], nodeName: node1}]
ports: [{port: 80, protocol: TCP}]
`

function setup() {
  const snapshot = snapshotFromManifests(BASE)
  const proxy = new NftablesKubeProxy('node1', snapshot.kubeProxyConfig)
  proxy.loadSnapshot(snapshot)
  return { snapshot, proxy }
}

function sliceWith(slice: EndpointSlice, ips: string[]): EndpointSlice {
  return { ...slice, endpoints: ips.map((ip) => ({ addresses: [ip], conditions: {}, nodeName: 'node1' })) }
}

describe('NftablesKubeProxy', () => {
  it('syncs fully first, writing the whole table', () => {
    const { proxy } = setup()
    const r = proxy.sync(1000)
    expect(r).toMatchObject({ seq: 1, kind: 'full', reason: 'first sync', services: ['default/nginx-service'] })
    expect(proxy.listTable()).toContain('\tchain service-UOJBH74F-default/nginx-service/tcp/ {\n')
    expect(proxy.listTable()).toContain('endpoint-6IEVVVAU-default/nginx-service/tcp/__10.244.1.2/80')
    expect(proxy.chainsOf('default/nginx-service')).toEqual([
      'endpoint-6IEVVVAU-default/nginx-service/tcp/__10.244.1.2/80', 'service-UOJBH74F-default/nginx-service/tcp/',
    ])
    expect(r.diff.every((d) => d.op === '+')).toBe(true)
  })

  it('rewrites only the changed Service on a scale-up, and shows the new endpoint chain in the diff', () => {
    const { snapshot, proxy } = setup()
    proxy.sync(1000)
    const slice = snapshot.endpointSlices[0]
    const event: WatchEvent = { seq: 1, type: 'MODIFIED', kind: 'EndpointSlice', object: sliceWith(slice, ['10.244.1.2', '10.244.2.3']), oldObject: slice }
    proxy.observe([event])
    const r = proxy.sync(2000)
    expect(r.kind).toBe('partial')
    expect(r.services).toEqual(['default/nginx-service'])
    // add+flush of the service chain and both endpoint chains, two rules in each.
    expect(r.operations).toBe(12)
    expect(r.diff).toContainEqual({ op: '+', line: '\tchain endpoint-P4FDVUAU-default/nginx-service/tcp/__10.244.2.3/80 {' })
    expect(r.diff.filter((d) => d.op === '-').map((d) => d.line)).toEqual([
      '\t\tnumgen random mod 1 vmap { 0 : goto endpoint-6IEVVVAU-default/nginx-service/tcp/__10.244.1.2/80 }',
    ])
  })

  it('flushes the chains of a scaled-down endpoint, then deletes them a second later', () => {
    const { snapshot, proxy } = setup()
    const slice = snapshot.endpointSlices[0]
    proxy.observe([{ seq: 1, type: 'MODIFIED', kind: 'EndpointSlice', object: sliceWith(slice, ['10.244.1.2', '10.244.2.3']) }])
    proxy.sync(1000)
    proxy.observe([{ seq: 2, type: 'MODIFIED', kind: 'EndpointSlice', object: sliceWith(slice, ['10.244.1.2']) }])
    const shrink = proxy.sync(1500)
    expect(shrink.staleChains).toEqual(['endpoint-P4FDVUAU-default/nginx-service/tcp/__10.244.2.3/80'])
    expect(proxy.listTable()).toContain('\tchain endpoint-P4FDVUAU-default/nginx-service/tcp/__10.244.2.3/80 {\n\t}\n')
    const later = proxy.sync(3000)
    expect(later.cleanup).toBe('delete chain ip kube-proxy endpoint-P4FDVUAU-default/nginx-service/tcp/__10.244.2.3/80\n')
    expect(later.operations).toBe(0)
    expect(proxy.listTable()).not.toContain('P4FDVUAU')
  })

  it('syncs fully again after a configuration change or after FullSyncPeriod', () => {
    const { snapshot, proxy } = setup()
    proxy.sync(0)
    proxy.setConfig({ ...snapshot.kubeProxyConfig, nftables: { masqueradeAll: true, masqueradeBit: 14 } })
    const r = proxy.sync(1000)
    expect(r).toMatchObject({ kind: 'full', reason: 'configuration changed' })
    expect(proxy.listTable()).toContain('ip daddr 10.96.45.10 jump mark-for-masquerade')
    expect(proxy.sync(2000).kind).toBe('partial')
    expect(proxy.sync(2000 + 60 * 60 * 1000 + 1)).toMatchObject({ kind: 'full', reason: 'FullSyncPeriod' })
  })
})

describe('diffListing', () => {
  it('reports removed and added lines in order, a changed line as removed then added (as the iptables diff does)', () => {
    expect(diffListing('a\nb\nc\n', 'a\nx\nc\nd\n')).toEqual([{ op: '-', line: 'b' }, { op: '+', line: 'x' }, { op: '+', line: 'd' }])
  })
})
