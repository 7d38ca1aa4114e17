/**
 * Kernel acceptance beyond upstream's fixtures: a cluster exercising the formatting paths they do not
 * reach — NodePorts on every local address (`fib daddr type local`, no nodeport-ips set), several
 * ServiceCIDRs, many elements (line wrapping, element order), session affinity with several endpoints,
 * masqueradeAll, LoadBalancer source ranges overlapping each other and the LB IPs, eTP/iTP Local without
 * local endpoints (drop verdicts), UDP and SCTP ports — compiled, loaded with `nft -f`, and listed back by
 * the kernel exactly as we list it.
 *
 * Needs root and nft; in CI it must run, elsewhere it is skipped with a message.
 */
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { kernelSuiteCanRun } from '../support/netns.ts'
import { snapshotFromManifests } from '../../src/engine/kube-proxy/raw-snapshot.ts'
import { compileNftables } from '../../src/engine/kube-proxy/modes/nftables/compile.ts'
import { listTable } from '../../src/engine/nftables/list-format.ts'

const canRun = kernelSuiteCanRun({ suite: 'nftables kernel acceptance (variety)', tools: ['nft', 'ip'] })

const ns = `kpnv-${process.pid}`

afterAll(() => {
  spawnSync('ip', ['netns', 'del', ns])
})

function manifests(masqueradeAll: boolean): string {
  const docs = [`
apiVersion: v1
kind: Node
metadata: {name: node1}
status: {addresses: [{type: InternalIP, address: 192.168.0.2}, {type: ExternalIP, address: 203.0.113.9}]}
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clusterCIDR: 10.244.0.0/16
nodePortAddresses: [0.0.0.0/0]
nftables: {masqueradeAll: ${masqueradeAll}, masqueradeBit: 14}
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: web}
spec:
  type: LoadBalancer
  clusterIP: 10.96.0.10
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 5400}}
  loadBalancerSourceRanges: [192.168.0.0/24, 192.168.0.128/25, 5.6.7.0/24, 1.2.3.4/32]
  ports:
  - {name: http, port: 80, protocol: TCP, nodePort: 30080}
  - {name: dns, port: 53, protocol: UDP, nodePort: 30053}
  - {name: sig, port: 3868, protocol: SCTP, nodePort: 30868}
status:
  loadBalancer: {ingress: [{ip: 1.2.3.4}, {ip: 5.6.7.8}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: lb-1, namespace: web, labels: {kubernetes.io/service-name: lb}}
addressType: IPv4
endpoints:
- {addresses: [10.244.1.10], nodeName: node1}
- {addresses: [10.244.1.9], nodeName: node2}
- {addresses: [10.244.2.3], nodeName: node3}
ports:
- {name: http, port: 8080, protocol: TCP}
- {name: dns, port: 53, protocol: UDP}
- {name: sig, port: 3868, protocol: SCTP}
---
apiVersion: v1
kind: Service
metadata: {name: only-remote, namespace: web}
spec:
  type: NodePort
  clusterIP: 10.96.0.11
  externalTrafficPolicy: Local
  internalTrafficPolicy: Local
  externalIPs: [198.51.100.7]
  ports: [{port: 443, protocol: TCP, nodePort: 30443}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: only-remote-1, namespace: web, labels: {kubernetes.io/service-name: only-remote}}
addressType: IPv4
endpoints: [{addresses: [10.244.3.3], nodeName: node3}]
ports: [{port: 8443, protocol: TCP}]
`]
  for (let i = 1; i <= 25; i++) {
    docs.push(`
apiVersion: v1
kind: Service
metadata: {name: s${i}, namespace: many}
spec: {clusterIP: 10.${96 + (i % 3)}.${i}.${i * 7 % 250}, ports: [{name: p, port: ${8000 + i}, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: s${i}-1, namespace: many, labels: {kubernetes.io/service-name: s${i}}}
addressType: IPv4
endpoints: [{addresses: [10.244.${i}.${i}]}]
ports: [{name: p, port: 80, protocol: TCP}]`)
  }
  return docs.join('\n---\n')
}

describe.skipIf(!canRun)('nftables kernel: a varied cluster lists as we print it', () => {
  for (const masqueradeAll of [false, true]) {
    it(`masqueradeAll=${masqueradeAll}`, () => {
      const snapshot = snapshotFromManifests(manifests(masqueradeAll))
      snapshot.serviceCIDRs = ['10.96.0.0/16', '10.97.0.0/16', '10.98.0.0/16'].map((cidr, i) => ({
        apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR',
        metadata: { name: `c${i}`, uid: `u${i}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
        spec: { cidrs: [cidr] },
      }))
      const result = compileNftables(snapshot, 'node1', snapshot.kubeProxyConfig)
      spawnSync('ip', ['netns', 'del', ns])
      expect(spawnSync('ip', ['netns', 'add', ns]).status).toBe(0)
      const load = spawnSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: result.transactionText, encoding: 'utf8' })
      expect(load.stderr).toBe('')
      const list = spawnSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'kube-proxy'], { encoding: 'utf8' })
      expect(list.stdout).toBe(listTable(result.table))
    })
  }
})
