import { useEffect, useRef } from 'react'
import { select } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { eventObjectRef } from './event-object-ref.ts'
import { humanDuration } from './human-duration.ts'

const EMPTY: never[] = []

/** `kubectl get events`, oldest first as kubectl lists them, following the newest; ages by the cluster's clock. */
export function EventLog() {
  const events = useAppStore((s) => s.view?.events ?? EMPTY)
  const scroller = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = scroller.current
    if (el) el.scrollTop = el.scrollHeight
  }, [events])
  const now = useAppStore((s) => (s.view ? Date.parse(s.view.now) : 0))
  return (
    <section className="flex h-full min-h-0 flex-col" aria-label="Events">
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-1.5">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Events <span className="font-normal normal-case text-slate-400">· kubectl get events</span></h2>
        <span className="text-xs text-slate-400">{events.length} events</span>
      </header>
      <div ref={scroller} className="min-h-0 flex-1 overflow-auto">
        <table className="w-full table-fixed text-left font-mono text-xs" data-testid="event-log">
          <thead className="sticky top-0 bg-white text-[11px] text-slate-500 shadow-[0_1px_0_#e2e8f0]">
            <tr className="whitespace-nowrap">
              <th className="w-24 px-4 py-1 font-medium">LAST SEEN</th>
              <th className="w-20 py-1 font-medium">TYPE</th>
              <th className="w-40 py-1 font-medium">REASON</th>
              <th className="w-80 py-1 font-medium">OBJECT</th>
              <th className="py-1 pr-4 font-medium">MESSAGE</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.seq} className="border-b border-slate-100 hover:bg-slate-50">
                <td className="px-4 py-0.5 text-slate-500">{humanDuration((now - Date.parse(e.time)) / 1000)}</td>
                <td className={`py-0.5 ${e.type === 'Warning' ? 'font-semibold text-amber-700' : 'text-slate-600'}`}>{e.type}</td>
                <td className="truncate py-0.5 text-slate-800">{e.reason}</td>
                <td className="truncate py-0.5 text-slate-800" title={e.object}>
                  <EventObject object={e.object} namespace={e.namespace} />
                </td>
                <td className="truncate py-0.5 pr-4 text-slate-600" title={e.message}>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function EventObject({ object, namespace }: { object: string; namespace?: string }) {
  const ref = eventObjectRef(object, namespace)
  if (!ref) return <>{object}</>
  return <button type="button" className="hover:text-k8s hover:underline" onClick={() => select(ref)}>{object}</button>
}
