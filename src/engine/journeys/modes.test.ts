/**
 * Every journey case of the player in each kube-proxy mode (iptables, IPVS, nftables): the same packet
 * reaches the same kind of endpoint and the client gets the same kind of answer; what differs is where the
 * translation happens — iptables' nat chains, IPVS at LOCAL_IN / LOCAL_OUT (scheduling shown as a step),
 * or the `ip kube-proxy` nftables chains — and each case checks that this mode's machinery did it.
 */
import { describe, expect, it } from 'vitest'
import type { Pod } from '../cluster/types.ts'
import type { ProxyMode } from '../kube-proxy/proxy-modes.ts'
import type { Simulation } from '../simulation/simulation.ts'
import type { Journey, JourneyHop, JourneySpec } from './journey.ts'
import { metallbAnnouncer } from './journey.ts'
import { journeySimulation } from './test-support/scenario.ts'
import { traverse } from '../netfilter/traversal.ts'

function simIn(mode: ProxyMode): Simulation {
  const sim = journeySimulation()
  if (mode !== 'iptables') {
    const outcome = sim.apply(`apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${mode}\nclusterCIDR: 10.244.0.0/16\n`)
    expect(outcome.ok).toBe(true)
  }
  for (const node of sim.nodeNames()) expect(sim.kubeProxy(node).mode).toBe(mode)
  return sim
}

function world(sim: Simulation) {
  const snap = sim.snapshot()
  const nginx = snap.pods.filter((p) => p.metadata.labels?.app === 'nginx')
  const on = (node: string) => nginx.find((p) => p.spec.nodeName === node)!
  const svc = (name: string) => snap.services.find((s) => s.metadata.name === name)!
  const nodeIP = (name: string) => sim.wiring(name).ip
  return { snap, nginx, onWorker: on('kind-worker'), onWorker2: on('kind-worker2'), svc, nodeIP }
}

function sendUntil(sim: Simulation, spec: JourneySpec, pod: Pod, tries = 30): Journey {
  for (let i = 0; i < tries; i++) {
    const j = sim.sendJourney(spec)
    if (j.reachedPod === pod.metadata.name) return j
  }
  throw new Error(`no connection landed on ${pod.metadata.name} in ${tries} tries`)
}

/** The hop that translated the destination to the endpoint: an iptables DNAT, an IPVS schedule or an nft `dnat to`. */
function translation(j: Journey, mode: ProxyMode): JourneyHop | undefined {
  return j.hops.find((h) => h.leg === 'request' && (
    mode === 'iptables' ? h.kind === 'rule' && h.matched && (h.verdict ?? '').startsWith('DNAT')
      : mode === 'ipvs' ? h.kind === 'rule' && /^ip_vs_(remote|local)_request4$/.test(h.chain ?? '')
        : h.kind === 'rule' && h.matched && / dnat to /.test(h.text)))
}

const delivered = (j: Journey) => j.hops.find((h) => h.kind === 'deliver' && h.leg === 'request')!.packetAfter

