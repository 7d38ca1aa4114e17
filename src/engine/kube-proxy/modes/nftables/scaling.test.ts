/**
 * Why nftables mode scales: a packet's path through kube-proxy's table does not grow with the number of
 * Services (one verdict-map lookup finds the Service), unlike iptables mode's KUBE-SERVICES list. Given S
 * ClusterIP Services with one endpoint each, a packet to the last Service evaluates the same number of rules
 * for S = 10 and S = 1000.
 */
import { describe, expect, it } from 'vitest'
import type { ClusterSnapshot } from '../../../cluster/types.ts'
import { evaluateHook } from '../../../nftables/eval.ts'
import { snapshotFromManifests } from '../../raw-snapshot.ts'
import { compileNftables } from './compile.ts'

function cluster(services: number): ClusterSnapshot {
  const docs = [`
apiVersion: v1
kind: Node
metadata: {name: node1}
status: {addresses: [{type: InternalIP, address: 192.168.0.2}]}
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clusterCIDR: 10.244.0.0/16
nftables: {masqueradeAll: false, masqueradeBit: 14}`]
  for (let i = 0; i < services; i++) {
    const ip = `10.96.${Math.floor(i / 250)}.${(i % 250) + 1}`
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: s${i}, namespace: default}
spec: {clusterIP: ${ip}, ports: [{port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: s${i}-1, namespace: default, labels: {kubernetes.io/service-name: s${i}}}
addressType: IPv4
endpoints: [{addresses: [10.244.${Math.floor(i / 250)}.${(i % 250) + 1}]}]
ports: [{port: 80, protocol: TCP}]`)
  }
  return snapshotFromManifests(docs.join('\n---\n'))
}

function rulesForLastService(services: number): { rules: number; daddr: string } {
  const snapshot = cluster(services)
  const table = compileNftables(snapshot, 'node1', snapshot.kubeProxyConfig).table
  const last = snapshot.services.find((s) => s.metadata.name === `s${services - 1}`)!
  const r = evaluateHook([table], 'prerouting', {
    iif: 'eth0', saddr: '10.244.200.1', daddr: last.spec.clusterIP!, ttl: 64, id: 1, length: 60, protocol: 'tcp',
    sport: 40000, dport: 80, mark: 0, ct: 'new',
  }, { isLocal: () => false, random: () => 0, now: 0, dynamicSets: new Map() }, '00000000')
  return { rules: r.rulesEvaluated, daddr: r.packet.daddr }
}

describe('rules evaluated per packet in nftables mode', () => {
  it('does not depend on the number of Services', () => {
    const small = rulesForLastService(10)
    const large = rulesForLastService(1000)
    expect(small.daddr).toBe('10.244.0.10')
    expect(large.daddr).toBe('10.244.3.250')
    // filter-prerouting-pre-dnat (1) and firewall-check (1), nat-prerouting (1), services (1), the service
    // chain (2: masquerade check, numgen map), the endpoint chain (2: hairpin check, dnat).
    expect(small.rules).toBe(8)
    expect(large.rules).toBe(small.rules)
  })
})
