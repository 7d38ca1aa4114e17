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