describe.each(['iptables', 'ipvs', 'nftables'] as const)('journeys in %s mode', (mode) => {
  it('ClusterIP from a Pod to an endpoint on the same Node: translated there, answered from the cluster IP', () => {
    const sim = simIn(mode)
    const w = world(sim)
    const ip = w.svc('nginx-service').spec.clusterIP!
    const j = sendUntil(sim, { from: 'client', to: 'nginx-service', port: 80 }, w.onWorker)
    expect(translation(j, mode)?.node).toBe('kind-worker')
    expect(j.hops.some((h) => h.kind === 'move' && h.from?.kind === 'node' && h.to?.kind === 'node')).toBe(false)
    expect(delivered(j).dst).toBe(w.onWorker.status.podIP)
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: ip, sport: 80 } })
  })

  it('ClusterIP from a Pod to an endpoint on another Node: translated on the client\'s Node, source kept', () => {
    const sim = simIn(mode)
    const w = world(sim)
    const client = sim.snapshot().pods.find((p) => p.metadata.name === 'client')!
    const j = sendUntil(sim, { from: 'client', to: 'nginx-service', port: 80 }, w.onWorker2)
    expect(translation(j, mode)?.node).toBe('kind-worker')
    expect(delivered(j).src).toBe(client.status.podIP)
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: w.svc('nginx-service').spec.clusterIP, sport: 80, dst: client.status.podIP } })
  })

  it('hairpin: a Pod reaching itself through its Service is masqueraded and answered from the cluster IP', () => {
    const sim = simIn(mode)
    const w = world(sim)
    const self = w.onWorker
    const j = sendUntil(sim, { from: self.metadata.name, to: 'nginx-service', port: 80 }, self)
    expect(delivered(j).src).not.toBe(self.status.podIP)
    expect(delivered(j).src).toBe('10.244.1.1')
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: w.svc('nginx-service').spec.clusterIP, dst: self.status.podIP } })
  })

  it('ClusterIP from a Node: reaches a Pod and the Node gets the answer from the cluster IP', () => {
    const sim = simIn(mode)
    const w = world(sim)
    const ip = w.svc('nginx-service').spec.clusterIP!
    const j = sendUntil(sim, { from: 'kind-worker', to: 'nginx-service', port: 80 }, w.onWorker2)
    expect(translation(j, mode)?.hook).toBe('OUTPUT')
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: ip, sport: 80 } })
  })

  it('NodePort from outside: reaches a Pod, masqueraded, answered from the node port', () => {
    const sim = simIn(mode)
    const w = world(sim)
    const node = w.nodeIP('kind-worker')
    const j = sim.sendJourney({ from: '172.18.0.1', to: node, port: 30080 })
    expect(w.nginx.map((p) => p.metadata.name)).toContain(j.reachedPod)
    expect(translation(j, mode)?.node).toBe('kind-worker')
    expect(delivered(j).src).not.toBe('172.18.0.1')
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: node, sport: 30080, dst: '172.18.0.1' } })
  })

  it('LoadBalancer: enters by the elected Node and is answered from the load-balancer IP', () => {
    const sim = simIn(mode)
    const lb = sim.snapshot().services.find((s) => s.metadata.name === 'nginx-lb')!
    const lbIP = lb.status?.loadBalancer?.ingress?.[0]?.ip
    expect(lbIP).toBeDefined()
    const elected = metallbAnnouncer(sim.snapshot(), lb, lbIP!)
    const j = sim.sendJourney({ from: '192.168.1.10', to: 'nginx-lb', port: 80 })
    expect(j.resolved.entry).toMatchObject({ node: elected })
    expect(j.verdict).toBe('delivered')
    expect(translation(j, mode)?.node).toBe(elected)
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: lbIP, sport: 80, dst: '192.168.1.10' } })
  })

  it('externalTrafficPolicy Local with a local endpoint: that Node\'s Pod, client address kept', () => {
    const sim = simIn(mode)
    const w = world(sim)
    const j = sim.sendJourney({ from: '172.18.0.1', to: w.nodeIP('kind-worker'), port: 30081 })
    expect(j.reachedPod).toBe(w.onWorker.metadata.name)
    expect(delivered(j).src).toBe('172.18.0.1')
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: w.nodeIP('kind-worker'), sport: 30081 } })
  })

  it('externalTrafficPolicy Local without a local endpoint: stopped on that Node (IPVS: routed on unmasqueraded, the answer useless)', () => {
    const sim = simIn(mode)
    const w = world(sim)
    const node = w.nodeIP('kind-control-plane')
    const j = sim.sendJourney({ from: '172.18.0.1', to: node, port: 30081 })
    if (mode === 'ipvs') {
      // Upstream's IPVS proxier falls back to all endpoints here (kubernetes/kubernetes#97081: "Traffic from an
      // external source will be routed but the reply will have the POD address and will be discarded").
      expect(j.reachedPod).not.toBeNull()
      expect(delivered(j).src).toBe('172.18.0.1')
      expect(j.reply?.packet.src).not.toBe(node)
      return
    }
    expect(j.reachedPod).toBeNull()
    expect(['dropped', 'rejected']).toContain(j.verdict)
    expect(j.stoppedAt?.node ?? j.hops.at(-1)?.node).toBe('kind-control-plane')
  })

  it('session affinity: later connections of a client stay on the Pod its first one reached', () => {
    const sim = simIn(mode)
    const first = sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 })
    expect(first.reachedPod).not.toBeNull()
    const rest = Array.from({ length: 12 }, () => sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 }))
    expect(new Set(rest.map((j) => j.reachedPod))).toEqual(new Set([first.reachedPod]))
    expect(new Set(rest.map((j) => j.sport)).size).toBe(12)
  })

  it('a Service without endpoints: the client gets an ICMP port unreachable', () => {
    const sim = simIn(mode)
    const j = sim.sendJourney({ from: 'client', to: 'nothing-here', port: 80 })
    expect(j.verdict).toBe('rejected')
    expect(j.rejectKind).toBe('icmp-port-unreachable')
    expect(j.reply?.verdict).toBe('delivered')
    expect(j.reply?.packet).toMatchObject({ proto: 'icmp', icmpType: 3, icmpCode: 3 })
  })

  it('the second packet of a connection goes to the same Pod without being scheduled or translated by a rule again', () => {
    const sim = simIn(mode)
    const first = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    const next = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80, sport: first.sport, packet: 'next' })
    expect(next.reachedPod).toBe(first.reachedPod)
    // IPVS rewrites every packet of its connections itself (found in its connection table, not scheduled);
    // the other modes leave it to conntrack's binding.
    if (mode === 'ipvs') expect(translation(next, mode)?.text).toMatch(/^IPVS: existing connection /)
    else expect(translation(next, mode)).toBeUndefined()
    expect(next.hops.find((h) => h.event === 'conntrack')?.text).toMatch(/^conntrack: ESTABLISHED/)
  })
})

