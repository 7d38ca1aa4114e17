/**
 * The simulation wires every Node as kind does and keeps hosts and kube-proxies in step with the cluster.
 */
import { describe, expect, it } from 'vitest'
import { Simulation } from './simulation.ts'
import { vethName } from './wiring.ts'
import { journeySimulation, NGINX } from '../journeys/test-support/scenario.ts'

describe('Simulation wiring (a kind node)', () => {
  it('gives every Node eth0 on the kind bridge, a veth per Pod with a host route, and routes to the other pod CIDRs', () => {
    const sim = Simulation.create({ seed: 1 })
    sim.apply(NGINX)
    expect(sim.nodeNames()).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2'])
    const pod = sim.snapshot().pods.find((p) => p.spec.nodeName === 'kind-worker')!
    const veth = vethName('default', pod.metadata.name)
    expect(veth).toMatch(/^veth[0-9a-f]{8}$/)
    expect(sim.runConsole('kind-worker', 'ip route').out).toBe([
      'default via 172.18.0.1 dev eth0 ',
      '10.244.0.0/24 via 172.18.0.2 dev eth0 ',
      `${pod.status.podIP} dev ${veth} scope host `,
      '10.244.2.0/24 via 172.18.0.4 dev eth0 ',
      '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 ',
      '',
    ].join('\n'))
    const addr = sim.runConsole('kind-worker', 'ip addr').out
    expect(addr).toContain('inet 172.18.0.3/16 brd 172.18.255.255 scope global eth0')
    expect(addr).toContain(`${veth}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP>`)
    expect(addr).toContain(`inet 10.244.1.1/32 scope global ${veth}`)
    expect(sim.runConsole('kind-worker', 'sysctl net.ipv4.ip_forward').out).toBe('net.ipv4.ip_forward = 1\n')
  })

  it('programs each Node\'s rule set through its own kube-proxy (kubelet\'s chains, the canaries, the Service chains)', () => {
    const sim = Simulation.create({ seed: 1 })
    sim.apply(NGINX)
    for (const node of sim.nodeNames()) {
      const save = sim.iptablesSave(node)
      expect(save).toContain(':KUBE-KUBELET-CANARY - [0:0]')
      expect(save).toContain(':KUBE-PROXY-CANARY - [0:0]')
      expect(save).toContain('-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y')
      expect(save).toContain('"default/nginx-service cluster IP"')
      // What kube-proxy believes it wrote is what the node's netfilter holds.
      const mine = save.split('\n').filter((l) => !l.startsWith('#'))
      for (const l of sim.kubeProxy(node).iptablesSave().split('\n').filter((x) => x.startsWith('-A KUBE-'))) expect(mine).toContain(l)
      expect(sim.syncRecords(node).map((r) => r.kind)).toEqual(['full', 'partial'])
    }
  })

  it('follows the cluster: scaling adds a veth and host route on the Node the new Pod runs on and a KUBE-SEP chain on every Node', () => {
    const sim = Simulation.create({ seed: 1 })
    sim.apply(NGINX)
    const before = new Set(sim.snapshot().pods.map((p) => p.metadata.name))
    sim.cluster.scaleDeployment('default', 'nginx-deployment', 3)
    const added = sim.snapshot().pods.find((p) => !before.has(p.metadata.name))!
    const node = added.spec.nodeName!
    const veth = vethName('default', added.metadata.name)
    expect(sim.wiring(node).pods.map((p) => p.veth)).toContain(veth)
    expect(sim.runConsole(node, 'ip route').out).toContain(`${added.status.podIP} dev ${veth} scope host \n`)
    for (const n of sim.nodeNames()) {
      expect(sim.iptablesSave(n)).toContain(`-j DNAT --to-destination ${added.status.podIP}:80`)
      expect(sim.syncRecords(n).at(-1)).toMatchObject({ kind: 'partial', services: ['default/nginx-service'] })
    }
    // Deleting the Pod (the Deployment replaces it): once it has terminated, its veth and route are gone.
    sim.cluster.deletePod('default', added.metadata.name)
    sim.cluster.advanceTime(60)
    expect(sim.snapshot().pods.some((p) => p.metadata.name === added.metadata.name)).toBe(false)
    expect(sim.runConsole(node, 'ip addr').out).not.toContain(veth)
    expect(sim.runConsole(node, 'ip route').out).not.toContain(`${added.status.podIP} dev ${veth}`)
  })

  it('a KubeProxyConfiguration applied restarts every kube-proxy with it: a full sync with the new rules', () => {
    const sim = Simulation.create({ seed: 1 })
    const masqAll = /^-A KUBE-SVC-\S+ -d 10\.96\.0\.10\/32 -p udp .*-j KUBE-MARK-MASQ$/m
    expect(sim.iptablesSave('kind-worker')).not.toMatch(masqAll)
    const outcome = sim.apply('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\nclusterCIDR: 10.244.0.0/16\niptables:\n  masqueradeAll: true\n')
    expect(outcome.ok).toBe(true)
    for (const node of sim.nodeNames()) {
      expect(sim.syncRecords(node).at(-1)).toMatchObject({ kind: 'full', reason: 'configuration changed' })
      expect(sim.iptablesSave(node)).toMatch(masqAll)
    }
  })

  it('adds a host and a kube-proxy for a Node that joins, and routes to its pod CIDR on the others', () => {
    const sim = Simulation.create({ seed: 1 })
    const outcome = sim.apply('apiVersion: v1\nkind: Node\nmetadata: {name: kind-worker3}\nspec: {podCIDR: 10.244.3.0/24, podCIDRs: [10.244.3.0/24]}\nstatus:\n  addresses: [{type: InternalIP, address: 172.18.0.5}]\n')
    expect(outcome.ok).toBe(true)
    expect(sim.nodeNames()).toContain('kind-worker3')
    expect(sim.runConsole('kind-worker', 'ip route').out).toContain('10.244.3.0/24 via 172.18.0.5 dev eth0 \n')
    expect(sim.syncRecords('kind-worker3')[0].kind).toBe('full')
  })

  it('keeps a console history per Node and explains an unknown Node', () => {
    const sim = Simulation.create({ seed: 1 })
    sim.runConsole('kind-worker', 'iptables -N MINE')
    sim.runConsole('kind-worker2', 'iptables -L -n')
    expect(sim.host('kind-worker').history).toEqual(['iptables -N MINE'])
    expect(sim.runConsole('kind-worker', 'history').out).toContain('iptables -N MINE')
    expect(() => sim.host('nope')).toThrow('no node named "nope" (nodes: kind-control-plane, kind-worker, kind-worker2)')
  })

  it('an empty simulation has no Nodes until some are applied', () => {
    const sim = Simulation.create({ seed: 1, empty: true })
    expect(sim.nodeNames()).toEqual([])
  })
})

