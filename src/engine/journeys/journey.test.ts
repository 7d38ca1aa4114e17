/**
 * Packet journeys across the simulated kind cluster, hop by hop. Each case names a source and a
 * destination and states the hops the packet must take: the rules that match on each Node (table,
 * chain, rule number where it matters, what the rule did), the moves between machines, the delivery,
 * and the answer the client gets back after conntrack's reverse translation.
 *
 * A hop line reads `NODE table/CHAIN#N → VERDICT` for a rule that matched, `move ...` / `deliver ...` /
 * `drop ...` / `reject ...` for the rest. Expected hops are listed in order; hops in between (rules that
 * only jump on, built-in policies) may occur unless the case lists the whole sequence.
 */
import { describe, expect, it } from 'vitest'
import type { Pod } from '../cluster/types.ts'
import type { Simulation } from '../simulation/simulation.ts'
import type { Journey, JourneyHop, JourneySpec } from './journey.ts'
import { metallbAnnouncer, JourneyError } from './journey.ts'
import { journeySimulation } from './test-support/scenario.ts'

function line(h: JourneyHop): string {
  if (h.kind === 'rule') return `${h.node} ${h.table}/${h.chain}#${h.rule} → ${h.verdict ?? ''}`
  return `${h.kind} ${h.text}`
}

/** Matched rules, moves, deliveries, drops and rejects of one leg, as lines. */
function keyHops(j: Journey, leg: 'request' | 'reply' = 'request'): string[] {
  return j.hops.filter((h) => h.leg === leg && (h.kind === 'rule' ? h.matched : ['move', 'deliver', 'drop', 'reject'].includes(h.kind))).map(line)
}

