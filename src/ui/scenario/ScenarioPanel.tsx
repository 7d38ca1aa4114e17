import { useAppStore } from '../../state/store.ts'
import { describeOperation } from '../../worker/operations.ts'

/** The scenario as the list of steps it is: what undo walks back through and what a reload replays. */
export function ScenarioPanel() {
  const scenario = useAppStore((s) => s.scenario)
  const issues = useAppStore((s) => s.view?.replayIssues)
  return (
    <div className="px-4 py-3">
      <p className="mb-3 text-sm text-slate-600">
        The cluster is a fresh kind cluster (seed {scenario.seed}) with these steps replayed in order. The same steps always give the
        same names and IPs; Undo removes the last one.
      </p>
      {scenario.operations.length === 0 ? <p className="text-sm text-slate-500">No steps: the bare default cluster.</p> : (
        <ol className="space-y-1.5" aria-label="Scenario steps">
          {scenario.operations.map((op, i) => {
            const issue = issues?.find((x) => x.index === i)
            return (
              <li key={i} className="rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
                <div className="flex items-baseline gap-2">
                  <span className="w-5 shrink-0 text-right text-xs text-slate-400">{i + 1}</span>
                  <span className="font-mono text-[13px] text-slate-800">{describeOperation(op)}</span>
                </div>
                {issue && <div className="mt-1 pl-7 text-xs text-red-700">not replayed: {issue.message}</div>}
                {op.type === 'apply' && (
                  <details className="mt-1 pl-7">
                    <summary className="cursor-pointer text-xs text-slate-500 hover:text-k8s">manifest</summary>
                    <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{op.yaml}</pre>
                  </details>
                )}
              </li>
            )
          })}
        </ol>
      )}
    </div>
  )
}
