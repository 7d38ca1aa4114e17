import { useMemo } from 'react'
import type { Journey, JourneyHop } from '../../engine/journeys/journey.ts'
import { HOOK_TABLES } from '../../engine/netfilter/hook-tables.ts'
import type { Hook } from '../../engine/netfilter/types.ts'
import { usePlayerStore } from '../../state/player.ts'
import { chainVisit, conntrackStateAt, hopTitle, whyNoMatch } from './journey-model.ts'
import { PacketHeader } from './PacketHeader.tsx'
import { useEngineAnswer } from '../rules/use-engine-answer.ts'

/** Where the token sits in the pipeline drawing: a table in a hook, conntrack, a routing decision, or outside. */
type Spot =
  | { kind: 'table'; hook: Hook; table: string }
  | { kind: 'conntrack'; hook: Hook }
  | { kind: 'routing'; after: 'PREROUTING' | 'OUTPUT-start' }
  | { kind: 'confirm'; hook: Hook }
  | { kind: 'outside' }

function spotOf(journey: Journey, step: number): Spot {
  const hop = journey.hops[step]
  if (hop.kind === 'move' || hop.kind === 'deliver') return { kind: 'outside' }
  if (hop.kind === 'event') {
    switch (hop.event) {
      case 'conntrack': return { kind: 'conntrack', hook: hop.hook ?? 'PREROUTING' }
      // Conntrack confirms the entry at the last hook the packet passes (POSTROUTING, or INPUT for the host).
      case 'confirm': return { kind: 'confirm', hook: previousHook(journey, step) === 'INPUT' ? 'INPUT' : 'POSTROUTING' }
      case 'routing': {
        // An arriving packet is routed after PREROUTING; a Node's own packet before OUTPUT (and re-routed
        // after it when OUTPUT changed its destination or mark).
        const before = previousHook(journey, step)
        return { kind: 'routing', after: before === null || before === 'OUTPUT' ? 'OUTPUT-start' : 'PREROUTING' }
      }
      default: return hop.hook && hop.table ? { kind: 'table', hook: hop.hook, table: hop.table } : hop.hook ? { kind: 'conntrack', hook: hop.hook } : { kind: 'outside' }
    }
  }
  return hop.hook && hop.table ? { kind: 'table', hook: hop.hook, table: hop.table } : { kind: 'outside' }
}

/** The hook of the last hop before `step` in the same traversal (same Node, same leg), or null at its start. */
function previousHook(journey: Journey, step: number): Hook | null {
  const hop = journey.hops[step]
  for (let i = step - 1; i >= 0; i--) {
    const h = journey.hops[i]
    if (h.node !== hop.node || h.leg !== hop.leg || h.kind === 'move') return null
    if (h.hook) return h.hook
  }
  return null
}

/** The hooks this Node's traversal (of this leg) passed through, for shading the path. */
function hooksVisited(journey: Journey, step: number): Set<string> {
  const hop = journey.hops[step]
  const out = new Set<string>()
  for (let i = step; i >= 0; i--) {
    const h = journey.hops[i]
    if (h.node !== hop.node || h.leg !== hop.leg || (h.kind === 'move' && i !== step)) break
    if (h.hook) out.add(h.hook)
  }
  return out
}

function Token() {
  return <span data-testid="pipeline-token" aria-label="the packet is here" className="ml-1 inline-block h-2.5 w-2.5 shrink-0 rounded-full bg-amber-500 ring-2 ring-amber-200" />
}

function Chip({ label, active, title }: { label: string; active: boolean; title?: string }) {
  return (
    <div title={title} data-active={active || undefined}
      className={`flex items-center justify-between rounded px-1.5 font-mono text-[10px] leading-4 ${active ? 'bg-amber-100 font-semibold text-amber-900 ring-1 ring-amber-400' : 'bg-white text-slate-600 ring-1 ring-slate-200'}`}>
      {label}{active && <Token />}
    </div>
  )
}

