// @vitest-environment happy-dom
/**
 * The edit queue (actions.ts): edits that race each other — an apply still in flight when a share link
 * opens, a lesson step, an import, undo — each land exactly once, in the order they were asked for, and what
 * is shown is what is saved. Runs against the in-process engine, which answers asynchronously like the
 * worker, so an edit is really in flight while the next one is asked for.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scenarioDocument } from '../engine/scenario/document.ts'
import { importClusterText } from '../ui/export/import-actions.ts'
import type { Operation, Scenario } from '../worker/operations.ts'
import { applyManifest, undo } from './actions.ts'
import { defaultScenario } from './default-scenario.ts'
import { disconnectEngine, engine, engineSettled } from './engine-sync.ts'
import { lessonNamed } from './lesson-catalog.ts'
import { closeLesson, openLesson } from './lesson-presenter.ts'
import { operationsUpTo } from './lesson-model.ts'
import { keepScenario, openFromLocation, useShareStore } from './share.ts'
import { encodeShareFragment } from './share-codec.ts'
import { startFreshApp } from './test-support/fresh-app.ts'
import { STORAGE_KEY, useAppStore } from './store.ts'

const kindList = readFileSync(join(import.meta.dirname, '../engine/scenario/import-kind-list.fixture.yaml'), 'utf8')

const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n`
const apply = (name: string): Operation => ({ type: 'apply', yaml: service(name) })

/** A link to the default cluster with its clock moved on: recognisable by its seed and its last step. */
const linked: Scenario = { seed: 7, operations: [...defaultScenario().operations, { type: 'advance', seconds: 5 }] }
const link = encodeShareFragment(scenarioDocument(linked, { metadata: { name: 'linked' } }))

const state = () => useAppStore.getState()
const services = () => state().view!.snapshot.services.map((s) => s.metadata.name)
/** The scenario a storage holds for the app (persist's format), or null. */
function saved(storage: Storage): Scenario | null {
  const text = storage.getItem(STORAGE_KEY)
  return text === null ? null : (JSON.parse(text) as { state: { scenario: Scenario } }).state.scenario
}
/** How many times an operation stands in a scenario. */
const count = (scenario: Scenario | null, op: Operation) => scenario?.operations.filter((o) => JSON.stringify(o) === JSON.stringify(op)).length ?? 0

/** Every scenario the store held, in order (each write of the scenario, whoever made it). */
let written: Scenario[] = []
let stopWatching = () => {}

beforeEach(async () => {
  closeLesson()
  await startFreshApp()
  localStorage.clear()
  written = []
  stopWatching = useAppStore.subscribe((s, prev) => { if (s.scenario !== prev.scenario) written.push(s.scenario) })
})

afterEach(() => {
  stopWatching()
  disconnectEngine()
  // Back to saving in localStorage for the next test (a link moved this tab's saving to sessionStorage).
  keepScenario()
})

describe('an apply made while a share link opens', () => {
  it('asked for first, it lands on the person\'s own scenario and is saved there; then the link opens', async () => {
    const applying = applyManifest(service('web'))
    const opening = openFromLocation(link)
    expect(await applying).toBe(true)
    await opening
    await engineSettled()

    // Saved: the person's own scenario has the apply, once (the link only then stopped saving to it).
    expect(saved(localStorage)).toEqual({ ...defaultScenario(), operations: [...defaultScenario().operations, apply('web')] })
    // Shown: the link, whole, not overwritten by the apply.
    expect(state().scenario).toEqual(linked)
    expect(useShareStore.getState().detached).toBe(true)
    expect(written).toEqual([saved(localStorage), linked])
  })

  it('asked for while the link is opening, it lands on the link\'s scenario, is shown, and is saved with it in this tab', async () => {
    const opening = openFromLocation(link)
    const applying = applyManifest(service('web'))
    await opening
    expect(await applying).toBe(true)
    await engineSettled()

    const expected = { ...linked, operations: [...linked.operations, apply('web')] }
    expect(state().scenario).toEqual(expected)
    expect(services()).toContain('web')
    // This tab saves the link's scenario, with the apply; the person's own saved scenario is not touched.
    expect(saved(sessionStorage)).toEqual(expected)
    expect(saved(localStorage)).toBeNull()
  })
})