/** `expected` occurs in `lines` in this order (strings exactly, patterns by test). */
function expectInOrder(lines: string[], expected: (string | RegExp)[]): void {
  let i = 0
  for (const e of expected) {
    const found = lines.findIndex((l, k) => k >= i && (typeof e === 'string' ? l === e : e.test(l)))
    expect(found, `expected ${String(e)} after hop ${i} in:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0)
    i = found + 1
  }
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function world(sim: Simulation) {
  const snap = sim.snapshot()
  const pod = (pred: (p: Pod) => boolean) => snap.pods.find(pred)!
  const nginx = snap.pods.filter((p) => p.metadata.labels?.app === 'nginx')
  const onWorker = pod((p) => p.metadata.labels?.app === 'nginx' && p.spec.nodeName === 'kind-worker')
  const onWorker2 = pod((p) => p.metadata.labels?.app === 'nginx' && p.spec.nodeName === 'kind-worker2')
  const client = pod((p) => p.metadata.name === 'client')
  const coredns = pod((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns')
  const svc = (name: string) => snap.services.find((s) => s.metadata.name === name)!
  const nodeIP = (name: string) => sim.wiring(name).ip
  const veth = (p: Pod) => sim.wiring(p.spec.nodeName!).pods.find((l) => l.name === p.metadata.name)!.veth
  return { snap, nginx, onWorker, onWorker2, client, coredns, svc, nodeIP, veth }
}

/** Send until the connection lands on `podName` (the statistic match decides; the seed makes it repeatable). */
function sendUntil(sim: Simulation, spec: JourneySpec, podName: string, tries = 30): Journey {
  for (let i = 0; i < tries; i++) {
    const j = sim.sendJourney(spec)
    if (j.reachedPod === podName) return j
  }
  throw new Error(`no connection landed on ${podName} in ${tries} tries`)
}

describe('ClusterIP from a Pod', () => {
  it('to an endpoint on the same Node: DNAT on that Node, no move between Nodes, no SNAT; the answer comes from the cluster IP', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const ip = w.svc('nginx-service').spec.clusterIP!
    const j = sendUntil(sim, { from: 'client', to: 'nginx-service', port: 80 }, w.onWorker.metadata.name)
    const hops = keyHops(j)
    expect(hops[0]).toBe(`move Pod default/client → kind-worker via ${w.veth(w.client)}`)
    expectInOrder(hops, [
      'kind-worker nat/PREROUTING#1 → jump KUBE-SERVICES',
      new RegExp(`^kind-worker nat/KUBE-SERVICES#\\d+ → jump KUBE-SVC-V2OKYYMBY3REGZOG$`),
      /^kind-worker nat\/KUBE-SVC-V2OKYYMBY3REGZOG#2 → jump KUBE-SEP-/,
      new RegExp(`^kind-worker nat/KUBE-SEP-\\w+#2 → DNAT → to ${esc(w.onWorker.status.podIP!)}:80`),
      'kind-worker filter/FORWARD#2 → jump KUBE-FORWARD',
      'kind-worker nat/KUBE-POSTROUTING#1 → RETURN',
      `move kind-worker → Pod default/${w.onWorker.metadata.name} via ${w.veth(w.onWorker)}`,
      `deliver delivered to Pod default/${w.onWorker.metadata.name} (${w.onWorker.status.podIP})`,
    ])
    // The pod's own source rule (hairpin) does not match, and the packet never leaves kind-worker.
    expect(hops.some((h) => h.includes('KUBE-MARK-MASQ'))).toBe(false)
    expect(j.hops.filter((h) => h.kind !== 'deliver' && h.kind !== 'move').every((h) => h.node === 'kind-worker')).toBe(true)
    const delivered = j.hops.find((h) => h.kind === 'deliver')!.packetAfter
    expect([delivered.src, delivered.dst, delivered.dport]).toEqual([w.client.status.podIP, w.onWorker.status.podIP, 80])
    // DNAT is the hop that changed the destination.
    const dnat = j.hops.find((h) => h.verdict?.startsWith('DNAT'))!
    expect(dnat.changed).toEqual(['dst'])
    expect([dnat.packetBefore.dst, dnat.packetAfter.dst]).toEqual([ip, w.onWorker.status.podIP])
    expect(j.reply?.verdict).toBe('delivered')
    expect(j.reply?.packet).toMatchObject({ src: ip, sport: 80, dst: w.client.status.podIP, dport: j.sport })
    expect(j.reply?.summary).toBe(`SYN-ACK from ${ip}:80`)
  })

  it('to an endpoint on another Node: DNAT on the client\'s Node, routed over the bridge by the pod-CIDR route, no nat rule on the endpoint\'s Node', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const ip = w.svc('nginx-service').spec.clusterIP!
    const j = sendUntil(sim, { from: 'client', to: 'nginx-service', port: 80 }, w.onWorker2.metadata.name)
    const hops = keyHops(j)
    expectInOrder(hops, [
      `move Pod default/client → kind-worker via ${w.veth(w.client)}`,
      new RegExp(`^kind-worker nat/KUBE-SEP-\\w+#2 → DNAT → to ${esc(w.onWorker2.status.podIP!)}:80`),
      'kind-worker nat/KUBE-POSTROUTING#1 → RETURN',
      `move kind-worker → kind-worker2 over the kind bridge (route 10.244.2.0/24 via ${w.nodeIP('kind-worker2')})`,
      'kind-worker2 nat/PREROUTING#1 → jump KUBE-SERVICES',
      'kind-worker2 nat/KUBE-POSTROUTING#1 → RETURN',
      `move kind-worker2 → Pod default/${w.onWorker2.metadata.name} via ${w.veth(w.onWorker2)}`,
      `deliver delivered to Pod default/${w.onWorker2.metadata.name} (${w.onWorker2.status.podIP})`,
    ])
    expect(hops.some((h) => h.startsWith('kind-worker2 nat/KUBE-SEP'))).toBe(false)
    const delivered = j.hops.find((h) => h.kind === 'deliver')!.packetAfter
    expect(delivered.src).toBe(w.client.status.podIP)
    // The answer crosses back: kind-worker2 forwards it (ESTABLISHED), kind-worker un-DNATs it.
    expectInOrder(keyHops(j, 'reply'), [
      `move Pod default/${w.onWorker2.metadata.name} answers: tcp ${w.onWorker2.status.podIP}:80 → ${w.client.status.podIP}:${j.sport} SYN,ACK → kind-worker2 via ${w.veth(w.onWorker2)}`,
      'kind-worker2 filter/KUBE-FORWARD#3 → ACCEPT',
      `move kind-worker2 → kind-worker over the kind bridge (route 10.244.1.0/24 via ${w.nodeIP('kind-worker')})`,
      'kind-worker filter/KUBE-FORWARD#3 → ACCEPT',
      `move kind-worker → Pod default/client via ${w.veth(w.client)}`,
      `deliver Pod default/client receives SYN-ACK from ${ip}:80`,
    ])
  })

  it('a Pod reaching itself through its own Service (hairpin) is masqueraded: KUBE-MARK-MASQ in its KUBE-SEP chain, then MASQUERADE to the veth address', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const self = w.onWorker
    const ip = w.svc('nginx-service').spec.clusterIP!
    const j = sendUntil(sim, { from: self.metadata.name, to: 'nginx-service', port: 80 }, self.metadata.name)
    expectInOrder(keyHops(j), [
      `move Pod default/${self.metadata.name} → kind-worker via ${w.veth(self)}`,
      /^kind-worker nat\/KUBE-SEP-\w+#1 → jump KUBE-MARK-MASQ$/,
      'kind-worker nat/KUBE-MARK-MASQ#1 → packet mark 0x0 -> 0x4000',
      new RegExp(`^kind-worker nat/KUBE-SEP-\\w+#2 → DNAT → to ${esc(self.status.podIP!)}:80`),
      'kind-worker filter/KUBE-FORWARD#2 → ACCEPT',
      'kind-worker nat/KUBE-POSTROUTING#2 → packet mark 0x4000 -> 0x0',
      /^kind-worker nat\/KUBE-POSTROUTING#3 → MASQUERADE → to 10\.244\.1\.1:\d+/,
      `move kind-worker → Pod default/${self.metadata.name} via ${w.veth(self)}`,
    ])
    const sep = j.hops.find((h) => h.kind === 'rule' && h.matched && /KUBE-SEP-\w+$/.test(h.chain ?? '') && h.rule === 1)!
    expect(sep.text).toContain(`-s ${self.status.podIP}/32`)
    const masq = j.hops.find((h) => h.verdict?.startsWith('MASQUERADE'))!
    expect(masq.changed).toEqual(expect.arrayContaining(['src']))
    const delivered = j.hops.find((h) => h.kind === 'deliver')!.packetAfter
    expect([delivered.src, delivered.dst]).toEqual(['10.244.1.1', self.status.podIP])
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: ip, dst: self.status.podIP, dport: j.sport } })
  })
})

