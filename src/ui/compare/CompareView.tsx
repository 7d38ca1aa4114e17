import { useEffect, useMemo, useState } from 'react'
import {
  chooseCompareMode, closeCompare, compareFirstStep, compareLastStep, compareModes, compareStepBack, compareStepForward,
} from '../../state/compare-actions.ts'
import { PROXY_MODES, type ProxyMode } from '../../engine/kube-proxy/proxy-modes.ts'
import { endpointKinds, lastCompareStep, useCompareStore } from '../../state/compare.ts'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'
import { defaultForm, destinationChoices, requestOf, sourceChoices, type PacketForm } from '../player/packet-form.ts'
import { ComparePane } from './ComparePane.tsx'
import { RulesChart } from './RulesChart.tsx'

const field = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-k8s focus:outline-none focus:ring-2 focus:ring-k8s/20'

type Tab = 'step' | 'chart'

/**
 * The same packet under two kube-proxy modes, side by side, moved by one step control; and the chart of rules
 * evaluated per packet against the number of Services. The packets go to copies of the cluster in the worker:
 * the scenario, its counters and conntrack stay as they are.
 */
export function CompareView() {
  const [tab, setTab] = useState<Tab>('step')
  useEffect(() => {
    // Escape closes the view when focus is in it (or nowhere), not while typing in the side panel's editor.
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : null
      if (e.key === 'Escape' && (!target || target === document.body || target.closest('[data-testid="compare-view"]'))) closeCompare()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <section aria-label="Compare modes" data-testid="compare-view" className="absolute inset-0 z-30 flex min-h-0 flex-col bg-slate-100">
      <div className="flex shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4 py-2">
        <h2 className="whitespace-nowrap text-base font-semibold text-slate-900">Compare kube-proxy modes</h2>
        <div role="tablist" aria-label="Compare" className="flex gap-1">
          {([['step', 'Same packet, two modes'], ['chart', 'Rules vs. Services chart']] as const).map(([id, label]) => (
            <button key={id} type="button" role="tab" id={`tab-compare-${id}`} aria-selected={tab === id} aria-controls={`panel-compare-${id}`}
              onClick={() => setTab(id)}
              className={`whitespace-nowrap rounded-md px-2.5 py-1 text-sm font-medium ${tab === id ? 'bg-k8s text-white' : 'text-slate-600 hover:bg-slate-100'}`}>
              {label}
            </button>
          ))}
        </div>
        <p className="hidden text-xs text-slate-500 xl:block">Sent on copies of the cluster: your scenario does not change.</p>
        <Button variant="ghost" className="ml-auto" onClick={closeCompare} aria-label="Close compare view" title="Close (Esc)">
          <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4"><path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" /></svg>
          Close
        </Button>
      </div>
      <div role="tabpanel" id={`panel-compare-${tab}`} aria-labelledby={`tab-compare-${tab}`} className="flex min-h-0 flex-1 flex-col">
        {tab === 'step' ? <StepThrough /> : <div className="min-h-0 flex-1 overflow-auto p-4"><RulesChart /></div>}
      </div>
    </section>
  )
}

function StepThrough() {
  const panes = useCompareStore((s) => s.panes)
  const step = useCompareStore((s) => s.step)
  const error = useCompareStore((s) => s.error)
  const panesScenario = useCompareStore((s) => s.panesScenario)
  const scenario = useAppStore((s) => s.scenario)
  const stale = panes.length > 0 && panesScenario !== scenario
  return (
    <>
      <CompareForm />
      {error && <p role="alert" className="mx-4 mt-2 rounded-md bg-red-50 px-2 py-1.5 text-sm text-red-800">{error}</p>}
      {stale && <p role="status" className="mx-4 mt-2 rounded-md bg-amber-50 px-2 py-1.5 text-xs text-amber-900 ring-1 ring-amber-200">The cluster has changed since these packets were sent: send again to compare the current cluster.</p>}
      {panes.length > 0 ? (
        <div role="region" aria-label="Compared journeys" className="flex min-h-0 flex-1 flex-col gap-2 px-4 pb-3 pt-2">
          <StepControl />
          <div className="grid min-h-0 flex-1 grid-cols-2 gap-3">
            {panes.map((pane) => <ComparePane key={pane.mode} pane={pane} step={step} />)}
          </div>
        </div>
      ) : (
        <p className="px-4 py-6 text-sm text-slate-500">Pick two modes, a source and a destination, then send: the packet's path under each mode appears side by side, hop by hop.</p>
      )}
    </>
  )
}

function ModeSelect({ side, value }: { side: 0 | 1; value: ProxyMode }) {
  const id = `compare-mode-${side}`
  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">{side === 0 ? 'Left mode' : 'Right mode'}</label>
      <select id={id} value={value} onChange={(e) => chooseCompareMode(side, e.target.value as ProxyMode)} className={`${field} font-mono`}>
        {PROXY_MODES.map((m) => <option key={m} value={m}>{m}</option>)}
      </select>
    </div>
  )
}

