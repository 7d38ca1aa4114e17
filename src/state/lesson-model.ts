/**
 * Built-in lessons: each is a scenario document (src/engine/scenario/document.ts) with a `lesson` section of
 * ordered steps. A step says how many of the scenario's operations have run when it is shown
 * (`operationsUpTo`), whether it shows a packet (`packet: { step: HOP }`: the last packet sent by then, at
 * that hop), what to highlight, and what the engine must answer (`expect`: where the packet lands, its
 * verdict). Checks the document format cannot say yet (the source address the Pod sees, the chain that
 * stopped the packet, text in a Node's iptables-save) live beside each lesson in checks/NAME.yaml.
 * lessons.test.ts and the browser tests check every step, so a lesson's text cannot drift from the engine.
 *
 * Plain data and pure functions (no React, no store): the presenter and the tests share them.
 */
import { parse } from 'yaml'
import { parseScenarioDocument, type LessonStep, type ScenarioDocument } from '../engine/scenario/document.ts'
import type { Journey, JourneyVerdict } from '../engine/journeys/journey.ts'
import type { Operation, Scenario } from '../worker/operations.ts'

export type { LessonStep } from '../engine/scenario/document.ts'

/** Expectations beyond the document's `expect` (see the file comment). */
export interface LessonChecks {
  /** The source address the destination sees (masquerade changes it, Local policy keeps it). */
  sourceSeen?: string
  /** The chain that dropped or rejected the packet (`table/CHAIN`). */
  stoppedIn?: string
  /** Chains the packet went through (`table/CHAIN`, on any Node). */
  passes?: string[]
  /** Chains the packet must not go through. */
  avoids?: string[]
  /** Rules the packet matched: each string is part of a rule's text (as iptables-save prints it). */
  matches?: string[]
  /** Text the Node's `iptables-save` must contain / must not contain. */
  save?: { node: string; contains?: string[]; lacks?: string[] }
}

/** Everything checked at one step: the document's expect plus the side checks. */
export interface StepExpect extends LessonChecks {
  /** `pod/NAMESPACE/NAME`, `node/NAME`, or an outside client's IP. */
  reaches?: string
  verdict?: string
}

export interface Lesson {
  name: string
  title: string
  description: string
  doc: ScenarioDocument
  scenario: Scenario
  steps: LessonStep[]
  /** Side checks by step index (0-based). */
  checks: Map<number, LessonChecks>
}

type SendPacket = Extract<Operation, { type: 'sendPacket' }>

/** Reads a lesson: its scenario document and, optionally, its side checks (YAML `steps: {N: checks}`, N 1-based). */
export function parseLesson(text: string, checksText?: string, file = 'lesson'): Lesson {
  const parsed = parseScenarioDocument(text)
  if (!parsed.ok) {
    const e = parsed.errors[0]
    throw new Error(`${file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`)
  }
  const doc = parsed.doc
  const steps = doc.lesson?.steps ?? []
  if (steps.length === 0) throw new Error(`${file}: a lesson needs lesson.steps`)
  const checks = new Map<number, LessonChecks>()
  if (checksText !== undefined) {
    const data = parse(checksText) as { steps?: Record<string, LessonChecks> } | null
    for (const [key, value] of Object.entries(data?.steps ?? {})) {
      const n = Number(key)
      if (!Number.isInteger(n) || n < 1 || n > steps.length) throw new Error(`${file} checks: no step ${key} (the lesson has ${steps.length})`)
      const problem = checksProblem(value)
      if (problem) throw new Error(`${file} checks, step ${key}: ${problem}`)
      checks.set(n - 1, value)
    }
  }
  let previous = 0
  steps.forEach((s, i) => {
    const upTo = s.operationsUpTo ?? doc.operations.length
    if (upTo < previous) throw new Error(`${file}: step ${i + 1} goes back in the operations (${upTo} < ${previous})`)
    if (s.packet && packetIndexIn(doc.operations as Operation[], upTo) === null) throw new Error(`${file}: step ${i + 1} shows a packet but none was sent by then`)
    previous = upTo
  })
  return {
    name: doc.metadata.name,
    title: doc.metadata.title ?? doc.metadata.name,
    description: doc.metadata.description ?? '',
    doc,
    scenario: { seed: doc.seed, operations: doc.operations as Operation[] },
    steps,
    checks,
  }
}

const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string')

/** Why side checks are malformed (a YAML slip such as an unquoted `: ` turns a string into a mapping), or null. */
function checksProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null) return 'expected a mapping'
  const v = c as Record<string, unknown>
  for (const key of Object.keys(v)) {
    if (!['sourceSeen', 'stoppedIn', 'passes', 'avoids', 'matches', 'save'].includes(key)) return `unknown check ${key}`
  }
  for (const key of ['sourceSeen', 'stoppedIn'] as const) if (v[key] !== undefined && typeof v[key] !== 'string') return `${key} must be a string`
  for (const key of ['passes', 'avoids', 'matches'] as const) if (v[key] !== undefined && !isStrings(v[key])) return `${key} must be a list of strings`
  if (v.save !== undefined) {
    const s = v.save as Record<string, unknown>
    if (typeof s !== 'object' || s === null || typeof s.node !== 'string') return 'save needs a node'
    if ((s.contains !== undefined && !isStrings(s.contains)) || (s.lacks !== undefined && !isStrings(s.lacks))) return 'save.contains and save.lacks must be lists of strings'
  }
  return null
}

