/**
 * Lays out a table's jumps between chains as columns: built-in chains first, then each chain one column
 * right of the nearest chain that jumps to it (breadth-first depth), so PREROUTING → KUBE-SERVICES →
 * KUBE-SVC-… → KUBE-SEP-… reads left to right. Chains nothing reaches get the last column.
 */
export interface GraphNode {
  name: string
  column: number
  row: number
}

export interface ChainGraphLayout {
  nodes: GraphNode[]
  edges: [from: string, to: string][]
  columns: number
  rows: number
}

export function layoutChainGraph(chains: readonly { name: string; policy?: string }[], edges: readonly [string, string][]): ChainGraphLayout {
  const known = new Set(chains.map((c) => c.name))
  const shown = edges.filter(([a, b]) => known.has(a) && known.has(b))
  const depth = new Map<string, number>()
  const out = new Map<string, string[]>()
  for (const [from, to] of shown) {
    const list = out.get(from)
    if (list) list.push(to)
    else out.set(from, [to])
  }
  const queue: string[] = []
  for (const c of chains) {
    if (c.policy !== undefined) { depth.set(c.name, 0); queue.push(c.name) }
  }
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]
    for (const to of out.get(from) ?? []) {
      if (depth.has(to)) continue
      depth.set(to, depth.get(from)! + 1)
      queue.push(to)
    }
  }
  const reached = Math.max(0, ...depth.values())
  const unreached = chains.filter((c) => !depth.has(c.name))
  const columns: string[][] = Array.from({ length: reached + 1 + (unreached.length > 0 ? 1 : 0) }, () => [])
  // Keep the list's order (built-ins in hook order, user chains by name) within a column.
  for (const c of chains) {
    const d = depth.get(c.name)
    columns[d ?? reached + 1].push(c.name)
  }
  const nodes: GraphNode[] = []
  columns.forEach((names, column) => names.forEach((name, row) => nodes.push({ name, column, row })))
  return {
    nodes,
    edges: shown,
    columns: columns.length,
    rows: Math.max(0, ...columns.map((c) => c.length)),
  }
}

/** What kind of chain a name is, for colours and the legend. */
export type ChainKind = 'builtin' | 'service' | 'endpoint' | 'kube' | 'user'

export function chainKind(name: string, builtin: boolean): ChainKind {
  if (builtin) return 'builtin'
  if (/^KUBE-(SVC|SVL|EXT|FW)-/.test(name)) return 'service'
  if (name.startsWith('KUBE-SEP-')) return 'endpoint'
  if (name.startsWith('KUBE-')) return 'kube'
  return 'user'
}
