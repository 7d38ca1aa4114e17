/**
 * IPVS mode on a simulated node, end to end with the netfilter engine: kube-proxy's jump rules and payload
 * are loaded with iptables / iptables-restore into a Host whose `-m set` lookups go to our ipset store, the
 * VIPs sit on kube-ipvs0, and packets traverse PREROUTING → INPUT; a packet the filter lets through is then
 * handed to the IPVS LOCAL_IN hook (priority 99, after the INPUT chains), which picks the real server.
 */
import { describe, expect, it } from 'vitest'
import { freshNode } from '../../../host/host.ts'
import type { Host } from '../../../host/host.ts'
import { runIptables, runIptablesRestore } from '../../../netfilter/iptables-command.ts'
import { traverse } from '../../../netfilter/traversal.ts'
import type { Packet } from '../../../netfilter/types.ts'
import { ipvsHooksAt } from '../../../ipvs/hooks.ts'
import { snapshotFromManifests } from '../../raw-snapshot.ts'
import { compileIpvs } from './compile.ts'
import { applyIpvsSync, newIpvsNodeState } from './node-state.ts'

const MANIFESTS = `
apiVersion: v1
kind: Node
metadata: {name: node}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}]}
---
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: default}
spec: {clusterIP: 10.96.45.10, ports: [{port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: nginx-1, namespace: default, labels: {kubernetes.io/service-name: nginx}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.2], nodeName: other}, {addresses: [10.244.2.2], nodeName: other}]
ports: [{port: 80, protocol: TCP}]
`

function ipvsNode(): { host: Host; state: ReturnType<typeof newIpvsNodeState> } {
  const snap = snapshotFromManifests(MANIFESTS)
  const result = compileIpvs(snap, 'node', { ...snap.kubeProxyConfig, mode: 'ipvs', clusterCIDR: '10.244.0.0/16' })
  const host = freshNode('node')
  // kube-proxy's sets are the host's: `-m set` finds them and tests membership there.
  const state = newIpvsNodeState({}, host.ipsets)
  applyIpvsSync(state, result)
  host.addInterface('kube-ipvs0', result.dummyInterface.addresses.map((a) => `${a}/32`))
  for (const j of result.jumpRules) {
    runIptables(host.ruleset, ['-t', j.table, '-N', j.target])
    expect(runIptables(host.ruleset, ['-t', j.table, '-I', j.chain, '1', ...j.args]).rc).toBe(0)
  }
  const restored = runIptablesRestore(host.ruleset, result.payload, ['--noflush'])
  expect(restored.err).toBe('')
  return { host, state }
}

const SYN = { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false }
const syn = (src: string, dst: string, dport: number): Packet => ({ src, dst, proto: 'tcp', sport: 43210, dport, tcpFlags: SYN, length: 60, ttl: 64, mark: 0 })

describe('IPVS mode on a node (netfilter engine + ipsets + IPVS hook)', () => {
  it('a pod reaching the cluster IP passes KUBE-IPVS-FILTER and IPVS schedules it at LOCAL_IN', () => {
    const { host, state } = ipvsNode()
    const r = traverse(host, syn('10.244.1.7', '10.96.45.10', 80), { inIface: 'eth0', localAnswers: false })
    expect(r.path).toBe('input')
    expect(r.verdict).toBe('delivered')
    expect(r.hits).toContain('filter/KUBE-IPVS-FILTER#2')
    // In-cluster source: not marked for masquerade.
    expect(r.packet.mark & 0x4000).toBe(0)
    // The kernel's next step: ip_vs_remote_request4 at INPUT priority 99.
    expect(ipvsHooksAt('INPUT').map((h) => `${h.name}@${h.priority}`)).toEqual(['ip_vs_reply4@98', 'ip_vs_remote_request4@99'])
    const ipvs = state.ipvs.localIn(r.packet, 0)
    expect(ipvs.action).toBe('forward')
    expect(ipvs.action === 'forward' && ipvs.packet.dst).toMatch(/^10\.244\.[12]\.2$/)
  })

  it('an off-cluster client is marked for masquerade by the KUBE-CLUSTER-IP set rule', () => {
    const { host } = ipvsNode()
    const r = traverse(host, syn('192.168.5.5', '10.96.45.10', 80), { inIface: 'eth0', localAnswers: false })
    expect(r.hits).toContain('nat/KUBE-MARK-MASQ#1')
    expect(r.packet.mark & 0x4000).toBe(0x4000)
  })

  it('a new connection to a VIP on a port that is no service is rejected by KUBE-IPVS-FILTER', () => {
    const { host } = ipvsNode()
    const r = traverse(host, syn('10.244.1.7', '10.96.45.10', 22), { inIface: 'eth0', localAnswers: false })
    expect(r.verdict).toBe('rejected')
    expect(r.hits).toContain('filter/KUBE-IPVS-FILTER#6')
  })
})
