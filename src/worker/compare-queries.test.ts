import { describe, expect, it } from 'vitest'
import nginx from '../../scenarios/nginx-clusterip.yaml?raw'
import { Simulation } from '../engine/simulation/simulation.ts'
import { rulesEvaluated } from '../state/compare.ts'
import { cloneInMode, compareModes, scalingCache } from './compare-queries.ts'
import { modeManifest } from './compare-protocol.ts'

function nginxCluster(): Simulation {
  const sim = Simulation.create({ seed: 1 })
  expect(sim.apply(nginx).ok).toBe(true)
  return sim
}

const toNginx = { from: 'kind-control-plane', to: 'default/nginx-service', port: 80, proto: 'tcp' as const }

describe('comparing kube-proxy modes on copies of the cluster', () => {
  it('sends the same packet under each mode and reaches an nginx Pod in every one', () => {
    const results = compareModes(nginxCluster(), ['iptables', 'ipvs', 'nftables'], toNginx)
    expect(results.map((r) => r.mode)).toEqual(['iptables', 'ipvs', 'nftables'])
    for (const r of results) {
      expect(r.error).toBeNull()
      expect(r.journey?.verdict).toBe('delivered')
      expect(r.journey?.reachedPod).toMatch(/^nginx-deployment-/)
    }
  })

  it('traces each mode through its own rules: KUBE-SVC- chains, the IPVS scheduler, nft verdict maps', () => {
    const [ipt, ipvs, nft] = compareModes(nginxCluster(), ['iptables', 'ipvs', 'nftables'], toNginx)
    const texts = (r: typeof ipt) => r.journey!.hops.filter((h) => h.leg === 'request').map((h) => `${h.chain ?? ''} ${h.text}`).join('\n')
    expect(texts(ipt)).toMatch(/-A KUBE-SVC-\S+ .*-j KUBE-SEP-/)
    expect(texts(ipvs)).toMatch(/--match-set KUBE-CLUSTER-IP dst,dst/)
    expect(texts(ipvs)).toMatch(/IPVS: TCP 10\.96\.\d+\.\d+:80 \(rr\)/)
    expect(texts(nft)).toMatch(/vmap @service-ips/)
    // The map lookups replace the walk down KUBE-SERVICES: fewer rules for the same packet.
    expect(rulesEvaluated(nft.journey!)).toBeLessThan(rulesEvaluated(ipt.journey!))
  })

  it('leaves the cluster it copies in its own mode, with no packet sent', () => {
    const sim = nginxCluster()
    const before = sim.iptablesSave('kind-worker', { counters: true })
    compareModes(sim, ['ipvs', 'nftables'], toNginx)
    expect(sim.snapshot().kubeProxyConfig.mode).toBe('iptables')
    expect(sim.iptablesSave('kind-worker', { counters: true })).toBe(before)
    expect(cloneInMode(sim, 'ipvs').snapshot().kubeProxyConfig.mode).toBe('ipvs')
  })

  it('reports a packet that cannot be sent as that mode\'s error, not a failure of the whole comparison', () => {
    const results = compareModes(nginxCluster(), ['iptables', 'nftables'], { ...toNginx, from: 'default/no-such-pod' })
    expect(results.every((r) => r.journey === null && /no-such-pod/.test(r.error ?? ''))).toBe(true)
  })

  it('switches the mode with a manifest that sets only the mode (the rest of the configuration stays)', () => {
    const sim = nginxCluster()
    expect(sim.apply(`apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nipvs: {scheduler: lc}\n`).ok).toBe(true)
    expect(sim.apply(modeManifest('ipvs')).ok).toBe(true)
    expect(sim.snapshot().kubeProxyConfig).toMatchObject({ mode: 'ipvs', ipvs: { scheduler: 'lc' } })
  })
})

describe('the chart\'s measurement cache', () => {
  it('measures each mode and size once and refuses a count that is not a positive integer', () => {
    const asked: string[] = []
    const cached = scalingCache<number>((mode, services) => { asked.push(`${mode}/${services}`); return mode.length * services })
    expect(cached('ipvs', 10)).toBe(40)
    expect(cached('ipvs', 10)).toBe(40)
    expect(cached('nftables', 10)).toBe(80)
    expect(asked).toEqual(['ipvs/10', 'nftables/10'])
    expect(() => cached('ipvs', 0)).toThrow(/positive integer/)
  })
})
