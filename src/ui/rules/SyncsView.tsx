import type { TableName } from '../../engine/netfilter/types.ts'
import { showChainOn } from '../../state/nodes-view.ts'
import type { SyncDetail } from '../../engine/kube-proxy/sync-record.ts'
import type { SyncView } from '../../worker/node-protocol.ts'
import { duration, simTime, unifiedDiff } from './sync-diff.ts'
import { useEngineAnswer } from './use-engine-answer.ts'
import { useServiceChains } from './use-service-chains.ts'

/** kube-proxy's last syncs on the node, newest first: what each wrote, and the diff of the node's listing. */
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

/** What the sync wrote, in the mode's own terms. */
function written(d: SyncDetail): string {
  switch (d.mode) {
    case 'iptables': return `${d.rulesWritten} rules and ${d.chainsWritten} chains written`
    case 'ipvs': return `${d.rulesWritten} rules and ${d.chainsWritten} chains written, ${d.ipsetCommands} ipset commands, ${d.virtualServers} virtual servers`
    case 'nftables': return `${d.operations} operations in the nft transaction`
  }
}

/** Chains the sync deleted (iptables) or flushed to delete a second later (nftables). */
function goneChains(d: SyncDetail): { label: string; chains: string[] } | undefined {
  if (d.mode === 'iptables' && d.deletedChains.length > 0) return { label: 'Chains deleted', chains: d.deletedChains }
  if (d.mode === 'nftables' && d.staleChains.length > 0) return { label: 'Chains flushed, deleted a second later', chains: d.staleChains }
  return undefined
}

function Sync({ node, sync, open, highlighted }: { node: string; sync: SyncView; open: boolean; highlighted: ReadonlySet<string> }) {
  const services = sync.services.length > 6 ? `${sync.services.slice(0, 6).join(', ')} and ${sync.services.length - 6} more` : sync.services.join(', ')
  const gone = goneChains(sync.detail)
  return (
    <li data-testid="sync" data-seq={sync.seq} data-kind={sync.kind} className="rounded-md ring-1 ring-slate-200">
      <details open={open}>
        <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-0.5 bg-slate-50 px-3 py-1.5 text-xs">
          <span className="font-semibold text-slate-900">Sync #{sync.seq}</span>
          <span className={`rounded px-1.5 py-px font-medium ${sync.kind === 'full' ? 'bg-k8s/10 text-k8s' : 'bg-slate-200 text-slate-700'}`}>{sync.kind}</span>
          <span className="text-slate-600" title="simulated time since the cluster started">at t+{simTime(sync.time)}</span>
          <span className="text-slate-600">{written(sync.detail)}</span>
          <span className="text-slate-600">{sync.totalRules} kube-proxy rules on the node</span>
          <span className="text-slate-600" title="wall-clock time the compile and iptables-restore took in this simulator">took {duration(sync.durationMs)}</span>
          <span><span className="font-mono text-emerald-700">+{sync.added}</span> <span className="font-mono text-red-700">−{sync.removed}</span></span>
          {sync.reason && <span className="text-slate-500">({sync.reason})</span>}
          {sync.error && <span role="alert" className="text-red-700">restore failed: {sync.error}</span>}
        </summary>
        <div className="px-3 py-1.5">
          {services && <p className="mb-1 text-[11px] text-slate-500">Services rewritten: <span className="font-mono">{services}</span></p>}
          {gone && <p className="mb-1 text-[11px] text-slate-500">{gone.label}: <span className="font-mono">{gone.chains.join(' ')}</span></p>}
          {sync.diffTotal === 0 ? <p className="text-xs text-slate-500">Nothing changed in {sync.listing}.</p> : (
            <pre className="overflow-x-auto font-mono text-[11.5px] leading-[1.45]" data-testid="sync-diff" aria-label={`Diff of sync #${sync.seq}`}>
              {unifiedDiff(sync.diff, sync.mode === 'nftables' ? 'table ip kube-proxy' : '').map((l, i) => {
                if (l.kind === 'table') return <span key={i} className="block font-semibold text-slate-500">{l.text}</span>
                const colour = l.kind === '+' ? 'bg-emerald-50 text-emerald-800' : 'bg-red-50 text-red-800'
                const mark = <span className="inline-block w-3 select-none font-semibold">{l.text[0]}</span>
                const { table, chain } = l
                // iptables-save lines open their chain in the rules view; nft's listing has no rules view.
                if (table === undefined || chain === undefined) return <span key={i} data-op={l.kind} className={`block ${colour}`}>{mark}{l.text.slice(1)}</span>
                const lit = highlighted.has(chain)
                return (
                  <span key={i} data-op={l.kind} data-chain={chain} data-highlighted={lit || undefined}
                    className={`block cursor-pointer ${colour} ${lit ? 'outline outline-1 -outline-offset-1 outline-amber-400' : ''}`}
                    title={`Open chain ${chain} in the rules view`}
                    onClick={() => showChainOn(node, table as TableName, chain)}>{mark}{l.text.slice(1)}</span>
                )
              })}
              {sync.diffTotal > sync.diff.length && <span className="block text-slate-500">… {sync.diffTotal - sync.diff.length} more lines</span>}
            </pre>
          )}
        </div>
      </details>
    </li>
  )
}
