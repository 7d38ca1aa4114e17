/**
 * Everything the UI can do, as plain functions over the store. Scenario edits go through the engine first
 * (`try`): only an operation the engine accepts is appended, so a bad manifest or a refused action changes
 * neither the scenario, nor the history, nor the cluster.
 *
 * The edit queue: every write of the scenario (an appended operation, undo, redo, and a whole scenario
 * replaced by a share link, a lesson step, an import or a reset) takes its turn here, one at a time, each
 * starting from the scenario the previous one left. So an edit in flight is never overwritten, nor does it
 * overwrite a later one: every edit lands once, in the order asked, in the history and in storage. The lint
 * configuration forbids writing the scenario anywhere else.
 */
import type { ApplyOutcome } from '../engine/cluster/cluster.ts'
import type { Operation, Scenario } from '../worker/operations.ts'
import type { TryResult } from '../worker/protocol.ts'
import { engine } from './engine-sync.ts'
import { defaultScenario } from './default-scenario.ts'
import { useAppStore, type ObjectRef, type RightPanel } from './store.ts'

const set = useAppStore.setState
const get = useAppStore.getState

let queue: Promise<unknown> = Promise.resolve()
/** Runs `task` once every edit asked for earlier has finished; later edits wait for it. */
function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task)
  queue = run.catch(() => undefined)
  return run
}

/** What an edit may do during its turn of the queue (see replaceScenario's `after`). */
export interface EditTurn {
  /** Tries an operation on the scenario as it is now and appends it when the engine accepts it. */
  tryOperation(operation: Operation): Promise<TryResult>
  /** Makes `next` the scenario (an undoable step); the selection and notices stay. */
  replace(next: Scenario): void
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

/**
 * Tries an operation and, when the engine accepts it, appends it to the scenario. Returns whether it did.
 * Runs in the caller's turn of the queue (see commit).
 */
async function commitNow(operation: Operation, onRefused: (message: string, result: TryResult) => void, onAccepted?: (applied?: Applied) => void, onResult?: (result: TryResult) => void): Promise<boolean> {
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
}

/** commitNow in a turn of its own. */
function commit(...args: Parameters<typeof commitNow>): Promise<boolean> {
  return enqueue(() => commitNow(...args))
}

async function tryNow(operation: Operation): Promise<TryResult> {
  let answer: TryResult = { ok: false, message: 'the engine did not answer', errors: [] }
  await commitNow(operation, () => {}, undefined, (result) => { answer = result })
  return answer
}

/**
 * Tries an operation and appends it when the engine accepts it, like every edit; resolves with the engine's
 * whole answer (the player needs what a sent packet did), or a refusal when the engine itself failed.
 */
export function tryOperation(operation: Operation): Promise<TryResult> {
  return enqueue(() => tryNow(operation))
}

export interface ReplaceOptions {
  /**
   * 'step' (the default): an undoable step, Undo brings the previous scenario back. 'fresh': the history
   * starts again after this turn (a link opened: there is nothing before it to undo).
   */
  history?: 'step' | 'fresh'
  /** Replace only when the engine replays every operation without a refusal (an import); else say which. */
  verify?: boolean
  /**
   * Runs first in the turn, once every edit asked for earlier has landed (a link stops saving to the
   * person's own scenario here, so those edits were saved to it).
   */
  before?: () => void
  /** Runs in the same turn right after the replacement, before any later edit starts (a packet to send). */
  after?: (turn: EditTurn) => Promise<void>
}

export type ReplaceOutcome = { ok: true } | { ok: false; message: string }

/**
 * Replaces the whole scenario (a share link opened, a lesson step, an import, a reset) in its turn of the
 * edit queue: edits asked for earlier land first and are kept (in the history and in storage), edits asked
 * for later start from the new scenario. The selection and the last action's notice go with the old one.
 * `next` may be a function of the scenario as it is when the turn comes (it may ask the engine, e.g. to read
 * an import): it returns that scenario to keep it (then only `before` and `after` run), or null to skip the
 * turn altogether. Either way the turn is taken when replaceScenario is called, so edits asked for after it
 * wait for it.
 */
export function replaceScenario(next: Scenario | ((current: Scenario) => Scenario | null | Promise<Scenario | null>), options: ReplaceOptions = {}): Promise<ReplaceOutcome> {
  return enqueue(async () => {
    const current = get().scenario
    const chosen = typeof next === 'function' ? await next(current) : next
    if (chosen === null) return { ok: true }
    if (options.verify && chosen !== current) {
      const first = (await engine().replay(chosen)).replayIssues[0]
      if (first) return { ok: false, message: `step ${first.index + 1} was refused: ${first.message}` }
    }
    options.before?.()
    if (chosen !== current) set({ scenario: chosen, selection: null, actionError: null })
    try {
      await options.after?.({ tryOperation: tryNow, replace: (scenario) => set({ scenario }) })
    } finally {
      if (options.history === 'fresh') useAppStore.temporal.getState().clear()
    }
    return { ok: true }
  })
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
export async function resetScenario(): Promise<void> {
  await replaceScenario(defaultScenario(), {
    after: async () => { set({ applyErrors: [], applyMessage: null, applyResult: [] }) },
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