describe('ClusterIP from a Node', () => {
  it('goes through nat OUTPUT, is marked for masquerade (source outside the cluster CIDR) and answered to the Node itself', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const ip = w.svc('nginx-service').spec.clusterIP!
    const j = sendUntil(sim, { from: 'kind-worker', to: 'nginx-service', port: 80 }, w.onWorker2.metadata.name)
    expect(j.resolved.src).toBe(w.nodeIP('kind-worker'))
    const hops = keyHops(j)
    expect(hops[0]).toBe('kind-worker nat/OUTPUT#1 → jump KUBE-SERVICES')
    expectInOrder(hops, [
      'kind-worker nat/KUBE-SVC-V2OKYYMBY3REGZOG#1 → jump KUBE-MARK-MASQ',
      new RegExp(`^kind-worker nat/KUBE-SEP-\\w+#2 → DNAT → to ${esc(w.onWorker2.status.podIP!)}:80`),
      new RegExp(`^kind-worker nat/KUBE-POSTROUTING#3 → MASQUERADE → to ${esc(w.nodeIP('kind-worker'))}:\\d+`),
      /^move kind-worker → kind-worker2 over the kind bridge/,
      `deliver delivered to Pod default/${w.onWorker2.metadata.name} (${w.onWorker2.status.podIP})`,
    ])
    expect(j.hops.find((h) => h.kind === 'event' && h.event === 'routing' && h.text.startsWith('re-route after OUTPUT'))).toBeDefined()
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: ip, sport: 80, dst: w.nodeIP('kind-worker') } })
    expect(keyHops(j, 'reply').at(-1)).toBe(`deliver kind-worker receives SYN-ACK from ${ip}:80`)
  })
})

