/**
 * compileIpvs read against pkg/proxy/ipvs/proxier.go (syncProxyRules, writeIptablesRules): given a cluster,
 * a node and the configuration, expect the payload kube-proxy writes, the sets, kube-ipvs0 and the virtual
 * servers.
 */
import { describe, expect, it } from 'vitest'
import { snapshotFromManifests } from '../../raw-snapshot.ts'
import { compileIpvs } from './compile.ts'
import type { IpvsCompileOptions } from './compile.ts'
import type { KubeProxyConfiguration } from '../../../cluster/types.ts'

const NODE = `
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
`
const NGINX = NODE + `---
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: default}
spec: {clusterIP: 10.96.45.10, ports: [{port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: nginx-1, namespace: default, labels: {kubernetes.io/service-name: nginx}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.2], nodeName: n1}, {addresses: [10.244.2.2], nodeName: n2}]
ports: [{port: 80, protocol: TCP}]
`

function compile(yaml: string, config: Partial<KubeProxyConfiguration> = {}, options: IpvsCompileOptions = {}) {
  const snap = snapshotFromManifests(yaml)
  return compileIpvs(snap, 'n1', { ...snap.kubeProxyConfig, mode: 'ipvs', clusterCIDR: '10.244.0.0/16', ...config }, options)
}

