import { describe, expect, it } from 'vitest'
import type { Journey, JourneyHop } from '../engine/journeys/journey.ts'
import { clampStep, endpointKinds, tableLabel, lastCompareStep, paneHopIndex, pendingPoints, pickMode, rulesByChain, rulesEvaluated, seriesOf, type ComparePane } from './compare.ts'

/** A hop with only what the compare view reads (the rest of JourneyHop does not matter here). */
function hop(leg: JourneyHop['leg'], kind: JourneyHop['kind'], chain: string | null = null, node = 'kind-worker', table: JourneyHop['table'] = 'nat'): JourneyHop {
  return { leg, kind, chain, node, table } as JourneyHop
}

function journey(hops: JourneyHop[]): Journey {
  return { hops } as Journey
}

describe('rules evaluated per packet', () => {
  const j = journey([
    hop('request', 'event'),
    hop('request', 'rule', 'PREROUTING'),
    hop('request', 'rule', 'KUBE-SERVICES'),
    hop('request', 'rule', 'KUBE-SERVICES'),
    hop('request', 'return', 'KUBE-SERVICES'),
    hop('request', 'policy', 'PREROUTING'),
    hop('request', 'rule', 'KUBE-SERVICES', 'kind-worker2'),
    hop('reply', 'rule', 'OUTPUT'),
  ])

  it('counts the request\'s rules, matched or not, and not policies, returns, events or the reply', () => {
    expect(rulesEvaluated(j)).toBe(4)
  })

  it('groups consecutive rules of one chain on one Node', () => {
    expect(rulesByChain(j)).toEqual([
      { node: 'kind-worker', table: 'nat', chain: 'PREROUTING', rules: 1 },
      { node: 'kind-worker', table: 'nat', chain: 'KUBE-SERVICES', rules: 2 },
      { node: 'kind-worker2', table: 'nat', chain: 'KUBE-SERVICES', rules: 1 },
    ])
  })
})

describe('the shared step control', () => {
  const short: ComparePane = { mode: 'nftables', journey: journey([hop('request', 'event'), hop('request', 'deliver')]), error: null }
  const long: ComparePane = { mode: 'iptables', journey: journey(Array.from({ length: 5 }, () => hop('request', 'rule', 'X'))), error: null }
  const failed: ComparePane = { mode: 'ipvs', journey: null, error: 'no such Pod' }

  it('reaches the longer journey\'s last hop; the shorter one waits on its own last hop', () => {
    expect(lastCompareStep([short, long])).toBe(4)
    expect(paneHopIndex(short, 3)).toBe(1)
    expect(paneHopIndex(long, 3)).toBe(3)
    expect(paneHopIndex(failed, 3)).toBeNull()
  })

  it('keeps the step within the journeys', () => {
    expect(clampStep([short, long], 9)).toBe(4)
    expect(clampStep([short, long], -1)).toBe(0)
    expect(clampStep([failed], 2)).toBe(0)
  })
})

describe('picking the two modes', () => {
  it('sets one side, and swaps when the other side already shows that mode', () => {
    expect(pickMode(['iptables', 'nftables'], 1, 'ipvs')).toEqual(['iptables', 'ipvs'])
    expect(pickMode(['iptables', 'nftables'], 0, 'nftables')).toEqual(['nftables', 'iptables'])
  })
})

describe('the chart\'s points', () => {
  it('measures the small sizes of every mode before any large one', () => {
    const pending = pendingPoints([{ mode: 'iptables', services: 10, rules: 12 }])
    expect(pending.slice(0, 2)).toEqual([{ mode: 'ipvs', services: 10 }, { mode: 'nftables', services: 10 }])
    expect(pending.at(-1)).toEqual({ mode: 'nftables', services: 10000 })
    expect(pending).toHaveLength(11)
  })

  it('orders a series by the number of Services', () => {
    const points = [{ mode: 'ipvs' as const, services: 100, rules: 9 }, { mode: 'ipvs' as const, services: 10, rules: 9 }, { mode: 'iptables' as const, services: 10, rules: 14 }]
    expect(seriesOf(points, 'ipvs').map((p) => p.services)).toEqual([10, 100])
  })
})

describe('naming where a rule lives', () => {
  it('names nft rules by their table from the trace, IPVS steps as IPVS, iptables rules by their table', () => {
    const nft = { ...hop('request', 'rule', 'services'), kernelTrace: 'trace id f281be04 ip kube-proxy services rule ip daddr . meta l4proto . th dport vmap @service-ips (verdict goto x)' }
    expect(tableLabel(nft)).toBe('ip kube-proxy')
    expect(tableLabel(hop('request', 'rule', 'ip_vs_local_request4'))).toBe('IPVS')
    expect(tableLabel({ ...hop('request', 'rule', 'KUBE-SERVICES'), kernelTrace: 'TRACE: 2 f281be04 nat:KUBE-SERVICES:rule:1' })).toBe('nat')
  })
})

describe('the kind of endpoint each mode reaches', () => {
  const reaching = (mode: ComparePane['mode'], reached: Journey['reached'], verdict: Journey['verdict'] = 'delivered'): ComparePane =>
    ({ mode, journey: { hops: [], reached, verdict } as unknown as Journey, error: null })

  it('is the same when both packets reach a Pod, even different Pods', () => {
    const pod = (name: string) => ({ kind: 'pod', namespace: 'default', name, node: 'kind-worker', ip: '10.244.1.2' }) as unknown as Journey['reached']
    expect(endpointKinds([reaching('iptables', pod('a')), reaching('ipvs', pod('b'))])).toEqual({ same: true, kinds: ['pod', 'pod'] })
  })

  it('differs when one mode drops what the other delivers', () => {
    const pod = { kind: 'pod' } as unknown as Journey['reached']
    expect(endpointKinds([reaching('iptables', pod), reaching('nftables', null, 'dropped')]).same).toBe(false)
  })
})
