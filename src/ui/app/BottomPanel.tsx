import { showBottom, useNodesView, type BottomTab } from '../../state/nodes-view.ts'
import { EventLog } from '../events/EventLog.tsx'
import { NodesPanel } from '../rules/NodesPanel.tsx'
import { NodePipeline } from '../player/NodePipeline.tsx'

const tabs: { id: BottomTab; label: string }[] = [
  { id: 'events', label: 'Events' },
  { id: 'nodes', label: 'Nodes' },
  { id: 'packet', label: 'Netfilter pipeline' },
]

/** Under the canvas: the event log, or the Nodes (console, rules, iptables-save, syncs per Node). */
export function BottomPanel() {
  const bottom = useNodesView((s) => s.bottom)
  return (
    <div className="flex h-full min-h-0 min-w-0 flex-col border-t border-slate-200 bg-white">
      <div role="tablist" aria-label="Bottom panel" className="flex shrink-0 gap-1 border-b border-slate-200 px-3 pt-1">
        {tabs.map((tab) => (
          <button key={tab.id} type="button" role="tab" id={`tab-bottom-${tab.id}`} aria-selected={bottom === tab.id}
            aria-controls={`panel-bottom-${tab.id}`} onClick={() => showBottom(tab.id)}
            className={`-mb-px border-b-2 px-3 py-1 text-sm font-medium ${bottom === tab.id ? 'border-k8s text-k8s' : 'border-transparent text-slate-500 hover:text-slate-800'}`}>
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-bottom-${bottom}`} aria-labelledby={`tab-bottom-${bottom}`} className="min-h-0 flex-1">
        {bottom === 'events' ? <EventLog /> : bottom === 'packet' ? <NodePipeline /> : <NodesPanel />}
      </div>
    </div>
  )
}

/** The bottom panel's height: the event log is a strip; the Nodes need room for rules and a terminal. */
export function useBottomRows(): string {
  return useNodesView((s) => (s.bottom === 'nodes' ? 'grid-rows-[minmax(0,1fr)_minmax(0,1.25fr)]' : s.bottom === 'packet' ? 'grid-rows-[minmax(0,1fr)_350px]' : 'grid-rows-[1fr_240px]'))
}