describe('NodePort from outside', () => {
  for (const node of ['kind-control-plane', 'kind-worker', 'kind-worker2']) {
    it(`through ${node}: KUBE-NODEPORTS → KUBE-EXT (mark) → KUBE-SVC → DNAT, masqueraded, answered from ${node}'s address`, () => {
      const sim = journeySimulation()
      const w = world(sim)
      const nodeIP = w.nodeIP(node)
      const j = sim.sendJourney({ from: '172.18.0.1', to: nodeIP, port: 30080 })
      expect(j.verdict).toBe('delivered')
      const target = w.nginx.find((p) => p.metadata.name === j.reachedPod)!
      const local = target.spec.nodeName === node
      expectInOrder(keyHops(j), [
        `move client 172.18.0.1 → ${node} via eth0 (${nodeIP} is ${node}'s address)`,
        /nat\/KUBE-SERVICES#\d+ → jump KUBE-NODEPORTS$/,
        new RegExp(`^${node} nat/KUBE-NODEPORTS#\\d+ → jump KUBE-EXT-CGFVTWEXQTKV5QXW$`),
        `${node} nat/KUBE-EXT-CGFVTWEXQTKV5QXW#1 → jump KUBE-MARK-MASQ`,
        `${node} nat/KUBE-EXT-CGFVTWEXQTKV5QXW#2 → jump KUBE-SVC-CGFVTWEXQTKV5QXW`,
        new RegExp(`^${node} nat/KUBE-SEP-\\w+#2 → DNAT → to ${esc(target.status.podIP!)}:80`),
        `${node} filter/KUBE-FORWARD#2 → ACCEPT`,
        // The source becomes the address of the interface the packet leaves by.
        new RegExp(`^${node} nat/KUBE-POSTROUTING#3 → MASQUERADE → to ${esc(local ? sim.wiring(node).gatewayIP! : nodeIP)}:\\d+`),
        ...(local ? [] : [new RegExp(`^move ${node} → ${target.spec.nodeName} over the kind bridge`)]),
        `deliver delivered to Pod default/${target.metadata.name} (${target.status.podIP})`,
      ])
      expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: nodeIP, sport: 30080, dst: '172.18.0.1', dport: j.sport } })
      expect(keyHops(j, 'reply').at(-2)).toMatch(new RegExp(`^move ${node} → 172\\.18\\.0\\.1 outside the cluster via eth0$`))
    })
  }

  it('through a Node with no local endpoint, the packet is forwarded to another Node with the first Node as its source', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const j = sim.sendJourney({ from: '172.18.0.1', to: w.nodeIP('kind-control-plane'), port: 30080 })
    const delivered = j.hops.find((h) => h.kind === 'deliver')!.packetAfter
    expect(delivered.src).toBe(w.nodeIP('kind-control-plane'))
    expect(j.hops.filter((h) => h.kind === 'move').map((h) => [h.from?.kind, h.to?.kind])).toEqual([
      ['client', 'node'], ['node', 'node'], ['node', 'pod'], ['pod', 'node'], ['node', 'node'], ['node', 'client'],
    ])
  })
})

describe('LoadBalancer IP', () => {
  it('enters by the Node MetalLB elects for the IP and is answered from the LoadBalancer IP', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const svc = w.svc('nginx-lb')
    const lbIP = svc.status.loadBalancer.ingress![0].ip!
    const elected = metallbAnnouncer(w.snap, svc, lbIP)!
    const j = sim.sendJourney({ from: '192.168.1.10', to: 'nginx-lb', port: 80 })
    expect(j.resolved).toMatchObject({ dst: lbIP, dport: 80, entry: { node: elected, how: 'from-outside' } })
    expectInOrder(keyHops(j), [
      `move client 192.168.1.10 → ${elected} via eth0 (MetalLB (layer 2) elected ${elected} to answer ARP for ${lbIP})`,
      new RegExp(`^${elected} nat/KUBE-SERVICES#\\d+ → jump KUBE-EXT-4OPAUFJG26SLRCPH$`),
      `${elected} nat/KUBE-EXT-4OPAUFJG26SLRCPH#1 → jump KUBE-MARK-MASQ`,
      /nat\/KUBE-SEP-\w+#2 → DNAT → to 10\.244\.\d+\.\d+:80/,
      /^deliver delivered to Pod default\/nginx-deployment-/,
    ])
    const lbRule = j.hops.find((h) => h.kind === 'rule' && h.matched && h.verdict === 'jump KUBE-EXT-4OPAUFJG26SLRCPH' && h.chain === 'KUBE-SERVICES')!
    expect(lbRule.text).toContain(`-d ${lbIP}/32`)
    expect(lbRule.text).toContain('loadbalancer IP')
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: lbIP, sport: 80, dst: '192.168.1.10' } })
  })

  it('MetalLB never elects a Node labelled exclude-from-external-load-balancers (the kind control plane)', () => {
    const sim = journeySimulation()
    const svc = world(sim).svc('nginx-lb')
    const chosen = new Set<string>()
    for (let i = 0; i < 64; i++) chosen.add(metallbAnnouncer(sim.snapshot(), svc, `172.18.255.${i}`)!)
    expect([...chosen].sort()).toEqual(['kind-worker', 'kind-worker2'])
  })
})

