import { useShallow } from 'zustand/react/shallow'
import { useEffect, useRef, useState } from 'react'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'
import { importClusterText, loadIptablesSave, type ImportOutcome } from './import-actions.ts'

type Kind = 'cluster' | 'iptables'

const NO_NODES: string[] = []

/** The header's Import button and its dialog. */
export function ImportButton() {
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button onClick={() => setOpen(true)} title="Recreate a real cluster from kubectl get -o yaml, or load a node's iptables-save">Import</Button>
      {open && <ImportDialog onClose={() => setOpen(false)} />}
    </>
  )
}

function ImportDialog({ onClose }: { onClose: () => void }) {
  const [kind, setKind] = useState<Kind>('cluster')
  const [text, setText] = useState('')
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null)
  const [working, setWorking] = useState(false)
  const nodes = useAppStore(useShallow((s) => s.view?.snapshot.nodes.map((n) => n.metadata.name) ?? NO_NODES))
  const [node, setNode] = useState('')
  const chosenNode = nodes.includes(node) ? node : nodes[1] ?? nodes[0] ?? ''
  const area = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    area.current?.focus()
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose() }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const readFile = async (file: File | undefined) => {
    if (!file) return
    setText(await file.text())
    setOutcome(null)
  }

  const submit = async () => {
    setWorking(true)
    setOutcome(null)
    try {
      const result = kind === 'cluster' ? await importClusterText(text) : await loadIptablesSave(chosenNode, text)
      setOutcome(result)
      if (result.ok) setText('')
    } catch (err) {
      setOutcome({ ok: false, message: err instanceof Error ? err.message : String(err) })
    } finally {
      setWorking(false)
    }
  }

  const label = kind === 'cluster' ? 'kubectl output' : 'iptables-save output'
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-6" onClick={onClose}>
      <div role="dialog" aria-modal="true" aria-labelledby="import-title" className="flex max-h-full w-full max-w-2xl flex-col rounded-xl bg-white shadow-2xl" onClick={(e) => e.stopPropagation()}>
        <div className="flex items-center justify-between border-b border-slate-200 px-6 py-4">
          <h2 id="import-title" className="text-lg font-semibold text-slate-900">Import</h2>
          <Button variant="ghost" onClick={onClose} aria-label="Close import">✕</Button>
        </div>
        <div className="flex min-h-0 flex-1 flex-col gap-3 overflow-y-auto px-6 py-4 text-sm">
          <fieldset className="flex gap-4">
            <legend className="sr-only">What to import</legend>
            <label className="flex items-center gap-1.5"><input type="radio" name="import-kind" checked={kind === 'cluster'} onChange={() => { setKind('cluster'); setOutcome(null) }} />A cluster</label>
            <label className="flex items-center gap-1.5"><input type="radio" name="import-kind" checked={kind === 'iptables'} onChange={() => { setKind('iptables'); setOutcome(null) }} />A node's iptables-save</label>
          </fieldset>
          {kind === 'cluster' ? (
            <p className="text-slate-600">Paste the output of <code className="rounded bg-slate-100 px-1">kubectl get nodes,pods,services,endpointslices -A -o yaml</code> (or a scenario file). It replaces the cluster; Undo brings the current one back.</p>
          ) : (
            <div className="flex flex-wrap items-center gap-2 text-slate-600">
              <p>Paste a real node's <code className="rounded bg-slate-100 px-1">iptables-save</code>; it is loaded with <code className="rounded bg-slate-100 px-1">iptables-restore</code> onto</p>
              <label className="sr-only" htmlFor="import-node">Node</label>
              <select id="import-node" value={chosenNode} onChange={(e) => setNode(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1">
                {nodes.map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            </div>
          )}
          <label className="sr-only" htmlFor="import-text">{label}</label>
          <textarea id="import-text" ref={area} value={text} onChange={(e) => { setText(e.target.value); setOutcome(null) }} spellCheck={false}
            className="h-64 w-full resize-y rounded-md border border-slate-300 p-2 font-mono text-xs" placeholder={kind === 'cluster' ? 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n  ...\nkind: List' : '*filter\n:INPUT ACCEPT [0:0]\n...\nCOMMIT'} />
          <div className="flex items-center justify-between gap-3">
            <label className="text-slate-600">
              <span className="mr-2">Or choose a file</span>
              <input type="file" aria-label="Choose a file" accept=".yaml,.yml,.json,.txt,text/plain" onChange={(e) => void readFile(e.target.files?.[0])} className="text-xs" />
            </label>
            <Button variant="primary" onClick={() => void submit()} disabled={working || text.trim() === '' || (kind === 'iptables' && chosenNode === '')}>
              {kind === 'cluster' ? 'Import cluster' : 'Load onto node'}
            </Button>
          </div>
          {working && <p aria-live="polite" className="text-slate-500">Working…</p>}
          {outcome && (
            <p role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'text-emerald-700' : 'text-red-700'}>{outcome.message}</p>
          )}
        </div>
      </div>
    </div>
  )
}
