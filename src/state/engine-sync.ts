/**
 * Keeps the cluster slice in step with the scenario: whenever the scenario changes (an action, undo, redo,
 * reset, a reload), the engine replays it and the result replaces the view. Replies to superseded
 * scenarios are dropped, so a quick series of undos ends on the right cluster.
 */
import { createEngineClient, type EngineClient } from '../worker/engine-client.ts'
import { useAppStore } from './store.ts'

let client: EngineClient | null = null
let unsubscribe: (() => void) | null = null
let settled: Promise<void> = Promise.resolve()

export function engine(): EngineClient {
  if (!client) client = createEngineClient()
  return client
}

function syncNow(): Promise<void> {
  const state = useAppStore.getState()
  if (state.viewScenario === state.scenario) return settled
  const scenario = state.scenario
  const run = engine().replay(scenario).then(
    (view) => {
      // Only the reply for the scenario that is still current may land.
      if (useAppStore.getState().scenario !== scenario) return
      useAppStore.setState({ view, viewScenario: scenario, engineError: null })
    },
    (err: unknown) => {
      if (useAppStore.getState().scenario !== scenario) return
      useAppStore.setState({ engineError: err instanceof Error ? err.message : String(err) })
    },
  )
  settled = settled.then(() => run)
  return settled
}

/** Starts following the scenario with the given engine (a worker by default). Returns a stop function. */
export function connectEngine(withClient?: EngineClient): () => void {
  disconnectEngine()
  client = withClient ?? createEngineClient()
  unsubscribe = useAppStore.subscribe((state, previous) => {
    if (state.scenario !== previous.scenario) void syncNow()
  })
  void syncNow()
  return disconnectEngine
}

export function disconnectEngine(): void {
  unsubscribe?.()
  unsubscribe = null
  client?.dispose()
  client = null
  settled = Promise.resolve()
}

/** Resolves once the engine has answered for the current scenario (tests, and the UI's loading state). */
export async function engineSettled(): Promise<void> {
  await syncNow()
  // A reply may have landed for a scenario that changed meanwhile: keep going until in step.
  while (useAppStore.getState().viewScenario !== useAppStore.getState().scenario && !useAppStore.getState().engineError) {
    await syncNow()
  }
}
