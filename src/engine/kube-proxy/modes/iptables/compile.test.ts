import { describe, expect, it } from 'vitest'
import type { ClusterSnapshot } from '../../../cluster/types.ts'
import { compileIptables, KUBE_PROXY_LAYOUT_RELEASE } from './compile.ts'
import { nodeTablesAfterFullSync } from '../../node-iptables/fresh-node.ts'
import { renderIptablesSave } from '../../node-iptables/node-tables.ts'
import { DEFAULT_TEST_CONFIG, snapshotFromManifests } from '../../raw-snapshot.ts'

const NODE = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clusterCIDR: 10.244.0.0/16
`

/** S ClusterIP Services with E ready endpoints each (spread over two nodes). */
function clusterIPServices(s: number, e: number): ClusterSnapshot {
  const docs = [NODE]
  for (let i = 0; i < s; i++) {
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: svc${i}, namespace: default}
spec: {clusterIP: 10.96.${Math.floor(i / 250)}.${(i % 250) + 2}, ports: [{port: 80, protocol: TCP}]}`)
    const eps = Array.from({ length: e }, (_, j) => `{addresses: [10.244.${i % 200}.${j + 2}], nodeName: ${j % 2 ? 'node-a' : 'node-b'}}`)
    docs.push(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: svc${i}-abcde, namespace: default, labels: {kubernetes.io/service-name: svc${i}}}
