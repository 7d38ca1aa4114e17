import { useEffect, useState } from 'react'
import { HOOK_TABLES } from '../../engine/netfilter/hook-tables.ts'
import type { Hook, TableName } from '../../engine/netfilter/types.ts'
import {
  followChain, openChain, RULE_TABLES, setRulesFilter, setRulesOffset, showTable, useNodesView,
} from '../../state/nodes-view.ts'
import type { ChainSummary, RuleRow, SelectedChain, TableView } from '../../worker/node-protocol.ts'
import { ChainGraph } from './ChainGraph.tsx'
import { ProxyModeBadge } from '../modes/ModeSwitch.tsx'
import { chainKind } from './chain-graph.ts'
import { useEngineAnswer } from './use-engine-answer.ts'
import { useServiceChains } from './use-service-chains.ts'

export const PAGE_SIZE = 100

/** The chain a table opens on: where packets enter it first (the first hook, in packet order, it runs at). */
const FIRST_CHAIN = Object.fromEntries(RULE_TABLES.map((t) => [t, (Object.keys(HOOK_TABLES) as Hook[]).find((h) => HOOK_TABLES[h].includes(t))!])) as Record<TableName, Hook>

/**
 * One Node's netfilter rules as `iptables -L -v -n` shows them, a table at a time: the chains with their
 * policies and counters, the open chain's rules (a page at a time; the rule set stays in the worker), the
 * jumps in and out of it, and the whole table's jump graph. The selected Service's chains are marked.
 */
