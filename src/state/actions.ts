/**
 * Everything the UI can do, as plain functions over the store. Scenario edits go through the engine first
 * (`try`): only an operation the engine accepts is appended, so a bad manifest or a refused action changes
 * neither the scenario, nor the history, nor the cluster.
 */
import type { ApplyOutcome } from '../engine/cluster/cluster.ts'
import type { Operation } from '../worker/operations.ts'
import type { TryResult } from '../worker/protocol.ts'
import { engine } from './engine-sync.ts'
import { defaultScenario } from './default-scenario.ts'
import { useAppStore, type ObjectRef, type RightPanel } from './store.ts'

const set = useAppStore.setState
const get = useAppStore.getState

// One scenario edit at a time: each starts from the scenario the previous one left.
let queue: Promise<unknown> = Promise.resolve()
function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task)
  queue = run.catch(() => undefined)
  return run
}

type Applied = Extract<ApplyOutcome, { ok: true }>

const resourceNames: Record<string, string> = {
  Deployment: 'deployment.apps',
  EndpointSlice: 'endpointslice.discovery.k8s.io',
  ServiceCIDR: 'servicecidr.networking.k8s.io',
}

/** What `kubectl apply` prints: `deployment.apps/nginx-deployment created`, and a warning per skipped kind. */
export function kubectlApplyLines(applied: Applied): string[] {
  const lines = applied.applied.map((a) => `${resourceNames[a.kind] ?? a.kind.toLowerCase()}/${a.name} ${a.action}`)
  for (const s of applied.skipped) lines.push(`skipped ${s.kind} (${s.apiVersion}) at line ${s.line}: ${s.reason}`)
  return lines
}

/** Tries an operation and, when the engine accepts it, appends it to the scenario. Returns whether it did. */
async function commit(operation: Operation, onRefused: (message: string, result: TryResult) => void, onAccepted?: (applied?: Applied) => void, onResult?: (result: TryResult) => void): Promise<boolean> {
  return enqueue(async () => {
    const scenario = get().scenario
    set({ busy: true })
    try {
      const result = await engine().try(scenario, operation)
      onResult?.(result)
      if (!result.ok) {
        onRefused(result.message, result)
        return false
      }
      const next = { ...scenario, operations: [...scenario.operations, operation] }
      set({ scenario: next, view: result.view, viewScenario: next, engineError: null, actionError: null })
      onAccepted?.(result.applied)
      return true
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      set({ engineError: message })
      onResult?.({ ok: false, message, errors: [] })
      return false
    } finally {
      set({ busy: false })
    }
  })
}

/**
 * Tries an operation and appends it when the engine accepts it, like every edit; resolves with the engine's
 * whole answer (the player needs what a sent packet did), or a refusal when the engine itself failed.
 */
export async function tryOperation(operation: Operation): Promise<TryResult> {
  let answer: TryResult = { ok: false, message: 'the engine did not answer', errors: [] }
  await commit(operation, () => {}, undefined, (result) => { answer = result })
  return answer
}

function runAction(operation: Operation): Promise<boolean> {
  return commit(operation, (message) => set({ actionError: message }))
}

/** Applies the editor's draft (or the given text). On failure the errors land in the view, the text stays. */
export function applyManifest(yaml: string = get().draft): Promise<boolean> {
  return commit(
    { type: 'apply', yaml },
    (message, result) => set({ applyErrors: result.ok ? [] : result.errors, applyMessage: message, applyResult: [] }),
    (applied) => set({ applyErrors: [], applyMessage: null, applyResult: applied ? kubectlApplyLines(applied) : [] }),
  )
}

export const scaleDeployment = (namespace: string, name: string, replicas: number) =>
  runAction({ type: 'scale', namespace, name, replicas })
export const deletePod = (namespace: string, name: string) => runAction({ type: 'deletePod', namespace, name })
export const setPodReady = (namespace: string, name: string, ready: boolean) =>
  runAction({ type: 'podReady', namespace, name, ready })
export const setCordoned = (node: string, on: boolean) => runAction({ type: 'cordon', node, on })
export const setNodeReady = (node: string, ready: boolean) => runAction({ type: 'nodeReady', node, ready })
export const advanceClock = (seconds: number) => runAction({ type: 'advance', seconds })
export const deleteObject = (ref: ObjectRef) => runAction({ type: 'delete', ...ref })

/** Back to a fresh cluster with the default scenario. Undoable, like any other edit. */
export function resetScenario(): Promise<void> {
  return enqueue(async () => {
    set({ scenario: defaultScenario(), selection: null, actionError: null, applyErrors: [], applyMessage: null, applyResult: [] })
  })
}

export function undo(): Promise<void> {
  return enqueue(async () => useAppStore.temporal.getState().undo())
}

export function redo(): Promise<void> {
  return enqueue(async () => useAppStore.temporal.getState().redo())
}

export function select(selection: ObjectRef | null): void {
  set(selection ? { selection, panel: 'details' } : { selection })
}

export const showPanel = (panel: RightPanel) => set({ panel })
export const setDraft = (draft: string) => set({ draft })
export const dismissActionError = () => set({ actionError: null })

/**
 * One line typed into a Node's console (with the text pasted for iptables-restore as `stdin`). It becomes
 * a scenario step like any other, so it persists, replays and undoes; a failing command is still a step
 * (its error is its output), only an unknown node is refused.
 */
export const runConsoleCommand = (node: string, line: string, stdin?: string) =>
  runAction(stdin === undefined ? { type: 'console', node, line } : { type: 'console', node, line, stdin })
