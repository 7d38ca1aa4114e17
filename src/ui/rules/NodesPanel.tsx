import { useShallow } from 'zustand/react/shallow'
import { NODE_TABS, showNode, showNodeTab, useNodesView, type NodeTab } from '../../state/nodes-view.ts'
import { useAppStore } from '../../state/store.ts'
import { NodeConsole } from '../console/NodeConsole.tsx'
import { RulesView } from './RulesView.tsx'
import { SaveView } from './SaveView.tsx'
import { SyncsView } from './SyncsView.tsx'

/** Per Node: a console, its rules, its iptables-save and kube-proxy's syncs. */
export function NodesPanel() {
  const nodes = useAppStore(useShallow((s) => (s.view?.snapshot.nodes ?? []).map((n) => n.metadata.name)))
  const chosen = useNodesView((s) => s.node)
  const tab = useNodesView((s) => s.tab)
  const node = chosen !== null && nodes.includes(chosen) ? chosen : nodes[0]
  if (!node) return <p className="p-3 text-sm text-slate-500">{nodes.length === 0 ? 'The cluster has no Nodes.' : 'Starting the engine…'}</p>
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex shrink-0 items-center gap-4 border-b border-slate-200 bg-slate-50 px-3">
        <div role="tablist" aria-label="Node" className="flex gap-0.5 pt-1">
          {nodes.map((n) => (
            <button key={n} type="button" role="tab" aria-selected={n === node} onClick={() => showNode(n)}
              className={`-mb-px rounded-t-md border px-2.5 py-1 font-mono text-xs ${n === node
                ? 'border-slate-200 border-b-white bg-white font-semibold text-slate-900' : 'border-transparent text-slate-500 hover:text-slate-800'}`}>
              {n}
            </button>
          ))}
        </div>
        <div role="tablist" aria-label={`View of ${node}`} className="ml-auto flex gap-1 py-1">
          {NODE_TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => showNodeTab(t.id)}
              className={`rounded-md px-2.5 py-0.5 text-xs font-medium ${tab === t.id ? 'bg-k8s text-white' : 'text-slate-600 hover:bg-white'}`}>
              {t.label}
            </button>
          ))}
        </div>
      </div>
      <div className="min-h-0 flex-1 bg-white">
        <NodeView key={`${node}:${tab}`} node={node} tab={tab} />
      </div>
    </div>
  )
}

function NodeView({ node, tab }: { node: string; tab: NodeTab }) {
  switch (tab) {
    case 'console': return <NodeConsole node={node} />
    case 'rules': return <RulesView node={node} />
    case 'save': return <SaveView node={node} />
    case 'syncs': return <SyncsView node={node} />
  }
}