export function RulesView({ node }: { node: string }) {
  const table = useNodesView((s) => s.table)
  const chosen = useNodesView((s) => s.chain)
  const filter = useNodesView((s) => s.filter)
  const offset = useNodesView((s) => s.offset)
  const trail = useNodesView((s) => s.trail)
  const [graph, setGraph] = useState(false)
  const chain = chosen ?? FIRST_CHAIN[table]
  const key = JSON.stringify([node, table, chain, filter, offset])
  const answer = useEngineAnswer(key, (client, scenario) => client.node({
    type: 'nodeTable', scenario, node, query: { table, chain, offset, limit: PAGE_SIZE, ...(filter ? { filter } : {}) },
  }).then((r) => r.table))
  const highlight = useServiceChains()
  const view = answer.data
  const present = view ? view.chains.filter((c) => highlight.chains.has(c.name)) : []

  return (
    <section className="flex h-full min-h-0 flex-col" aria-label={`Rules of ${node}`} data-testid="rules-view">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 px-3 py-1.5">
        <div role="group" aria-label="Table" className="flex overflow-hidden rounded-md ring-1 ring-slate-300">
          {RULE_TABLES.map((t) => (
            <button key={t} type="button" aria-pressed={table === t} onClick={() => showTable(t)}
              className={`px-2.5 py-0.5 font-mono text-xs ${table === t ? 'bg-k8s text-white' : 'bg-white text-slate-600 hover:bg-slate-50'}`}>{t}</button>
          ))}
        </div>
        <FilterBox filter={filter} />
        <button type="button" aria-pressed={graph} onClick={() => setGraph(!graph)}
          className={`rounded-md px-2.5 py-0.5 text-xs ring-1 ${graph ? 'bg-slate-800 text-white ring-slate-800' : 'bg-white text-slate-600 ring-slate-300 hover:bg-slate-50'}`}>
          Jump graph
        </button>
        <ProxyModeBadge />
        <span className="text-[11px] text-slate-500" title="kube-proxy in iptables mode writes the chains, rules and comments of this Kubernetes release">
          kube-proxy layout: Kubernetes <b className="font-semibold text-slate-700" data-testid="layout-release">{view?.release ?? '…'}</b>
        </span>
        {highlight.service && (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 ring-1 ring-amber-300" data-testid="highlight-note">
            service/{highlight.service.split('/')[1]}: {present.length} chain{present.length === 1 ? '' : 's'} in this table
          </span>
        )}
      </div>
      {answer.error && <p role="alert" className="px-3 py-1 text-xs text-red-700">{answer.error}</p>}
      {view && (
        <div className={`grid min-h-0 flex-1 ${graph ? 'grid-cols-1' : 'grid-cols-[250px_1fr]'}`}>
          {/* The graph shows every chain itself: it takes the list's room. */}
          {!graph && <ChainList view={view} open={chain} highlighted={highlight.chains} />}
          <div className="min-h-0 min-w-0 overflow-auto">
            {graph ? (
              view.edges ? <ChainGraph chains={view.chains} edges={view.edges} open={chain} highlighted={highlight.chains} onOpen={(c) => { followChain(c); setGraph(false) }} />
                : <p className="p-3 text-sm text-slate-600">This table has {view.totalChains} chains: too many to draw at once. Follow the jumps from the rule list instead.</p>
            ) : view.selected ? (
              <ChainDetail chain={view.selected} trail={trail} highlighted={highlight.chains} table={table} />
            ) : (
              <p className="p-3 text-sm text-slate-600">
                {view.exists || table === 'filter' ? `No chain ${chain} in the ${table} table on ${node}.` : `The ${table} table holds nothing on ${node} yet.`}{' '}
                {chosen && <button type="button" className="text-k8s hover:underline" onClick={() => openChain(FIRST_CHAIN[table])}>Open {FIRST_CHAIN[table]}</button>}
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  )
}

/** The filter asks the worker again only once typing pauses: a big table is scanned rule by rule. */
function FilterBox({ filter }: { filter: string }) {
  const [text, setText] = useState(filter)
  const [shownFor, setShownFor] = useState(filter)
  // Follow a filter reset from elsewhere (a sync diff opening a chain).
  if (shownFor !== filter) {
    setShownFor(filter)
    setText(filter)
  }
  useEffect(() => {
    if (text === filter) return
    const timer = setTimeout(() => setRulesFilter(text), 250)
    return () => clearTimeout(timer)
  }, [text, filter])
  return (
    <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Filter chains and rules"
      aria-label="Filter chains and rules"
      className="w-48 rounded-md border border-slate-300 px-2 py-0.5 text-xs focus:border-k8s focus:outline-none focus:ring-2 focus:ring-k8s/30" />
  )
}

function ChainList({ view, open, highlighted }: { view: TableView; open: string; highlighted: ReadonlySet<string> }) {
  return (
    <nav aria-label="Chains" className="min-h-0 overflow-auto border-r border-slate-200 bg-slate-50 py-1">
      <div className="px-3 pb-1 text-[11px] text-slate-500">
        {view.matchingChains === view.totalChains ? `${view.totalChains} chains` : `${view.matchingChains} of ${view.totalChains} chains match`}
        {!view.exists && ' · table not in use'}
        {view.chains.length < view.matchingChains && <div>showing the first {view.chains.length}: filter to find others</div>}
      </div>
      <ul>
        {view.chains.map((c) => <ChainItem key={c.name} chain={c} open={c.name === open} highlighted={highlighted.has(c.name)} />)}
      </ul>
    </nav>
  )
}

const kindDot = {
  builtin: 'bg-slate-700', service: 'bg-k8s', endpoint: 'bg-emerald-500', kube: 'bg-sky-300', user: 'bg-violet-500',
} as const

function ChainItem({ chain, open, highlighted }: { chain: ChainSummary; open: boolean; highlighted: boolean }) {
  const kind = chainKind(chain.name, chain.policy !== undefined)
  return (
    <li>
      <button type="button" onClick={() => openChain(chain.name)} aria-current={open ? 'true' : undefined}
        data-chain={chain.name} data-highlighted={highlighted || undefined}
        title={chain.policy ? `policy ${chain.policy}` : `${chain.references} references`}
        className={`flex w-full items-center gap-1.5 border-l-4 px-2 py-[3px] text-left font-mono text-[11.5px] ${
          open ? 'bg-k8s/10 text-slate-900' : 'text-slate-700 hover:bg-white'} ${
          highlighted ? 'border-amber-400 bg-amber-50' : 'border-transparent'}`}>
        <span aria-hidden className={`h-2 w-2 shrink-0 rounded-full ${kindDot[kind]}`} />
        <span className={`min-w-0 flex-1 truncate ${chain.policy ? 'font-semibold' : ''}`}>{chain.name}</span>
        <span className="shrink-0 text-[10.5px] text-slate-400">{chain.policy ? chain.policy : ''} {chain.rules}</span>
      </button>
    </li>
  )
}

function ChainDetail({ chain, trail, highlighted, table }: { chain: SelectedChain; trail: string[]; highlighted: ReadonlySet<string>; table: TableName }) {
  const path = trail.length > 1 && trail[trail.length - 1] === chain.name ? trail : null
  const end = chain.offset + chain.rows.length
  return (
    <div className="px-3 py-2" data-testid="chain-detail" data-chain={chain.name}>
      {path && (
        <nav aria-label="Jumps followed" className="mb-1 flex flex-wrap items-center gap-1 font-mono text-[11px] text-slate-500">
          {path.map((c, i) => (
            <span key={`${c}-${i}`} className="flex items-center gap-1">
              {i > 0 && <span aria-hidden>→</span>}
              {i < path.length - 1
                ? <button type="button" className="text-k8s hover:underline" onClick={() => followChain(c)}>{c}</button>
                : <span className="text-slate-800">{c}</span>}
            </span>
          ))}
        </nav>
      )}
      <h3 className="font-mono text-[12.5px] font-semibold text-slate-900" data-testid="chain-header">
        Chain {chain.name}{' '}
        <span className="font-normal text-slate-600">
          {chain.policy ? `(policy ${chain.policy} ${chain.policyPackets} packets, ${chain.policyBytes} bytes)` : `(${chain.references} references)`}
        </span>
        {highlighted.has(chain.name) && <span className="ml-2 rounded bg-amber-100 px-1 text-[11px] font-normal text-amber-900">selected Service</span>}
      </h3>
      <Neighbours label="From" title={`Chains of the ${table} table that jump to ${chain.name}`} chains={chain.callers} total={chain.callersTotal} highlighted={highlighted} />
      <Neighbours label="To" title={`Chains ${chain.name} jumps to`} chains={chain.callees} total={chain.calleesTotal} highlighted={highlighted} />
      <RulesTable chain={chain} highlighted={highlighted} />
      {chain.total > PAGE_SIZE && (
        <div className="mt-1 flex items-center gap-2 text-xs text-slate-600" aria-label="Pages">
          <button type="button" disabled={chain.offset === 0} onClick={() => setRulesOffset(chain.offset - PAGE_SIZE)}
            className="rounded px-2 py-0.5 ring-1 ring-slate-300 disabled:opacity-40">Previous {PAGE_SIZE}</button>
          <span>rules {chain.offset + 1}–{end} of {chain.total}</span>
          <button type="button" disabled={end >= chain.total} onClick={() => setRulesOffset(chain.offset + PAGE_SIZE)}
            className="rounded px-2 py-0.5 ring-1 ring-slate-300 disabled:opacity-40">Next {PAGE_SIZE}</button>
        </div>
      )}
    </div>
  )
}

function Neighbours({ label, title, chains, total, highlighted }: { label: string; title: string; chains: string[]; total: number; highlighted: ReadonlySet<string> }) {
  if (chains.length === 0) return null
  // The selected Service's chains first, so they are never among the ones left out.
  const shown = [...chains.filter((c) => highlighted.has(c)), ...chains.filter((c) => !highlighted.has(c))].slice(0, 12)
  return (
    <div className="mt-0.5 flex flex-wrap items-baseline gap-1 text-[11px]" aria-label={title}>
      <span className="w-8 shrink-0 text-slate-500">{label}</span>
      {shown.map((c) => (
        <button key={c} type="button" onClick={() => followChain(c)}
          className={`rounded px-1 font-mono ring-1 ${highlighted.has(c) ? 'bg-amber-50 text-amber-900 ring-amber-300' : 'text-k8s ring-slate-200 hover:bg-slate-50'}`}>{c}</button>
      ))}
      {total > shown.length && <span className="text-slate-500">and {total - shown.length} more</span>}
    </div>
  )
}

function RulesTable({ chain, highlighted }: { chain: SelectedChain; highlighted: ReadonlySet<string> }) {
  if (chain.total === 0) return <p className="mt-2 text-xs text-slate-500">No rules{chain.policy ? `: every packet gets the policy ${chain.policy}` : ''}.</p>
  return (
    <table className="mt-2 w-full border-collapse font-mono text-[11.5px]" aria-label={`Rules of chain ${chain.name}`}>
      <thead className="text-left text-[11px] text-slate-500">
        <tr className="whitespace-pre">
          <th className="pr-2 font-medium">num</th>
          <th className="pr-1 text-right font-medium">pkts</th>
          <th className="pr-2 text-right font-medium">bytes</th>
          <th className="pr-2 font-medium">target</th>
          <th className="font-medium">{' prot opt in     out     source               destination'}</th>
        </tr>
      </thead>
      <tbody>
        {chain.rows.map((r) => <Rule key={r.num} row={r} highlighted={highlighted.has(chain.name) || (r.targetChain !== undefined && highlighted.has(r.targetChain))} />)}
      </tbody>
    </table>
  )
}

function Rule({ row, highlighted }: { row: RuleRow; highlighted: boolean }) {
  return (
    <tr data-testid="rule-row" data-highlighted={highlighted || undefined} title={row.spec}
      className={`whitespace-pre align-top ${highlighted ? 'bg-amber-50' : 'hover:bg-slate-50'}`}>
      <td className="pr-2 text-slate-400">{row.num}</td>
      <td className="pr-1 text-right text-slate-600" title={`${row.packets} packets`}>{row.pktsText.trim()}</td>
      <td className="pr-2 text-right text-slate-600" title={`${row.bytes} bytes`}>{row.bytesText.trim()}</td>
      <td className="pr-2">
        {row.targetChain ? (
          <button type="button" onClick={() => followChain(row.targetChain!)} title={`${row.goto ? 'Go to' : 'Jump to'} chain ${row.targetChain}`}
            className={`hover:underline ${highlighted ? 'font-semibold text-amber-800' : 'text-k8s'}`}>{row.target}{row.goto ? ' (goto)' : ''}</button>
        ) : <span className={targetColour(row.target)}>{row.target}</span>}
      </td>
      {/* The options (comment, ports, DNAT target, ...) go under the fixed columns: the panel is narrower than -L's lines. */}
      <td className="whitespace-normal text-slate-700">
        <span className="whitespace-pre">{row.columns}</span>{row.extra && <span className="block break-words pl-1 text-slate-500">{row.extra}</span>}
      </td>
    </tr>
  )
}

function targetColour(target: string): string {
  if (target === 'DROP' || target === 'REJECT') return 'font-semibold text-red-700'
  if (target === 'ACCEPT') return 'font-semibold text-emerald-700'
  if (target === 'DNAT' || target === 'SNAT' || target === 'MASQUERADE') return 'font-semibold text-violet-700'
  return 'text-slate-800'
}
