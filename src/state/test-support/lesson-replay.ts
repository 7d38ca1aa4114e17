/**
 * Plays a lesson on the engine, step by step, as the presenter does, and checks every step's expectations
 * against what the engine answers. Used by the unit tests (every built-in lesson) and handy from a script
 * when writing a lesson. It runs the engine on its own thread, so it is Node-only support: the app's lesson
 * presenter (lesson-presenter.ts) asks the engine worker instead.
 */
import type { Journey } from '../../engine/journeys/journey.ts'
import { runOperation } from '../../engine/scenario/run-operation.ts'
import { Simulation } from '../../engine/simulation/simulation.ts'
import { checkExpect, operationsUpTo, packetIndex, stepExpect, type Lesson } from '../lesson-model.ts'

export interface StepOutcome {
  step: number
  title: string
  journey: Journey | null
  problems: string[]
}

export function replayLesson(lesson: Lesson): StepOutcome[] {
  const sim = Simulation.create({ seed: lesson.scenario.seed, empty: lesson.doc.base === 'empty' })
  const ops = lesson.scenario.operations
  const journeys = new Map<number, Journey>()
  let done = 0
  return lesson.steps.map((step, i) => {
    for (const end = operationsUpTo(lesson, step); done < end; done++) {
      const result = runOperation(sim, ops[done], done)
      if (!result.ok) throw new Error(`lesson ${lesson.name}: operation ${done + 1} refused: ${result.message}`)
      if ('journey' in result && result.journey) journeys.set(done, result.journey)
    }
    const p = packetIndex(lesson, step)
    const journey = p === null ? null : journeys.get(p) ?? null
    if (journey && step.packet && step.packet.step >= journey.hops.length) {
      return { step: i + 1, title: step.title, journey, problems: [`packet.step ${step.packet.step} is past the journey's last hop (${journey.hops.length - 1})`] }
    }
    const problems = checkExpect(stepExpect(lesson, i), journey, (node) => sim.iptablesSave(node))
    return { step: i + 1, title: step.title, journey, problems }
  })
}
