// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scenarioDocument } from '../engine/scenario/document.ts'
import { defaultScenario } from './default-scenario.ts'
import { disconnectEngine, engineSettled } from './engine-sync.ts'
import { builtInLessons } from './lesson-catalog.ts'
import { closeLesson, goToStep, openLesson } from './lesson-presenter.ts'
import { initialPlayerState, usePlayerStore } from './player.ts'
import { seekStep, sendPacket } from './player-actions.ts'
import { currentDocument, loadDocument, openFromLocation, shareCurrent, useShareStore } from './share.ts'
import { encodeShareFragment } from './share-codec.ts'
import { startFreshApp } from './test-support/fresh-app.ts'
import { STORAGE_KEY, initialState, useAppStore } from './store.ts'

const request = { from: 'kind-worker', to: 'default/nginx-service', port: 80, proto: 'tcp' } as const

beforeEach(startFreshApp)

afterEach(() => disconnectEngine())

describe('sharing the current scenario', () => {
  it('a document made from the app reopens the same journey (same Pod, same hop)', async () => {
    // Three packets: the load balancer's choices depend on all of them.
    await sendPacket(request, { autoplay: false })
    await sendPacket(request, { autoplay: false })
    await sendPacket(request, { autoplay: false })
    seekStep(6)
    const original = usePlayerStore.getState().journey!
    const doc = currentDocument()
    expect(doc.step).toEqual({ hop: 6 })
    expect(doc.operations).toHaveLength(4)

    useAppStore.setState(initialState())
    usePlayerStore.setState(initialPlayerState())
    await engineSettled()
    expect(await loadDocument(doc)).toEqual({ ok: true })
    const reopened = usePlayerStore.getState()
    expect(reopened.step).toBe(6)
    expect(reopened.journey?.reachedPod).toBe(original.reachedPod)
    expect(reopened.journey?.hops.map((h) => h.text)).toEqual(original.hops.map((h) => h.text))
    expect(useAppStore.getState().scenario.operations).toEqual(doc.operations)
    // Opening is a fresh start, not an edit to undo.
    expect(useAppStore.temporal.getState().pastStates).toHaveLength(0)
  })

  it('a broken link opens the default scenario and leaves the saved one alone', async () => {
    await sendPacket(request, { autoplay: false })
    const saved = localStorage.getItem(STORAGE_KEY)
    expect(saved).toContain('sendPacket')
    expect(await openFromLocation('#s=not-deflate-data')).toBe(true)
    expect(useShareStore.getState().damaged).toMatch(/damaged|cut short/)
    expect(useAppStore.getState().scenario).toEqual(defaultScenario())
    expect(localStorage.getItem(STORAGE_KEY)).toBe(saved)
  })

  it('a good link does not overwrite the saved scenario either, until kept', async () => {
    const saved = localStorage.getItem(STORAGE_KEY)
    const doc = scenarioDocument({ seed: 9, operations: [{ type: 'advance', seconds: 5 }] }, { metadata: { name: 'linked' } })
    await openFromLocation(encodeShareFragment(doc))
    expect(useAppStore.getState().scenario.seed).toBe(9)
    expect(useShareStore.getState()).toMatchObject({ detached: true, damaged: null })
    expect(localStorage.getItem(STORAGE_KEY)).toBe(saved)
  })

  it('refuses to make a link the receiver would refuse, and says why', async () => {
    useAppStore.setState({ scenario: { seed: 1, operations: [{ type: 'console', node: 'kind-worker', line: 'x'.repeat(20_000) }] } })
    expect(await shareCurrent()).toBeNull()
    expect(useShareStore.getState().shareError).toMatch(/operations\[0\]\.run\.command: longer than 10000/)
  })
})

describe('sharing a lesson', () => {
  it('at its last step, the link carries the lesson and reopens the same packet', async () => {
    const lesson = builtInLessons()[0]
    await openLesson(lesson.name)
    await goToStep(lesson.steps.length - 1)
    const shown = usePlayerStore.getState()
    const doc = currentDocument()
    expect(doc.metadata.title).toBe(lesson.title)
    expect(doc.lesson?.steps).toEqual(lesson.doc.lesson?.steps)
    useAppStore.setState(initialState())
    usePlayerStore.setState(initialPlayerState())
    closeLesson()
    expect(await loadDocument(doc)).toEqual({ ok: true })
    const reopened = usePlayerStore.getState()
    // The ClusterIP walkthrough ends on its packet: the link opens on the same hop, at the same Pod.
    expect(shown.journey).not.toBeNull()
    expect(reopened.step).toBe(shown.step)
    expect(reopened.journey?.reached).toEqual(shown.journey?.reached)
    expect(reopened.journey?.hops.map((h) => h.text)).toEqual(shown.journey?.hops.map((h) => h.text))
  })
})
