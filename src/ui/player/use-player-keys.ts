import { useEffect } from 'react'
import { lastHop, restartJourney, stepBack, stepForward, togglePlaying } from '../../state/player-actions.ts'
import { usePlayerStore } from '../../state/player.ts'

/**
 * Keys that belong to whatever has focus: text fields, selects and the editor take them all; the timeline
 * slider moves itself with the arrows, Home and End; a button outside the player is pressed by Space (in
 * the player, Space stays play/pause, so it works right after clicking Step forward).
 */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target.closest('input:not([type=range]), textarea, select, .cm-editor') !== null) return true
  if (target.matches('input[type=range]')) return key !== ' '
  if (key === ' ' && target.closest('button, [role=button], [role=tab], a') !== null) return target.closest('[data-testid="player-bar"]') === null
  return false
}

/**
 * The player's keys, while a journey is loaded and focus is not in a text field: Space plays or pauses,
 * ←/→ step, Home goes to the first hop, End to the last.
 */
export function usePlayerKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || !usePlayerStore.getState().journey) return
      if (ownsKey(e.target, e.key)) return
      const action = ({ ' ': togglePlaying, ArrowRight: stepForward, ArrowLeft: stepBack, Home: restartJourney, End: lastHop } as Record<string, () => void>)[e.key]
      if (!action) return
      e.preventDefault()
      action()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
