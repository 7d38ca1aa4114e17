// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createInProcessEngineClient } from '../worker/in-process-client.ts'
import { undo } from './actions.ts'
import { chooseCompareMode, compareModes, compareStepBack, compareStepForward, measureChart, setProxyMode } from './compare-actions.ts'
import { initialCompareState, lastCompareStep, paneHopIndex, useCompareStore } from './compare.ts'
import { connectEngine, disconnectEngine, engine, engineSettled } from './engine-sync.ts'
import { initialState, useAppStore } from './store.ts'

const app = () => useAppStore.getState()
const compare = () => useCompareStore.getState()
const mode = () => app().view!.snapshot.kubeProxyConfig.mode

beforeEach(async () => {
  localStorage.clear()
  useAppStore.setState(initialState())
  useAppStore.temporal.getState().clear()
  useCompareStore.setState(initialCompareState())
  connectEngine(createInProcessEngineClient())
  await engineSettled()
})

afterEach(() => disconnectEngine())

describe('switching the cluster\'s kube-proxy mode', () => {
  it('is one undoable scenario step after which every Node answers in the new mode', async () => {
    expect(mode()).toBe('iptables')
    expect(await setProxyMode('nftables')).toBe(true)
    expect(mode()).toBe('nftables')
    expect(useAppStore.temporal.getState().pastStates).toHaveLength(1)
    for (const node of app().view!.snapshot.nodes.map((n) => n.metadata.name)) {
      const save = await engine().node({ type: 'nodeSave', scenario: app().scenario, node, counters: false })
      // The iptables-mode service chains are cleaned up on every Node.
      expect(save.text).not.toMatch(/KUBE-SVC-/)
    }
    await undo()
    await engineSettled()
    expect(mode()).toBe('iptables')
  })

  it('adds no step when the cluster already runs that mode', async () => {
    expect(await setProxyMode('iptables')).toBe(true)
    expect(app().scenario.operations).toHaveLength(1)
  })
})

describe('comparing two modes', () => {
  it('sends the packet under both modes without changing the scenario, and one step control moves both panes', async () => {
    chooseCompareMode(0, 'iptables')
    chooseCompareMode(1, 'ipvs')
    const scenario = app().scenario
    expect(await compareModes({ from: 'kind-control-plane', to: 'default/nginx-service', port: 80, proto: 'tcp' })).toBe(true)
    expect(app().scenario).toBe(scenario)
    const [left, right] = compare().panes
    expect([left.mode, right.mode]).toEqual(['iptables', 'ipvs'])
    expect(left.journey?.reachedPod).toMatch(/^nginx-deployment-/)
    expect(right.journey?.reachedPod).toMatch(/^nginx-deployment-/)
    compareStepForward()
    compareStepForward()
    expect(compare().panes.map((p) => paneHopIndex(p, compare().step))).toEqual([2, 2])
    compareStepBack()
    expect(compare().step).toBe(1)
    for (let i = 0; i < 500; i++) compareStepForward()
    expect(compare().step).toBe(lastCompareStep(compare().panes))
  })

  it('picks the other side\'s mode by swapping, and forgets panes sent under the old pair', async () => {
    await compareModes({ from: 'kind-control-plane', to: 'default/nginx-service', port: 80, proto: 'tcp' })
    expect(compare().panes).toHaveLength(2)
    chooseCompareMode(0, 'nftables')
    expect(compare().modes).toEqual(['nftables', 'iptables'])
    expect(compare().panes).toEqual([])
  })
})

describe('measuring the chart', () => {
  it('fills in the small sizes for every mode first and shows what it is measuring', async () => {
    // Only the smaller sizes here: the 10,000-Service points are the browser test's and the benchmark's.
    useCompareStore.setState({ points: [1000, 10000].flatMap((services) => (['iptables', 'ipvs', 'nftables'] as const).map((mode) => ({ mode, services, rules: 1 }))) })
    const seen: string[] = []
    const stop = useCompareStore.subscribe((s) => { if (s.computing) seen.push(`${s.computing.mode}/${s.computing.services}`) })
    await measureChart(engine())
    stop()
    expect([...new Set(seen)]).toEqual(['iptables/10', 'ipvs/10', 'nftables/10', 'iptables/100', 'ipvs/100', 'nftables/100'])
    expect(compare().computing).toBeNull()
    const at = (mode: string, services: number) => compare().points.find((p) => p.mode === mode && p.services === services)!.rules
    expect(at('iptables', 100)).toBeGreaterThan(at('iptables', 10))
    expect(at('nftables', 100)).toBe(at('nftables', 10))
  })
})

describe('panes and the scenario they were sent on', () => {
  it('remembers the scenario, so the view can tell when the cluster has changed since', async () => {
    await compareModes({ from: 'kind-control-plane', to: 'default/nginx-service', port: 80, proto: 'tcp' })
    expect(compare().panesScenario).toBe(app().scenario)
    await setProxyMode('ipvs')
    expect(compare().panesScenario).not.toBe(app().scenario)
  })
})
