/**
 * The compare view: the same packet sent under two kube-proxy modes, each on its own copy of the cluster
 * (the worker clones the Simulation and switches the copy's mode; the person's scenario never changes), and
 * the chart of rules evaluated per packet against the number of Services.
 *
 * View state only (never undone, never persisted), in its own store so stepping wakes only the compare view.
 */
import { create } from 'zustand'
import type { Journey, JourneyHop } from '../engine/journeys/journey.ts'
import { PROXY_MODES, type ProxyMode } from '../engine/kube-proxy/proxy-modes.ts'
import type { Scenario } from '../worker/operations.ts'
import type { PacketRequest } from './player.ts'

/** The sizes the chart measures (log x axis). */
export const CHART_SERVICE_COUNTS: readonly number[] = [10, 100, 1000, 10000]

/** One side of the comparison: a mode and what the packet did under it. */
export interface ComparePane {
  mode: ProxyMode
  journey: Journey | null
  /** Why the packet could not be sent under this mode (unknown Pod, the mode switch refused, ...). */
  error: string | null
}

/** A measured point of the chart: rules evaluated by one packet with `services` Services, in `mode`. */
export interface ChartPoint {
  mode: ProxyMode
  services: number
  rules: number
  /** What `rules` is made of: iptables rules, nftables rules, IPVS virtual-service lookups. */
  parts?: { iptables: number; nftables: number; ipvs: number }
}

export interface CompareState {
  open: boolean
  /** The two modes compared, left and right. */
  modes: [ProxyMode, ProxyMode]
  request: PacketRequest | null
  panes: ComparePane[]
  /** The scenario the panes were sent on (by identity): when the cluster changes, they are out of date. */
  panesScenario: Scenario | null
  /** The shared step: each pane shows its hop at min(step, its last hop). */
  step: number
  sending: boolean
  error: string | null
  /** Chart points measured so far (the worker caches them too: a point is computed once per session). */
  points: ChartPoint[]
  /** The point being computed, or null when idle. */
  computing: { mode: ProxyMode; services: number } | null
  chartError: string | null
}

export function initialCompareState(): CompareState {
  return { open: false, modes: ['iptables', 'nftables'], request: null, panes: [], panesScenario: null, step: 0, sending: false, error: null, points: [], computing: null, chartError: null }
}

export const useCompareStore = create<CompareState>()(() => initialCompareState())

// ---------------------------------------------------------------------------------------------- pure

/**
 * Rules evaluated for the request: every rule whose matches the kernel checked on the way to the endpoint
 * (iptables rules, nft rules, and the iptables rules IPVS mode still keeps), whether it matched or not.
 * Policies, chain returns and events are not rules; the reply is translated by conntrack without rules.
 */
export function rulesEvaluated(journey: Pick<Journey, 'hops'>): number {
  return journey.hops.filter((h) => h.leg === 'request' && h.kind === 'rule').length
}

/** The rules evaluated in one chain-like unit, for the pane's per-chain summary. */
export function rulesByChain(journey: Pick<Journey, 'hops'>): { node: string | null; table: string | null; chain: string; rules: number }[] {
  const out: { node: string | null; table: string | null; chain: string; rules: number }[] = []
  for (const h of journey.hops) {
    if (h.leg !== 'request' || h.kind !== 'rule' || h.chain === null) continue
    const last = out[out.length - 1]
    const table = tableLabel(h)
    if (last && last.chain === h.chain && last.table === table && last.node === h.node) last.rules++
    else out.push({ node: h.node, table, chain: h.chain, rules: 1 })
  }
  return out
}

/**
 * The table a hop's rule lives in as its tool names it: `nat` for iptables, `ip kube-proxy` for nft, `IPVS`
 * for the IPVS hook functions. Journey hops do not (yet) carry the trace step's `engine`/`nftTable`, so the
 * nft table is read from the `nft monitor trace` line (`trace id ID FAMILY TABLE CHAIN ...`) when absent.
 */
export function tableLabel(hop: JourneyHop): string | null {
  const extra = hop as JourneyHop & { engine?: 'nftables' | 'ipvs'; nftTable?: string }
  if (extra.nftTable) return extra.nftTable
  const nft = /^trace id \S+ (ip6?|inet|arp|bridge|netdev) (\S+) /.exec(hop.kernelTrace ?? '')
  if (extra.engine === 'nftables' || nft) return nft ? `${nft[1]} ${nft[2]}` : 'ip kube-proxy'
  if (extra.engine === 'ipvs' || hop.chain?.startsWith('ip_vs_')) return 'IPVS'
  return hop.table
}

/** The last step the shared control can reach: the longer journey's last hop. */
export function lastCompareStep(panes: readonly ComparePane[]): number {
  return Math.max(0, ...panes.map((p) => (p.journey?.hops.length ?? 1) - 1))
}

/** The hop a pane shows at the shared step: a shorter journey stays on its last hop. */
export function paneHopIndex(pane: ComparePane, step: number): number | null {
  if (!pane.journey || pane.journey.hops.length === 0) return null
  return Math.min(step, pane.journey.hops.length - 1)
}

export function clampStep(panes: readonly ComparePane[], step: number): number {
  return Math.min(lastCompareStep(panes), Math.max(0, Math.round(step)))
}

/** The two modes after picking `mode` for one side: picking the other side's mode swaps them. */
export function pickMode(modes: readonly [ProxyMode, ProxyMode], side: 0 | 1, mode: ProxyMode): [ProxyMode, ProxyMode] {
  const other = side === 0 ? 1 : 0
  const next: [ProxyMode, ProxyMode] = [modes[0], modes[1]]
  if (modes[other] === mode) next[other] = modes[side]
  next[side] = mode
  return next
}

/** The chart's points for one mode, by number of Services (only those measured). */
export function seriesOf(points: readonly ChartPoint[], mode: ProxyMode): ChartPoint[] {
  return points.filter((p) => p.mode === mode).sort((a, b) => a.services - b.services)
}

/** The points still to measure, cheapest first (10,000 Services last: it is the slow one). */
export function pendingPoints(points: readonly ChartPoint[]): { mode: ProxyMode; services: number }[] {
  const out: { mode: ProxyMode; services: number }[] = []
  for (const services of CHART_SERVICE_COUNTS) {
    for (const mode of PROXY_MODES) {
      if (!points.some((p) => p.mode === mode && p.services === services)) out.push({ mode, services })
    }
  }
  return out
}

/**
 * Whether every pane's packet ended at the same kind of place (a Pod, a Node's own stack, a client, or the
 * same verdict when none was reached): the modes differ in how, not in where a packet may go.
 */
export function endpointKinds(panes: readonly ComparePane[]): { same: boolean; kinds: string[] } {
  const kinds = panes.map((p) => p.journey ? (p.journey.reached ? p.journey.reached.kind : p.journey.verdict) : 'error')
  return { same: kinds.length > 0 && kinds.every((k) => k === kinds[0]), kinds }
}
