/**
 * The engine side of the compare view. A comparison sends the packet on copies of the cluster, one per
 * mode, so the scenario's own Simulation (its conntrack, counters, affinity) is left exactly as it was.
 */
import type { Simulation } from '../engine/simulation/simulation.ts'
import type { ProxyMode } from '../engine/kube-proxy/proxy-modes.ts'
import { modeManifest, type CompareModeResult, type ComparePacket } from './compare-protocol.ts'

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** A copy of `sim` running kube-proxy in `mode` (every Node re-synced in that mode); `sim` is untouched. */
export function cloneInMode(sim: Simulation, mode: ProxyMode): Simulation {
  const copy = sim.clone()
  if (copy.snapshot().kubeProxyConfig.mode === mode) return copy
  const outcome = copy.apply(modeManifest(mode))
  if (!outcome.ok) throw new Error(`switching kube-proxy to ${mode} mode failed: ${outcome.errors[0]?.message ?? 'refused'}`)
  return copy
}

/** The same packet under each mode, each on its own copy of the cluster. */
export function compareModes(sim: Simulation, modes: readonly ProxyMode[], packet: ComparePacket): CompareModeResult[] {
  return modes.map((mode) => {
    try {
      const copy = cloneInMode(sim, mode)
      try {
        return { mode, journey: copy.sendJourney({ from: packet.from, to: packet.to, port: packet.port, proto: packet.proto }), error: null }
      } finally {
        copy.dispose()
      }
    } catch (err) {
      return { mode, journey: null, error: errorMessage(err) }
    }
  })
}

/**
 * The chart's measurements, each made once per session: building a cluster of 10,000 Services and tracing
 * a packet through it takes seconds, and the answer never changes (it depends on the mode and the count only).
 */
export function scalingCache<T>(measure: (mode: ProxyMode, services: number) => T): (mode: ProxyMode, services: number) => T {
  const known = new Map<string, T>()
  return (mode, services) => {
    if (!Number.isInteger(services) || services < 1) throw new Error(`the number of Services must be a positive integer, not ${services}`)
    const key = `${mode}/${services}`
    let rules = known.get(key)
    if (rules === undefined) {
      rules = measure(mode, services)
      known.set(key, rules)
    }
    return rules
  }
}