describe('externalTrafficPolicy: Local', () => {
  it('reaching a Node with a local endpoint: delivered to that Node\'s Pod with the client\'s source address kept', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const j = sim.sendJourney({ from: '172.18.0.1', to: w.nodeIP('kind-worker'), port: 30081 })
    expect(j.reachedPod).toBe(w.onWorker.metadata.name)
    const hops = keyHops(j)
    expectInOrder(hops, [
      /^kind-worker nat\/KUBE-NODEPORTS#\d+ → jump KUBE-EXT-ZNXJQ5ZXVDP2YCTT$/,
      /^kind-worker nat\/KUBE-EXT-ZNXJQ5ZXVDP2YCTT#\d+ → jump KUBE-SVL-/,
      new RegExp(`^kind-worker nat/KUBE-SEP-\\w+#2 → DNAT → to ${esc(w.onWorker.status.podIP!)}:80`),
      'kind-worker nat/KUBE-POSTROUTING#1 → RETURN',
    ])
    expect(hops.some((h) => h.includes('KUBE-MARK-MASQ') || h.includes('MASQUERADE'))).toBe(false)
    expect(j.hops.find((h) => h.kind === 'deliver')!.packetAfter.src).toBe('172.18.0.1')
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { src: w.nodeIP('kind-worker'), sport: 30081 } })
  })

  it('reaching a Node without a local endpoint: no DNAT, and filter KUBE-EXTERNAL-SERVICES drops it ("has no local endpoints")', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const j = sim.sendJourney({ from: '172.18.0.1', to: w.nodeIP('kind-control-plane'), port: 30081 })
    expect(j.verdict).toBe('dropped')
    expect(j.reachedPod).toBeNull()
    expect(j.reply).toBeUndefined()
    expect(j.stoppedAt).toMatchObject({ node: 'kind-control-plane', table: 'filter', chain: 'KUBE-EXTERNAL-SERVICES', rule: 1, verdict: 'DROP' })
    expect(j.stoppedAt!.text).toContain('"default/nginx-local has no local endpoints"')
    expect(keyHops(j).some((h) => h.includes('DNAT'))).toBe(false)
    expect(j.summary).toContain('dropped on kind-control-plane (filter KUBE-EXTERNAL-SERVICES rule 1)')
  })
})

describe('session affinity (ClientIP)', () => {
  it('keeps a client on the Pod its first connection reached: later connections match the recent --rcheck rule', () => {
    const sim = journeySimulation()
    const first = sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 })
    const rest = Array.from({ length: 20 }, () => sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 }))
    expect(new Set(rest.map((j) => j.reachedPod))).toEqual(new Set([first.reachedPod]))
    expect(new Set(rest.map((j) => j.sport)).size).toBe(20)
    // The first connection went through the statistic cascade and was recorded (--set) in its KUBE-SEP chain ...
    expect(keyHops(first).some((h) => /KUBE-SEP-\w+#2 → DNAT/.test(h))).toBe(true)
    expect(first.hops.some((h) => h.kind === 'rule' && h.matched && /KUBE-SEP-/.test(h.chain ?? '') && h.text.includes('--set'))).toBe(true)
    // ... the later ones matched the affinity rule ahead of it.
    const affinity = rest[0].hops.find((h) => h.kind === 'rule' && h.matched && h.text.includes('--rcheck'))!
    expect(affinity.chain).toMatch(/^KUBE-SVC-/)
    expect(affinity.text).toContain('--seconds 10800 --reap')
    expect(rest[0].hops.some((h) => h.kind === 'rule' && h.matched && h.text.includes('statistic'))).toBe(false)
  })
})

