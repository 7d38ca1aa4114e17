/**
 * The embed mode's postMessage API, for the page that holds the app in an iframe.
 *
 * Commands (host → app): `{type:'kpv:goto', step}`, `{type:'kpv:play'}`, `{type:'kpv:pause'}`,
 * `{type:'kpv:sendPacket', from, to, port, proto?}`, `{type:'kpv:load', scenario}` (a document as YAML/JSON
 * text or as an object).
 * Events (app → host): `{type:'kpv:ready'}`, `{type:'kpv:step', step, total, hop}`,
 * `{type:'kpv:journey', reached, verdict}`, `{type:'kpv:loaded', ok}`, `{type:'kpv:error', message}`.
 *
 * Every message is data: its shape is checked field by field and nothing in it is ever evaluated or
 * rendered as HTML. Commands are accepted from the parent window only, from any origin unless the page was
 * opened with `origin=https://host.example`; then only that origin is heard and events go only to it.
 */
import { isPacketEnd, parseScenarioDocument } from '../../engine/scenario/document.ts'
import type { Journey } from '../../engine/journeys/journey.ts'
import { usePlayerStore } from '../../state/player.ts'
import { pauseJourney, playJourney, seekStep, sendPacket } from '../../state/player-actions.ts'
import { loadDocument } from '../../state/share.ts'

export type EmbedCommand =
  | { type: 'kpv:goto'; step: number }
  | { type: 'kpv:play' }
  | { type: 'kpv:pause' }
  | { type: 'kpv:sendPacket'; from: string; to: string; port: number; proto: 'tcp' | 'udp' }
  | { type: 'kpv:load'; scenario: string }

export interface HopSummary {
  index: number
  kind: string
  node: string | null
  table: string | null
  chain: string | null
  text: string
  verdict: string | null
}

export type EmbedEvent =
  | { type: 'kpv:ready' }
  | { type: 'kpv:step'; step: number; total: number; hop: HopSummary | null }
  | { type: 'kpv:journey'; reached: string | null; verdict: string }
  | { type: 'kpv:loaded'; ok: boolean; message?: string }
  | { type: 'kpv:error'; message: string }

/** The largest scenario text a `kpv:load` may carry (the document's own limit). */
const MAX_SCENARIO_CHARS = 2 * 1024 * 1024

/** A command, or why the message is not one (null: not addressed to us at all). */
export function parseEmbedCommand(data: unknown): { ok: true; command: EmbedCommand } | { ok: false; message: string } | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const m = data as Record<string, unknown>
  const type = m.type
  if (typeof type !== 'string' || !type.startsWith('kpv:')) return null
  const bad = (message: string) => ({ ok: false as const, message: `${type.slice(0, 40)}: ${message}` })
  switch (type) {
    case 'kpv:goto':
      if (typeof m.step !== 'number' || !Number.isInteger(m.step) || m.step < 0 || m.step > 100_000) return bad('step must be a whole number ≥ 0')
      return { ok: true, command: { type: 'kpv:goto', step: m.step } }
    case 'kpv:play':
    case 'kpv:pause':
      return { ok: true, command: { type } }
    case 'kpv:sendPacket': {
      if (!isPacketEnd(m.from)) return bad('from must be a Pod (namespace/name), a Node or an IP address')
      if (!isPacketEnd(m.to)) return bad('to must be a Service (namespace/name) or an IP address')
      if (typeof m.port !== 'number' || !Number.isInteger(m.port) || m.port < 1 || m.port > 65535) return bad('port must be 1-65535')
      if (m.proto !== undefined && m.proto !== 'tcp' && m.proto !== 'udp') return bad('proto must be tcp or udp')
      return { ok: true, command: { type: 'kpv:sendPacket', from: m.from, to: m.to, port: m.port, proto: m.proto ?? 'tcp' } }
    }
    case 'kpv:load': {
      let text: string
      if (typeof m.scenario === 'string') text = m.scenario
      else if (typeof m.scenario === 'object' && m.scenario !== null) {
        try { text = JSON.stringify(m.scenario) } catch { return bad('scenario cannot be read') }
      } else return bad('scenario must be a scenario document (YAML/JSON text or an object)')
      if (text.length > MAX_SCENARIO_CHARS) return bad('scenario is larger than 2 MB')
      return { ok: true, command: { type: 'kpv:load', scenario: text } }
    }
    default:
      return bad('unknown command')
  }
}