function HookColumn({ hook, spot, visited }: { hook: Hook; spot: Spot; visited: boolean }) {
  const here = (spot.kind === 'table' || spot.kind === 'conntrack') && spot.hook === hook
  const tables = HOOK_TABLES[hook]
  return (
    <div data-hook={hook} data-current={here || undefined}
      className={`flex min-w-0 flex-1 flex-col gap-0.5 rounded-md border px-1.5 py-1 ${here ? 'border-amber-400 bg-amber-50' : visited ? 'border-k8s/40 bg-k8s/5' : 'border-slate-200 bg-slate-50'}`}>
      <div className={`text-[10px] font-semibold leading-4 ${here ? 'text-amber-900' : 'text-slate-700'}`}>{hook}</div>
      {tables.map((t) => (
        <div key={t} className="contents">
          <Chip label={t} active={spot.kind === 'table' && spot.hook === hook && spot.table === t} />
          {/* conntrack's lookup runs at priority -200: after raw, before mangle. */}
          {t === 'raw' && <Chip label="conntrack" title="conntrack lookup (priority -200)" active={spot.kind === 'conntrack' && spot.hook === hook} />}
        </div>
      ))}
      {(hook === 'POSTROUTING' || hook === 'INPUT') && <Chip label="ct confirm" title="conntrack confirms the entry as the packet leaves netfilter" active={spot.kind === 'confirm' && spot.hook === hook} />}
    </div>
  )
}

function Routing({ active, label }: { active: boolean; label: string }) {
  return (
    <div className={`flex w-14 shrink-0 flex-col items-center justify-center text-center text-[10px] leading-tight ${active ? 'font-semibold text-amber-900' : 'text-slate-500'}`} data-active={active || undefined}>
      <span aria-hidden className={`mb-0.5 inline-block h-3 w-3 rotate-45 border ${active ? 'border-amber-500 bg-amber-300' : 'border-slate-400 bg-white'}`} />
      {label}
      {active && <Token />}
    </div>
  )
}

function RuleRow({ num, text, hop, current, future, packets }: { num: string; text: string; hop: JourneyHop | undefined; current: boolean; future: boolean; packets?: string }) {
  const why = hop ? whyNoMatch(hop) : null
  const outcome = !hop ? 'not evaluated for this packet' : future ? '' : hop.matched === false ? `✗ ${why ?? 'no match'}` : hop.verdict ? `⇒ ${hop.verdict}` : ''
  return (
    <li data-testid="chain-rule" data-current={current || undefined} data-packets={packets} data-matched={hop?.matched === undefined ? undefined : String(hop.matched)}
      aria-current={current ? 'step' : undefined}
      className={`grid grid-cols-[2rem_3rem_minmax(0,1fr)_minmax(0,16rem)] gap-x-2 rounded px-1.5 py-px font-mono text-[11px] leading-4 ${current ? 'bg-amber-100 ring-1 ring-amber-400' : future || !hop ? 'opacity-45' : ''}`}>
      <span className="text-right text-slate-500">{num}</span>
      <span className="text-right tabular-nums text-slate-500" title="packets (iptables -L -v), now">{packets ?? ''}</span>
      <span className="truncate text-slate-900" title={text}>{text}</span>
      <span className={`truncate ${hop?.matched === false || !hop ? 'text-slate-500' : 'text-emerald-800'}`} title={outcome}>{outcome}</span>
    </li>
  )
}

/**
 * The chain's rules: every rule the Node has in it now (with its packet counter, as `iptables -L -v`
 * shows it), each with what it did to this packet when it was evaluated; without the engine's answer yet,
 * the rules this packet met.
 */
function ChainRules({ hop, visit }: { hop: JourneyHop; visit: JourneyHop[] }) {
  const key = hop.node && hop.table && hop.chain ? `${hop.node}|${hop.table}|${hop.chain}` : null
  const answer = useEngineAnswer(key, (client, scenario) =>
    client.node({ type: 'nodeTable', scenario, node: hop.node!, query: { table: hop.table!, chain: hop.chain!, limit: 500 } }))
  const selected = answer.stale ? undefined : answer.data?.table.selected
  const byRule = new Map(visit.filter((h) => h.rule !== null).map((h) => [h.rule!, h]))
  const policyHop = visit.find((h) => h.kind === 'policy' || h.kind === 'return')
  return (
    <>
      <div className="sticky top-0 border-b border-slate-200 bg-white px-2 py-1 text-[11px] text-slate-600">
        <span className="font-semibold">{hop.table}</span> table, chain <span className="font-mono font-semibold">{hop.chain}</span>
        <span className="text-slate-400"> · {selected ? `${selected.total} rules; pkts: counters on ${hop.node} now` : 'rules as evaluated for this packet'}</span>
      </div>
      <ol aria-label={`Rules of ${hop.chain}`} className="space-y-px p-1">
        {selected
          ? selected.rows.map((r) => {
              const h = byRule.get(r.num)
              return <RuleRow key={r.num} num={String(r.num)} text={r.spec} hop={h} current={h?.index === hop.index} future={!!h && h.index > hop.index} packets={r.pktsText.trim()} />
            })
          : visit.filter((h) => h.rule !== null).map((h) => <RuleRow key={h.index} num={String(h.rule)} text={h.text} hop={h} current={h.index === hop.index} future={h.index > hop.index} />)}
        {policyHop && (
          <RuleRow num={policyHop.kind === 'policy' ? 'pol' : '↩'} text={policyHop.kind === 'policy' ? `${hop.chain} ${policyHop.text}` : `end of ${hop.chain}: back to the calling chain`}
            hop={policyHop} current={policyHop.index === hop.index} future={policyHop.index > hop.index}
            packets={policyHop.kind === 'policy' && selected?.policyPackets !== undefined ? String(selected.policyPackets) : undefined} />
        )}
      </ol>
    </>
  )
}

