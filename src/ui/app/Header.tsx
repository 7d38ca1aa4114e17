import { redo, resetScenario, undo } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { ShareButton } from '../share/ShareButton.tsx'
import { CompareButton } from '../modes/CompareButton.tsx'
import { ModeSwitch } from '../modes/ModeSwitch.tsx'
import { ExportMenu } from '../export/ExportMenu.tsx'
import { ImportButton } from '../export/ImportDialog.tsx'
import { LessonsButton } from '../lessons/LessonBrowser.tsx'
import { Button } from './Button.tsx'
import { useHistoryAvailability } from './use-history.ts'

export function Header() {
  const { canUndo, canRedo, undoLabel, redoLabel } = useHistoryAvailability()
  const steps = useAppStore((s) => s.scenario.operations.length)
  const busy = useAppStore((s) => s.busy)
  const ready = useAppStore((s) => s.view !== null)
  return (
    <header className="flex h-14 shrink-0 items-center justify-between border-b border-slate-200 bg-white px-5">
      <div className="flex min-w-0 shrink items-center gap-3">
        <svg aria-hidden viewBox="0 0 32 32" className="h-8 w-8 shrink-0"><circle cx="16" cy="16" r="15" fill="#326ce5"/><path d="M16 6v20M7.5 11l17 10M7.5 21l17-10" stroke="#fff" strokeWidth="2.4" strokeLinecap="round"/><circle cx="16" cy="16" r="4" fill="#326ce5" stroke="#fff" strokeWidth="2.4"/></svg>
        <div>
          <h1 className="whitespace-nowrap text-base font-semibold leading-tight text-slate-900">kube-proxy visualizer</h1>
          <p className="hidden whitespace-nowrap text-xs leading-tight text-slate-500 2xl:block">a simulated kind cluster · see how Services reach Pods</p>
        </div>
      </div>
      <div className="flex shrink-0 items-center gap-2">
        <ModeSwitch />
        <CompareButton />
        <span className="mr-1 whitespace-nowrap text-xs text-slate-500" aria-live="polite">
          {!ready ? 'Starting the engine…' : busy ? 'Working…' : `${steps} scenario step${steps === 1 ? '' : 's'}`}
        </span>
        <Button onClick={() => void undo()} disabled={!canUndo} aria-label="Undo" title={undoLabel ? `Undo: ${undoLabel} (Ctrl+Z)` : 'Undo (Ctrl+Z)'}>
          <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4"><path d="M6 3L2.5 6.5 6 10M3 6.5h6.5a4 4 0 010 8H7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round"/></svg>
          Undo
        </Button>
        <Button onClick={() => void redo()} disabled={!canRedo} aria-label="Redo" title={redoLabel ? `Redo: ${redoLabel} (Ctrl+Shift+Z)` : 'Redo (Ctrl+Shift+Z)'}>
          Redo
          <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4"><path d="M10 3l3.5 3.5L10 10M13 6.5H6.5a4 4 0 000 8H9" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round"/></svg>
        </Button>
        <LessonsButton />
        <ImportButton />
        <ExportMenu />
        <ShareButton />
        <Button variant="ghost" onClick={() => void resetScenario()} title="Back to a fresh cluster with the default scenario (undoable)">Reset</Button>
      </div>
    </header>
  )
}
