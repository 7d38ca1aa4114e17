import { describe, expect, it } from 'vitest'
import type { Journey } from '../engine/journeys/journey.ts'
import { atStep, back, forward, initialPlayerState, lastStep, loaded, play, type PlayerState } from './player.ts'

/** A journey of `n` hops; the player only looks at how many there are. */
function journeyOf(n: number): Journey {
  return { hops: Array.from({ length: n }, (_, index) => ({ index })) } as unknown as Journey
}

const request = { from: 'kind-worker', to: 'default/nginx-service', port: 80, proto: 'tcp' } as const

function withJourney(n: number, patch: Partial<PlayerState> = {}): PlayerState {
  return { ...initialPlayerState(), ...loaded(journeyOf(n), request, false), ...patch }
}

describe('the player slice', () => {
  it('starts a fresh journey at its first hop, playing when asked to and when there is somewhere to go', () => {
    expect(loaded(journeyOf(5), request, true)).toMatchObject({ step: 0, playing: true, error: null })
    expect(loaded(journeyOf(1), request, true)).toMatchObject({ step: 0, playing: false })
    expect(loaded(journeyOf(5), request, false)).toMatchObject({ playing: false })
  })

  it('steps forward and back within the journey, never past either end', () => {
    const s = withJourney(3)
    expect(forward(s)).toMatchObject({ step: 1 })
    expect(forward({ ...s, step: 2 })).toMatchObject({ step: 2 })
    expect(back(s)).toMatchObject({ step: 0 })
    expect(back({ ...s, step: 2 })).toMatchObject({ step: 1, playing: false })
    expect(atStep(s, 99)).toMatchObject({ step: 2 })
    expect(atStep(s, -4)).toMatchObject({ step: 0 })
    expect(lastStep(s)).toBe(2)
  })

  it('stops playing on reaching the last hop, and plays again from the start when played at the end', () => {
    const playing = withJourney(3, { step: 1, playing: true })
    expect(forward(playing)).toEqual({ step: 2, playing: false })
    expect(forward({ ...playing, step: 0 })).toEqual({ step: 1, playing: true })
    expect(play(withJourney(3, { step: 2 }))).toEqual({ step: 0, playing: true })
    expect(play(withJourney(3, { step: 1 }))).toEqual({ playing: true })
  })

  it('does nothing to play without a journey', () => {
    expect(play(initialPlayerState())).toEqual({})
  })
})
