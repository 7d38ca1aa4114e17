/**
 * Kernel parity for the nftables interpreter: a small node is built from network namespaces (a client, the
 * node running our compiled `ip kube-proxy` table, a pod), packets are sent for real while
 * `nft monitor trace` records them (a helper table sets nftrace at priority -350), and our interpreter,
 * given the same packet, must print the very same trace lines for the kube-proxy table: same chains, rules,
 * verdicts, policies, marks and rewritten addresses, hook after hook.
 *
 * The packet fields nobody can predict (ports, IP ids, MAC addresses, interfaces, TTL per hook) are taken
 * from the kernel's own packet lines; the trace id is the kernel's.
 *
 * Needs root, nft, ip and bash. In CI (process.env.CI) it must run; elsewhere it is skipped with a message.
 */
import { spawn, spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kernelSuiteCanRun } from '../support/netns.ts'
import { snapshotFromManifests } from '../../src/engine/kube-proxy/raw-snapshot.ts'
import { compileNftables } from '../../src/engine/kube-proxy/modes/nftables/compile.ts'
import { evaluateHook } from '../../src/engine/nftables/eval.ts'
import type { NftHostContext, NftPacket } from '../../src/engine/nftables/eval.ts'
import { findChain } from '../../src/engine/nftables/model.ts'
import type { NftHook, NftTable } from '../../src/engine/nftables/model.ts'
import { createRng } from '../../src/engine/random.ts'

const canRun = kernelSuiteCanRun({ suite: 'nftables trace parity', tools: ['nft', 'ip', 'bash'] })

const tag = `${process.pid % 10000}`
const NS = { client: `ktc${tag}`, node: `ktn${tag}`, pod: `ktp${tag}` }
const NODE_IP = '10.0.0.1'
const CLIENT_IP = '10.0.0.2'

const MANIFESTS = `
apiVersion: v1
kind: Node
metadata: {name: node1}
status: {addresses: [{type: InternalIP, address: ${NODE_IP}}]}
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clusterCIDR: 10.180.0.0/16
nodePortAddresses: []
nftables: {masqueradeAll: false, masqueradeBit: 14}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {clusterIP: 172.30.0.41, type: NodePort, ports: [{name: http, port: 80, protocol: TCP, nodePort: 30080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: default, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1], nodeName: node1}]
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: local, namespace: default}
spec:
  clusterIP: 172.30.0.43
  type: NodePort
  externalTrafficPolicy: Local
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30081}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: local-1, namespace: default, labels: {kubernetes.io/service-name: local}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1], nodeName: node1}]
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: sticky, namespace: default}
spec:
  clusterIP: 172.30.0.44
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: sticky-1, namespace: default, labels: {kubernetes.io/service-name: sticky}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1], nodeName: node1}]
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: lb-open, namespace: default}
spec:
  clusterIP: 172.30.0.45
  type: LoadBalancer
  loadBalancerSourceRanges: [10.0.0.0/24]
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30082}]
status:
  loadBalancer: {ingress: [{ip: 1.2.3.4}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: lb-open-1, namespace: default, labels: {kubernetes.io/service-name: lb-open}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1], nodeName: node1}]
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: lb-closed, namespace: default}
spec:
  clusterIP: 172.30.0.46
  type: LoadBalancer
  loadBalancerSourceRanges: [192.0.2.0/24]
  ports: [{name: http, port: 80, protocol: TCP, nodePort: 30083}]
status:
  loadBalancer: {ingress: [{ip: 5.6.7.8}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: lb-closed-1, namespace: default, labels: {kubernetes.io/service-name: lb-closed}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1], nodeName: node1}]
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: three, namespace: default}
spec: {clusterIP: 172.30.0.47, ports: [{name: http, port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: three-1, namespace: default, labels: {kubernetes.io/service-name: three}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1], nodeName: node1}, {addresses: [10.180.0.2], nodeName: node1}, {addresses: [10.180.0.3], nodeName: node1}]
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: default}
spec: {clusterIP: 172.30.0.42, ports: [{name: http, port: 80, protocol: TCP}]}
`

