// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createInProcessEngineClient } from '../worker/in-process-client.ts'
import { undo } from './actions.ts'
import { connectEngine, disconnectEngine, engineSettled } from './engine-sync.ts'
import { lessonNamed } from './lesson-catalog.ts'
import { placeName } from './lesson-model.ts'
import { closeLesson, goToStep, initialLessonState, nextStep, openLesson, previousStep, useLessonStore } from './lesson-presenter.ts'
import { clearPlayer } from './player-actions.ts'
import { usePlayerStore } from './player.ts'
import { defaultScenario } from './default-scenario.ts'
import { initialState, useAppStore } from './store.ts'

const app = () => useAppStore.getState()
const lesson = () => useLessonStore.getState()
const player = () => usePlayerStore.getState()

beforeEach(async () => {
  localStorage.clear()
  useAppStore.setState(initialState())
  useAppStore.temporal.getState().clear()
  useLessonStore.setState(initialLessonState())
  clearPlayer()
  connectEngine(createInProcessEngineClient())
  await engineSettled()
})

afterEach(() => {
  closeLesson()
  disconnectEngine()
})

describe('presenting a lesson', () => {
  it('opens at step 1 with the lesson\'s first operations, and says the person\'s scenario is in the undo history', async () => {
    await openLesson('scaling', { present: true })
    const scaling = lessonNamed('scaling')!
    expect(lesson()).toMatchObject({ step: 0, presenting: true, loading: false, error: null })
    expect(lesson().notice).toMatch(/undo history/)
    expect(app().scenario).toEqual({ seed: scaling.scenario.seed, operations: scaling.scenario.operations.slice(0, 1) })
    expect(app().view!.snapshot.pods.filter((p) => p.metadata.name.startsWith('nginx-deployment-'))).toHaveLength(2)
    expect(player().journey).toBeNull()
  })

  it('sends the step\'s packet through the engine and shows it at the step\'s hop', async () => {
    await openLesson('clusterip')
    await nextStep()
    const step = lessonNamed('clusterip')!.steps[1]
    expect(player().journey).not.toBeNull()
    expect(player().step).toBe(step.packet!.step)
    expect(player().journey!.hops[player().step].text).toContain('-A KUBE-SERVICES -d ')
    // The packet is part of the scenario, like any packet sent from the player.
    expect(app().scenario.operations.at(-1)).toMatchObject({ type: 'sendPacket', from: 'default/client' })
  })

  it('lands the same packets wherever the steps are visited from (forward, back, jump)', async () => {
    await openLesson('established')
    const landed: (string | null)[] = []
    for (let i = 0; i < 4; i++) {
      if (i > 0) await nextStep()
      landed.push(player().journey ? placeName(player().journey!) : null)
    }
    expect(landed).toEqual([
      'pod/default/nginx-deployment-5f799cdc54-jtc25', null,
      'pod/default/nginx-deployment-5f799cdc54-jtc25', 'pod/default/nginx-deployment-5f799cdc54-qxjl2',
    ])
    await previousStep()
    expect(placeName(player().journey!)).toBe('pod/default/nginx-deployment-5f799cdc54-jtc25')
    await goToStep(0)
    expect(placeName(player().journey!)).toBe('pod/default/nginx-deployment-5f799cdc54-jtc25')
    await nextStep()
    expect(player().journey).toBeNull()
  })

  it('never goes past either end', async () => {
    await openLesson('no-endpoints')
    await previousStep()
    expect(lesson().step).toBe(0)
    await goToStep(99)
    expect(lesson().step).toBe(2)
    await nextStep()
    expect(lesson().step).toBe(2)
  })

  it('gives the person\'s scenario back with Undo', async () => {
    await openLesson('nodeport')
    await nextStep()
    closeLesson()
    while (useAppStore.temporal.getState().pastStates.length > 0) await undo()
    await engineSettled()
    expect(app().scenario).toEqual(defaultScenario())
  })
})