describe('Simulation time', () => {
  it('advanceTime moves the Nodes\' clocks: conntrack entries time out and session affinity expires', () => {
    const sim = journeySimulation()
    sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 })
    expect(sim.runConsole('kind-worker', 'conntrack -L').out).toMatch(/^tcp +6 \d+ SYN_RECV .*dport=80/m)
    const stuck = sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 })
    expect(stuck.hops.some((h) => h.kind === 'rule' && h.matched && h.text.includes('--rcheck'))).toBe(true)
    // SYN_RECV lasts 60 s; ClientIP affinity 10800 s.
    sim.advanceTime(120)
    expect(sim.runConsole('kind-worker', 'conntrack -L').out).not.toContain('dport=80')
    sim.advanceTime(10_800)
    const fresh = sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 })
    expect(fresh.hops.some((h) => h.kind === 'rule' && h.matched && h.text.includes('--rcheck'))).toBe(false)
    expect(fresh.hops.some((h) => h.kind === 'rule' && h.matched && h.text.includes('--set'))).toBe(true)
  })
})

describe('Simulation determinism and clone()', () => {
  it('the same seed and actions give the same journeys', () => {
    const run = () => {
      const sim = journeySimulation(11)
      return Array.from({ length: 10 }, () => {
        const j = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
        return [j.sport, j.reachedPod, j.hops.length]
      })
    }
    expect(run()).toEqual(run())
  })

  it('a clone has the same rules, counters, conntrack and affinity state, and goes its own way afterwards', () => {
    const sim = journeySimulation(5)
    sim.runConsole('kind-worker', 'iptables -A INPUT -s 192.0.2.1 -j DROP')
    // kubelet's rule removed by hand stays removed in the copy (the copy's kube-proxy does not set up again).
    sim.runConsole('kind-worker2', 'iptables -D INPUT -j KUBE-FIREWALL')
    sim.sendMany({ from: 'client', to: 'nginx-service', port: 80 }, 20)
    const sticky = sim.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 })
    const copy = sim.clone()
    for (const n of sim.nodeNames()) {
      expect(copy.iptablesSave(n, { counters: true })).toBe(sim.iptablesSave(n, { counters: true }))
      expect(copy.runConsole(n, 'conntrack -L').out).toBe(sim.runConsole(n, 'conntrack -L').out)
      expect(copy.host(n).history).toEqual(sim.host(n).history)
      expect(copy.syncRecords(n)).toEqual(sim.syncRecords(n))
    }
    expect(copy.iptablesSave('kind-worker2')).not.toContain('-A INPUT -j KUBE-FIREWALL')
    // The same next journey on both (the packet stream and the hosts' generators are in the same place) ...
    const a = sim.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    const b = copy.sendJourney({ from: 'client', to: 'nginx-service', port: 80 })
    expect([b.sport, b.reachedPod]).toEqual([a.sport, a.reachedPod])
    expect(copy.sendJourney({ from: 'client', to: 'nginx-sticky', port: 80 }).reachedPod).toBe(sticky.reachedPod)
    // A journey that cannot start changes nothing and does not upset later clones.
    expect(() => sim.sendJourney({ from: 'nobody', to: 'nginx-service', port: 80 })).toThrow('unknown source')
    expect(sim.clone().iptablesSave('kind-worker', { counters: true })).toBe(sim.iptablesSave('kind-worker', { counters: true }))
    // ... and changing the copy leaves the original alone; the copy's kube-proxies go on with partial syncs.
    copy.cluster.scaleDeployment('default', 'nginx-deployment', 5)
    for (const n of copy.nodeNames()) {
      // (every Service of the test scenario selects the nginx Pods)
      expect(copy.syncRecords(n).at(-1)).toMatchObject({ kind: 'partial', services: expect.arrayContaining(['default/nginx-service', 'default/nginx-sticky']) })
      expect(copy.syncRecords(n)).toHaveLength(sim.syncRecords(n).length + 1)
    }
    copy.runConsole('kind-worker', 'iptables -F INPUT')
    expect(sim.snapshot().pods.filter((p) => p.metadata.labels?.app === 'nginx')).toHaveLength(2)
    expect(sim.iptablesSave('kind-worker')).toContain('-A INPUT -s 192.0.2.1/32 -j DROP')
  })
})
