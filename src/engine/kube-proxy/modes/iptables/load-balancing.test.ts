/**
 * The expected shares of iptables mode, read from a node's rules: the KUBE-SVC- chain's statistic cascade
 * gives rule i the probability p_i × Π(1 − p_j) of the rules before it, with the kernel's stored fractions;
 * a client on an affinity (`recent`) list goes to its endpoint every time. Reading changes nothing.
 */
import { describe, expect, it } from 'vitest'
import { freshNode } from '../../../host/host.ts'
import { runIptablesRestore } from '../../../netfilter/iptables-command.ts'
import type { Packet } from '../../../netfilter/types.ts'
import type { PathStep } from '../../backend.ts'
import { iptablesLoadBalancing } from './load-balancing.ts'

const RULES = [
  '*nat',
  ':KUBE-SVC-ABC - [0:0]', ':KUBE-SEP-A - [0:0]', ':KUBE-SEP-B - [0:0]', ':KUBE-SEP-C - [0:0]',
  '-A KUBE-SVC-ABC -m comment --comment "ns/web:http -> 10.0.0.1:80" -m recent --name KUBE-SEP-A --rcheck --seconds 10800 --reap -j KUBE-SEP-A',
  '-A KUBE-SVC-ABC -m comment --comment "ns/web:http -> 10.0.0.1:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A',
  '-A KUBE-SVC-ABC -m comment --comment "ns/web:http -> 10.0.0.2:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-B',
  '-A KUBE-SVC-ABC -m comment --comment "ns/web:http -> 10.0.0.3:80" -j KUBE-SEP-C',
  ...['A', 'B', 'C'].map((e, i) => `-A KUBE-SEP-${e} -p tcp -m recent --name KUBE-SEP-${e} --set -m tcp -j DNAT --to-destination 10.0.0.${i + 1}:80`),
  'COMMIT', '',
].join('\n')

const client: Packet = { src: '10.244.1.5', dst: '10.96.0.20', proto: 'tcp', sport: 40000, dport: 80, length: 60, ttl: 64, mark: 0 }
const step = (chain: string, verdict: string): PathStep => ({ hook: 'PREROUTING', table: 'nat', chain, verdict, packetBefore: client })

function node() {
  const host = freshNode('node')
  expect(runIptablesRestore(host.ruleset, RULES, ['--noflush']).err).toBe('')
  return host
}

describe('iptables mode\'s expected shares', () => {
  it('gives thirds to three endpoints of a statistic cascade, each endpoint once, by its DNAT address', () => {
    const lb = iptablesLoadBalancing(node(), step('KUBE-SVC-ABC', 'jump KUBE-SEP-B'))!
    expect(lb).toMatchObject({ where: 'nat KUBE-SVC-ABC', chain: 'KUBE-SVC-ABC', how: 'the statistic cascade' })
    expect(lb.shares.map((s) => s.endpoint)).toEqual(['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80'])
    for (const s of lb.shares) expect(s.share).toBeCloseTo(1 / 3, 6)
  })

  it('sends a client on an affinity list to its endpoint only, and leaves the list as it was', () => {
    const host = node()
    const list = new Map([['10.244.1.5', [host.now()]]])
    host.matchState.set('recent:KUBE-SEP-A', list)
    const lb = iptablesLoadBalancing(host, step('KUBE-SVC-ABC', 'jump KUBE-SEP-A'))!
    expect(lb.how).toBe('session affinity')
    expect(lb.shares).toEqual([{ endpoint: '10.0.0.1:80', share: 1 }, { endpoint: '10.0.0.2:80', share: 0 }, { endpoint: '10.0.0.3:80', share: 0 }])
    expect(host.matchState.get('recent:KUBE-SEP-A')).toBe(list)
  })

  it('says nothing of a step that is not a Service chain choosing an endpoint', () => {
    expect(iptablesLoadBalancing(node(), step('KUBE-SERVICES', 'jump KUBE-SVC-ABC'))).toBeUndefined()
    expect(iptablesLoadBalancing(node(), step('KUBE-SVC-NOPE', 'jump KUBE-SEP-A'))).toBeUndefined()
  })
})
