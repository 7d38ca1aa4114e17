import { describe, expect, it } from 'vitest'
import nginx from '../../scenarios/nginx-clusterip.yaml?raw'
import { EngineSession } from './engine-session.ts'
import type { Operation, Scenario } from './operations.ts'
import type { ClusterView, EngineResponse } from './protocol.ts'

const base: Scenario = { seed: 1, operations: [{ type: 'apply', yaml: nginx }] }
const scale = (replicas: number): Operation => ({ type: 'scale', namespace: 'default', name: 'nginx-deployment', replicas })

function replay(session: EngineSession, scenario: Scenario): ClusterView {
  const response: EngineResponse = session.handle({ type: 'replay', scenario })
  if (response.type !== 'replay') throw new Error('expected a replay response')
  return response.view
}

describe('EngineSession', () => {
  it('replays deterministically: a fresh session gives the same cluster for the same scenario', () => {
    expect(replay(new EngineSession(), base)).toEqual(replay(new EngineSession(), base))
  })

  it('gives the same cluster whether a scenario is replayed from scratch or grown one step at a time', () => {
    const grown = new EngineSession()
    replay(grown, base)
    const tried = grown.handle({ type: 'try', scenario: base, operation: scale(4) })
    expect(tried.type === 'try' && tried.result.ok).toBe(true)
    const longer = { ...base, operations: [...base.operations, scale(4)] }
    expect(replay(grown, longer)).toEqual(replay(new EngineSession(), longer))
  })

  it('answers a refused apply with manifest errors and leaves the cluster as it was', () => {
    const session = new EngineSession()
    const before = replay(session, base)
    const response = session.handle({ type: 'try', scenario: base, operation: { type: 'apply', yaml: 'kind: Service\napiVersion: v1\nmetadata: {}\n' } })
    expect(response.type).toBe('try')
    if (response.type !== 'try' || response.result.ok) throw new Error('expected a refusal')
    expect(response.result.errors.length).toBeGreaterThan(0)
    expect(response.result.message).toMatch(/line \d+/)
    expect(replay(session, base)).toEqual(before)
  })

  it('reports stored steps that no longer replay, and carries on with the rest', () => {
    const scenario: Scenario = { seed: 1, operations: [...base.operations, { type: 'cordon', node: 'gone', on: true }, scale(3)] }
    const view = replay(new EngineSession(), scenario)
    expect(view.replayIssues.map((i) => i.index)).toEqual([1])
    expect(view.snapshot.pods.filter((p) => p.metadata.name.startsWith('nginx-deployment-'))).toHaveLength(3)
  })
})
