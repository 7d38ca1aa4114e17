import { Suspense, lazy } from 'react'
// From manifest-error.ts, not cluster.ts: the UI bundle must not pull in the engine (it lives in the worker).
import { formatManifestError } from '../../engine/cluster/manifest-error.ts'
import { applyManifest, setDraft } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'
import { EXAMPLES } from './examples.ts'
import { jumpTo } from './editor-commands.ts'

const CodeMirrorEditor = lazy(() => import('./CodeMirrorEditor.tsx'))

export function ManifestEditorPanel() {
  const draft = useAppStore((s) => s.draft)
  const errors = useAppStore((s) => s.applyErrors)
  const message = useAppStore((s) => s.applyMessage)
  const result = useAppStore((s) => s.applyResult)
  const busy = useAppStore((s) => s.busy)
  const apply = () => void applyManifest()
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2">
        <label className="flex items-center gap-2 text-sm text-slate-600">
          Example
          <select className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm" value=""
            onChange={(e) => { const ex = EXAMPLES.find((x) => x.title === e.target.value); if (ex) setDraft(ex.yaml) }}>
            <option value="" disabled>Load an example…</option>
            {EXAMPLES.map((ex) => <option key={ex.title} value={ex.title}>{ex.title}</option>)}
          </select>
        </label>
        <Button variant="primary" onClick={apply} disabled={busy} title="kubectl apply -f (Ctrl+Enter)">Apply</Button>
      </div>
      <div className="min-h-0 flex-1">
        <Suspense fallback={<div className="p-4 text-sm text-slate-500">Loading editor…</div>}>
          <CodeMirrorEditor value={draft} errors={errors} onChange={setDraft} onApply={apply} />
        </Suspense>
      </div>
      {(message !== null || errors.length > 0) && (
        <div role="alert" aria-label="Manifest errors" data-testid="manifest-errors"
          className="max-h-48 overflow-auto border-t border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
          <div className="font-semibold">Not applied: the cluster is unchanged.</div>
          {errors.length > 0 ? (
            <ul className="mt-1 list-disc space-y-0.5 pl-5 font-mono text-xs">
              {errors.map((e, i) => (
                <li key={i}>
                  <button type="button" className="text-left hover:underline" title="Show in the editor"
                    onClick={() => jumpTo({ line: e.line, column: e.column })}>
                    {formatManifestError(e)}
                  </button>
                </li>
              ))}
            </ul>
          ) : <p className="mt-1 font-mono text-xs">{message}</p>}
        </div>
      )}
      {result.length > 0 && errors.length === 0 && message === null && (
        <div role="status" aria-label="Apply result" className="border-t border-emerald-200 bg-emerald-50 px-4 py-2 font-mono text-xs text-emerald-800">
          {result.map((line, i) => <div key={i}>{line}</div>)}
        </div>
      )}
    </div>
  )
}
