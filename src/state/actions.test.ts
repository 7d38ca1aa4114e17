// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createInProcessEngineClient } from '../worker/in-process-client.ts'
import { advanceClock, applyManifest, deleteObject, deletePod, kubectlApplyLines, redo, resetScenario, scaleDeployment, setCordoned, setNodeReady, setPodReady, undo } from './actions.ts'
import { connectEngine, disconnectEngine, engineSettled } from './engine-sync.ts'
import { STORAGE_KEY, STORAGE_VERSION, initialState, useAppStore } from './store.ts'

const state = () => useAppStore.getState()
const nginxPods = () => state().view!.snapshot.pods.filter((p) => p.metadata.name.startsWith('nginx-deployment-'))
const nginxEndpoints = () => state().view!.snapshot.endpointSlices
  .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'nginx-service')
  .flatMap((s) => s.endpoints)
const pastSteps = () => useAppStore.temporal.getState().pastStates.length

beforeEach(async () => {
  localStorage.clear()
  useAppStore.setState(initialState())
  useAppStore.temporal.getState().clear()
  connectEngine(createInProcessEngineClient())
  await engineSettled()
})

afterEach(() => disconnectEngine())

describe('the scenario store', () => {
  it('opens on the default kind cluster with the nginx scenario: two Pods on different workers', () => {
    const pods = nginxPods()
    expect(pods).toHaveLength(2)
    expect(new Set(pods.map((p) => p.spec.nodeName))).toEqual(new Set(['kind-worker', 'kind-worker2']))
    expect(state().view!.snapshot.services.map((s) => s.metadata.name)).toContain('nginx-service')
    expect(pastSteps()).toBe(0)
  })

  it('scales the Deployment as one undoable step, and undo/redo move the cluster back and forth', async () => {
    expect(await scaleDeployment('default', 'nginx-deployment', 4)).toBe(true)
    expect(nginxPods()).toHaveLength(4)
    expect(nginxEndpoints()).toHaveLength(4)
    expect(pastSteps()).toBe(1)

    await undo()
    await engineSettled()
    expect(nginxPods()).toHaveLength(2)

    await redo()
    await engineSettled()
    expect(nginxPods()).toHaveLength(4)
  })

  it('refuses a broken manifest without touching the scenario, the history or the cluster, and keeps the text', async () => {
    const before = { scenario: state().scenario, pods: nginxPods().map((p) => p.metadata.name), history: pastSteps() }
    // Line 8 is indented with a tab, which YAML forbids.
    const broken = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n  - port: 80\n\ttargetPort: 80\n'
    useAppStore.setState({ draft: broken })

    expect(await applyManifest()).toBe(false)

    expect(state().scenario).toBe(before.scenario)
    expect(pastSteps()).toBe(before.history)
    expect(nginxPods().map((p) => p.metadata.name)).toEqual(before.pods)
    expect(state().draft).toBe(broken)
    expect(state().applyErrors.length).toBeGreaterThan(0)
    expect(state().applyErrors[0].line).toBe(8)
  })

  it('applies a valid manifest and reports it the way kubectl apply does', async () => {
    const nodePort = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n'
    expect(await applyManifest(nodePort)).toBe(true)
    expect(state().applyResult).toEqual(['service/web created'])
    expect(state().applyErrors).toEqual([])
    expect(state().view!.snapshot.services.find((s) => s.metadata.name === 'web')!.spec.type).toBe('NodePort')
  })

  it('replaces a deleted Pod with a new one, and finishing the grace period removes the old one', async () => {
    const [victim] = nginxPods()
    expect(await deletePod('default', victim.metadata.name)).toBe(true)
    const afterDelete = nginxPods()
    expect(afterDelete.find((p) => p.metadata.name === victim.metadata.name)?.metadata.deletionTimestamp).toBeDefined()
    const replacement = afterDelete.filter((p) => p.metadata.name !== victim.metadata.name && !p.metadata.deletionTimestamp)
    expect(replacement).toHaveLength(2)

    expect(await advanceClock(30)).toBe(true)
    const names = nginxPods().map((p) => p.metadata.name)
    expect(names).toHaveLength(2)
    expect(names).not.toContain(victim.metadata.name)
  })

  it('a Pod marked not ready stays a Pod but its endpoint turns not ready', async () => {
    const [pod] = nginxPods()
    expect(await setPodReady('default', pod.metadata.name, false)).toBe(true)
    const endpoint = nginxEndpoints().find((e) => e.targetRef?.name === pod.metadata.name)
    expect(endpoint?.conditions.ready).toBe(false)
    expect(nginxPods()).toHaveLength(2)
  })

  it('cordons and stops a Node, each an undoable step', async () => {
    expect(await setCordoned('kind-worker', true)).toBe(true)
    expect(await setNodeReady('kind-worker', false)).toBe(true)
    const node = () => state().view!.snapshot.nodes.find((n) => n.metadata.name === 'kind-worker')!
    expect(node().spec.unschedulable).toBe(true)
    expect(node().status.conditions.find((c) => c.type === 'Ready')?.status).not.toBe('True')
    expect(pastSteps()).toBe(2)
  })

  it('deletes a Service, and its EndpointSlices go with it', async () => {
    expect(await deleteObject({ kind: 'Service', namespace: 'default', name: 'nginx-service' })).toBe(true)
    expect(state().view!.snapshot.services.map((s) => s.metadata.name)).not.toContain('nginx-service')
    expect(nginxEndpoints()).toEqual([])
  })

  it('reports an action the engine refuses and records nothing', async () => {
    const scenario = state().scenario
    expect(await setCordoned('no-such-node', true)).toBe(false)
    expect(state().actionError).toMatch(/no-such-node/)
    expect(state().scenario).toBe(scenario)
  })

  it('persists the scenario (and the draft) with a version number, but not derived state', async () => {
    await scaleDeployment('default', 'nginx-deployment', 3)
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY)!) as { version: number; state: Record<string, unknown> }
    expect(stored.version).toBe(STORAGE_VERSION)
    expect(Object.keys(stored.state).sort()).toEqual(['draft', 'scenario'])
    expect(stored.state.scenario).toEqual(state().scenario)
  })

  it('restores a stored scenario on rehydration and rejects a damaged one', async () => {
    await scaleDeployment('default', 'nginx-deployment', 3)
    const saved = state().scenario
    const stored = localStorage.getItem(STORAGE_KEY)!
    useAppStore.setState(initialState()) // (persist writes this state to storage: put the saved one back)
    localStorage.setItem(STORAGE_KEY, stored)
    await useAppStore.persist.rehydrate()
    expect(state().scenario).toEqual(saved)

    localStorage.setItem(STORAGE_KEY, JSON.stringify({ version: STORAGE_VERSION, state: { scenario: { seed: 'x' }, draft: 42 } }))
    useAppStore.setState(initialState())
    await useAppStore.persist.rehydrate()
    expect(state().scenario).toEqual(initialState().scenario)
    expect(state().draft).toBe(initialState().draft)
  })

  it('resets to the default scenario as an undoable step', async () => {
    await scaleDeployment('default', 'nginx-deployment', 5)
    await resetScenario()
    await engineSettled()
    expect(state().scenario).toEqual(initialState().scenario)
    expect(nginxPods()).toHaveLength(2)
    await undo()
    await engineSettled()
    expect(nginxPods()).toHaveLength(5)
  })

  it('ends on the right cluster after a quick series of undos', async () => {
    await scaleDeployment('default', 'nginx-deployment', 3)
    await scaleDeployment('default', 'nginx-deployment', 4)
    await scaleDeployment('default', 'nginx-deployment', 5)
    void undo()
    void undo()
    await undo()
    await engineSettled()
    expect(nginxPods()).toHaveLength(2)
    expect(state().viewScenario).toBe(state().scenario)
  })
})

describe('kubectlApplyLines', () => {
  it('names resources as kubectl does (with their API group) and reports skipped kinds', () => {
    expect(kubectlApplyLines({
      ok: true,
      applied: [
        { kind: 'Deployment', namespace: 'default', name: 'web', action: 'created' },
        { kind: 'Service', namespace: 'default', name: 'web', action: 'configured' },
        { kind: 'EndpointSlice', namespace: 'default', name: 'web-1', action: 'unchanged' },
        { kind: 'Node', name: 'kind-worker3', action: 'created' },
      ],
      skipped: [{ document: 3, apiVersion: 'v1', kind: 'ConfigMap', line: 20, reason: 'not simulated' }],
    })).toEqual([
      'deployment.apps/web created',
      'service/web configured',
      'endpointslice.discovery.k8s.io/web-1 unchanged',
      'node/kind-worker3 created',
      'skipped ConfigMap (v1) at line 20: not simulated',
    ])
  })
})
