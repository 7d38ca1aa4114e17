/**
 * Opening and making share links, wired to the stores.
 *
 * A page opened from a link (good or broken) or in embed mode never writes the user's own saved scenario:
 * persistence moves to sessionStorage for that tab, so the stored scenario survives whatever the link held.
 * "Keep this scenario" moves it back (the link's scenario then becomes the saved one).
 *
 * The player's journey is part of what a link restores: when the scenario's last operation sends one packet,
 * that packet is sent again after the replay (the engine is deterministic, so it reaches the same endpoint)
 * and the player opens at the link's hop.
 *
 * Opening a link is one turn of the edit queue (actions.ts replaceScenario): an edit asked for before it
 * lands first and is saved to the person's own scenario (persistence moves only when the link's turn
 * comes); an edit asked for after it lands on the link's scenario and is saved with it (in this tab).
 */
import { create } from 'zustand'
import { createJSONStorage } from 'zustand/middleware'
import { documentToData, parseScenarioDocument, scenarioDocument, type DocumentError, type ScenarioDocument } from '../engine/scenario/document.ts'
import type { Scenario } from '../worker/operations.ts'
import { replaceScenario, type EditTurn } from './actions.ts'
import { defaultScenario } from './default-scenario.ts'
import { engineSettled } from './engine-sync.ts'
import { useLessonStore } from './lesson-presenter.ts'
import { usePlayerStore } from './player.ts'
import { clearPlayer, seekStep, sendPacket } from './player-actions.ts'
import { decodeShareFragment, encodeShareFragment, isShareFragment } from './share-codec.ts'
import { STORAGE_KEY, STORAGE_VERSION, useAppStore } from './store.ts'

export interface ShareState {
  /** Why the link could not be opened (shown as "This link is damaged: …"). */
  damaged: string | null
  damagedErrors: DocumentError[]
  /** The document the page was opened with (its title, lesson, layout): kept when sharing again. */
  opened: ScenarioDocument | null
  /** The page's scenario is not being saved (opened from a link or embedded). */
  detached: boolean
  /** The page runs embedded (`?embed=1`). */
  embedded: boolean
  /** The last link made by Share. */
  link: string | null
  /** Why the current scenario could not be made into a link (over a limit of the document format). */
  shareError: string | null
  copied: boolean
}

export const useShareStore = create<ShareState>()(() => ({
  damaged: null, damagedErrors: [], opened: null, detached: false, embedded: false, link: null, shareError: null, copied: false,
}))

/** Stop writing the user's saved scenario for this tab. */
export function detachPersistence(): void {
  useAppStore.persist.setOptions({ storage: createJSONStorage(() => sessionStorage) })
  useShareStore.setState({ detached: true })
}

/** The opened scenario becomes the user's saved one. */
export function keepScenario(): void {
  useAppStore.persist.setOptions({ storage: createJSONStorage(() => localStorage) })
  // Write now (persist would only write on the next change), in persist's own format.
  const { scenario, draft } = useAppStore.getState()
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ state: { scenario, draft }, version: STORAGE_VERSION }))
  useShareStore.setState({ detached: false })
}

export const dismissDamaged = () => useShareStore.setState({ damaged: null, damagedErrors: [] })

/** The app's scenario (and the player's hop) as a document, keeping the opened document's title and lesson. */
export function currentDocument(): ScenarioDocument {
  const { scenario } = useAppStore.getState()
  const { journey, step } = usePlayerStore.getState()
  // The document the scenario came from: a lesson being shown, else the link the page was opened with.
  const opened = useLessonStore.getState().lesson?.doc ?? useShareStore.getState().opened
  const count = scenario.operations.length
  // A lesson whose steps point past the operations (some were undone) no longer describes this scenario.
  const lessonFits = opened?.lesson?.steps.every((s) => (s.operationsUpTo ?? 0) <= count) ?? false
  return scenarioDocument(
    { seed: scenario.seed, operations: [...scenario.operations] },
    {
      metadata: opened?.metadata ?? { name: 'shared-scenario' },
      ...(opened?.layout ? { layout: opened.layout } : {}),
      ...(opened?.lesson && lessonFits ? { lesson: opened.lesson } : {}),
      ...(journey && isLastOperationsPacket(scenario) ? { step: { hop: step } } : {}),
    },
  )
}

/** A link to `doc` on this page's address (query kept, fragment replaced). */
export function linkFor(doc: ScenarioDocument, base: string = location.href): string {
  const url = new URL(base)
  url.hash = encodeShareFragment(doc).slice(1)
  return url.toString()
}