describe('a Service with no endpoints', () => {
  it('is rejected in filter KUBE-SERVICES and the client gets an ICMP port unreachable', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const ip = w.svc('nothing-here').spec.clusterIP!
    const j = sim.sendJourney({ from: 'client', to: 'nothing-here', port: 80 })
    expect(j.verdict).toBe('rejected')
    expect(j.rejectKind).toBe('icmp-port-unreachable')
    expect(j.reachedPod).toBeNull()
    expect(j.stoppedAt).toMatchObject({ node: 'kind-worker', table: 'filter', chain: 'KUBE-SERVICES', rule: 1, verdict: 'REJECT (icmp-port-unreachable)' })
    expect(j.stoppedAt!.text).toBe(`-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "default/nothing-here has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`)
    expect(keyHops(j).some((h) => h.includes(' nat/') && h.includes('DNAT'))).toBe(false)
    expect(j.reply).toMatchObject({ verdict: 'delivered', packet: { proto: 'icmp', icmpType: 3, icmpCode: 3, dst: w.client.status.podIP } })
    expect(keyHops(j, 'reply').at(-1)).toBe(`deliver Pod default/client receives ICMP port unreachable from ${j.reply!.packet.src}`)
  })
})

describe('firewall rules typed in a Node console', () => {
  it('a DROP in FORWARD on the client\'s Node stops the connection there, and the journey says where', () => {
    const sim = journeySimulation()
    expect(sim.runConsole('kind-worker', 'iptables -I FORWARD -p tcp --dport 80 -j DROP').rc).toBe(0)
    const j = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    expect(j.verdict).toBe('dropped')
    expect(j.stoppedAt).toMatchObject({ node: 'kind-worker', table: 'filter', chain: 'FORWARD', rule: 1, text: '-A FORWARD -p tcp -m tcp --dport 80 -j DROP', verdict: 'DROP' })
    // The rule sees the translated destination port (DNAT happened in PREROUTING).
    expect(keyHops(j).some((h) => h.includes('DNAT'))).toBe(true)
    expect(sim.runConsole('kind-worker', 'iptables -L FORWARD 1 -v -n').out).toMatch(/^\s+1\s+60 DROP/)
  })

  it('a DROP for the node port in INPUT does not stop NodePort traffic to a Pod: DNAT in PREROUTING sends it through FORWARD instead', () => {
    const sim = journeySimulation()
    sim.runConsole('kind-worker2', 'iptables -I INPUT -p tcp --dport 30080 -j DROP')
    const j = sim.sendJourney({ from: '172.18.0.1', to: sim.wiring('kind-worker2').ip, port: 30080 })
    expect(j.verdict).toBe('delivered')
    expect(j.hops.some((h) => h.node === 'kind-worker2' && h.leg === 'request' && h.hook === 'INPUT')).toBe(false)
  })

  it('a DROP for the node port in raw PREROUTING stops it before kube-proxy\'s rules are reached', () => {
    const sim = journeySimulation()
    sim.runConsole('kind-worker2', 'iptables -t raw -I PREROUTING -p tcp --dport 30080 -j DROP')
    const j = sim.sendJourney({ from: '172.18.0.1', to: sim.wiring('kind-worker2').ip, port: 30080 })
    expect(j.verdict).toBe('dropped')
    expect(j.stoppedAt).toMatchObject({ node: 'kind-worker2', table: 'raw', chain: 'PREROUTING', rule: 1 })
    expect(j.hops.filter((h) => h.kind === 'rule').every((h) => h.table === 'raw')).toBe(true)
  })
})

describe('the second packet of a connection', () => {
  it('is ESTABLISHED: the nat table is not consulted, conntrack translates it to the same Pod', () => {
    const sim = journeySimulation()
    const w = world(sim)
    const first = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    const next = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80, sport: first.sport, packet: 'next' })
    expect(next.packet).toBe('next')
    expect(next.reachedPod).toBe(first.reachedPod)
    expect(next.hops.filter((h) => h.kind === 'rule' && h.table === 'nat')).toEqual([])
    expect(next.hops.find((h) => h.event === 'conntrack')?.text).toMatch(/^conntrack: ESTABLISHED/)
    const rewrite = next.hops.find((h) => h.event === 'skip-table' && h.hook === 'PREROUTING')!
    expect(rewrite.text).toMatch(/^nat table not consulted \(the connection already has its binding\)/)
    expect(rewrite.changed).toEqual(['dst'])
    const target = w.nginx.find((p) => p.metadata.name === first.reachedPod)!
    expect(next.hops.find((h) => h.kind === 'deliver')!.packetAfter).toMatchObject({ dst: target.status.podIP, tcpFlags: { ACK: true, SYN: false } })
    // filter FORWARD still sees it, as ESTABLISHED.
    expect(keyHops(next)).toContain('kind-worker filter/KUBE-FORWARD#3 → ACCEPT')
    expect(next.reply).toBeUndefined()
  })
})