describe('each mode\'s own machinery in the trace', () => {
  it('nftables: steps carry the nft rule text and `nft monitor trace` lines', () => {
    const sim = simIn('nftables')
    const j = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    const vmap = j.hops.find((h) => h.chain === 'services' && h.kind === 'rule')!
    expect(vmap.text).toBe('ip daddr . meta l4proto . th dport vmap @service-ips')
    expect(vmap.kernelTrace).toMatch(/^trace id [0-9a-f]{8} ip kube-proxy services rule ip daddr \. meta l4proto \. th dport vmap @service-ips \(verdict goto service-/)
    const first = j.hops.find((h) => h.chain === 'filter-prerouting-pre-dnat')!
    expect(first.kernelTrace).toMatch(/^trace id [0-9a-f]{8} ip kube-proxy filter-prerouting-pre-dnat packet: iif "veth[0-9a-f]{8}" ether saddr [0-9a-f:]{17} ether daddr [0-9a-f:]{17} ip saddr /)
    // No iptables rule of kube-proxy's is left on the node.
    expect(sim.iptablesSave('kind-worker')).not.toMatch(/KUBE-SERVICES|KUBE-SVC-|KUBE-SEP-/)
  })

  it('IPVS: the scheduling is a step at ip_vs_remote_request4, after filter INPUT; the reply is un-NATed at ip_vs_reply4', () => {
    const sim = simIn('ipvs')
    const j = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    const req = j.hops.findIndex((h) => h.chain === 'ip_vs_remote_request4')
    const filterInput = j.hops.findIndex((h) => h.table === 'filter' && h.chain === 'INPUT')
    expect(filterInput).toBeGreaterThanOrEqual(0)
    expect(req).toBeGreaterThan(filterInput)
    expect(j.hops[req].text).toMatch(/^IPVS: TCP 10\.96\.\d+\.\d+:80 \(rr\) schedules 10\.244\.1\.\d+:\d+ to 10\.244\.[12]\.2:80/)
    expect(j.hops.some((h) => h.leg === 'reply' && h.chain === 'ip_vs_reply4')).toBe(true)
  })
})

describe('the kernel trace of a node in nftables mode', () => {
  it('is what `nft monitor trace` prints, line by line: a packet line per base chain, then its matching rules and policy', () => {
    const sim = simIn('nftables')
    const host = sim.host('kind-worker')
    const ip = sim.snapshot().services.find((s) => s.metadata.name === 'nginx-service')!.spec.clusterIP!
    const r = traverse(host, {
      src: '10.244.1.200', dst: ip, proto: 'tcp', sport: 40001, dport: 80, length: 60, ttl: 64, mark: 0,
      tcpFlags: { SYN: true, ACK: false, FIN: false, RST: false, PSH: false, URG: false },
    }, { inIface: 'eth0', localAnswers: false })
    const nft = r.kernelTrace.filter((l) => l.startsWith('trace id '))
    expect(nft.every((l) => !l.includes('\n'))).toBe(true)
    const id = /^trace id ([0-9a-f]{8}) /.exec(nft[0])![1]
    const mac = host.interfaceMac('eth0')
    expect(nft.slice(0, 3)).toEqual([
      `trace id ${id} ip kube-proxy filter-prerouting-pre-dnat packet: iif "eth0" ether saddr 02:42:0a:f4:01:c8 ether daddr ${mac} ip saddr 10.244.1.200 ip daddr ${ip} ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 0 ip length 60 tcp sport 40001 tcp dport 80 tcp flags == syn tcp window 64240 `,
      `trace id ${id} ip kube-proxy filter-prerouting-pre-dnat rule ct state new jump firewall-check (verdict jump firewall-check)`,
      `trace id ${id} ip kube-proxy filter-prerouting-pre-dnat policy accept `,
    ])
    expect(nft).toContain(`trace id ${id} ip kube-proxy services rule ip daddr . meta l4proto . th dport vmap @service-ips (verdict goto ${sim.kubeProxy('kind-worker').chainsOf('default/nginx-service').find((c) => c.startsWith('service-'))})`)
  })
})
