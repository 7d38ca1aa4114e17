import { useEffect, useRef } from 'react'
import type { JourneyHop } from '../../engine/journeys/journey.ts'
import { paneHopIndex, rulesEvaluated, tableLabel, type ComparePane as Pane } from '../../state/compare.ts'
import { MODE_COLOURS, MODE_LABELS } from '../modes/mode-labels.ts'
import { placeName } from '../player/journey-model.ts'

/** Where a hop happens, as the tool of its mode would name it: `nat/KUBE-SERVICES`, `ip kube-proxy/services`. */
function whereText(hop: JourneyHop): string {
  if (hop.kind === 'move') return `move from ${hop.node ?? 'outside'}`
  if (hop.kind === 'deliver') return 'delivered'
  if (hop.chain === null) return hop.event ?? hop.kind
  const table = tableLabel(hop)
  return table ? `${table}/${hop.chain}` : hop.chain
}

function verdictText(hop: JourneyHop): string {
  if (hop.kind === 'rule') return hop.verdict ?? (hop.matched ? 'match' : 'no match')
  return hop.verdict ?? ''
}

/** The rules evaluated up to and including hop `index` of the request. */
function rulesSoFar(hops: readonly JourneyHop[], index: number): number {
  let n = 0
  for (let i = 0; i <= index && i < hops.length; i++) if (hops[i].leg === 'request' && hops[i].kind === 'rule') n++
  return n
}

/** One mode's side of the comparison: the packet's hops, the one at the shared step marked. */
export function ComparePane({ pane, step }: { pane: Pane; step: number }) {
  const at = paneHopIndex(pane, step)
  const current = useRef<HTMLLIElement>(null)
  useEffect(() => {
    current.current?.scrollIntoView({ block: 'nearest' })
  }, [at])
  const label = `${MODE_LABELS[pane.mode]} mode`
  const journey = pane.journey
  return (
    <section aria-label={label} data-testid="compare-pane" data-mode={pane.mode} className="flex min-h-0 min-w-0 flex-col rounded-lg bg-white ring-1 ring-slate-200">
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 border-b border-slate-200 px-3 py-2" style={{ borderTop: `3px solid ${MODE_COLOURS[pane.mode]}` }}>
        <h3 className="font-mono text-sm font-semibold text-slate-900">{pane.mode}</h3>
        {journey && (
          <>
            <span className="text-xs text-slate-600" title="Every rule the request was checked against on its way, matched or not, on every Node (iptables and nft rules; IPVS scheduling counts as one lookup). Policies, chain returns and conntrack events are not rules.">
              <b className="font-semibold text-slate-900" data-testid="rules-evaluated">{rulesEvaluated(journey)}</b> rules evaluated per packet
            </span>
            <span className="text-xs text-slate-600" data-testid="pane-reached">
              {journey.reached ? `reaches ${placeName(journey.reached)}` : journey.verdict}
            </span>
          </>
        )}
      </header>
      {pane.error && <p role="alert" className="m-3 rounded-md bg-red-50 px-2 py-1.5 text-sm text-red-800">{pane.error}</p>}
      {journey && at !== null && (
        <>
          <CurrentHop hop={journey.hops[at]} last={at === journey.hops.length - 1} rules={rulesSoFar(journey.hops, at)} total={rulesEvaluated(journey)} />
          <ol className="min-h-0 flex-1 overflow-auto py-1 text-[11px]" aria-label={`Hops in ${label}`}>
            {journey.hops.map((hop, i) => (
              <li key={i} ref={i === at ? current : undefined} aria-current={i === at ? 'step' : undefined} data-testid="compare-hop"
                className={`grid grid-cols-[2rem_minmax(0,1fr)_auto] gap-x-2 border-l-2 px-2 py-0.5 ${
                  i === at ? 'border-amber-500 bg-amber-100 text-slate-900' : i > at ? 'border-transparent text-slate-400' : 'border-transparent text-slate-700'}`}>
                <span className="text-right font-mono tabular-nums">{i + 1}</span>
                <span className={`truncate font-mono ${hop.kind === 'rule' ? 'font-semibold' : ''}`} title={hop.node ?? undefined}>
                  {whereText(hop)}{hop.leg === 'reply' && <span className="ml-1 font-sans font-normal text-slate-400">(reply)</span>}
                </span>
                <span className={`max-w-[12rem] truncate text-right ${hop.kind === 'rule' && hop.matched ? 'font-semibold' : ''}`} title={verdictText(hop)}>{verdictText(hop)}</span>
                <span />
                <span className={`col-span-2 truncate font-mono ${hop.kind === 'rule' ? '' : 'font-sans italic'}`} title={hop.text}>{hop.text}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  )
}

function CurrentHop({ hop, last, rules, total }: { hop: JourneyHop; last: boolean; rules: number; total: number }) {
  return (
    <div className="border-b border-slate-200 bg-slate-50 px-3 py-2" data-testid="compare-current-hop">
      <div className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-600">
        <span className="font-mono font-semibold text-slate-800">{hop.node ?? 'outside'}</span>
        <span className="font-mono">{whereText(hop)}</span>
        {hop.hook && <span className="rounded bg-slate-200 px-1 font-mono text-[10px]">{hop.hook}</span>}
        <span className="ml-auto tabular-nums" title="Rules evaluated so far, of the request's total">{rules} / {total} rules</span>
      </div>
      <p className="mt-1 break-all font-mono text-[11.5px] leading-snug text-slate-900">{hop.text}</p>
      <p className="mt-0.5 text-xs text-slate-600">
        {verdictText(hop) && <span className="font-semibold text-slate-800">{verdictText(hop)}</span>}
        {last && hop.kind === 'deliver' && <span className="ml-1 text-emerald-700">— end of the journey</span>}
      </p>
    </div>
  )
}
