/**
 * What the Nodes panel shows: the bottom panel's tab (the event log or the Nodes), the Node, the view of
 * that Node (console, rules, iptables-save, syncs) and, in the rules view, the table, chain and filter.
 * View state only: never undone; persisted (its own key) so a reload reopens the same place.
 */
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import type { TableName } from '../engine/netfilter/types.ts'

export type BottomTab = 'events' | 'nodes' | 'packet'
export type NodeTab = 'console' | 'rules' | 'save' | 'syncs'

export const NODE_TABS: { id: NodeTab; label: string }[] = [
  { id: 'console', label: 'Console' },
  { id: 'rules', label: 'Rules' },
  { id: 'save', label: 'iptables-save' },
  { id: 'syncs', label: 'Syncs' },
]

/** The tables in the order the rules view offers them (the one kube-proxy writes most first). */
export const RULE_TABLES: readonly TableName[] = ['filter', 'nat', 'mangle', 'raw', 'security']

export interface NodesViewState {
  bottom: BottomTab
  /** null: the first Node of the cluster. */
  node: string | null
  tab: NodeTab
  table: TableName
  /** The chain open in the rules view, per table; null shows the table's first chain. */
  chain: string | null
  /** Chains followed to get here (a breadcrumb of the jumps clicked). */
  trail: string[]
  filter: string
  /** First rule shown of a long chain. */
  offset: number
  saveCounters: boolean
}

export function initialNodesView(): NodesViewState {
  return { bottom: 'events', node: null, tab: 'console', table: 'filter', chain: null, trail: [], filter: '', offset: 0, saveCounters: false }
}

export const NODES_VIEW_KEY = 'kube-proxy-visualizer:nodes-view'

export const useNodesView = create<NodesViewState>()(
  persist(() => initialNodesView(), {
    name: NODES_VIEW_KEY,
    version: 1,
    storage: createJSONStorage(() => localStorage),
    // Damaged or older stored data must not break the panel: keep only well-typed fields.
    merge: (persisted, current) => {
      const p = (persisted ?? {}) as Partial<NodesViewState>
      const out = { ...current }
      if (p.bottom === 'events' || p.bottom === 'nodes') out.bottom = p.bottom
      if (typeof p.node === 'string') out.node = p.node
      if (NODE_TABS.some((t) => t.id === p.tab)) out.tab = p.tab!
      if (RULE_TABLES.includes(p.table as TableName)) out.table = p.table!
      if (typeof p.chain === 'string') out.chain = p.chain
      if (typeof p.saveCounters === 'boolean') out.saveCounters = p.saveCounters
      return out
    },
    partialize: (s) => ({ bottom: s.bottom, node: s.node, tab: s.tab, table: s.table, chain: s.chain, saveCounters: s.saveCounters }),
  }),
)

const set = useNodesView.setState

export const showBottom = (bottom: BottomTab) => set({ bottom })
export const showNode = (node: string) => set({ node, bottom: 'nodes' })
export const showNodeTab = (tab: NodeTab) => set({ tab, bottom: 'nodes' })
export const showTable = (table: TableName) => set({ table, chain: null, trail: [], offset: 0 })
export const setRulesFilter = (filter: string) => set({ filter, offset: 0 })
export const setRulesOffset = (offset: number) => set({ offset: Math.max(0, offset) })
export const setSaveCounters = (saveCounters: boolean) => set({ saveCounters })

/** Opens a chain from the chain list (a fresh trail). */
export function openChain(chain: string): void {
  set({ chain, trail: [chain], offset: 0 })
}

/**
 * Follows a jump from the open chain to `chain` (the rule's target or a graph edge): the trail grows,
 * unless the chain is already on it, in which case the trail goes back to it.
 */
export function followChain(chain: string): void {
  const { trail, chain: current } = useNodesView.getState()
  const base = trail.length > 0 ? trail : current ? [current] : []
  const at = base.indexOf(chain)
  set({ chain, trail: at >= 0 ? base.slice(0, at + 1) : [...base, chain], offset: 0 })
}

/** Opens a Node's rules at a chain of a table (e.g. from a sync diff). */
export function showChainOn(node: string, table: TableName, chain: string): void {
  set({ node, bottom: 'nodes', tab: 'rules', table, chain, trail: [chain], offset: 0, filter: '' })
}