/**
 * Inside the Node where the packet is: its netfilter hooks with their tables in priority order, conntrack
 * and the routing decisions, the token at the current step; the rules of the chain being evaluated with
 * the rule under evaluation highlighted; the packet's header beside them.
 */
export function NodePipeline() {
  const journey = usePlayerStore((s) => s.journey)
  const step = usePlayerStore((s) => s.step)
  const view = useMemo(() => {
    if (!journey || !journey.hops[step]) return null
    const visit = chainVisit(journey, step)
    return { spot: spotOf(journey, step), visited: hooksVisited(journey, step), visit, ct: conntrackStateAt(journey, step) }
  }, [journey, step])
  if (!journey || !view) {
    return (
      <p className="p-4 text-sm text-slate-600" data-testid="node-pipeline">
        Send a packet (the Packet tab on the right) to follow it through each Node's netfilter hooks, tables and chains.
      </p>
    )
  }
  const hop = journey.hops[step]
  const { spot, visited, visit, ct } = view
  const node = hop.node
  return (
    <section aria-label="Netfilter pipeline" data-testid="node-pipeline" className="flex h-full min-h-0 gap-3 p-3">
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">
          {spot.kind === 'outside' ? (hop.kind === 'deliver' ? 'Delivered' : 'Between machines') : <>Inside <span className="normal-case text-slate-800">{node}</span> · netfilter</>}
          <span className="ml-2 font-normal normal-case text-slate-600">{hopTitle(hop)}</span>
        </h2>
        {spot.kind === 'outside' ? (
          <p className="rounded-md border border-violet-200 bg-violet-50 px-3 py-2 text-sm text-violet-900" data-testid="pipeline-move">{hop.text}</p>
        ) : (
          <div className="flex items-stretch gap-1" data-testid="pipeline-hooks">
            <HookColumn hook="PREROUTING" spot={spot} visited={visited.has('PREROUTING')} />
            <Routing label="routing decision" active={spot.kind === 'routing' && spot.after === 'PREROUTING'} />
            <div className="flex min-w-0 flex-[2] gap-1">
              <HookColumn hook="INPUT" spot={spot} visited={visited.has('INPUT')} />
              <HookColumn hook="FORWARD" spot={spot} visited={visited.has('FORWARD')} />
            </div>
            <Routing label="local out: routing, re-route" active={spot.kind === 'routing' && spot.after === 'OUTPUT-start'} />
            <HookColumn hook="OUTPUT" spot={spot} visited={visited.has('OUTPUT')} />
            <HookColumn hook="POSTROUTING" spot={spot} visited={visited.has('POSTROUTING')} />
          </div>
        )}
        <div className="min-h-0 flex-1 overflow-auto rounded-md border border-slate-200 bg-white">
          {visit.length > 0 ? (
            <ChainRules hop={hop} visit={visit} />
          ) : (
            <p className="px-2 py-1.5 text-xs text-slate-600">
              {hop.kind === 'event' ? hop.text : hop.kind === 'move' || hop.kind === 'deliver' ? 'No netfilter chain here: the packet is on a link (a veth or the kind bridge).' : 'No chain at this step.'}
            </p>
          )}
        </div>
      </div>
      <div className="w-60 shrink-0">
        <PacketHeader hop={hop} ctState={ct} />
      </div>
    </section>
  )
}
