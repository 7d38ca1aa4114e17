/**
 * What the compare view and the mode switch can do.
 *
 * Switching the cluster's mode is a scenario operation (a KubeProxyConfiguration applied), so it undoes,
 * replays and persists like any edit, and every Node's kube-proxy re-syncs in the new mode. Comparing is
 * not: the worker sends the packet on copies of the cluster, so nothing the person built changes.
 */
import { modeManifest } from '../worker/compare-protocol.ts'
import { tryOperation } from './actions.ts'
import type { ProxyMode } from '../engine/kube-proxy/proxy-modes.ts'
import { clampStep, lastCompareStep, pendingPoints, pickMode, useCompareStore } from './compare.ts'
import { createEngineClient, type EngineClient } from '../worker/engine-client.ts'
import { engine } from './engine-sync.ts'
import type { PacketRequest } from './player.ts'
import { useAppStore } from './store.ts'

const set = useCompareStore.setState
const get = useCompareStore.getState

/** Runs kube-proxy in `mode` on every Node (undoable). Resolves with whether the engine accepted it. */
export async function setProxyMode(mode: ProxyMode): Promise<boolean> {
  if (useAppStore.getState().view?.snapshot.kubeProxyConfig.mode === mode) return true
  const result = await tryOperation({ type: 'apply', yaml: modeManifest(mode) })
  if (!result.ok) useAppStore.setState({ actionError: `switching kube-proxy to ${mode} mode: ${result.message}` })
  return result.ok
}

export const openCompare = () => set({ open: true })
export const closeCompare = () => set({ open: false })

export function chooseCompareMode(side: 0 | 1, mode: ProxyMode): void {
  // The panes on screen answered for the old pair: clear them rather than show a mode they were not sent in.
  set({ modes: pickMode(get().modes, side, mode), panes: [], step: 0 })
}

/** Sends the packet under both modes, each on a copy of the current cluster, and shows both from hop 0. */
export async function compareModes(request: PacketRequest): Promise<boolean> {
  const { modes } = get()
  set({ sending: true, error: null })
  try {
    const { from, to, port, proto } = request
    const scenario = useAppStore.getState().scenario
    const answer = await engine().compare({ type: 'compareModes', scenario, modes: [...modes], packet: { from, to, port, proto } })
    set({ panes: answer.results, panesScenario: scenario, request, step: 0 })
    return answer.results.every((r) => r.journey !== null)
  } catch (err) {
    set({ error: err instanceof Error ? err.message : String(err) })
    return false
  } finally {
    set({ sending: false })
  }
}

export const compareStepForward = () => set({ step: clampStep(get().panes, get().step + 1) })
export const compareStepBack = () => set({ step: clampStep(get().panes, get().step - 1) })
export const compareFirstStep = () => set({ step: 0 })
export const compareLastStep = () => set({ step: lastCompareStep(get().panes) })

let chartClient: EngineClient | null = null

/**
 * The chart's own engine worker: measuring 10,000 Services keeps a worker busy for seconds, and the cluster's
 * engine must stay free to answer edits, the console and the player meanwhile. Created on first use.
 */
function chartEngine(): EngineClient {
  chartClient ??= createEngineClient()
  return chartClient
}

/**
 * Measures the chart's missing points one at a time, the cheap ones first, so the chart fills in as it goes
 * and shows which point is being measured (10,000 Services take seconds). Measured points stay for the
 * session; calling again while measuring does nothing.
 */
export async function measureChart(client: EngineClient = chartEngine()): Promise<void> {
  if (get().computing) return
  set({ chartError: null })
  for (const next of pendingPoints(get().points)) {
    set({ computing: next })
    try {
      const { measured } = await client.compare({ type: 'rulesScaling', ...next })
      set({ points: [...get().points, { mode: measured.mode, services: measured.services, rules: measured.total,
        parts: { iptables: measured.iptablesRules, nftables: measured.nftablesRules, ipvs: measured.ipvsLookups } }] })
    } catch (err) {
      set({ computing: null, chartError: err instanceof Error ? err.message : String(err) })
      return
    }
  }
  set({ computing: null })
}
