import { useEffect } from 'react'
import { useStore } from 'zustand'
import { redo, undo } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { describeOperation, type Scenario } from '../../worker/operations.ts'

export interface HistoryAvailability {
  canUndo: boolean
  canRedo: boolean
  /** What undo would take back, and what redo would bring back (for tooltips). */
  undoLabel: string | null
  redoLabel: string | null
}

/** The step that differs between two scenarios, described; Reset and other whole-scenario changes say so. */
function stepBetween(shorter: Scenario | undefined, longer: Scenario | undefined): string | null {
  if (!shorter || !longer) return null
  const extra = longer.operations.length === shorter.operations.length + 1 ? longer.operations.at(-1) : undefined
  return extra ? describeOperation(extra) : 'reset to the default scenario'
}

export function useHistoryAvailability(): HistoryAvailability {
  const canUndo = useStore(useAppStore.temporal, (s) => s.pastStates.length > 0)
  const canRedo = useStore(useAppStore.temporal, (s) => s.futureStates.length > 0)
  const current = useAppStore((s) => s.scenario)
  const undoLabel = useStore(useAppStore.temporal, (s) => stepBetween(s.pastStates.at(-1)?.scenario, current))
  const redoLabel = useStore(useAppStore.temporal, (s) => stepBetween(current, s.futureStates.at(-1)?.scenario))
  return { canUndo, canRedo, undoLabel, redoLabel }
}

/** True when the key press belongs to a text field (CodeMirror has its own undo history). */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || target.closest('input, textarea, select, .cm-editor') !== null
}

/** Ctrl/Cmd+Z undoes a scenario edit; Ctrl/Cmd+Shift+Z and Ctrl+Y redo it. */
export function useHistoryShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || inTextField(e.target)) return
      const key = e.key.toLowerCase()
      if (key === 'z' && !e.shiftKey) { e.preventDefault(); void undo() }
      else if ((key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey)) { e.preventDefault(); void redo() }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