function sh(args: string[], input?: string): string {
  const r = spawnSync(args[0], args.slice(1), { input, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout
}
const inNs = (ns: string, args: string[], input?: string) => sh(['ip', 'netns', 'exec', ns, ...args], input)

let table: NftTable

beforeAll(() => {
  if (!canRun) return
  const snapshot = snapshotFromManifests(MANIFESTS)
  snapshot.serviceCIDRs = [{
    apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR',
    metadata: { name: 'kubernetes', uid: 'u', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { cidrs: ['172.30.0.0/16'] },
  }]
  const result = compileNftables(snapshot, 'node1', snapshot.kubeProxyConfig)
  table = result.table
  for (const ns of Object.values(NS)) sh(['ip', 'netns', 'add', ns])
  const c = `kc${tag}`, n0 = `kn${tag}`, n1 = `kq${tag}`, p = `kp${tag}`
  sh(['ip', 'link', 'add', c, 'type', 'veth', 'peer', 'name', n0])
  sh(['ip', 'link', 'set', c, 'netns', NS.client])
  sh(['ip', 'link', 'set', n0, 'netns', NS.node])
  sh(['ip', 'link', 'add', p, 'type', 'veth', 'peer', 'name', n1])
  sh(['ip', 'link', 'set', p, 'netns', NS.pod])
  sh(['ip', 'link', 'set', n1, 'netns', NS.node])
  for (const [ns, dev, addr, gw] of [
    [NS.client, c, `${CLIENT_IP}/24`, NODE_IP], [NS.node, n0, `${NODE_IP}/24`, CLIENT_IP], [NS.pod, p, '10.180.0.1/24', '10.180.0.254'],
  ]) {
    sh(['ip', '-n', ns, 'addr', 'add', addr, 'dev', dev])
    sh(['ip', '-n', ns, 'link', 'set', dev, 'up'])
    sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up'])
    sh(['ip', '-n', ns, 'route', 'add', 'default', 'via', gw])
  }
  sh(['ip', '-n', NS.node, 'addr', 'add', '10.180.0.254/24', 'dev', n1])
  sh(['ip', '-n', NS.node, 'link', 'set', n1, 'up'])
  inNs(NS.node, ['sysctl', '-qw', 'net.ipv4.ip_forward=1'])
  inNs(NS.node, ['nft', '-f', '-'], result.transactionText)
  inNs(NS.node, ['nft', '-f', '-'], [
    'add table ip trace',
    'add chain ip trace pre { type filter hook prerouting priority -350 ; }',
    'add chain ip trace out { type filter hook output priority -350 ; }',
    'add rule ip trace pre meta nftrace set 1',
    'add rule ip trace out meta nftrace set 1',
  ].join('\n'))
})

afterAll(() => {
  for (const ns of Object.values(NS)) spawnSync('ip', ['netns', 'del', ns])
})

/** Sends one TCP connection attempt and returns the kernel's trace lines for the kube-proxy table. */
async function kernelTrace(from: string, dest: string, port: number): Promise<string[]> {
  const monitor = spawn('ip', ['netns', 'exec', NS.node, 'nft', 'monitor', 'trace'])
  let out = ''
  monitor.stdout.on('data', (d: Buffer) => { out += d.toString() })
  await new Promise((r) => setTimeout(r, 400))
  spawnSync('ip', ['netns', 'exec', from, 'timeout', '1', 'bash', '-c', `echo > /dev/tcp/${dest}/${port}`])
  await new Promise((r) => setTimeout(r, 600))
  monitor.kill()
  await new Promise((r) => monitor.on('close', r))
  const lines = out.split('\n').filter((l) => / ip kube-proxy /.test(l))
  // Our packet: the first SYN to dest:port.
  const first = lines.find((l) => l.includes(` ip daddr ${dest} `) && l.includes(` tcp dport ${port} tcp flags == syn `))
  if (!first) throw new Error(`no trace of the packet to ${dest}:${port}:\n${out}`)
  const id = /^trace id (\S+) /.exec(first)![1]
  return lines.filter((l) => l.startsWith(`trace id ${id} `))
}

const PACKET_LINE = /^trace id (\S+) ip kube-proxy (\S+) packet: (?:iif "(\S+)" )?(?:oif "(\S+)" )?(?:ether saddr (\S+) ether daddr (\S+) )?ip saddr (\S+) ip daddr (\S+) ip dscp (\S+) ip ecn \S+ ip ttl (\d+) ip id (\d+) ip length (\d+) tcp sport (\d+) tcp dport (\d+) tcp flags == (\S+) tcp window (\d+) $/

/** Our interpreter over the hooks the kernel went through, with the kernel's unpredictable fields. */
function hostContext(): NftHostContext {
  const rng = createRng(7)
  return { isLocal: (ip) => [NODE_IP, '10.180.0.254', '127.0.0.1'].includes(ip), random: () => rng.next(), now: 0, dynamicSets: new Map() }
}

function ourTrace(kernel: string[], ctx: NftHostContext = hostContext()): string[] {
  let packet: NftPacket | undefined
  const out: string[] = []
  const seen = new Set<NftHook>()
  for (const line of kernel) {
    const m = PACKET_LINE.exec(line)
    if (!m) continue
    const hook = findChain(table, m[2])?.base?.hook
    if (!hook || seen.has(hook)) continue
    seen.add(hook)
    const fields = {
      iif: m[3], oif: m[4], etherSaddr: m[5], etherDaddr: m[6], ttl: Number(m[10]), id: Number(m[11]),
      length: Number(m[12]), sport: Number(m[13]), tcpFlags: m[15], tcpWindow: Number(m[16]),
    }
    packet = packet
      ? { ...packet, ...fields }
      : { ...fields, saddr: m[7], daddr: m[8], dscp: m[9], protocol: 'tcp', dport: Number(m[14]), mark: 0, ct: 'new' }
    const r = evaluateHook([table], hook, packet, ctx, m[1])
    out.push(...r.trace.map((t) => t.text))
    packet = r.packet
    if (r.verdict === 'drop') break
  }
  return out
}

describe.skipIf(!canRun)('nftables trace parity with the kernel (nft monitor trace)', () => {
  // [name, sender, destination, port, a line the kernel's trace must contain]
  const cases: [string, string, string, number, string][] = [
    ['client to a ClusterIP: DNAT to the pod, masqueraded (not from the cluster CIDR)', 'client', '172.30.0.41', 80, ' masquerading rule masquerade fully-random (verdict accept)'],
    ['client to a NodePort: external chain, masqueraded', 'client', NODE_IP, 30080, ' rule ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports (verdict goto external-'],
    ['client to an eTP Local NodePort: not masqueraded', 'client', NODE_IP, 30081, ' (verdict goto local-'],
    ['client to a ClusterIP port that does not exist: rejected in cluster-ips-check', 'client', '172.30.0.41', 81, ' cluster-ips-check rule ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs" (verdict drop)'],
    ['client to a Service without endpoints: rejected through reject-chain', 'client', '172.30.0.42', 80, ' reject-chain rule reject (verdict drop)'],
    ['client to an unallocated ClusterIP: dropped', 'client', '172.30.0.99', 80, ' comment "Drop traffic to unallocated ClusterIPs" (verdict drop)'],
    ['the node itself to a ClusterIP: output hook', 'node', '172.30.0.41', 80, ' nat-output rule jump services (verdict jump services)'],
    ['a pod to an eTP Local NodePort: short-circuited to all endpoints (rule comments in the trace), hairpin masquerade', 'pod', NODE_IP, 30081, ' comment "short-circuit pod traffic" (verdict goto service-'],
    ['client to a LoadBalancer IP inside loadBalancerSourceRanges: through the firewall chain', 'client', '1.2.3.4', 80, ' dnat to 10.180.0.1:80 (verdict accept)'],
    ['client to a LoadBalancer IP outside loadBalancerSourceRanges: dropped before DNAT', 'client', '5.6.7.8', 80, ' rule ip saddr != 192.0.2.0/24 drop (verdict drop)'],
  ]
  for (const [name, from, dest, port, mustContain] of cases) {
    it(name, async () => {
      const kernel = await kernelTrace(NS[from as keyof typeof NS], dest, port)
      expect(kernel.some((l) => l.includes(mustContain)), `kernel trace lacks "${mustContain}":\n${kernel.join('\n')}`).toBe(true)
      expect(ourTrace(kernel).join('\n')).toBe(kernel.join('\n'))
    })
  }

  it('load balancing over three endpoints: the kernel\'s numgen pick, given to our generator, gives the same trace', async () => {
    const picks = new Set<string>()
    for (let n = 0; n < 4; n++) {
      const kernel = await kernelTrace(NS.client, '172.30.0.47', 80)
      const numgen = kernel.find((l) => l.includes(' rule numgen random mod 3 vmap '))!
      const entries = [...numgen.matchAll(/(\d+) : goto (\S+?)[,}]? /g)].map((m) => m[2])
      const chosen = /\(verdict goto (\S+)\)$/.exec(numgen)![1]
      picks.add(chosen)
      const index = entries.indexOf(chosen)
      expect(index).toBeGreaterThanOrEqual(0)
      const ctx = { ...hostContext(), random: () => (index + 0.5) / 3 }
      expect(ourTrace(kernel, ctx).join('\n')).toBe(kernel.join('\n'))
    }
    expect(picks.size).toBeGreaterThan(0)
  })

  it('session affinity: the first connection is load-balanced and recorded, the second follows the affinity set', async () => {
    const ctx = hostContext()
    const first = await kernelTrace(NS.client, '172.30.0.44', 80)
    expect(first.some((l) => l.includes(' update @affinity-'))).toBe(true)
    expect(ourTrace(first, ctx).join('\n')).toBe(first.join('\n'))
    ctx.now += 1
    const second = await kernelTrace(NS.client, '172.30.0.44', 80)
    expect(second.some((l) => / rule ip saddr @affinity-\S+ goto endpoint-/.test(l))).toBe(true)
    expect(ourTrace(second, ctx).join('\n')).toBe(second.join('\n'))
  })
})
