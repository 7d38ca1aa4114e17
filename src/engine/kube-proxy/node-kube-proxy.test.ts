/**
 * The per-node kube-proxy behind one interface: the mode comes from the KubeProxyConfiguration, a mode
 * change cleans up the old mode as `kube-proxy --cleanup` does and the new mode programs the host with a
 * full sync; the node console answers each mode's tools.
 */
import { describe, expect, it } from 'vitest'
import { Simulation } from '../simulation/simulation.ts'
import { freshNode } from '../host/host.ts'
import { runConsoleLine } from '../host/console.ts'
import { runIptables, runIptablesSave } from '../netfilter/iptables-command.ts'
import type { ProxyMode } from './proxy-modes.ts'
import { cleanupIptables } from './node-iptables/cleanup.ts'
import { SYNC_HISTORY_LIMIT } from './sync-record.ts'
import { COMPARE_SERVICE_COUNTS, measureRulesPerPacket, rulesEvaluatedPerPacket } from './compare.ts'

const config = (mode: ProxyMode) => `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${mode}\nclusterCIDR: 10.244.0.0/16\n`

function nginxSim(): Simulation {
  const sim = Simulation.create({ seed: 1 })
  const ok = sim.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 80}]}
`)
  expect(ok.ok).toBe(true)
  return sim
}

const clusterIP = (sim: Simulation) => sim.snapshot().services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!

describe('switching kube-proxy mode on a running cluster', () => {
  it('iptables → IPVS: kube-proxy\'s iptables chains go, kubelet\'s stay; kube-ipvs0, ipsets and virtual servers appear', () => {
    const sim = nginxSim()
    const ip = clusterIP(sim)
    expect(sim.iptablesSave('kind-worker')).toMatch(/^:KUBE-SVC-/m)
    expect(sim.apply(config('ipvs')).ok).toBe(true)
    const save = sim.iptablesSave('kind-worker')
    expect(save).not.toMatch(/KUBE-SVC-|KUBE-SEP-|KUBE-EXTERNAL-SERVICES|KUBE-NODEPORTS/)
    expect(save).toMatch(/^:KUBE-FIREWALL - /m)
    expect(save).toMatch(/^:KUBE-KUBELET-CANARY - /m)
    expect(save).toMatch(/^-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN$/m)
    const addr = sim.runConsole('kind-worker', 'ip addr show kube-ipvs0')
    expect(addr.out).toMatch(/^\d+: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default qlen 1000$/m)
    expect(addr.out).toContain(`    inet ${ip}/32 scope global kube-ipvs0\n`)
    const all = sim.runConsole('kind-worker', 'ip addr').out
    expect(all).toContain(addr.out)
    expect(all).toMatch(/^1: lo: /)
    expect(all).toMatch(/^\d+: eth0[:@]/m)
    const ipvs = sim.runConsole('kind-worker', 'ipvsadm -Ln')
    expect(ipvs.rc).toBe(0)
    expect(ipvs.out).toMatch(new RegExp(`^TCP  ${ip.replace(/\./g, '\\.')}:80 rr\\s*$`, 'm'))
    for (const pod of sim.snapshot().pods.filter((p) => p.metadata.labels?.app === 'web')) {
      expect(ipvs.out).toContain(`  -> ${pod.status.podIP}:80`)
    }
    const sets = sim.runConsole('kind-worker', 'ipset list KUBE-CLUSTER-IP')
    expect(sets.out).toMatch(/^Name: KUBE-CLUSTER-IP\nType: hash:ip,port\n/)
    expect(sets.out).toContain(`${ip},tcp:80`)
    expect(sim.kubeProxy('kind-worker').history.at(-1)).toMatchObject({ mode: 'ipvs', reason: 'mode changed from iptables to ipvs' })
  })

  it('IPVS → nftables: virtual servers, kube-ipvs0, ipsets and IPVS-mode chains are removed; the ip kube-proxy table is listed', () => {
    const sim = nginxSim()
    sim.apply(config('ipvs'))
    expect(sim.apply(config('nftables')).ok).toBe(true)
    expect(sim.host('kind-worker').interfaces.some((i) => i.name === 'kube-ipvs0')).toBe(false)
    expect(sim.iptablesSave('kind-worker')).not.toMatch(/KUBE-IPVS-FILTER|KUBE-SERVICES|match-set/)
    expect(sim.host('kind-worker').ipsets.get('KUBE-CLUSTER-IP') !== undefined).toBe(false)
    expect(sim.runConsole('kind-worker', 'ipvsadm -Ln').rc).toBe(127)
    const table = sim.runConsole('kind-worker', 'nft list table ip kube-proxy')
    expect(table.rc).toBe(0)
    expect(table.out).toMatch(/^table ip kube-proxy \{\n\tcomment "rules for kube-proxy"\n/)
    expect(table.out).toContain(`${clusterIP(sim)} . tcp . 80 : goto service-`)
    expect(sim.runConsole('kind-worker', 'nft list ruleset').out).toBe(table.out)
    expect(sim.kubeProxy('kind-worker').chainsOf('default/web').some((c) => c.startsWith('service-'))).toBe(true)
  })

  it('nftables → iptables: the table is deleted (nft says so, as the real one does) and KUBE-SERVICES is back', () => {
    const sim = nginxSim()
    sim.apply(config('nftables'))
    sim.apply(config('iptables'))
    const r = sim.runConsole('kind-worker', 'nft list table ip kube-proxy')
    expect(r).toEqual({ rc: 1, out: '', err: 'Error: No such file or directory\nlist table ip kube-proxy\n              ^^^^^^^^^^\n' })
    expect(sim.runConsole('kind-worker', 'nft list ruleset').out).toBe('')
    expect(sim.iptablesSave('kind-worker')).toMatch(/^-A KUBE-SERVICES .* -j KUBE-SVC-/m)
    const kinds = sim.kubeProxy('kind-worker').history.map((r) => r.mode)
    expect(kinds.slice(0, 1)).toEqual(['iptables'])
    expect(kinds).toContain('nftables')
    expect(sim.kubeProxy('kind-worker').history.at(-1)).toMatchObject({ mode: 'iptables', kind: 'full' })
  })

  it('a copy of the simulation keeps the mode, its rules and its IPVS connections', () => {
    const sim = nginxSim()
    sim.apply(config('ipvs'))
    const j = sim.sendJourney({ from: 'kind-worker', to: 'web', port: 80 })
    expect(j.verdict).toBe('delivered')
    const copy = sim.clone()
    expect(copy.kubeProxy('kind-worker').mode).toBe('ipvs')
    expect(copy.runConsole('kind-worker', 'ipvsadm -Lnc').out).toBe(sim.runConsole('kind-worker', 'ipvsadm -Lnc').out)
    const next = copy.sendJourney({ from: 'kind-worker', to: 'web', port: 80, sport: j.sport, packet: 'next' })
    expect(next.reachedPod).toBe(j.reachedPod)
  })
})

describe('the sync history of a node', () => {
  it('keeps the last SYNC_HISTORY_LIMIT syncs, numbered on across a mode switch', () => {
    const sim = nginxSim()
    const proxy = sim.kubeProxy('kind-worker')
    const before = proxy.history.at(-1)!.seq
    for (let i = 0; i < SYNC_HISTORY_LIMIT; i++) proxy.sync(i)
    expect(sim.apply(config('nftables')).ok).toBe(true)
    const seqs = proxy.history.map((r) => r.seq)
    expect(seqs).toHaveLength(SYNC_HISTORY_LIMIT)
    expect(seqs.at(-1)).toBe(before + SYNC_HISTORY_LIMIT + 1)
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1)).toBe(true)
    expect(proxy.history.at(-1)).toMatchObject({ mode: 'nftables', reason: 'mode changed from iptables to nftables' })
  })
})

describe('kube-proxy --cleanup of iptables', () => {
  it('deletes the jump rules and KUBE-* chains kube-proxy wrote, keeps kubelet\'s chains and anyone else\'s rules', () => {
    const host = freshNode()
    const ipt = (...a: string[]) => expect(runIptables(host.ruleset, a).rc).toBe(0)
    ipt('-t', 'nat', '-N', 'KUBE-SERVICES')
    ipt('-t', 'nat', '-A', 'PREROUTING', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES')
    ipt('-t', 'nat', '-N', 'KUBE-SVC-ABC')
    ipt('-t', 'nat', '-A', 'KUBE-SERVICES', '-j', 'KUBE-SVC-ABC')
    ipt('-t', 'filter', '-N', 'KUBE-FIREWALL')
    ipt('-t', 'filter', '-A', 'INPUT', '-j', 'KUBE-FIREWALL')
    ipt('-t', 'filter', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT')
    expect(cleanupIptables(host.ruleset)).toBe(2)
    const save = runIptablesSave(host.ruleset, []).out
    expect(save).not.toMatch(/KUBE-SERVICES|KUBE-SVC-ABC/)
    expect(save).toContain('-A INPUT -j KUBE-FIREWALL')
    expect(save).toContain('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT')
  })
})

describe('the console in each mode', () => {
  it('iptables mode: nft lists an empty ruleset (with a note), ipvsadm is not installed', () => {
    const sim = nginxSim()
    const r = sim.runConsole('kind-worker', 'nft list ruleset')
    expect(r.rc).toBe(0)
    expect(r.out).toBe('')
    expect(r.err).toContain('iptables mode')
    expect(runConsoleLine(sim.host('kind-worker'), 'ipvsadm -Ln').rc).toBe(127)
  })

  it('IPVS mode: ipvsadm --stats and -c follow a connection', () => {
    const sim = nginxSim()
    sim.apply(config('ipvs'))
    const ip = clusterIP(sim)
    const j = sim.sendJourney({ from: 'kind-worker', to: 'web', port: 80 })
    expect(j.verdict).toBe('delivered')
    const conns = sim.runConsole('kind-worker', 'ipvsadm -Lnc')
    expect(conns.out).toMatch(new RegExp(`^TCP\\s+\\d\\d:\\d\\d\\s+SYN_RECV\\s+${ip.replace(/\./g, '\\.')}:\\d+\\s+${ip.replace(/\./g, '\\.')}:80\\s+10\\.244\\.\\d+\\.\\d+:80$`, 'm'))
    const stats = sim.runConsole('kind-worker', 'ipvsadm -Ln --stats')
    expect(stats.out).toMatch(new RegExp(`^TCP  ${ip.replace(/\./g, '\\.')}:80\\s+1\\s+`, 'm'))
  })
})

describe('rules evaluated per packet (the compare chart)', () => {
  it('iptables mode grows with the number of Services; IPVS and nftables modes stay flat; every packet reaches its endpoint', () => {
    expect(COMPARE_SERVICE_COUNTS).toEqual([10, 100, 1000, 10000])
    const at = (mode: ProxyMode, n: number) => measureRulesPerPacket(mode, n)
    const ipt10 = at('iptables', 10)
    const ipt100 = at('iptables', 100)
    expect(ipt100.total - ipt10.total).toBeGreaterThan(40)
    for (const mode of ['ipvs', 'nftables'] as const) {
      const small = at(mode, 10)
      const big = at(mode, 100)
      expect(big.total).toBe(small.total)
      expect(big.verdict).toBe('delivered')
    }
    expect(at('ipvs', 100)).toMatchObject({ ipvsLookups: 1, nftablesRules: 0 })
    expect(at('nftables', 100)).toMatchObject({ iptablesRules: 0, ipvsLookups: 0 })
    expect(ipt100).toMatchObject({ verdict: 'delivered', reached: '10.244.1.52:8080' })
    expect(rulesEvaluatedPerPacket('iptables', 100)).toBe(ipt100.total)
  })
})
