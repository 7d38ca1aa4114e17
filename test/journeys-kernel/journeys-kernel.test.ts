/**
 * Where the real kernel can decide, it agrees with the simulation: the simulated cluster is rebuilt from
 * network namespaces (cluster-lab.ts) with every Node's rules as the simulation prints them, the same
 * TCP SYN is sent in both, and on every Node the rules and policies whose counters rose must be the same,
 * the same Pod (or nobody) must receive it, from the same source address, on the same port.
 *
 * Then the Pod's answer (a SYN-ACK, written by hand in the kernel's world) goes back, and again every
 * Node's counters must agree and the client must receive it from the same address and port (conntrack's
 * reverse translation). For REJECT, the ICMP error the rejecting Node sends is compared the same way.
 * Last, the connection's next packet (the handshake's ACK) must again raise the same counters (no nat
 * rule: the connection is ESTABLISHED) and reach the same Pod.
 *
 * Services here have one endpoint, so the kernel's own random choice (statistic) cannot differ from ours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Simulation } from '../../src/engine/simulation/simulation.ts'
import type { JourneyHop } from '../../src/engine/journeys/journey.ts'
import { metallbAnnouncer } from '../../src/engine/journeys/journey.ts'
import { kernelSuiteCanRun } from '../support/netns.ts'
import { CLUSTER_LAB_TOOLS, ClusterLab, delta } from './cluster-lab.ts'

const SCENARIO = `
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: kind-worker
  containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: kind-worker
  containers: [{name: c, image: curl}]
---
apiVersion: v1
kind: Pod
metadata: {name: client2}
spec:
  nodeName: kind-worker2
  containers: [{name: c, image: curl}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30090}]
---
apiVersion: v1
kind: Service
metadata: {name: web-local}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30091}]
---
apiVersion: v1
kind: Service
metadata: {name: web-lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30092}]
---
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec:
  selector: {app: nobody}
  ports: [{port: 80, targetPort: 80}]
`

const run = kernelSuiteCanRun({ suite: 'journey kernel agreement', tools: CLUSTER_LAB_TOOLS })

/** The engine's counter rises on one Node: matched rules and applied policies. */
function engineHits(hops: JourneyHop[], node: string): string[] {
  const counts = new Map<string, number>()
  for (const h of hops) {
    if (h.node !== node) continue
    const key = h.kind === 'rule' && h.matched ? `${h.table}/${h.chain}#${h.rule}` : h.kind === 'policy' ? `${h.table}/${h.chain}` : undefined
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([k, n]) => (n === 1 ? k : `${k}×${n}`)).sort()
}

