import { describe, expect, it } from 'vitest'
import { builtInLessons } from './lesson-catalog.ts'
import { checkExpect, parseLesson, placeName } from './lesson-model.ts'
import { replayLesson } from './test-support/lesson-replay.ts'

const lessons = builtInLessons()

describe('built-in lessons', () => {
  it('covers every topic of the lesson list', () => {
    expect(lessons.map((l) => l.name)).toEqual([
      'clusterip', 'scaling', 'nodeport', 'loadbalancer', 'local-policy', 'session-affinity', 'no-endpoints',
      'firewall', 'masquerade-hairpin', 'established',
    ])
  })

  for (const lesson of lessons) {
    describe(lesson.name, () => {
      it('has 3 to 8 steps of short text, a title and a description', () => {
        expect(lesson.steps.length).toBeGreaterThanOrEqual(3)
        expect(lesson.steps.length).toBeLessThanOrEqual(8)
        expect(lesson.description.length).toBeGreaterThan(20)
        for (const step of lesson.steps) expect(step.text.length).toBeLessThan(500)
      })

      it('every step says what the engine does', () => {
        const outcomes = replayLesson(lesson)
        const problems = outcomes.flatMap((o) => o.problems.map((p) => `step ${o.step} (${o.title}): ${p}`))
        expect(problems).toEqual([])
        // Every lesson checks something at most of its steps: a lesson with no expectations proves nothing.
        const checked = lesson.steps.filter((s, i) => s.expect !== undefined || lesson.checks.has(i)).length
        expect(checked).toBeGreaterThanOrEqual(lesson.steps.length - 1)
      })
    })
  }
})

describe('lesson checks', () => {
  const lesson = lessons.find((l) => l.name === 'clusterip')!
  const outcomes = replayLesson(lesson)
  const journey = outcomes[1].journey!

  it('name the place a packet reached as pod/NAMESPACE/NAME', () => {
    expect(placeName(journey)).toMatch(/^pod\/default\/nginx-deployment-/)
  })

  it('report a packet that lands elsewhere than the text says', () => {
    const wrong = checkExpect({ reaches: 'pod/default/somewhere-else', verdict: 'dropped', sourceSeen: '1.2.3.4' }, journey, () => '')
    expect(wrong).toHaveLength(3)
  })

  it('report rules missing from a Node', () => {
    expect(checkExpect({ save: { node: 'kind-worker', contains: ['-A NO-SUCH-CHAIN'] } }, null, () => '*nat\nCOMMIT\n')).toEqual([
      'expected kind-worker\'s iptables-save to contain "-A NO-SUCH-CHAIN"',
    ])
  })

  it('refuse side checks for a step the lesson does not have', () => {
    const text = `apiVersion: kube-proxy-visualizer.dev/v1\nkind: Scenario\nmetadata: {name: x}\nseed: 1\noperations: []\nlesson:\n  steps:\n    - {title: a, text: b, operationsUpTo: 0}\n`
    expect(() => parseLesson(text, 'steps: {"2": {stoppedIn: filter/INPUT}}', 'x.yaml')).toThrow(/no step 2/)
  })

  it('refuse malformed side checks (an unquoted ": " makes a rule text a mapping)', () => {
    const text = `apiVersion: kube-proxy-visualizer.dev/v1\nkind: Scenario\nmetadata: {name: x}\nseed: 1\noperations: []\nlesson:\n  steps:\n    - {title: a, text: b, operationsUpTo: 0}\n`
    expect(() => parseLesson(text, 'steps:\n  "1":\n    matches:\n      - -A X --comment "NOTE: y"\n', 'x.yaml')).toThrow(/x.yaml checks, step 1: matches must be a list of strings/)
  })
})
