import type { LoadBalanceRun } from '../../state/player.ts'

/**
 * Where N connections landed, one bar per endpoint, beside the share the node's rules give it (the engine
 * reads them in every mode: the statistic cascade, nftables' numgen map, the IPVS scheduler; with session
 * affinity the endpoint the client is bound to).
 * Endpoints that got nothing still get a bar; Pods that are not in the chain (stale) are listed too.
 */
export function LoadBalanceChart({ run }: { run: LoadBalanceRun }) {
  const { result, expected } = run
  const landed = result.landed
  const names = [...expected.map((e) => e.pod), ...Object.keys(landed).filter((p) => !expected.some((e) => e.pod === p)).sort()]
  const total = result.count
  const rows = names.map((pod) => ({ pod, count: landed[pod] ?? 0, share: expected.find((e) => e.pod === pod)?.share ?? null }))
  const others = Object.entries(result.elsewhere)
  return (
    <figure aria-label="Load balancing" data-testid="lb-chart" className="space-y-2">
      <figcaption className="text-xs text-slate-600">
        {total.toLocaleString('en-US')} new {run.request.proto.toUpperCase()} connections {run.request.from} → {run.request.to}:{run.request.port}
        {run.chain ? <> · expected shares from <span className="font-mono">{run.chain}</span> on {run.node}</> : null}
      </figcaption>
      <ul className="space-y-1.5">
        {rows.map((r) => {
          const pct = total > 0 ? (100 * r.count) / total : 0
          return (
            <li key={r.pod} data-testid="lb-bar" data-pod={r.pod} data-count={r.count} className="text-xs">
              <div className="flex justify-between gap-2">
                <PodName name={r.pod} />
                <span className="shrink-0 tabular-nums text-slate-700">
                  <strong>{r.count.toLocaleString('en-US')}</strong> ({pct.toFixed(1)}%)
                  {r.share !== null && <span className="text-slate-500"> · expected {(100 * r.share).toFixed(1)}%</span>}
                </span>
              </div>
              <div className="relative mt-0.5 h-3 rounded bg-slate-100" aria-hidden>
                <div className="h-3 rounded bg-k8s" style={{ width: `${pct}%` }} />
                {r.share !== null && <div className="absolute top-[-2px] h-[16px] w-0.5 bg-slate-900" style={{ left: `calc(${100 * r.share}% - 1px)` }} title="expected share" />}
              </div>
            </li>
          )
        })}
      </ul>
      <p className="text-xs text-slate-500">
        Blue: where connections landed · black tick: the expected share.
        {result.dropped > 0 && <> · <strong>{result.dropped}</strong> dropped</>}
        {result.rejected > 0 && <> · <strong>{result.rejected}</strong> rejected</>}
        {others.map(([where, n]) => <span key={where}> · {n} to {where}</span>)}
        {' '}The rule counters rose too (iptables -L -v on the Node).
      </p>
    </figure>
  )
}

/** A generated Pod name keeps its distinguishing suffix (`-nmmhj`) when space runs out; the shared prefix gives way. */
function PodName({ name }: { name: string }) {
  const cut = name.lastIndexOf('-')
  const [head, tail] = cut > 0 ? [name.slice(0, cut), name.slice(cut)] : [name, '']
  return (
    <span className="flex min-w-0 font-mono text-slate-800" title={name}>
      <span className="truncate">{head}</span>
      <span className="shrink-0">{tail}</span>
    </span>
  )
}
