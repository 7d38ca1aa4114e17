import { useState } from 'react'
import { setSaveCounters, useNodesView } from '../../state/nodes-view.ts'
import { engine } from '../../state/engine-sync.ts'
import { useAppStore } from '../../state/store.ts'
import { useEngineAnswer } from './use-engine-answer.ts'
import { useServiceChains } from './use-service-chains.ts'

/** The node's `iptables-save` (or `iptables-save -c`), as text to read or copy. */
/** Lines drawn at first: a node with thousands of Services has hundreds of thousands. */
export const SAVE_LINES_SHOWN = 2000

/** The node's `iptables-save` (or `iptables-save -c`), as text to read or copy. */
export function SaveView({ node }: { node: string }) {
  const counters = useNodesView((s) => s.saveCounters)
  const [all, setAll] = useState(false)
  const maxLines = all ? undefined : SAVE_LINES_SHOWN
  const answer = useEngineAnswer(`save:${node}:${counters}:${all}`, (client, scenario) =>
    client.node({ type: 'nodeSave', scenario, node, counters, ...(maxLines ? { maxLines } : {}) }))
  const highlight = useServiceChains()
  const scenario = useAppStore((s) => s.viewScenario)
  const [copied, setCopied] = useState<string | null>(null)
  const text = answer.data?.text ?? ''
  const lines = answer.data?.totalLines ?? 0
  const shownLines = text.split('\n')
  if (shownLines.at(-1) === '') shownLines.pop()
  async function copy() {
    try {
      // The whole text, even when only its beginning is drawn.
      const whole = lines > shownLines.length && scenario
        ? (await engine().node({ type: 'nodeSave', scenario, node, counters })).text : text
      await navigator.clipboard.writeText(whole)
      setCopied('Copied')
    } catch {
      setCopied('Copy failed: select the text instead')
    }
    setTimeout(() => setCopied(null), 2000)
  }
  return (
    <section className="flex h-full min-h-0 flex-col" aria-label={`iptables-save of ${node}`}>
      <div className="flex items-center gap-3 border-b border-slate-200 px-3 py-1.5 text-xs">
        <code className="text-slate-700">root@{node}:/# iptables-save{counters ? ' -c' : ''}</code>
        <label className="flex items-center gap-1 text-slate-600">
          <input type="checkbox" checked={counters} onChange={(e) => setSaveCounters(e.target.checked)} />
          Counters (-c)
        </label>
        <button type="button" onClick={() => void copy()} disabled={!text}
          className="rounded-md px-2 py-0.5 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-40">Copy</button>
        <span role="status" className="text-emerald-700">{copied}</span>
        {highlight.service && (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900 ring-1 ring-amber-300">
            service/{highlight.service.split('/')[1]}: {shownLines.filter((l) => mentionsAny(l, highlight.chains)).length} lines marked
          </span>
        )}
        <span className="ml-auto text-slate-500">{lines} lines</span>
      </div>
      {answer.error && <p role="alert" className="px-3 py-1 text-xs text-red-700">{answer.error}</p>}
      <pre data-testid="iptables-save-text" className="min-h-0 flex-1 overflow-auto bg-slate-50 px-3 py-2 font-mono text-[11.5px] leading-[1.45] text-slate-800">
        {shownLines.map((line, i) => <SaveLine key={i} line={line} highlighted={highlight.chains.size > 0 && mentionsAny(line, highlight.chains)} />)}
        {lines > shownLines.length && (
          <span className="block py-2 font-sans">
            <button type="button" onClick={() => setAll(true)} className="rounded-md bg-white px-2 py-0.5 text-xs text-k8s ring-1 ring-slate-300 hover:bg-slate-50">
              Show all {lines} lines ({lines - shownLines.length} more)
            </button>
          </span>
        )}
      </pre>
    </section>
  )
}

/** Whether a save line declares, fills or jumps to one of the chains (a chain name is a whole word). */
export function mentionsAny(line: string, chains: ReadonlySet<string>): boolean {
  for (const word of line.split(/[\s:]+/)) if (chains.has(word)) return true
  return false
}

function SaveLine({ line, highlighted }: { line: string; highlighted: boolean }) {
  const cls = line.startsWith('#') ? 'text-slate-400' : line.startsWith('*') || line === 'COMMIT' ? 'font-semibold text-k8s'
    : line.startsWith(':') ? 'text-violet-700' : ''
  return <span className={`block ${cls} ${highlighted ? 'bg-amber-100' : ''}`} data-highlighted={highlighted || undefined}>{line || '\u200b'}</span>
}