addressType: IPv4
endpoints: [${eps.join(', ')}]
ports: [{port: 8080, protocol: TCP}]`)
  }
  return snapshotFromManifests(docs.join('\n---\n'))
}

describe('compileIptables', () => {
  it('names the release whose layout it reproduces', () => {
    expect(KUBE_PROXY_LAYOUT_RELEASE).toMatch(/^v1\.\d+$/)
    const r = compileIptables(clusterIPServices(1, 1), 'node-a', clusterIPServices(1, 1).kubeProxyConfig)
    expect(r.release).toBe(KUBE_PROXY_LAYOUT_RELEASE)
  })

  // The layout for ClusterIP Services only (cluster CIDR set, localhost NodePorts on, nfacct available):
  //   nat:    5 fixed rules (KUBE-POSTROUTING ×3, KUBE-MARK-MASQ ×1, the KUBE-SERVICES → KUBE-NODEPORTS tail)
  //           + per Service: 1 KUBE-SERVICES dispatch + 1 masquerade rule in KUBE-SVC + E jumps KUBE-SVC → KUBE-SEP
  //           + 2 rules in each of the E KUBE-SEP chains            =>  nat = 5 + S·(2 + 3E)
  //   filter: KUBE-FIREWALL ×1 + KUBE-FORWARD ×3                   =>  filter = 4
  //   chains: nat 4 + S·(1 + E), filter 6
  for (const [s, e] of [[1, 1], [1, 2], [3, 10], [20, 3], [50, 7]]) {
    it(`rule count for ${s} ClusterIP Services with ${e} endpoints each follows nat = 5 + S(2 + 3E), filter = 4`, () => {
      const snap = clusterIPServices(s, e)
      const r = compileIptables(snap, 'node-a', snap.kubeProxyConfig)
      expect(r.tables.nat.rules.length).toBe(5 + s * (2 + 3 * e))
      expect(r.tables.filter.rules.length).toBe(4)
      expect(r.tables.nat.chains.length).toBe(4 + s * (1 + e))
      expect(r.tables.filter.chains.length).toBe(6)
      expect(r.counts.natRulesTotal).toBe(5 + s * (2 + 3 * e))
      // E-1 probability rules per service.
      expect(r.tables.nat.rules.filter((x) => x.args.includes('--probability')).length).toBe(s * (e - 1))
    })
  }

  it('writes the probability cascade 1/n, 1/(n-1), ..., and endpoints in string order', () => {
    const snap = clusterIPServices(1, 11)
    const svc = compileIptables(snap, 'node-a', snap.kubeProxyConfig).tables.nat.rules
      .filter((r) => r.chain.startsWith('KUBE-SVC-') && r.args.includes('-j') && r.args.at(-1)!.startsWith('KUBE-SEP-'))
    expect(svc.map((r) => (r.args.includes('--probability') ? r.args[r.args.indexOf('--probability') + 1] : '-'))).toEqual([
      '0.0909090909', '0.1000000000', '0.1111111111', '0.1250000000', '0.1428571429', '0.1666666667',
      '0.2000000000', '0.2500000000', '0.3333333333', '0.5000000000', '-',
    ])
    // 10.244.0.10 sorts before 10.244.0.2 as a string, as upstream sorts endpoints.
    expect(svc.map((r) => r.args[3].split(' -> ')[1])).toEqual([
      '10.244.0.10:8080', '10.244.0.11:8080', '10.244.0.12:8080', '10.244.0.2:8080', '10.244.0.3:8080', '10.244.0.4:8080',
      '10.244.0.5:8080', '10.244.0.6:8080', '10.244.0.7:8080', '10.244.0.8:8080', '10.244.0.9:8080',
    ])
  })

  it('gives headless and ExternalName Services no rules at all', () => {
    const snap = snapshotFromManifests(`${NODE}
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: default}
spec: {clusterIP: None, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: default}
spec: {type: ExternalName, externalName: example.com, ports: [{port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: headless-x, namespace: default, labels: {kubernetes.io/service-name: headless}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.5]}]
ports: [{port: 80}]`)
    const r = compileIptables(snap, 'node-a', snap.kubeProxyConfig)
    expect(r.payload).not.toContain('default/')
    expect(r.tables.nat.rules.length).toBe(5)
  })

  it('with nodePortAddresses, jumps to KUBE-NODEPORTS only for the matching node IPs', () => {
    const snap = clusterIPServices(1, 1)
    const r = compileIptables(snap, 'node-a', { ...snap.kubeProxyConfig, nodePortAddresses: ['172.18.0.0/16'] })
    expect(r.payload).toContain('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 172.18.0.3 -j KUBE-NODEPORTS')
    expect(r.payload).not.toContain('--dst-type LOCAL -j KUBE-NODEPORTS')
  })

  it('masquerades everything to a ClusterIP with masqueradeAll, nothing without a cluster CIDR', () => {
    const snap = clusterIPServices(1, 1)
    const all = compileIptables(snap, 'node-a', { ...snap.kubeProxyConfig, iptables: { ...snap.kubeProxyConfig.iptables, masqueradeAll: true } })
    expect(all.payload).toMatch(/-A KUBE-SVC-\S+ -m comment --comment "default\/svc0 cluster IP" -m tcp -p tcp -d 10\.96\.0\.2 --dport 80 -j KUBE-MARK-MASQ/)
    const none = compileIptables(snap, 'node-a', { ...DEFAULT_TEST_CONFIG, clusterCIDR: '' })
    expect(none.payload).not.toMatch(/-A KUBE-SVC-\S+ .* -j KUBE-MARK-MASQ/)
  })

  it('takes the IPv4 cluster CIDR of a dual-stack list for the local-traffic detector', () => {
    const snap = clusterIPServices(1, 1)
    const r = compileIptables(snap, 'node-a', { ...snap.kubeProxyConfig, clusterCIDR: 'fd00:10:244::/56,10.244.0.0/16' })
    expect(r.payload).toContain('! -s 10.244.0.0/16 -j KUBE-MARK-MASQ')
  })

  it('applies masqueradeBit: bit 15 gives 0x00008000 in the payload and 0x8000 in iptables-save', () => {
    const snap = clusterIPServices(1, 1)
    const r = compileIptables(snap, 'node-a', { ...snap.kubeProxyConfig, iptables: { ...snap.kubeProxyConfig.iptables, masqueradeBit: 15 } })
    expect(r.payload).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00008000')
    expect(renderIptablesSave(nodeTablesAfterFullSync(r))).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x8000/0x8000')
  })

  it('on a node, puts the jump rules in the order a real node shows them (kubelet first, kube-proxy prepending)', () => {
    const snap = clusterIPServices(1, 1)
    const save = renderIptablesSave(nodeTablesAfterFullSync(compileIptables(snap, 'node-a', snap.kubeProxyConfig)))
    const section = (t: string) => save.slice(save.indexOf(`*${t}`), save.indexOf('COMMIT', save.indexOf(`*${t}`)))
    const chain = (c: string, t = 'filter') => section(t).split('\n').filter((l) => l.startsWith(`-A ${c} `)).map((l) => l.split(' -j ')[1])
    expect(chain('INPUT')).toEqual(['KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FIREWALL'])
    expect(chain('FORWARD')).toEqual(['KUBE-PROXY-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES'])
    expect(chain('OUTPUT')).toEqual(['KUBE-PROXY-FIREWALL', 'KUBE-SERVICES', 'KUBE-FIREWALL'])
    expect(chain('PREROUTING', 'nat')).toEqual(['KUBE-SERVICES'])
    expect(chain('OUTPUT', 'nat')).toEqual(['KUBE-SERVICES'])
    expect(chain('POSTROUTING', 'nat')).toEqual(['KUBE-POSTROUTING'])
    expect(save).toContain(':KUBE-IPTABLES-HINT - [0:0]')
    expect(save.match(/:KUBE-KUBELET-CANARY - \[0:0\]/g)).toHaveLength(3)
    expect(save.match(/:KUBE-PROXY-CANARY - \[0:0\]/g)).toHaveLength(3)
    expect(save.split('\n').filter((l) => l.startsWith('*'))).toEqual(['*mangle', '*filter', '*nat'])
  })

  it('lists, per Service, the chains it owns on the node', () => {
    const snap = clusterIPServices(2, 2)
    const r = compileIptables(snap, 'node-a', snap.kubeProxyConfig)
    expect(Object.keys(r.serviceChains).sort()).toEqual(['default/svc0', 'default/svc1'])
    expect(r.serviceChains['default/svc0'].filter((c) => c.startsWith('KUBE-SEP-'))).toHaveLength(2)
    expect(r.serviceChains['default/svc0'].filter((c) => c.startsWith('KUBE-SVC-'))).toHaveLength(1)
  })
})
