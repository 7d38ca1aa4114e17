/**
 * kube-proxy keeping a node in step with the cluster: a full sync first, then partial syncs that rewrite only
 * the Services that changed, with a diff of iptables-save lines per sync.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Cluster } from '../../../cluster/cluster.ts'
import { KubeProxy, parseGoDuration } from './proxier.ts'
import { Ruleset } from '../../../netfilter/ruleset.ts'
import { runIptables, runIptablesSave } from '../../../netfilter/iptables-command.ts'

const nginx = readFileSync(join(import.meta.dirname, '..', '..', '..', '..', '..', 'scenarios', 'nginx-clusterip.yaml'), 'utf8')

function setup(options: ConstructorParameters<typeof KubeProxy>[2] = {}) {
  const cluster = Cluster.createDefault()
  const outcome = cluster.apply(nginx)
  if (!outcome.ok) throw new Error('nginx scenario does not apply')
  const snapshot = cluster.snapshot()
  const proxies = snapshot.nodes.map((n) => {
    const p = new KubeProxy(n.metadata.name, snapshot.kubeProxyConfig, options)
    p.loadSnapshot(snapshot)
    return p
  })
  let seq = cluster.watchEvents().at(-1)?.seq ?? 0
  const deliver = () => {
    const events = cluster.watchEvents(seq)
    seq = events.at(-1)?.seq ?? seq
    for (const p of proxies) p.observe(events)
  }
  return { cluster, proxies, deliver }
}

const sepChainsAdded = (diff: { op: string; line: string }[]) =>
  diff.filter((d) => d.op === '+' && /^:KUBE-SEP-/.test(d.line)).map((d) => d.line)

describe('KubeProxy', () => {
  it('starts with a full sync that writes every Service and ensures the jump rules', () => {
    const { proxies } = setup()
    for (const p of proxies) {
      const r = p.sync(0)
      expect(r.kind).toBe('full')
      expect(r.reason).toBe('first sync')
      expect(r.error).toBeUndefined()
      expect(r.services).toContain('default/nginx-service')
      expect(r.diff.some((d) => d.line === '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES')).toBe(true)
      expect(p.iptablesSave()).toContain('-A KUBE-SERVICES -d ')
    }
  })

  it('scaling the nginx Deployment adds a KUBE-SEP chain on every node in a partial sync', () => {
    const { cluster, proxies, deliver } = setup()
    for (const p of proxies) p.sync(0)
    cluster.scaleDeployment('default', 'nginx-deployment', 3)
    deliver()
    for (const p of proxies) {
      const r = p.sync(1000)
      expect(r.kind).toBe('partial')
      expect(r.services).toEqual(['default/nginx-service'])
      expect(sepChainsAdded(r.diff)).toHaveLength(1)
      // The Service chain now spreads over three endpoints: 1/3 then 1/2.
      expect(r.diff.some((d) => d.op === '+' && d.line.includes('--probability 0.33333333349'))).toBe(true)
      expect(r.totalRules).toBeGreaterThan(r.rulesWritten)
      expect(r.durationMs).toBeGreaterThanOrEqual(0)
    }
    // Nothing changed since: the next sync rewrites no Service chain and changes nothing.
    const again = proxies[0].sync(2000)
    expect(again.services).toEqual([])
    expect(again.diff).toEqual([])
  })

  it('scaling down removes the endpoint chain: flushed and deleted (-X)', () => {
    const { cluster, proxies, deliver } = setup()
    for (const p of proxies) p.sync(0)
    cluster.scaleDeployment('default', 'nginx-deployment', 1)
    deliver()
    const r = proxies[0].sync(1000)
    expect(r.kind).toBe('partial')
    expect(r.deletedChains).toHaveLength(1)
    expect(r.payload).toContain(`-X ${r.deletedChains[0]}`)
    expect(r.diff).toContainEqual(expect.objectContaining({ op: '-', line: `:${r.deletedChains[0]} - [0:0]` }))
    expect(proxies[0].iptablesSave()).not.toContain(r.deletedChains[0])
  })

  it('a Pod becoming unready takes its endpoint out of the Service chain', () => {
    const { cluster, proxies, deliver } = setup()
    proxies[0].sync(0)
    const pod = cluster.snapshot().pods.find((p) => p.metadata.labels?.app === 'nginx')!
    cluster.setPodReady('default', pod.metadata.name, false)
    deliver()
    const r = proxies[0].sync(1000)
    expect(r.kind).toBe('partial')
    expect(r.services).toEqual(['default/nginx-service'])
    expect(proxies[0].iptablesSave()).not.toContain(`--to-destination ${pod.status.podIP}:80`)
  })

  it('does a full sync once FullSyncPeriod (1 h) has passed, and every N syncs when asked', () => {
    const { proxies } = setup({ fullSyncEvery: 3 })
    const p = proxies[0]
    expect(p.sync(0).kind).toBe('full')
    expect(p.sync(1000).kind).toBe('partial')
    expect(p.sync(2000).reason).toBe('every 3 syncs')
    expect(p.sync(3000).kind).toBe('partial')
    // The last full sync was the one at t=2000.
    expect(p.sync(3_600_000 + 1999).kind).toBe('partial')
    expect(p.sync(3_600_000 + 2000).reason).toBe('FullSyncPeriod elapsed')
  })

  it('a changed KubeProxyConfiguration and a change of the node labels force a full sync', () => {
    const { cluster, proxies } = setup()
    const p = proxies[0]
    p.sync(0)
    const config = cluster.snapshot().kubeProxyConfig
    p.setConfig({ ...config, iptables: { ...config.iptables, masqueradeAll: true } })
    const r = p.sync(1000)
    expect(r.reason).toBe('configuration changed')
    expect(r.diff.some((d) => d.op === '+' && /-A KUBE-SVC-\S+ -d \S+ -p tcp .*-j KUBE-MARK-MASQ/.test(d.line))).toBe(true)
    const node = cluster.snapshot().nodes.find((n) => n.metadata.name === p.nodeName)!
    p.observe([{ seq: 1, type: 'MODIFIED', kind: 'Node', object: { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, zone: 'b' } } }, oldObject: node }])
    expect(p.sync(2000).reason).toBe('node labels changed')
  })

  it('takes the cluster clock and names the chains each Service owns on the node', () => {
    const { cluster, proxies } = setup()
    const r = proxies[0].sync(cluster.now())
    expect(r.at).toBe(cluster.now())
    expect(r.time).toBe(Date.parse(cluster.now()))
    const chains = proxies[0].chainsOf('default/nginx-service')
    expect(chains).toContain('KUBE-SVC-V2OKYYMBY3REGZOG')
    expect(chains.filter((c) => c.startsWith('KUBE-SEP-'))).toHaveLength(2)
    expect(proxies[0].lastResult()?.payload).toBe(r.payload)
    expect(() => proxies[0].sync('yesterday')).toThrow(/not a time/)
  })

  it('numbers its syncs 1, 2, 3, …', () => {
    const p = setup().proxies[0]
    expect([p.sync(0), p.sync(1), p.sync(2)].map((r) => r.seq)).toEqual([1, 2, 3])
  })
})

describe('KubeProxy on a netfilter Ruleset', () => {
  it('programs the ruleset, and after someone flushes the tables restores everything with a full sync', () => {
    const { cluster } = setup()
    const snapshot = cluster.snapshot()
    const ruleset = Ruleset.create()
    const p = new KubeProxy('kind-worker', snapshot.kubeProxyConfig, { ruleset })
    p.loadSnapshot(snapshot)
    expect(p.sync(0).kind).toBe('full')
    const programmed = runIptablesSave(ruleset, []).out
    expect(programmed).toContain('-A KUBE-SERVICES -d ')
    expect(p.sync(1000).kind).toBe('partial')

    for (const t of ['filter', 'nat', 'mangle']) {
      expect(runIptables(ruleset, ['-t', t, '-F']).rc).toBe(0)
      expect(runIptables(ruleset, ['-t', t, '-X']).rc).toBe(0)
    }
    const r = p.sync(2000)
    expect(r.kind).toBe('full')
    expect(r.reason).toBe('canary chain vanished (iptables flushed)')
    expect(r.diff.filter((d) => d.op === '+').length).toBeGreaterThan(20)
    expect(runIptablesSave(ruleset, []).out).toBe(programmed)
  })
})

describe('parseGoDuration (KubeProxyConfiguration durations)', () => {
  it('reads the forms Go prints and accepts', () => {
    expect(parseGoDuration('30s')).toBe(30_000)
    expect(parseGoDuration('1m0s')).toBe(60_000)
    expect(parseGoDuration('1h30m')).toBe(5_400_000)
    expect(parseGoDuration('500ms')).toBe(500)
    expect(parseGoDuration('1.5s')).toBe(1500)
    expect(parseGoDuration('0')).toBe(0)
    expect(parseGoDuration('ten seconds')).toBeUndefined()
    expect(parseGoDuration(undefined)).toBeUndefined()
  })
})
