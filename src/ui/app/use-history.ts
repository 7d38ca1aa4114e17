import { useEffect } from 'react'
import { useStore } from 'zustand'
import { redo, undo } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'

export function useHistoryAvailability(): { canUndo: boolean; canRedo: boolean } {
  const canUndo = useStore(useAppStore.temporal, (s) => s.pastStates.length > 0)
  const canRedo = useStore(useAppStore.temporal, (s) => s.futureStates.length > 0)
  return { canUndo, canRedo }
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
