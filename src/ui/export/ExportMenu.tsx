import { useShallow } from 'zustand/react/shallow'
import { useEffect, useRef, useState } from 'react'
import { scenarioDocument, serializeScenarioDocument } from '../../engine/scenario/document.ts'
import { engine } from '../../state/engine-sync.ts'
import { usePlayerStore } from '../../state/player.ts'
import { useAppStore } from '../../state/store.ts'
import { useLessonStore } from '../../state/lesson-presenter.ts'
import { Button } from '../app/Button.tsx'
import { canvasPng, canvasSvg } from './canvas-image.ts'
import { dataUrlToBlob, downloadBlob, downloadText, exportFileName, kernelTraceText } from './export-files.ts'

const NO_NODES: string[] = []

/** The header's Export menu: a Node's iptables-save, the scenario file, the canvas, the journey's texts. */
export function ExportMenu() {
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [working, setWorking] = useState(false)
  const nodes = useAppStore(useShallow((s) => s.view?.snapshot.nodes.map((n) => n.metadata.name) ?? NO_NODES))
  const [node, setNode] = useState('')
  const journey = usePlayerStore((s) => s.journey)
  const panel = useRef<HTMLDivElement>(null)
  const chosenNode = nodes.includes(node) ? node : nodes[1] ?? nodes[0] ?? ''

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => { if (panel.current && !panel.current.contains(e.target as Node)) setOpen(false) }
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false) }
    window.addEventListener('mousedown', onDown)
    window.addEventListener('keydown', onKey)
    return () => { window.removeEventListener('mousedown', onDown); window.removeEventListener('keydown', onKey) }
  }, [open])

  const run = (task: () => Promise<void> | void) => async () => {
    setError(null)
    setWorking(true)
    try {
      await task()
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setWorking(false)
    }
  }

  const exportSave = run(async () => {
    const scenario = useAppStore.getState().scenario
    const answer = await engine().node({ type: 'nodeSave', scenario, node: chosenNode, counters: false })
    downloadText(answer.text, exportFileName([chosenNode, 'iptables-save'], 'txt'))
  })
  const exportScenario = run(() => {
    const lesson = useLessonStore.getState().lesson
    const doc = scenarioDocument(useAppStore.getState().scenario, { metadata: { name: lesson ? `${lesson.name}-at-step-${useLessonStore.getState().step + 1}` : 'scenario' } })
    downloadText(serializeScenarioDocument(doc), exportFileName([doc.metadata.name], 'yaml'), 'application/yaml')
  })
  const exportPng = run(async () => downloadBlob(await dataUrlToBlob(await canvasPng()), 'cluster-canvas.png'))
  const exportSvg = run(async () => downloadBlob(await dataUrlToBlob(await canvasSvg()), 'cluster-canvas.svg'))
  // The command line's transcript, written by the engine worker (it shares the engine's packet wording).
  const exportTranscript = run(async () => {
    if (journey) downloadText(await engine().journeyTranscript(journey), 'journey-transcript.txt')
  })
  const exportTrace = run(() => {
    if (journey) downloadText(kernelTraceText(journey), 'journey-trace.txt')
  })

  return (
    <div className="relative" ref={panel}>
      <Button onClick={() => setOpen(!open)} aria-expanded={open} aria-haspopup="true" title="Download the scenario, the canvas, a Node's rules or the packet's journey">
        Export
        <svg aria-hidden viewBox="0 0 16 16" className="h-3.5 w-3.5"><path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round"/></svg>
      </Button>
      {open && (
        <div role="group" aria-label="Export" className="absolute right-0 top-full z-50 mt-1 w-80 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-xl">
          <Section title="Scenario">
            <Button className="w-full justify-start" onClick={exportScenario} disabled={working}>Export scenario</Button>
            <Hint>The scenario document (.yaml): opens again with Import or a share link.</Hint>
          </Section>
          <Section title="Canvas">
            <div className="grid grid-cols-2 gap-2">
              <Button onClick={exportPng} disabled={working}>Export PNG</Button>
              <Button onClick={exportSvg} disabled={working}>Export SVG</Button>
            </div>
          </Section>
          <Section title="A Node's rules">
            <div className="flex gap-2">
              <label className="sr-only" htmlFor="export-node">Node for iptables-save</label>
              <select id="export-node" value={chosenNode} onChange={(e) => setNode(e.target.value)} className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1">
                {nodes.map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
              <Button onClick={exportSave} disabled={working || chosenNode === ''}>Export iptables-save</Button>
            </div>
          </Section>
          <Section title="The packet's journey">
            <div className="grid grid-cols-2 gap-2">
              <Button onClick={exportTranscript} disabled={working || !journey}>Export transcript</Button>
              <Button onClick={exportTrace} disabled={working || !journey} title="xtables-monitor --trace lines">Export trace</Button>
            </div>
            {!journey && <Hint>Send a packet first (Packet tab).</Hint>}
          </Section>
          {error && <p role="alert" className="mt-2 text-xs text-red-700">Export failed: {error}</p>}
        </div>
      )}
    </div>
  )
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mb-3 last:mb-0">
      <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{title}</p>
      {children}
    </div>
  )
}

function Hint({ children }: { children: React.ReactNode }) {
  return <p className="mt-1 text-xs text-slate-500">{children}</p>
}
