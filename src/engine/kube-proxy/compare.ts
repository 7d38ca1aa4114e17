/**
 * The compare chart's measure: how many rules one packet is evaluated against, by kube-proxy mode, as the
 * number of Services grows. A node is programmed by the mode's backend for N synthetic ClusterIP Services
 * (one TCP port, one endpoint each, on another node) and one SYN from a Pod on another node to the middle
 * Service's cluster IP traverses it (netfilter/traversal.ts with the mode's hook stages):
 *
 * - iptables rules: every rule the packet was checked against (matched or not) in every table it met —
 *   in iptables mode KUBE-SERVICES is a list with one rule per Service port, searched in order;
 * - nftables rules: rules the nftables interpreter looked at in kube-proxy's chains (verdict maps are one
 *   rule, whatever their size);
 * - IPVS lookups: the virtual-service hash lookups IPVS made for the packet (one per hook that handled it).
 *
 * So iptables mode grows with the number of Services, nftables and IPVS modes do not.
 */
import type { ClusterSnapshot, EndpointSlice, KubeProxyConfiguration, Service } from '../cluster/types.ts'
import { freshNode } from '../host/host.ts'
import { traverse } from '../netfilter/traversal.ts'
import type { Packet } from '../netfilter/types.ts'
import { snapshotFromManifests } from './raw-snapshot.ts'
import { NodeKubeProxy } from './node-kube-proxy.ts'
import type { ProxyMode } from './proxy-modes.ts'

export const COMPARE_SERVICE_COUNTS = [10, 100, 1000, 10000] as const

export interface RulesPerPacket {
  mode: ProxyMode
  services: number
  /** The sum of the three below. */
  total: number
  iptablesRules: number
  nftablesRules: number
  ipvsLookups: number
  /** Where the packet ended (a sanity check: `delivered`, forwarded to the endpoint). */
  verdict: string
  /** The packet's destination after the node (the endpoint). */
  reached: string
}

const TEMPLATE = `
apiVersion: v1
kind: Node
metadata: {name: node}
spec: {podCIDR: 10.244.0.0/24}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc-0, namespace: default}
spec: {clusterIP: 10.96.0.10, ports: [{name: http, port: 80, protocol: TCP, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: svc-0-abcde, namespace: default, labels: {kubernetes.io/service-name: svc-0}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.2], nodeName: other, conditions: {ready: true}}]
ports: [{name: http, port: 8080, protocol: TCP}]
`

const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
const CLUSTER_IP_BASE = (10 << 24 | 96 << 16) >>> 0

/** A node and `count` ClusterIP Services (cluster IPs 10.96.0.10, 10.96.0.11, …; endpoints in 10.244.1.0/24 and up). */
export function syntheticServices(count: number, mode: ProxyMode): ClusterSnapshot {
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error(`services must be an integer from 1 to 100000, got ${count}`)
  const base = snapshotFromManifests(TEMPLATE)
  const svc0 = base.services[0]
  const slice0 = base.endpointSlices[0]
  const services: Service[] = []
  const slices: EndpointSlice[] = []
  for (let i = 0; i < count; i++) {
    const name = `svc-${i}`
    const clusterIP = ip(CLUSTER_IP_BASE + 10 + i)
    services.push({ ...svc0, metadata: { ...svc0.metadata, name }, spec: { ...svc0.spec, clusterIP, clusterIPs: [clusterIP] } })
    const endpoint = ip(((10 << 24 | 244 << 16 | 1 << 8) >>> 0) + 2 + (i % 250) + 256 * Math.floor(i / 250))
    slices.push({
      ...slice0,
      metadata: { ...slice0.metadata, name: `${name}-abcde`, labels: { 'kubernetes.io/service-name': name } },
      endpoints: [{ ...slice0.endpoints[0], addresses: [endpoint] }],
    })
  }
  const config: KubeProxyConfiguration = { ...base.kubeProxyConfig, mode, clusterCIDR: '10.244.0.0/16' }
  return { ...base, services, endpointSlices: slices, kubeProxyConfig: config }
}

/** One packet to the middle of `services` synthetic Services, on a node programmed in `mode`. */
export function measureRulesPerPacket(mode: ProxyMode, services: number): RulesPerPacket {
  const snapshot = syntheticServices(services, mode)
  const host = freshNode('node')
  const proxy = new NodeKubeProxy(host, 'node', snapshot.kubeProxyConfig)
  proxy.loadSnapshot(snapshot)
  const record = proxy.sync(0)
  if (record.error) throw new Error(`${mode} sync failed: ${record.error}`)
  const target = snapshot.services[Math.floor(services / 2)].spec.clusterIP!
  const nftBefore = proxy.rulesEvaluated()
  const packet: Packet = {
    src: '10.244.1.200', dst: target, proto: 'tcp', sport: 40000, dport: 80, length: 60, ttl: 64, mark: 0,
    tcpFlags: { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false },
  }
  const r = traverse(host, packet, { inIface: 'eth0', localAnswers: false })
  const iptablesRules = r.steps.filter((s) => s.engine === undefined && s.rule !== null).length
  const nftablesRules = proxy.rulesEvaluated() - nftBefore
  const ipvsLookups = r.steps.filter((s) => s.engine === 'ipvs').length
  return {
    mode, services, total: iptablesRules + nftablesRules + ipvsLookups, iptablesRules, nftablesRules, ipvsLookups,
    verdict: r.verdict, reached: `${r.packet.dst}:${r.packet.dport ?? ''}`,
  }
}

/** Rules evaluated for one packet to a middle Service among `services` ClusterIP Services, in `mode`. */
export function rulesEvaluatedPerPacket(mode: ProxyMode, services: number): number {
  return measureRulesPerPacket(mode, services).total
}
