/**
 * The lesson being shown and its step: view state only (never undone, never persisted). Going to a step
 * makes the app's scenario the lesson's operations up to that step (an ordinary scenario change, so the
 * person's own scenario stays in the undo history: Undo brings it back), then sends the step's packet
 * through the engine and opens the player at the step's hop, so what is on screen is the engine's answer,
 * not a recording. All of it is one turn of the edit queue (actions.ts replaceScenario): an edit made
 * meanwhile lands before the step or after it, never in the middle.
 */
import { create } from 'zustand'
import { replaceScenario } from './actions.ts'
import { builtInLessons } from './lesson-catalog.ts'
import { operationsUpTo, packetIndex, stepPacket, type Lesson } from './lesson-model.ts'
import { clearPlayer, seekStep, sendPacket } from './player-actions.ts'
import { useAppStore } from './store.ts'
import { engineSettled } from './engine-sync.ts'

export interface LessonState {
  /** The lesson browser is open. */
  browsing: boolean
  lesson: Lesson | null
  step: number
  /** Presenter mode: large text, the lesson takes the side of the screen. */
  presenting: boolean
  /** A step is being prepared (scenario replay, packet sent). */
  loading: boolean
  error: string | null
  /** Shown once after a lesson replaced the person's scenario. */
  notice: string | null
}

export function initialLessonState(): LessonState {
  return { browsing: false, lesson: null, step: 0, presenting: false, loading: false, error: null, notice: null }
}

export const useLessonStore = create<LessonState>()(() => initialLessonState())

const set = useLessonStore.setState
const get = useLessonStore.getState

export const openLessonBrowser = () => set({ browsing: true })
export const closeLessonBrowser = () => set({ browsing: false })
export const dismissLessonNotice = () => set({ notice: null })

/** One step change at a time; a newer request supersedes an older one still running. */
let generation = 0

/** Shows step `index` of the current lesson: its scenario, its packet at its hop. */
export async function goToStep(index: number): Promise<void> {
  const lesson = get().lesson
  if (!lesson) return
  const clamped = Math.max(0, Math.min(lesson.steps.length - 1, index))
  const step = lesson.steps[clamped]
  const mine = ++generation
  set({ step: clamped, loading: true, error: null })
  try {
    const ops = lesson.scenario.operations
    const upTo = operationsUpTo(lesson, step)
    const p = packetIndex(lesson, step)
    const request = stepPacket(lesson, step)
    const before = { seed: lesson.scenario.seed, operations: ops.slice(0, p ?? upTo) }
    // A step asked for later supersedes this one: when its turn comes, this one is skipped.
    await replaceScenario((current) => (mine !== generation ? null : sameScenario(current, before) ? current : before), {
      after: async (turn) => {
        if (!request) {
          clearPlayer()
          return
        }
        const { type: _type, ...packet } = request
        const sent = await sendPacket(packet, { autoplay: false, turn })
        if (mine !== generation) return
        if (!sent) throw new Error('the engine refused the step\'s packet')
        seekStep(step.packet?.step ?? 0)
        // Operations after the packet (e.g. console commands) complete the step.
        if (p !== null && upTo > p + 1) turn.replace({ seed: lesson.scenario.seed, operations: ops.slice(0, upTo) })
      },
    })
    if (mine !== generation) return
    await engineSettled()
  } catch (err) {
    if (mine === generation) set({ error: err instanceof Error ? err.message : String(err) })
  } finally {
    if (mine === generation) set({ loading: false })
  }
}

function sameScenario(a: { seed: number; operations: readonly unknown[] }, b: { seed: number; operations: readonly unknown[] }): boolean {
  return a.seed === b.seed && a.operations.length === b.operations.length && JSON.stringify(a.operations) === JSON.stringify(b.operations)
}

/** Opens a built-in lesson at its first step. The scenario it replaces stays in the undo history. */
export async function openLesson(name: string, options: { present?: boolean } = {}): Promise<void> {
  const lesson = builtInLessons().find((l) => l.name === name)
  if (!lesson) {
    set({ error: `no lesson named ${name}` })
    return
  }
  const hadOwn = useAppStore.getState().scenario.operations.length > 0
  set({
    lesson, step: 0, browsing: false, presenting: options.present ?? false,
    notice: hadOwn ? 'The lesson replaced your scenario; it is kept in the undo history (Undo brings it back).' : null,
  })
  await goToStep(0)
}

export const nextStep = () => goToStep(get().step + 1)
export const previousStep = () => goToStep(get().step - 1)
export const startPresenting = () => set({ presenting: true })
export const stopPresenting = () => set({ presenting: false })
export function closeLesson(): void {
  generation++
  set({ lesson: null, step: 0, presenting: false, loading: false, error: null, notice: null })
}