describe.skipIf(!run)('journeys: the kernel agrees', () => {
  const sim = Simulation.create({ seed: 1 })
  const outcome = sim.apply(SCENARIO)
  if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('; '))
  const lab = new ClusterLab()
  const lb = sim.snapshot().services.find((s) => s.metadata.name === 'web-lb')!
  const lbIP = lb.status.loadBalancer.ingress![0].ip!
  beforeAll(() => {
    lab.setup(sim)
    lab.announce(lbIP, sim.wiring(metallbAnnouncer(sim.snapshot(), lb, lbIP)!).ip)
    lab.addOutsideAddress('192.168.7.7')
  }, 60_000)
  afterAll(() => lab.teardown())

  const snap = sim.snapshot()
  const ip = (pod: string) => snap.pods.find((p) => p.metadata.name === pod)!.status.podIP!
  const svcIP = (name: string) => snap.services.find((s) => s.metadata.name === name)!.spec.clusterIP!
  const nodeIP = (node: string) => sim.wiring(node).ip

  interface Case {
    name: string; from: string; kernelFrom: string; src: () => string; to: string; dst: () => string; port: number; reached: string | null
    /** A rule typed in a Node's console first (and deleted afterwards), in both worlds. */
    firewall?: { node: string; rule: string[] }
  }
  const cases: Case[] = [
    { name: 'ClusterIP from a Pod on the endpoint\'s Node', from: 'client', kernelFrom: 'default/client', src: () => ip('client'), to: 'web', dst: () => svcIP('web'), port: 80, reached: 'web' },
    { name: 'ClusterIP from a Pod on another Node', from: 'client2', kernelFrom: 'default/client2', src: () => ip('client2'), to: 'web', dst: () => svcIP('web'), port: 80, reached: 'web' },
    { name: 'hairpin: a Pod through its own Service', from: 'web', kernelFrom: 'default/web', src: () => ip('web'), to: 'web', dst: () => svcIP('web'), port: 80, reached: 'web' },
    { name: 'ClusterIP from a Node (nat OUTPUT, re-routed, masqueraded)', from: 'kind-worker', kernelFrom: 'kind-worker', src: () => nodeIP('kind-worker'), to: 'web', dst: () => svcIP('web'), port: 80, reached: 'web' },
    { name: 'ClusterIP from another Node', from: 'kind-control-plane', kernelFrom: 'kind-control-plane', src: () => nodeIP('kind-control-plane'), to: 'web', dst: () => svcIP('web'), port: 80, reached: 'web' },
    { name: 'NodePort from outside through a Node without the endpoint', from: '172.18.0.1', kernelFrom: 'outside', src: () => '172.18.0.1', to: nodeIP('kind-control-plane'), dst: () => nodeIP('kind-control-plane'), port: 30090, reached: 'web' },
    { name: 'NodePort from outside through the endpoint\'s Node', from: '172.18.0.1', kernelFrom: 'outside', src: () => '172.18.0.1', to: nodeIP('kind-worker'), dst: () => nodeIP('kind-worker'), port: 30090, reached: 'web' },
    { name: 'externalTrafficPolicy Local through a Node with the endpoint', from: '172.18.0.1', kernelFrom: 'outside', src: () => '172.18.0.1', to: nodeIP('kind-worker'), dst: () => nodeIP('kind-worker'), port: 30091, reached: 'web' },
    { name: 'externalTrafficPolicy Local through a Node without one (dropped)', from: '172.18.0.1', kernelFrom: 'outside', src: () => '172.18.0.1', to: nodeIP('kind-worker2'), dst: () => nodeIP('kind-worker2'), port: 30091, reached: null },
    { name: 'LoadBalancer IP from outside, through the Node MetalLB elects', from: '192.168.7.7', kernelFrom: 'outside', src: () => '192.168.7.7', to: 'web-lb', dst: () => lbIP, port: 80, reached: 'web' },
    { name: 'a DROP typed into FORWARD of the client\'s Node', from: 'client2', kernelFrom: 'default/client2', src: () => ip('client2'), to: 'web', dst: () => svcIP('web'), port: 80, reached: null, firewall: { node: 'kind-worker2', rule: ['FORWARD', '-p', 'tcp', '--dport', '80', '-j', 'DROP'] } },
    { name: 'a DROP for the node port typed into INPUT does not stop NodePort traffic to a Pod', from: '172.18.0.1', kernelFrom: 'outside', src: () => '172.18.0.1', to: nodeIP('kind-worker'), dst: () => nodeIP('kind-worker'), port: 30090, reached: 'web', firewall: { node: 'kind-worker', rule: ['INPUT', '-p', 'tcp', '--dport', '30090', '-j', 'DROP'] } },
    { name: 'a Service with no endpoints (rejected)', from: 'client', kernelFrom: 'default/client', src: () => ip('client'), to: 'nobody', dst: () => svcIP('nobody'), port: 80, reached: null },
  ]

  let sport = 41000
  for (const c of cases) {
    it(c.name, () => {
      sport++
      if (c.firewall) {
        const [chain, ...rest] = c.firewall.rule
        lab.iptables(c.firewall.node, ['-I', chain, ...rest])
        expect(sim.runConsole(c.firewall.node, `iptables -I ${chain} ${rest.join(' ')}`).rc).toBe(0)
      }
      const before = new Map(sim.nodeNames().map((n) => [n, lab.counters(n)]))
      lab.clearArrivals()
      lab.sendSyn(c.kernelFrom, { src: c.src(), dst: c.dst(), sport, dport: c.port })
      const j = sim.sendJourney({ from: c.from, to: c.to, port: c.port, sport })
      expect(j.reachedPod).toBe(c.reached)
      const key = (a: { src: string; proto: string; sport: number; dport: number }) => `${a.src} ${a.proto} ${a.sport} ${a.dport}`
      // What the client had received before the Pod answers (a hairpin client is the Pod itself).
      let clientBefore = new Set<string>()
      if (c.reached) {
        // The request arrived at the same Pod, from the same address, to the same port.
        const arrived = j.hops.find((h) => h.kind === 'deliver' && h.leg === 'request')!.packetAfter
        const kernelArrivals = lab.arrivals(`default/${c.reached}`)
        expect(kernelArrivals.map((a) => `${a.src} ${a.proto} ${a.dport}`)).toEqual([`${arrived.src} tcp ${arrived.dport}`])
        clientBefore = new Set(lab.arrivals(c.kernelFrom).map(key))
        lab.answerSyn(`default/${c.reached}`, ip(c.reached), kernelArrivals[0])
      } else {
        for (const pod of ['default/web', 'default/client2']) expect(lab.arrivals(pod)).toEqual([])
      }
      // Every Node counted the same rules and policies, for the request and the answer.
      for (const node of sim.nodeNames()) {
        expect(delta(before.get(node)!, lab.counters(node)), `${node}: counters that rose in the kernel vs the simulation`).toEqual(engineHits(j.hops, node))
      }
      // The client got the same answer from the same address and port (or nothing).
      const clientSaw = lab.arrivals(c.kernelFrom).map(key).filter((k) => !clientBefore.has(k))
      const reply = j.reply?.verdict === 'delivered' ? j.reply.packet : undefined
      expect(clientSaw).toEqual(reply ? [reply.proto === 'icmp' ? `${reply.src} icmp 0 0` : `${reply.src} tcp ${reply.sport} ${reply.dport}`] : [])
      if (c.reached) {
        // The connection's next packet (the handshake's ACK): ESTABLISHED, nat not consulted, same way.
        const mid = new Map(sim.nodeNames().map((n) => [n, lab.counters(n)]))
        lab.clearArrivals()
        lab.sendAck(c.kernelFrom, { src: c.src(), dst: c.dst(), sport, dport: c.port })
        const next = sim.sendJourney({ from: c.from, to: c.to, port: c.port, sport, packet: 'next' })
        expect(next.reachedPod).toBe(c.reached)
        for (const node of sim.nodeNames()) {
          expect(delta(mid.get(node)!, lab.counters(node)), `${node}: the next packet's counters`).toEqual(engineHits(next.hops, node))
        }
        const arrived = next.hops.find((h) => h.kind === 'deliver')!.packetAfter
        expect(lab.arrivals(`default/${c.reached}`).map((a) => `${a.src} ${a.proto} ${a.dport}`)).toEqual([`${arrived.src} tcp ${arrived.dport}`])
      }
      if (c.firewall) {
        const [chain, ...rest] = c.firewall.rule
        lab.iptables(c.firewall.node, ['-D', chain, ...rest])
        sim.runConsole(c.firewall.node, `iptables -D ${chain} ${rest.join(' ')}`)
      }
    })
  }
})
