import { showChainOn, useNodesView } from '../../state/nodes-view.ts'
import { useAppStore } from '../../state/store.ts'
import { Section } from '../details/Facts.tsx'
import { useServiceChains } from './use-service-chains.ts'

/**
 * From a Service's details to its rules: the chains kube-proxy names after it (the same on every Node),
 * each opening the Nodes panel's rules view at that chain (on the Node already shown, else the first).
 */
export function ServiceChains() {
  const { chains } = useServiceChains()
  const shownNode = useNodesView((s) => s.node)
  const firstNode = useAppStore((s) => s.view?.snapshot.nodes[0]?.metadata.name)
  const node = shownNode ?? firstNode
  if (!node || chains.size === 0) return null
  return (
    <Section title="iptables chains">
      <p className="mb-1.5 text-xs text-slate-500">kube-proxy&apos;s chains for this Service, on every Node; marked in the Nodes panel.</p>
      <div className="flex flex-wrap gap-1">
        {[...chains].map((c) => (
          <button key={c} type="button" onClick={() => showChainOn(node, 'nat', c)} title={`Open ${c} in the rules of ${node}`}
            className="rounded bg-amber-50 px-1.5 py-0.5 font-mono text-[11px] text-amber-900 ring-1 ring-amber-300 hover:bg-amber-100">{c}</button>
        ))}
      </div>
    </Section>
  )
}