/** Two modes, a source and a destination (the player's choices, in a compact row). */
function CompareForm() {
  const snapshot = useAppStore((s) => s.view?.snapshot)
  const modes = useCompareStore((s) => s.modes)
  const sending = useCompareStore((s) => s.sending)
  const [form, setForm] = useState<PacketForm | null>(null)
  useEffect(() => {
    if (!form && snapshot) setForm(defaultForm(snapshot))
  }, [form, snapshot])
  const current = form ?? defaultForm(snapshot)
  const sources = useMemo(() => sourceChoices(snapshot), [snapshot])
  const destinations = useMemo(() => destinationChoices(snapshot), [snapshot])
  const request = requestOf(current)
  const problem = typeof request === 'string' ? request : null
  return (
    <form className="flex shrink-0 flex-wrap items-center gap-x-4 gap-y-2 px-4 pt-3" aria-label="Packet to compare"
      onSubmit={(e) => { e.preventDefault(); if (typeof request !== 'string') void compareModes(request) }}>
      <ModeSelect side={0} value={modes[0]} />
      <ModeSelect side={1} value={modes[1]} />
      <div className="flex items-center gap-1.5">
        <label htmlFor="compare-source" className="text-xs font-medium text-slate-600">Source</label>
        <select id="compare-source" className={`${field} max-w-[16rem]`} value={current.source} onChange={(e) => setForm({ ...current, source: e.target.value })}>
          <optgroup label="Pods">{sources.pods.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}</optgroup>
          <optgroup label="Nodes">{sources.nodes.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}</optgroup>
          <optgroup label="Outside the cluster"><option value="client">an outside client ({current.clientIP})</option></optgroup>
        </select>
      </div>
      <div className="flex items-center gap-1.5">
        <label htmlFor="compare-destination" className="text-xs font-medium text-slate-600">Destination</label>
        <select id="compare-destination" className={`${field} max-w-[16rem]`} value={current.destination}
          onChange={(e) => {
            const m = /:(tcp|udp)$/.exec(e.target.value)
            setForm({ ...current, destination: e.target.value, ...(m ? { proto: m[1] as 'tcp' | 'udp' } : {}) })
          }}>
          {destinations.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </select>
      </div>
      <Button type="submit" variant="primary" disabled={sending || !!problem || !snapshot}>Send in both modes</Button>
      <span className="text-xs text-slate-500" aria-live="polite">{sending ? 'Sending…' : problem}</span>
    </form>
  )
}

/** One control for both panes: each shows its hop at the shared step (a shorter journey waits at its end). */
function StepControl() {
  const panes = useCompareStore((s) => s.panes)
  const step = useCompareStore((s) => s.step)
  const last = lastCompareStep(panes)
  const ends = endpointKinds(panes)
  return (
    <div role="group" aria-label="Compare steps" className="flex shrink-0 flex-wrap items-center gap-2">
      <Button onClick={compareFirstStep} disabled={step === 0} aria-label="First step" title="First step">
        <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4"><path d="M4 3v10M12.5 3.5L6.5 8l6 4.5z" fill="currentColor" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" /></svg>
      </Button>
      <Button onClick={compareStepBack} disabled={step === 0}>Step back</Button>
      <Button variant="primary" onClick={compareStepForward} disabled={step >= last}>Step forward</Button>
      <Button onClick={compareLastStep} disabled={step >= last} aria-label="Last step" title="Last step">
        <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4"><path d="M12 3v10M3.5 3.5L9.5 8l-6 4.5z" fill="currentColor" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" /></svg>
      </Button>
      <span className="ml-1 text-sm tabular-nums text-slate-700" aria-live="polite" data-testid="compare-step-counter">
        Step {step + 1} of {last + 1}
      </span>
      <span className={`ml-auto rounded px-2 py-0.5 text-xs ${ends.same ? 'bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200' : 'bg-amber-50 text-amber-900 ring-1 ring-amber-200'}`} data-testid="compare-endpoints">
        {ends.same ? `Both reach the same kind of endpoint: ${ends.kinds[0] === 'pod' ? 'a Pod' : ends.kinds[0]}` : `The modes end differently: ${ends.kinds.join(' vs. ')}`}
      </span>
    </div>
  )
}
