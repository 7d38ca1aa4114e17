import { useEffect, useState } from 'react'
import { engine } from '../../state/engine-sync.ts'
import { useAppStore } from '../../state/store.ts'
import type { EngineClient } from '../../worker/engine-client.ts'
import type { Scenario } from '../../worker/operations.ts'

export interface Answer<T> {
  /** The latest answer; kept while a newer question is on its way, so the view does not flash empty. */
  data: T | null
  error: string | null
  /** The answer is for an older question (or there is none yet). */
  stale: boolean
}

/**
 * Asks the engine something about the scenario the cluster view shows, again whenever that scenario or
 * `key` changes. Only the reply to the newest question lands. `key` must identify the question: the
 * function itself is read from the render that asked.
 */
export function useEngineAnswer<T>(key: string | null, ask: (client: EngineClient, scenario: Scenario) => Promise<T>): Answer<T> {
  const scenario = useAppStore((s) => s.viewScenario)
  const [state, setState] = useState<{ scenario: Scenario | null; key: string | null; data: T | null; error: string | null }>(
    { scenario: null, key: null, data: null, error: null })
  useEffect(() => {
    if (!scenario || key === null) return
    let current = true
    ask(engine(), scenario).then(
      (data) => { if (current) setState({ scenario, key, data, error: null }) },
      (err: unknown) => { if (current) setState((s) => ({ ...s, scenario, key, error: err instanceof Error ? err.message : String(err) })) },
    )
    return () => { current = false }
    // `ask` is a fresh closure every render; `key` names the question it asks.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scenario, key])
  return { data: state.data, error: state.error, stale: state.scenario !== scenario || state.key !== key }
}
