import type { TableName } from '../../engine/netfilter/types.ts'
import { showChainOn } from '../../state/nodes-view.ts'
import type { SyncView } from '../../worker/node-protocol.ts'
import { duration, simTime, unifiedDiff } from './sync-diff.ts'
import { useEngineAnswer } from './use-engine-answer.ts'
import { useServiceChains } from './use-service-chains.ts'

/** kube-proxy's last syncs on the node, newest first: what each wrote, and the diff of iptables-save lines. */
export function SyncsView({ node }: { node: string }) {
  const answer = useEngineAnswer(`syncs:${node}`, (client, scenario) => client.node({ type: 'nodeSyncs', scenario, node }).then((r) => r.syncs))
  const highlight = useServiceChains()
  const syncs = answer.data ?? []
  return (
    <section className="h-full min-h-0 overflow-auto px-3 py-2" aria-label={`kube-proxy syncs on ${node}`}>
      {answer.error && <p role="alert" className="text-xs text-red-700">{answer.error}</p>}
      <ol className="space-y-2">
        {syncs.map((s, i) => <Sync key={s.seq} node={node} sync={s} open={i === 0} highlighted={highlight.chains} />)}
      </ol>
    </section>
  )
}

function Sync({ node, sync, open, highlighted }: { node: string; sync: SyncView; open: boolean; highlighted: ReadonlySet<string> }) {
  const services = sync.services.length > 6 ? `${sync.services.slice(0, 6).join(', ')} and ${sync.services.length - 6} more` : sync.services.join(', ')
  return (
    <li data-testid="sync" data-seq={sync.seq} data-kind={sync.kind} className="rounded-md ring-1 ring-slate-200">
      <details open={open}>
        <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-0.5 bg-slate-50 px-3 py-1.5 text-xs">
          <span className="font-semibold text-slate-900">Sync #{sync.seq}</span>
          <span className={`rounded px-1.5 py-px font-medium ${sync.kind === 'full' ? 'bg-k8s/10 text-k8s' : 'bg-slate-200 text-slate-700'}`}>{sync.kind}</span>
          <span className="text-slate-600" title="simulated time since the cluster started">at t+{simTime(sync.time)}</span>
          <span className="text-slate-600">{sync.rulesWritten} rules and {sync.chainsWritten} chains written</span>
          <span className="text-slate-600">{sync.totalRules} kube-proxy rules on the node</span>
          <span className="text-slate-600" title="wall-clock time the compile and iptables-restore took in this simulator">took {duration(sync.durationMs)}</span>
          <span><span className="font-mono text-emerald-700">+{sync.added}</span> <span className="font-mono text-red-700">−{sync.removed}</span></span>
          {sync.reason && <span className="text-slate-500">({sync.reason})</span>}
          {sync.error && <span role="alert" className="text-red-700">restore failed: {sync.error}</span>}
        </summary>
        <div className="px-3 py-1.5">
          {services && <p className="mb-1 text-[11px] text-slate-500">Services rewritten: <span className="font-mono">{services}</span></p>}
          {sync.deletedChains.length > 0 && <p className="mb-1 text-[11px] text-slate-500">Chains deleted: <span className="font-mono">{sync.deletedChains.join(' ')}</span></p>}
          {sync.diffTotal === 0 ? <p className="text-xs text-slate-500">Nothing changed in iptables-save.</p> : (
            <pre className="overflow-x-auto font-mono text-[11.5px] leading-[1.45]" data-testid="sync-diff" aria-label={`Diff of sync #${sync.seq}`}>
              {unifiedDiff(sync.diff).map((l, i) => l.kind === 'table'
                ? <span key={i} className="block font-semibold text-slate-500">{l.text}</span>
                : (
                  <span key={i} data-op={l.kind} data-chain={l.chain} data-highlighted={highlighted.has(l.chain) || undefined}
                    className={`block cursor-pointer ${l.kind === '+' ? 'bg-emerald-50 text-emerald-800' : 'bg-red-50 text-red-800'} ${highlighted.has(l.chain) ? 'outline outline-1 -outline-offset-1 outline-amber-400' : ''}`}
                    title={`Open chain ${l.chain} in the rules view`}
                    onClick={() => showChainOn(node, l.table as TableName, l.chain)}><span className="inline-block w-3 select-none font-semibold">{l.text[0]}</span>{l.text.slice(1)}</span>
                ))}
              {sync.diffTotal > sync.diff.length && <span className="block text-slate-500">… {sync.diffTotal - sync.diff.length} more lines</span>}
            </pre>
          )}
        </div>
      </details>
    </li>
  )
}
