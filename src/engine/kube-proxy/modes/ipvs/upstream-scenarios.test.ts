/**
 * Upstream's IPVS proxier tests (see upstream-scenarios.ts), each compiled with compileIpvs under
 * NewFakeProxier's environment and checked the way upstream checks it.
 */
import { describe, expect, it } from 'vitest'
import { snapshotFromManifests } from '../../raw-snapshot.ts'
import { compileIpvs } from './compile.ts'
import type { IpvsCompileResult } from './compile.ts'
import { IPVS_SCENARIOS } from './upstream-scenarios.ts'
import type { ChainRuleExpectation } from './upstream-scenarios.ts'
import type { PayloadRule } from '../../node-iptables/payload.ts'

function rulesOf(result: IpvsCompileResult, chain: string): PayloadRule[] {
  return [...result.tables.nat.rules, ...result.tables.filter.rules].filter((r) => r.chain === chain)
}

function matches(rule: PayloadRule, e: ChainRuleExpectation): boolean {
  const a = rule.args
  const target = a[a.indexOf('-j') + 1]
  if (target !== e.jump) return false
  if (e.matchSet !== undefined && a[a.indexOf('--match-set') + 1] !== e.matchSet) return false
  if (e.source !== undefined && a[a.indexOf('-s') + 1] !== e.source) return false
  return true
}

describe('upstream pkg/proxy/ipvs/proxier_test.go scenarios', () => {
  for (const s of IPVS_SCENARIOS) {
    it(`${s.test}: ${s.name}`, () => {
      const snapshot = snapshotFromManifests(s.manifests)
      const config = { ...snapshot.kubeProxyConfig, mode: 'ipvs' as const, clusterCIDR: '', nodePortAddresses: s.nodePortAddresses ?? [] }
      const result = compileIpvs(snapshot, 'test-node', config, { localAddresses: s.localAddresses, nodeIP: undefined, masqueradeMark: '0x4000' })
      const vss = new Map(result.virtualServers.map((v) => [`${v.protocol}/${v.address}:${v.port}`, v]))

      if (s.expect.ipvs) {
        const got = Object.fromEntries([...vss].map(([k, v]) => [k, {
          scheduler: v.scheduler, ...(v.timeout ? { timeout: v.timeout } : {}),
          realServers: v.realServers.map((r) => `${r.address}:${r.port}`),
        }]))
        expect(got).toEqual(s.expect.ipvs)
        for (const v of result.virtualServers) for (const r of v.realServers) expect(r.weight).toBe(1)
      }
      if (s.expect.vsCount !== undefined) expect(result.virtualServers).toHaveLength(s.expect.vsCount)
      if (s.expect.vs) {
        const v = vss.get(s.expect.vs.key)
        expect(v, `virtual server ${s.expect.vs.key}`).toBeDefined()
        expect(v!.realServers.map((r) => `${r.address}:${r.port}`)).toEqual(s.expect.vs.realServers)
      }
      if (s.expect.allTimeouts !== undefined) {
        for (const v of result.virtualServers) {
          expect(v.timeout).toBe(s.expect.allTimeouts)
          expect(v.flags & 1).toBe(1)
        }
      }
      for (const [set, entries] of Object.entries(s.expect.ipsets ?? {})) {
        expect([...result.ipsets.find((x) => x.name === set)!.entries].sort(), set).toEqual([...entries].sort())
      }
      for (const [chain, expected] of Object.entries(s.expect.chains ?? {})) {
        const rules = rulesOf(result, chain)
        // Upstream checks presence; we also require the listed order.
        let from = 0
        for (const e of expected) {
          const i = rules.findIndex((r, k) => k >= from && matches(r, e))
          expect(i, `${chain}: a rule -j ${e.jump}${e.matchSet ? ` matching ${e.matchSet}` : ''} after position ${from}\n${rules.map((r) => r.save).join('\n')}`).toBeGreaterThanOrEqual(0)
          from = i + 1
        }
      }
    })
  }

  it('reproduces at least 8 upstream tests', () => {
    expect(new Set(IPVS_SCENARIOS.map((s) => s.test)).size).toBeGreaterThanOrEqual(8)
  })
})