/** Makes the link for the current scenario and step, copies it (when the browser lets us) and shows it. */
export async function shareCurrent(): Promise<string | null> {
  const doc = currentDocument()
  // The link must open: check the document as a receiver would (limits on sizes and counts).
  const check = parseScenarioDocument(JSON.stringify(documentToData(doc)))
  if (!check.ok) {
    const e = check.errors[0]
    useShareStore.setState({ link: null, copied: false, shareError: `${e.path ? `${e.path}: ` : ''}${e.message}` })
    return null
  }
  const link = linkFor(doc)
  let copied = false
  try {
    await navigator.clipboard.writeText(link)
    copied = true
  } catch {
    // No clipboard permission (an iframe, http): the link is shown to copy by hand.
  }
  useShareStore.setState({ link, copied, shareError: null })
  return link
}

export const closeShareLink = () => useShareStore.setState({ link: null, copied: false, shareError: null })

/** The player's journey is the last operation's packet (what a link's `step` restores). */
function isLastOperationsPacket(scenario: Scenario): boolean {
  const last = scenario.operations.at(-1)
  return last?.type === 'sendPacket' && last.count === undefined
}

/**
 * At startup: when the fragment is a share link, open it (or say why not and open the default). Returns
 * whether the page was opened from a link.
 */
export async function openFromLocation(hash: string = location.hash): Promise<boolean> {
  if (!isShareFragment(hash)) return false
  const result = decodeShareFragment(hash)
  if (!result.ok) {
    await openDamaged(result.message, result.errors ?? [])
    return true
  }
  const loaded = await loadDocument(result.doc, { detach: true })
  if (!loaded.ok) await openDamaged(loaded.message, [])
  return true
}

/** A link that cannot be opened: say why and open the default scenario (still not saved over the person's). */
function openDamaged(damaged: string, damagedErrors: DocumentError[]): Promise<void> {
  return loadScenario(defaultScenario(), () => {
    detachPersistence()
    useShareStore.setState({ damaged, damagedErrors, opened: null })
  })
}

/**
 * Loads a document: its scenario, then its last packet's journey at its hop. Not undoable (a fresh start).
 * `detach`: stop saving to the person's own scenario (a link opened in this tab) when its turn comes.
 */
export async function loadDocument(doc: ScenarioDocument, options: { detach?: boolean } = {}): Promise<{ ok: true } | { ok: false; message: string }> {
  if (doc.base !== 'default') return { ok: false, message: 'base "empty" is not supported by this version of the app' }
  const operations = [...doc.operations]
  const last = operations.at(-1)
  const replayPacket = last?.type === 'sendPacket' && last.count === undefined
  const scenario: Scenario = { seed: doc.seed, operations: replayPacket ? operations.slice(0, -1) : operations }
  await loadScenario(scenario, () => {
    if (options.detach) detachPersistence()
    useShareStore.setState({ opened: doc })
  }, async (turn) => {
    if (!replayPacket || last?.type !== 'sendPacket') return
    const { type: _type, count: _count, ...request } = last
    const sent = await sendPacket(request, { autoplay: false, turn })
    if (sent && doc.step) seekStep(doc.step.hop)
  })
  return { ok: true }
}

/**
 * Opens `scenario` as a fresh start (no history), in its turn of the edit queue: `before` runs first in the
 * turn, `after` (the link's packet) right after the scenario is in place. Resolves once the engine answered.
 */
async function loadScenario(scenario: Scenario, before?: () => void, after?: (turn: EditTurn) => Promise<void>): Promise<void> {
  await replaceScenario(scenario, {
    history: 'fresh',
    before: () => {
      before?.()
      clearPlayer()
    },
    after,
  })
  await engineSettled()
}

export interface UrlOptions {
  embed: boolean
  autoplay: boolean
  /** `origin=`: the only origin an embedding page may command the app from. */
  origin: string | null
}

/** Reads `?embed=1&autoplay=1&origin=…` (anything else, or a malformed origin, is ignored). */
export function urlOptions(search: string = location.search): UrlOptions {
  const params = new URLSearchParams(search)
  let origin: string | null = null
  const raw = params.get('origin')
  if (raw) {
    try {
      const url = new URL(raw)
      origin = url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : 'https://origin.invalid'
    } catch {
      // A malformed restriction must not turn into no restriction: `.invalid` (RFC 2606) matches no sender.
      origin = 'https://origin.invalid'
    }
  }
  return { embed: params.get('embed') === '1', autoplay: params.get('autoplay') === '1', origin }
}

/**
 * Startup: an embedded page never touches the saved scenario and opens the link's scenario or the default;
 * a page opened from a link opens it; later fragment changes (a link pasted into this tab) open too.
 */
export async function bootFromUrl(options: UrlOptions): Promise<void> {
  if (options.embed) {
    useShareStore.setState({ embedded: true })
    detachPersistence()
  }
  const opened = await openFromLocation()
  if (!opened && options.embed) await loadScenario(defaultScenario())
  window.addEventListener('hashchange', () => { void openFromLocation() })
}
