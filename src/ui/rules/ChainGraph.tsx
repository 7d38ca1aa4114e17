import { useMemo } from 'react'
import type { ChainSummary } from '../../worker/node-protocol.ts'
import { chainKind, layoutChainGraph } from './chain-graph.ts'

const W = 172
const H = 22
const GAP_X = 40
const GAP_Y = 6
const PAD = 10

const fill = {
  builtin: '#334155', service: '#326ce5', endpoint: '#059669', kube: '#e0f2fe', user: '#ede9fe',
} as const

/** The table's chains as boxes, left to right in the order packets reach them, with an arrow per jump. */
export function ChainGraph({ chains, edges, open, highlighted, onOpen }: {
  chains: ChainSummary[]; edges: [string, string][]; open: string; highlighted: ReadonlySet<string>; onOpen: (chain: string) => void
}) {
  const layout = useMemo(() => layoutChainGraph(chains, edges), [chains, edges])
  const pos = new Map(layout.nodes.map((n) => [n.name, { x: PAD + n.column * (W + GAP_X), y: PAD + n.row * (H + GAP_Y) }]))
  const width = PAD * 2 + layout.columns * W + Math.max(0, layout.columns - 1) * GAP_X
  const height = PAD * 2 + layout.rows * (H + GAP_Y)
  const builtins = new Set(chains.filter((c) => c.policy !== undefined).map((c) => c.name))
  return (
    <svg width={width} height={height} role="img" aria-label={`Jump graph: ${layout.nodes.length} chains, ${layout.edges.length} jumps`} data-testid="chain-graph"
      className="font-mono text-[10.5px]">
      <defs>
        <marker id="chain-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" fill="#94a3b8" />
        </marker>
      </defs>
      {layout.edges.map(([from, to]) => {
        const a = pos.get(from)!
        const b = pos.get(to)!
        const lit = (highlighted.has(from) || builtins.has(from) || from === 'KUBE-SERVICES') && highlighted.has(to)
        const x1 = a.x + W
        const y1 = a.y + H / 2
        const x2 = b.x
        const y2 = b.y + H / 2
        const bend = Math.max(30, Math.abs(x2 - x1) / 2)
        return (
          <path key={`${from}->${to}`} d={`M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`} fill="none"
            stroke={lit ? '#f59e0b' : '#cbd5e1'} strokeWidth={lit ? 2 : 1} markerEnd="url(#chain-arrow)" />
        )
      })}
      {layout.nodes.map((n) => {
        const p = pos.get(n.name)!
        const kind = chainKind(n.name, builtins.has(n.name))
        const dark = kind === 'builtin' || kind === 'service' || kind === 'endpoint'
        const lit = highlighted.has(n.name)
        return (
          <g key={n.name} transform={`translate(${p.x},${p.y})`} role="button" tabIndex={0} aria-label={`Open chain ${n.name}`}
            data-chain={n.name} data-highlighted={lit || undefined} className="cursor-pointer"
            onClick={() => onOpen(n.name)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(n.name) } }}>
            <rect width={W} height={H} rx={4} fill={fill[kind]} stroke={lit ? '#f59e0b' : n.name === open ? '#0f172a' : 'transparent'} strokeWidth={lit || n.name === open ? 2.5 : 0} />
            <text x={6} y={H / 2 + 3.5} fill={dark ? '#fff' : '#0f172a'} fontWeight={n.name === open ? 700 : 400}>{n.name}</text>
          </g>
        )
      })}
    </svg>
  )
}