describe('an import and an apply, one quickly after the other', () => {
  it('import, then apply: both are kept, the apply on top of the imported cluster', async () => {
    const importing = importClusterText(kindList)
    const applying = applyManifest(service('web'))
    expect((await importing).ok).toBe(true)
    expect(await applying).toBe(true)
    await engineSettled()

    const imported = written[0]
    expect(imported.operations.length).toBeGreaterThan(3)
    expect(state().scenario).toEqual({ ...imported, operations: [...imported.operations, apply('web')] })
    expect(services()).toContain('web')
    expect(saved(localStorage)).toEqual(state().scenario)
  })

  it('apply, then import: both are kept, in order: the import replaces the cluster and Undo brings back the apply', async () => {
    const applying = applyManifest(service('web'))
    const importing = importClusterText(kindList)
    expect(await applying).toBe(true)
    expect((await importing).ok).toBe(true)
    await engineSettled()

    const withApply = { ...defaultScenario(), operations: [...defaultScenario().operations, apply('web')] }
    expect(written).toHaveLength(2)
    expect(written[0]).toEqual(withApply)
    expect(state().scenario).toBe(written[1])
    expect(saved(localStorage)).toEqual(written[1])

    await undo()
    await engineSettled()
    expect(state().scenario).toEqual(withApply)
    expect(services()).toContain('web')
    expect(saved(localStorage)).toEqual(withApply)
  })
})

describe('share-open, a lesson step, an import and undo around an apply in flight', () => {
  it('every edit lands exactly once, in the order asked for', async () => {
    const lesson = lessonNamed('clusterip')!
    const lessonStep = { seed: lesson.scenario.seed, operations: lesson.scenario.operations.slice(0, operationsUpTo(lesson, lesson.steps[0])) }
    // A List is imported on the seed of the scenario it replaces: the lesson's, when its turn comes.
    const importing = await engine().importCluster(kindList, lesson.scenario.seed)
    if (!importing.ok) throw new Error(importing.message)
    const imported: Scenario = { seed: lesson.scenario.seed, operations: importing.operations }

    // All asked for at once: nothing is awaited until the last one is in the queue.
    const edits = [
      applyManifest(service('before-link')),
      openFromLocation(link),
      openLesson(lesson.name),
      importClusterText(kindList),
      undo(),
      applyManifest(service('after-undo')),
    ]
    await Promise.all(edits)
    await engineSettled()

    const beforeLink = { ...defaultScenario(), operations: [...defaultScenario().operations, apply('before-link')] }
    const final = { ...lessonStep, operations: [...lessonStep.operations, apply('after-undo')] }
    // In order: the apply on the person's scenario, the link, the lesson's step (its scenario, then its
    // packet), the import, undo (back to the lesson's step), the last apply on top of it.
    expect(written[0]).toEqual(beforeLink)
    expect(written[1]).toEqual(linked)
    const lessonWrites = written.slice(2, -3)
    expect(lessonWrites.length).toBeGreaterThan(0)
    for (const s of lessonWrites) expect(lesson.scenario.operations.slice(0, s.operations.length)).toEqual(s.operations)
    expect(lessonWrites.at(-1)).toEqual(lessonStep)
    expect(written.slice(-3)).toEqual([imported, lessonStep, final])

    // Each apply once: the first saved to the person's own scenario, the last shown and saved in this tab.
    expect(count(saved(localStorage), apply('before-link'))).toBe(1)
    expect(state().scenario).toEqual(final)
    expect(count(state().scenario, apply('after-undo'))).toBe(1)
    expect(saved(sessionStorage)).toEqual(final)
    expect(services()).toContain('after-undo')
    // The link opened a fresh history: its scenario is the oldest step Undo can reach.
    expect(useAppStore.temporal.getState().pastStates[0].scenario).toEqual(linked)
  })
})