describe('compileIpvs', () => {
  it('writes the nginx ClusterIP payload rule for rule in writeIptablesRules order', () => {
    const r = compile(NGINX, {}, { masqueradeMark: '0x4000' })
    expect(r.payload).toBe(`*nat
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-LOAD-BALANCER - [0:0]
:KUBE-MARK-MASQ - [0:0]
-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN
-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE
-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT
-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
COMMIT
*filter
:KUBE-FORWARD - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SOURCE-RANGES-FIREWALL - [0:0]
:KUBE-IPVS-FILTER - [0:0]
:KUBE-IPVS-OUT-FILTER - [0:0]
-A KUBE-SOURCE-RANGES-FIREWALL -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT
-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN
-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT
COMMIT
`)
    expect(r.dummyInterface).toEqual({ name: 'kube-ipvs0', addresses: ['10.96.45.10'] })
    const entries = Object.fromEntries(r.ipsets.filter((s) => s.entries.length).map((s) => [s.name, s.entries]))
    expect(entries).toEqual({
      'KUBE-LOOP-BACK': ['10.244.1.2,tcp:80,10.244.1.2'],
      'KUBE-CLUSTER-IP': ['10.96.45.10,tcp:80'],
      'KUBE-IPVS-IPS': ['10.96.45.10'],
    })
    expect(r.ipsets).toHaveLength(17)
  })

  it('the real mark is %#08x of the masquerade bit, which iptables-save prints short', () => {
    const r = compile(NGINX)
    const mm = r.tables.nat.rules.find((x) => x.chain === 'KUBE-MARK-MASQ')!
    expect(mm.text).toBe('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000')
    expect(mm.save).toBe('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000')
  })

  it('masqueradeAll drops the `! -s`; without a local-traffic detector the set is matched src,dst', () => {
    const all = compile(NGINX, { iptables: { masqueradeAll: true, masqueradeBit: 14, localhostNodePorts: true } })
    expect(all.payload).toContain('--match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ\n')
    const none = compile(NGINX, { clusterCIDR: '' })
    expect(none.payload).toContain('--match-set KUBE-CLUSTER-IP src,dst -j KUBE-MARK-MASQ\n')
  })

  it('uses the configured scheduler; mh sets the source-hash flag; ClientIP affinity makes services persistent', () => {
    const lc = compile(NGINX, { ipvs: { scheduler: 'lc' } })
    expect(lc.virtualServers.map((v) => v.scheduler)).toEqual(['lc'])
    const mh = compile(NGINX, { ipvs: { scheduler: 'mh' } })
    expect(mh.virtualServers[0].flags).toBe(0x10)
    const sticky = compile(NGINX.replace('spec: {clusterIP: 10.96.45.10,', 'spec: {sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}, clusterIP: 10.96.45.10,'))
    expect(sticky.virtualServers[0]).toMatchObject({ flags: 1, timeout: 600 })
    expect(sticky.virtualServers[0].realServers.map((r) => `${r.address}:${r.port}`)).toEqual(['10.244.1.2:80', '10.244.2.2:80'])
  })

  it('an external IP that is a node address gets a virtual server but is not bound to kube-ipvs0', () => {
    const yaml = NODE + `---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: default}
spec: {clusterIP: 10.96.1.1, externalIPs: [172.18.0.3, 192.0.2.1], ports: [{port: 8080, protocol: TCP}]}
`
    const r = compile(yaml)
    expect(r.virtualServers.map((v) => `${v.kind} ${v.address}:${v.port}`)).toEqual(['ClusterIP 10.96.1.1:8080', 'ExternalIP 172.18.0.3:8080', 'ExternalIP 192.0.2.1:8080'])
    expect(r.dummyInterface.addresses).toEqual(['10.96.1.1', '192.0.2.1'])
    expect(r.ipsets.find((s) => s.name === 'KUBE-EXTERNAL-IP')!.entries).toEqual(['172.18.0.3,tcp:8080', '192.0.2.1,tcp:8080'])
    // The two external-IP ACCEPT rules follow the masquerade rule.
    const ext = r.tables.nat.rules.filter((x) => x.args.includes('KUBE-EXTERNAL-IP')).map((x) => x.save)
    expect(ext).toEqual([
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -m addrtype --dst-type LOCAL -j ACCEPT',
    ])
  })

  it('headless and ExternalName services get nothing', () => {
    const yaml = NODE + `---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: default}
spec: {clusterIP: None, ports: [{port: 80, protocol: TCP}]}
---
apiVersion: v1
kind: Service
metadata: {name: name, namespace: default}
spec: {type: ExternalName, externalName: example.com, clusterIP: 10.96.9.9, ports: [{port: 80, protocol: TCP}]}
`
    const r = compile(yaml)
    expect(r.virtualServers).toEqual([])
    expect(r.ipsets.every((s) => s.entries.length === 0)).toBe(true)
  })

  it('LoadBalancer source ranges: the node inside a range is allowed by IP; outside, node access is dropped with -m ipvs', () => {
    const lb = (ranges: string) => NODE + `---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: default}
spec: {type: LoadBalancer, clusterIP: 10.96.2.2, loadBalancerSourceRanges: [${ranges}], ports: [{port: 443, protocol: TCP, nodePort: 30443}]}
status: {loadBalancer: {ingress: [{ip: 198.51.100.9}]}}
`
    const inside = compile(lb('172.18.0.0/16'))
    expect(inside.ipsets.find((s) => s.name === 'KUBE-LOAD-BALANCER-SOURCE-IP')!.entries).toEqual(['198.51.100.9,tcp:443,198.51.100.9'])
    expect(inside.payload).not.toContain('-m ipvs')
    const outside = compile(lb('203.0.113.0/24'))
    expect(outside.tables.filter.rules.find((x) => x.chain === 'KUBE-IPVS-OUT-FILTER')!.save)
      .toBe('-A KUBE-IPVS-OUT-FILTER -s 198.51.100.9/32 -m ipvs --vproto 6 --vaddr 198.51.100.9/32 --vport 443 -j DROP')
  })

  it('a NodePort service on a node without usable addresses skips its NodePort and health-check entries, as upstream continues', () => {
    const yaml = NODE + `---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: default}
spec: {type: LoadBalancer, externalTrafficPolicy: Local, healthCheckNodePort: 32100, clusterIP: 10.96.3.3, ports: [{port: 80, protocol: TCP, nodePort: 30080}]}
`
    const withIPs = compile(yaml)
    expect(withIPs.ipsets.find((s) => s.name === 'KUBE-HEALTH-CHECK-NODE-PORT')!.entries).toEqual(['32100'])
    expect(withIPs.virtualServers.map((v) => v.kind)).toEqual(['ClusterIP', 'NodePort'])
    const without = compile(yaml, {}, { localAddresses: [] })
    expect(without.ipsets.find((s) => s.name === 'KUBE-HEALTH-CHECK-NODE-PORT')!.entries).toEqual([])
    expect(without.virtualServers.map((v) => v.kind)).toEqual(['ClusterIP'])
  })

  it('prepends its jump rules in built-in chains in upstream order (the last ensured ends up first)', () => {
    const r = compile(NGINX)
    expect(r.jumpRules.filter((j) => j.chain === 'INPUT').map((j) => j.target)).toEqual(['KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-IPVS-FILTER'])
  })
})
