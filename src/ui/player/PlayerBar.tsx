import type { JourneyHop } from '../../engine/journeys/journey.ts'
import { lastHop, pauseJourney, playJourney, restartJourney, seekStep, setFollow, setSpeed, stepBack, stepForward } from '../../state/player-actions.ts'
import { SPEEDS, usePlayerStore, type Speed } from '../../state/player.ts'
import { Button } from '../app/Button.tsx'
import { hopLabel } from './journey-model.ts'

function markerColour(hop: JourneyHop): string {
  switch (hop.kind) {
    case 'move': return 'bg-violet-500'
    case 'deliver': return 'bg-emerald-500'
    case 'drop': case 'reject': return 'bg-red-500'
    case 'rule': return hop.changed.length > 0 ? 'bg-amber-500' : hop.matched ? 'bg-k8s' : 'bg-slate-300'
    case 'event': return 'bg-teal-400'
    default: return 'bg-slate-400'
  }
}

const icon = 'h-4 w-4'

/** Play, pause, step, restart, speed, and the timeline of hops (a slider and a marker per hop). */
export function PlayerBar() {
  const journey = usePlayerStore((s) => s.journey)
  const step = usePlayerStore((s) => s.step)
  const playing = usePlayerStore((s) => s.playing)
  const speed = usePlayerStore((s) => s.speed)
  const follow = usePlayerStore((s) => s.follow)
  if (!journey) return null
  const last = journey.hops.length - 1
  const hop = journey.hops[step]
  return (
    <div className="border-t border-slate-200 bg-white px-3 py-2" role="group" aria-label="Packet player" data-testid="player-bar">
      <div className="flex flex-wrap items-center gap-1.5">
        <Button onClick={restartJourney} aria-label="Restart" title="Restart (Home)">
          <svg aria-hidden viewBox="0 0 16 16" className={icon}><path d="M3 3v10M13 3L6 8l7 5z" fill="currentColor" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round"/></svg>
        </Button>
        <Button onClick={stepBack} disabled={step === 0} aria-label="Step back" title="Step back (←)">
          <svg aria-hidden viewBox="0 0 16 16" className={icon}><path d="M11 3L5 8l6 5z" fill="currentColor"/></svg>
        </Button>
        {playing ? (
          <Button variant="primary" onClick={pauseJourney} aria-label="Pause" title="Pause (Space)" className="w-20">
            <svg aria-hidden viewBox="0 0 16 16" className={icon}><path d="M4 3h3v10H4zM9 3h3v10H9z" fill="currentColor"/></svg>Pause
          </Button>
        ) : (
          <Button variant="primary" onClick={playJourney} aria-label="Play" title="Play (Space)" className="w-20">
            <svg aria-hidden viewBox="0 0 16 16" className={icon}><path d="M4 2.5l9 5.5-9 5.5z" fill="currentColor"/></svg>Play
          </Button>
        )}
        <Button onClick={stepForward} disabled={step >= last} aria-label="Step forward" title="Step forward (→)">
          <svg aria-hidden viewBox="0 0 16 16" className={icon}><path d="M5 3l6 5-6 5z" fill="currentColor"/></svg>
        </Button>
        <Button onClick={lastHop} disabled={step >= last} aria-label="Last step" title="Last step (End)">
          <svg aria-hidden viewBox="0 0 16 16" className={icon}><path d="M13 3v10M3 3l7 5-7 5z" fill="currentColor" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round"/></svg>
        </Button>
        <label className="ml-2 flex items-center gap-1.5 text-xs text-slate-600">
          Speed
          <select aria-label="Speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value) as Speed)}
            className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs">
            {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
        </label>
        <label className="ml-2 flex items-center gap-1.5 text-xs text-slate-600" title="Zoom the canvas into the Node the packet is in, and follow it">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} className="accent-k8s" />
          Zoom to the packet
        </label>
        <div className="ml-3 min-w-0 flex-1 truncate text-sm" aria-live="polite" data-testid="player-status">
          <span className="tabular-nums text-slate-500">{step + 1}/{last + 1}</span>{' '}
          <span className="font-medium text-slate-800">{hop ? hopLabel(hop) : ''}</span>
        </div>
      </div>
      <div className="mt-1.5">
        <input type="range" aria-label="Timeline" min={0} max={last} step={1} value={step}
          aria-valuetext={hop ? `step ${step + 1} of ${last + 1}: ${hopLabel(hop)}` : undefined}
          onChange={(e) => seekStep(Number(e.target.value))} className="w-full accent-k8s" />
        <ol className="flex h-3 items-stretch gap-px" aria-label="Hops">
          {journey.hops.map((h) => (
            <li key={h.index} className={`min-w-0 flex-1 ${h.leg === 'reply' && journey.hops[h.index - 1]?.leg === 'request' ? 'ml-1.5' : ''}`}>
              <button type="button" onClick={() => seekStep(h.index)} data-testid="hop-marker" data-kind={h.kind} data-chain={h.chain ?? undefined} data-changed={h.changed.join(',') || undefined}
                aria-label={`Step ${h.index + 1}: ${hopLabel(h)}`} aria-current={h.index === step ? 'step' : undefined}
                title={`${h.index + 1}. ${hopLabel(h)}`}
                className={`block h-full w-full rounded-sm ${markerColour(h)} ${h.index === step ? 'outline-2 outline-offset-1 outline-slate-900' : h.index > step ? 'opacity-40' : ''}`} />
            </li>
          ))}
        </ol>
      </div>
    </div>
  )
}
