import { usePlayerStore } from '../../state/player.ts'
import { PlayerBar } from './PlayerBar.tsx'
import { usePlayback } from './use-playback.ts'
import { usePlayerKeys } from './use-player-keys.ts'

/**
 * The player's controls, in a strip under the cluster canvas while a journey is loaded (the token moves on
 * the canvas right above them); also runs the playback clock and the keyboard shortcuts.
 */
export function PlayerOverlay() {
  usePlayback()
  usePlayerKeys()
  const hasJourney = usePlayerStore((s) => s.journey !== null)
  if (!hasJourney) return null
  return <PlayerBar />
}
