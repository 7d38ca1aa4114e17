/**
 * A node in IPVS mode across syncs: what the sets, kube-ipvs0 and the IPVS table hold after each, and the
 * references the kernel would count.
 */
import { describe, expect, it } from 'vitest'
import { snapshotFromManifests } from '../../raw-snapshot.ts'
import { compileIpvs } from './compile.ts'
import { applyIpvsSync, dummyInterfaceText, ipsetSaveText, newIpvsNodeState, renderIpvsNode } from './node-state.ts'
import { listSet } from '../../../ipset/store.ts'
import { ipsetTest } from '../../../ipset/store.ts'
import { runIpvsadm } from '../../../ipvs/ipvsadm.ts'

const manifests = (endpoints: string[]) => `
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {type: NodePort, clusterIP: 10.96.50.5, ports: [{name: http, port: 80, protocol: TCP, nodePort: 30080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [${endpoints.map((e) => `{addresses: [${e}], nodeName: n1}`).join(', ')}]
ports: [{name: http, port: 8080, protocol: TCP}]
`

function sync(state: ReturnType<typeof newIpvsNodeState>, endpoints: string[]) {
  const snap = snapshotFromManifests(manifests(endpoints))
  const result = compileIpvs(snap, 'n1', { ...snap.kubeProxyConfig, mode: 'ipvs', clusterCIDR: '10.244.0.0/16' })
  applyIpvsSync(state, result)
  return result
}

describe('IPVS node state', () => {
  it('binds the cluster IP on kube-ipvs0, fills the sets and the virtual servers, counts set references', () => {
    const state = newIpvsNodeState()
    sync(state, ['10.244.1.2', '10.244.1.3'])
    expect(state.dummyAddresses).toEqual(['10.96.50.5'])
    expect(dummyInterfaceText(state.dummyAddresses, 3, 'aa:bb:cc:dd:ee:ff')).toBe([
      '3: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default qlen 1000',
      '    link/ether aa:bb:cc:dd:ee:ff brd ff:ff:ff:ff:ff:ff',
      '    inet 10.96.50.5/32 scope global kube-ipvs0',
      '       valid_lft forever preferred_lft forever',
      '',
    ].join('\n'))
    expect(state.ipsets.get('KUBE-LOOP-BACK')!.members()).toHaveLength(2)
    expect(state.ipsets.get('KUBE-NODE-PORT-TCP')!.size).toBe(1)
    // KUBE-CLUSTER-IP: the masquerade rule, the ACCEPT rule (nat) and KUBE-IPVS-FILTER (filter).
    expect(listSet(state.ipsets, state.ipsets.get('KUBE-CLUSTER-IP')!)).toContain('References: 3\n')
    const lines = runIpvsadm(state.ipvs, ['-Ln'], 0).out.split('\n')
    expect(lines).toContain('TCP  172.18.0.3:30080 rr')
    expect(lines).toContain('TCP  10.96.50.5:80 rr')
  })

  it('a later sync removes stale set entries and real servers, and the -m set test follows', () => {
    const state = newIpvsNodeState()
    sync(state, ['10.244.1.2', '10.244.1.3'])
    const snap = snapshotFromManifests(manifests(['10.244.1.3']))
    const commands = applyIpvsSync(state, compileIpvs(snap, 'n1', { ...snap.kubeProxyConfig, mode: 'ipvs', clusterCIDR: '10.244.0.0/16' }))
    // kube-proxy ensures all 17 sets, then deletes the stale hairpin entry; nothing to add.
    expect(commands.filter((c) => c[0] === 'create')).toHaveLength(17)
    expect(commands.filter((c) => c[0] !== 'create')).toEqual([['del', 'KUBE-LOOP-BACK', '10.244.1.2,tcp:8080,10.244.1.2']])
    const hairpin = { src: '10.244.1.2', dst: '10.244.1.2', proto: 'tcp' as const, sport: 5000, dport: 8080, length: 60, ttl: 64, mark: 0 }
    expect(ipsetTest(state.ipsets, 'KUBE-LOOP-BACK', hairpin, ['dst', 'dst', 'src'])).toBe(false)
    expect(ipsetTest(state.ipsets, 'KUBE-LOOP-BACK', { ...hairpin, src: '10.244.1.3', dst: '10.244.1.3' }, ['dst', 'dst', 'src'])).toBe(true)
    expect(runIpvsadm(state.ipvs, ['-Ln'], 0).out).not.toContain('10.244.1.2:8080')
    expect(ipsetSaveText(state)).toContain('add KUBE-LOOP-BACK 10.244.1.3,tcp:8080,10.244.1.3\n')
  })

  it('prints iptables-save, ipset list and ipvsadm -Ln one after another', () => {
    const state = newIpvsNodeState()
    sync(state, ['10.244.1.2'])
    const text = renderIpvsNode(state)
    const a = text.indexOf('*filter')
    const b = text.indexOf('Name: KUBE-LOOP-BACK')
    const c = text.indexOf('IP Virtual Server version 1.2.1 (size=4096)')
    expect(a).toBe(0)
    expect(b).toBeGreaterThan(a)
    expect(c).toBeGreaterThan(b)
  })
})
