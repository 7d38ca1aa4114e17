import { useEffect } from 'react'
import { advance } from '../../state/player-actions.ts'
import { usePlayerStore } from '../../state/player.ts'
import { hopDurationMs } from './journey-model.ts'

/**
 * The playback clock: while playing, each hop is shown for its dwell time (scaled by the speed), then the
 * next one. Driven by requestAnimationFrame, so it pauses with the tab and never queues work behind a
 * busy frame; only the step index changes in the store.
 */
export function usePlayback(): void {
  useEffect(() => {
    let frame = 0
    let shownSince = 0
    let shownStep = -1
    const tick = (now: number) => {
      frame = requestAnimationFrame(tick)
      const s = usePlayerStore.getState()
      if (!s.playing || !s.journey) {
        shownStep = -1
        return
      }
      if (s.step !== shownStep) {
        shownStep = s.step
        shownSince = now
        return
      }
      const hop = s.journey.hops[s.step]
      if (hop && now - shownSince >= hopDurationMs(hop) / s.speed) advance()
    }
    frame = requestAnimationFrame(tick)
    return () => cancelAnimationFrame(frame)
  }, [])
}