describe('load balancing', () => {
  it('N connections follow the statistic cascade, repeatably, and the DNAT rule counters count them', () => {
    const run = () => {
      const sim = journeySimulation(7)
      sim.cluster.scaleDeployment('default', 'nginx-deployment', 3)
      return { sim, result: sim.sendMany({ from: 'client', to: 'nginx-service', port: 80 }, 1500) }
    }
    const { sim, result } = run()
    expect(run().result).toEqual(result)
    expect(result.dropped + result.rejected).toBe(0)
    const pods = sim.snapshot().pods.filter((p) => p.metadata.labels?.app === 'nginx')
    expect(Object.keys(result.landed).sort()).toEqual(pods.map((p) => p.metadata.name).sort())
    // 1/3 each, within 4 standard deviations of a binomial(1500, 1/3).
    for (const n of Object.values(result.landed)) expect(Math.abs(n - 500)).toBeLessThan(75)
    // The expected shares come from the rules: 1/3, then 1/2 of the rest, then the rest (kernel fractions).
    expect(result.expected?.node).toBe('kind-worker')
    expect(result.expected?.chain).toBe('KUBE-SVC-V2OKYYMBY3REGZOG')
    const shares = result.expected!.shares
    expect(Object.keys(shares).sort()).toEqual(Object.keys(result.landed).sort())
    for (const s of Object.values(shares)) expect(s).toBeCloseTo(1 / 3, 8)
    const save = sim.iptablesSave('kind-worker', { counters: true })
    for (const p of pods) {
      const dnat = save.split('\n').find((l) => l.includes(`-j DNAT --to-destination ${p.status.podIP}:80`) && l.includes('default/nginx-service'))!
      expect(Number(/^\[(\d+):/.exec(dnat)![1]), dnat).toBe(result.landed[p.metadata.name])
    }
  }, 60_000)

  it('sending packets does not change the names and IPs the cluster gives out later', () => {
    const a = journeySimulation(3)
    const b = journeySimulation(3)
    a.sendMany({ from: 'client', to: 'nginx-service', port: 80 }, 50)
    a.cluster.scaleDeployment('default', 'nginx-deployment', 4)
    b.cluster.scaleDeployment('default', 'nginx-deployment', 4)
    const pods = (s: Simulation) => s.snapshot().pods.map((p) => `${p.metadata.name} ${p.status.podIP}`).sort()
    expect(pods(a)).toEqual(pods(b))
  })
})

describe('naming sources and destinations', () => {
  it('explains what it cannot resolve', () => {
    const sim = journeySimulation()
    expect(() => sim.sendJourney({ from: 'nope', to: 'nginx-service', port: 80 })).toThrow(JourneyError)
    expect(() => sim.sendJourney({ from: 'nope', to: 'nginx-service', port: 80 })).toThrow('unknown source "nope"')
    expect(() => sim.sendJourney({ from: 'client', to: 'nope', port: 80 })).toThrow('unknown destination "nope"')
    expect(() => sim.sendJourney({ from: 'client', to: 'nginx-service', port: 81 })).toThrow('Service default/nginx-service has no tcp port 81')
    expect(() => sim.sendJourney({ from: 'nginx-deployment', to: 'nginx-service', port: 80 })).toThrow('is ambiguous')
    expect(() => sim.sendJourney({ from: '172.18.0.1', to: 'nginx-service', port: 80 })).toThrow('cannot be reached from outside the cluster')
  })

  it('accepts ns/name, a Pod IP as a Pod, a Service\'s node port from outside, and the Node to enter by', () => {
    const sim = journeySimulation()
    const w = world(sim)
    expect(sim.sendJourney({ from: `kube-system/${w.coredns.metadata.name}`, to: 'default/nginx-service', port: 80 }).resolved.source).toMatchObject({ kind: 'pod', namespace: 'kube-system' })
    expect(sim.sendJourney({ from: w.client.status.podIP!, to: 'nginx-service', port: 80 }).resolved.source).toMatchObject({ kind: 'pod', name: 'client' })
    const np = sim.sendJourney({ from: '172.18.0.1', to: 'nginx-nodeport', port: 80, via: 'kind-worker2' })
    expect(np.resolved).toMatchObject({ dst: w.nodeIP('kind-worker2'), dport: 30080, entry: { node: 'kind-worker2' } })
  })
})