function packetIndexIn(operations: readonly Operation[], upTo: number): number | null {
  for (let i = upTo - 1; i >= 0; i--) {
    const op = operations[i]
    if (op.type === 'sendPacket' && op.count === undefined) return i
  }
  return null
}

export function operationsUpTo(lesson: Lesson, step: LessonStep): number {
  return step.operationsUpTo ?? lesson.scenario.operations.length
}

/** The index of the operation whose packet a step shows (the last single packet sent by then), or null. */
export function packetIndex(lesson: Lesson, step: LessonStep): number | null {
  if (!step.packet) return null
  return packetIndexIn(lesson.scenario.operations, operationsUpTo(lesson, step))
}

/** The step's packet request (null when the step shows no packet). */
export function stepPacket(lesson: Lesson, step: LessonStep): SendPacket | null {
  const i = packetIndex(lesson, step)
  return i === null ? null : (lesson.scenario.operations[i] as SendPacket)
}

/** The step's expectations: the document's expect and the side checks together. */
export function stepExpect(lesson: Lesson, index: number): StepExpect {
  return { ...lesson.steps[index].expect, ...lesson.checks.get(index) }
}

/** `pod/NAMESPACE/NAME`, `node/NAME` or the client's IP: how `expect.reaches` names a place. */
export function placeName(journey: Journey): string | null {
  const r = journey.reached
  if (!r) return null
  switch (r.kind) {
    case 'pod': return `pod/${r.namespace}/${r.name}`
    case 'node': return `node/${r.name}`
    case 'client': return r.ip
  }
}

/** The source address of the request as it was delivered. */
export function sourceSeen(journey: Journey): string | null {
  const deliver = journey.hops.find((h) => h.leg === 'request' && h.kind === 'deliver')
  return deliver ? deliver.packetAfter.src : null
}

const VERDICTS: readonly JourneyVerdict[] = ['delivered', 'dropped', 'rejected']

/**
 * Checks a journey and a Node's `iptables-save` against a step's expectations. Returns the mismatches, in
 * words (empty: the step says what the engine does).
 */
export function checkExpect(expect: StepExpect, journey: Journey | null, save: (node: string) => string): string[] {
  const problems: string[] = []
  const about = [expect.reaches, expect.verdict, expect.sourceSeen, expect.stoppedIn, expect.passes, expect.avoids, expect.matches]
  if (about.some((x) => x !== undefined)) {
    if (!journey) return ['the step expects a packet but shows none']
    const chainsPassed = new Set(journey.hops.map((h) => `${h.table}/${h.chain}`))
    if (expect.reaches !== undefined && placeName(journey) !== expect.reaches) {
      problems.push(`expected the packet to reach ${expect.reaches}, it reached ${placeName(journey) ?? 'nothing'} (${journey.summary})`)
    }
    if (expect.verdict !== undefined) {
      if (!(VERDICTS as readonly string[]).includes(expect.verdict)) problems.push(`unknown verdict ${expect.verdict} (expected one of ${VERDICTS.join(', ')})`)
      else if (journey.verdict !== expect.verdict) problems.push(`expected verdict ${expect.verdict}, got ${journey.verdict} (${journey.summary})`)
    }
    if (expect.sourceSeen !== undefined && sourceSeen(journey) !== expect.sourceSeen) {
      problems.push(`expected the destination to see source ${expect.sourceSeen}, it saw ${sourceSeen(journey) ?? 'nothing'}`)
    }
    if (expect.stoppedIn !== undefined) {
      const h = journey.stoppedAt
      const where = h ? `${h.table}/${h.chain}` : 'nowhere'
      if (where !== expect.stoppedIn) problems.push(`expected the packet to stop in ${expect.stoppedIn}, it stopped ${where}`)
    }
    for (const chain of expect.passes ?? []) if (!chainsPassed.has(chain)) problems.push(`expected the packet to pass ${chain}`)
    for (const chain of expect.avoids ?? []) if (chainsPassed.has(chain)) problems.push(`expected the packet not to pass ${chain}`)
    for (const rule of expect.matches ?? []) {
      if (!journey.hops.some((h) => h.kind === 'rule' && h.matched === true && h.text.includes(rule))) problems.push(`expected the packet to match a rule with ${JSON.stringify(rule)}`)
    }
  }
  if (expect.save) {
    const text = save(expect.save.node)
    for (const s of expect.save.contains ?? []) if (!text.includes(s)) problems.push(`expected ${expect.save.node}'s iptables-save to contain ${JSON.stringify(s)}`)
    for (const s of expect.save.lacks ?? []) if (text.includes(s)) problems.push(`expected ${expect.save.node}'s iptables-save not to contain ${JSON.stringify(s)}`)
  }
  return problems
}
