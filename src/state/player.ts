/**
 * The player: the journey on screen, the step shown, whether it plays and how fast, and the last load-
 * balancing run. View state only: never undone (the packets sent are scenario operations; what the player
 * shows of them is not), never persisted.
 *
 * Kept in its own store so that stepping through a journey (many updates a second while playing) wakes only
 * the components that show the step, never the cluster canvas or the panels that read the scenario.
 */
import { create } from 'zustand'
import type { Journey } from '../engine/journeys/journey.ts'
import type { LoadBalanceView } from '../worker/protocol.ts'

/** What a person picked in the Send packet form (the engine resolves names to addresses). */
export interface PacketRequest {
  /** A Pod (`namespace/name`), a Node name, or an outside client's IP address. */
  from: string
  /** A Service (`namespace/name`) or an IP address. */
  to: string
  port: number
  proto: 'tcp' | 'udp'
  /** The connection's next packet from this source port (its first was sent before). */
  next?: { sport: number }
}

/** Where N connections landed, and the share each endpoint should get from the statistic cascade. */
export interface LoadBalanceRun extends LoadBalanceView {
  request: PacketRequest
}

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const
export type Speed = (typeof SPEEDS)[number]

export interface PlayerState {
  journey: Journey | null
  /** The request the journey answers (for the transcript's heading and for sending it again). */
  request: PacketRequest | null
  /** Index of the hop shown (0-based). */
  step: number
  playing: boolean
  speed: Speed
  /** A send is on its way to the engine. */
  sending: boolean
  /** Why the last send failed (unknown Pod, no such port, ...). */
  error: string | null
  loadBalance: LoadBalanceRun | null
  /** The canvas zooms to the Node the packet is in (and follows it from Node to Node). */
  follow: boolean
}

export function initialPlayerState(): PlayerState {
  return { journey: null, request: null, step: 0, playing: false, speed: 1, sending: false, error: null, loadBalance: null, follow: false }
}

export const usePlayerStore = create<PlayerState>()(() => initialPlayerState())

// ---------------------------------------------------------------------------------------------- pure steps

/** The last hop's index (0 with no journey). */
export function lastStep(s: Pick<PlayerState, 'journey'>): number {
  return Math.max(0, (s.journey?.hops.length ?? 1) - 1)
}

/** Clamp a step to the journey; moving off the end stops playback. */
export function atStep(s: PlayerState, step: number): Partial<PlayerState> {
  const last = lastStep(s)
  const clamped = Math.min(last, Math.max(0, Math.round(step)))
  return { step: clamped, playing: s.playing && clamped < last }
}

export function forward(s: PlayerState): Partial<PlayerState> {
  return atStep(s, s.step + 1)
}

export function back(s: PlayerState): Partial<PlayerState> {
  return { ...atStep(s, s.step - 1), playing: false }
}

/** Play from where we are; at the end, play starts again from the first hop. */
export function play(s: PlayerState): Partial<PlayerState> {
  if (!s.journey) return {}
  return s.step >= lastStep(s) ? { step: 0, playing: true } : { playing: true }
}

/** A fresh journey starts at its first hop, playing. */
export function loaded(journey: Journey, request: PacketRequest, autoplay: boolean): Partial<PlayerState> {
  return { journey, request, step: 0, playing: autoplay && journey.hops.length > 1, error: null }
}