export function hopSummary(journey: Journey | null, step: number): HopSummary | null {
  const hop = journey?.hops[step]
  if (!hop) return null
  return { index: hop.index, kind: hop.kind, node: hop.node, table: hop.table, chain: hop.chain, text: hop.text, verdict: hop.verdict ?? null }
}

/** Where a journey ended, as an object reference (`pod/NS/NAME`) or the place's words. */
export function reachedOf(journey: Journey): string | null {
  const place = journey.reached
  if (!place) return null
  switch (place.kind) {
    case 'pod': return `pod/${place.namespace}/${place.name}`
    case 'node': return `node/${place.name}`
    case 'client': return `ip/${place.ip}`
  }
}

export interface EmbedApiOptions {
  /** Only this origin may command the app, and only it receives events. */
  origin: string | null
  autoplay: boolean
}

/** Starts listening to the parent page and telling it what happens. Returns a stop function. */
export function startEmbedApi(options: EmbedApiOptions): () => void {
  const parent = window.parent
  const targetOrigin = options.origin ?? '*'
  const post = (event: EmbedEvent) => {
    if (parent !== window) parent.postMessage(event, targetOrigin)
  }
  const run = async (command: EmbedCommand) => {
    switch (command.type) {
      case 'kpv:goto': seekStep(command.step); break
      case 'kpv:play': playJourney(); break
      case 'kpv:pause': pauseJourney(); break
      case 'kpv:sendPacket': {
        const { type: _t, ...request } = command
        const sent = await sendPacket(request, { autoplay: options.autoplay })
        if (!sent) post({ type: 'kpv:error', message: usePlayerStore.getState().error ?? 'the packet could not be sent' })
        break
      }
      case 'kpv:load': {
        const parsed = parseScenarioDocument(command.scenario)
        if (!parsed.ok) {
          const e = parsed.errors[0]
          post({ type: 'kpv:loaded', ok: false, message: `${e.path ? `${e.path}: ` : ''}${e.message} (line ${e.line}, column ${e.column})` })
          break
        }
        const loaded = await loadDocument(parsed.doc)
        post(loaded.ok ? { type: 'kpv:loaded', ok: true } : { type: 'kpv:loaded', ok: false, message: loaded.message })
        if (loaded.ok && options.autoplay) playJourney()
        break
      }
    }
  }
  const onMessage = (event: MessageEvent) => {
    if (event.source !== parent || parent === window) return
    if (options.origin && event.origin !== options.origin) return
    const parsed = parseEmbedCommand(event.data)
    if (!parsed) return
    if (!parsed.ok) { post({ type: 'kpv:error', message: parsed.message }); return }
    void run(parsed.command)
  }
  window.addEventListener('message', onMessage)
  const unsubscribe = usePlayerStore.subscribe((s, prev) => {
    if (s.journey && s.journey !== prev.journey) post({ type: 'kpv:journey', reached: reachedOf(s.journey), verdict: s.journey.verdict })
    if (s.journey && (s.step !== prev.step || s.journey !== prev.journey)) {
      post({ type: 'kpv:step', step: s.step, total: s.journey.hops.length, hop: hopSummary(s.journey, s.step) })
    }
  })
  return () => {
    window.removeEventListener('message', onMessage)
    unsubscribe()
  }
}

/** Tells the host the app is listening (after the scenario is loaded), with the current step if any. */
export function announceReady(options: EmbedApiOptions): void {
  if (window.parent === window) return
  const targetOrigin = options.origin ?? '*'
  window.parent.postMessage({ type: 'kpv:ready' } satisfies EmbedEvent, targetOrigin)
  const { journey, step } = usePlayerStore.getState()
  if (journey) {
    window.parent.postMessage({ type: 'kpv:journey', reached: reachedOf(journey), verdict: journey.verdict } satisfies EmbedEvent, targetOrigin)
    window.parent.postMessage({ type: 'kpv:step', step, total: journey.hops.length, hop: hopSummary(journey, step) } satisfies EmbedEvent, targetOrigin)
  }
}
