import type { Journey } from '../../engine/journeys/journey.ts'
import { Badge } from '../app/Badge.tsx'
import { conntrackEntryAt, conntrackLine, hopLabel, whyNoMatch } from './journey-model.ts'

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  )
}

/** Everything about the hop on screen: where, which rule, what it did, conntrack, the kernel's trace line. */
export function StepDetails({ journey, step }: { journey: Journey; step: number }) {
  const hop = journey.hops[step]
  if (!hop) return null
  const ct = conntrackEntryAt(journey, step)
  const why = whyNoMatch(hop)
  const tone = hop.kind === 'drop' || hop.kind === 'reject' ? 'red' : hop.matched === false ? 'slate' : hop.kind === 'deliver' ? 'green' : 'blue'
  return (
    <section aria-label="Step details" data-testid="step-details" className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-slate-500">Step {step + 1} of {journey.hops.length} · {hop.leg}</span>
        <Badge tone={tone}>{hop.kind}{hop.kind === 'rule' ? (hop.matched ? ' · matched' : ' · no match') : ''}</Badge>
      </div>
      <h3 className="text-sm font-semibold text-slate-900" data-testid="step-title">{hopLabel(hop)}</h3>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-xs">
        {hop.hook && <Row label="hook">{hop.hook}</Row>}
        {hop.table && <Row label="table">{hop.table}</Row>}
        {hop.chain && <Row label="chain"><span className="font-mono">{hop.chain}</span></Row>}
        {hop.rule !== null && <Row label="rule">{hop.rule}</Row>}
        <Row label={hop.kind === 'rule' ? 'text' : 'what'}><span className={hop.kind === 'rule' || hop.kind === 'policy' ? 'font-mono' : ''} data-testid="step-text">{hop.text}</span></Row>
        {hop.verdict && <Row label="verdict"><span className="font-mono" data-testid="step-verdict">{hop.verdict}</span></Row>}
        {why && <Row label="no match"><span className="font-mono text-slate-700">{why}</span></Row>}
        {hop.via && <Row label="via"><span className="font-mono">{hop.via}</span></Row>}
      </dl>
      {hop.clauses && hop.clauses.length > 0 && (
        <ul aria-label="Clauses" className="space-y-0.5 rounded-md bg-slate-50 p-2 font-mono text-[11px]">
          {hop.clauses.map((c, i) => (
            <li key={i} className={c.matched ? 'text-emerald-800' : 'text-red-700'}>
              <span aria-label={c.matched ? 'matched' : 'failed'}>{c.matched ? '✓' : '✗'}</span> {c.clause} <span className="text-slate-500">— {c.why}</span>
            </li>
          ))}
        </ul>
      )}
      {hop.kernelTrace && (
        <div>
          <div className="text-[11px] font-semibold uppercase tracking-wide text-slate-500">Kernel trace (xtables-monitor --trace)</div>
          <pre aria-label="Kernel trace" className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-2 font-mono text-[11px] text-emerald-200">{hop.kernelTrace.trim()}</pre>
        </div>
      )}
      {ct && (
        <div>
          <div className="text-[11px] font-semibold uppercase tracking-wide text-slate-500">Conntrack entry</div>
          <pre aria-label="Conntrack entry" className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-100 p-2 font-mono text-[11px] text-slate-800">{conntrackLine(ct)}</pre>
        </div>
      )}
    </section>
  )
}
