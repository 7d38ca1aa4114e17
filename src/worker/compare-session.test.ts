import { describe, expect, it } from 'vitest'
import nginx from '../../scenarios/nginx-clusterip.yaml?raw'
import { createInProcessEngineClient } from './in-process-client.ts'
import type { Scenario } from './operations.ts'

const scenario: Scenario = { seed: 1, operations: [{ type: 'apply', yaml: nginx }] }

describe('the compare messages through the engine client', () => {
  it('answers with one journey per mode and leaves the scenario\'s cluster as it was', async () => {
    const client = createInProcessEngineClient()
    const before = await client.replay(scenario)
    const answer = await client.compare({ type: 'compareModes', scenario, modes: ['iptables', 'nftables'], packet: { from: 'kind-worker', to: 'default/nginx-service', port: 80, proto: 'tcp' } })
    expect(answer.results.map((r) => [r.mode, r.journey?.verdict])).toEqual([['iptables', 'delivered'], ['nftables', 'delivered']])
    const after = await client.replay(scenario)
    expect(after.snapshot.kubeProxyConfig.mode).toBe('iptables')
    expect(after).toEqual(before)
  })
})

describe('the rules-per-packet chart through the engine client', () => {
  it('measures a packet to a Service among N: iptables mode grows with N, IPVS and nftables do not', async () => {
    const client = createInProcessEngineClient()
    const rules = async (mode: 'iptables' | 'ipvs' | 'nftables', services: number) =>
      (await client.compare({ type: 'rulesScaling', mode, services })).measured.total
    const iptables = [await rules('iptables', 10), await rules('iptables', 100)]
    expect(iptables[1]).toBeGreaterThan(iptables[0] + 40)
    expect(await rules('ipvs', 100)).toBe(await rules('ipvs', 10))
    expect(await rules('nftables', 100)).toBe(await rules('nftables', 10))
    expect(await rules('nftables', 100)).toBeLessThan(iptables[1])
  })

  it('refuses a count of Services that is not a positive integer', async () => {
    await expect(createInProcessEngineClient().compare({ type: 'rulesScaling', mode: 'iptables', services: 0 })).rejects.toThrow(/positive integer/)
  })
})
