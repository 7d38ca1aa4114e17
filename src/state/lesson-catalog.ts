/**
 * The built-in lessons, bundled from scenarios/lessons (documents) and scenarios/lessons/checks (their side
 * checks), in file-name order.
 */
import { parseLesson, type Lesson } from './lesson-model.ts'

const documents = import.meta.glob<string>('../../scenarios/lessons/*.yaml', { query: '?raw', import: 'default', eager: true })
const checks = import.meta.glob<string>('../../scenarios/lessons/checks/*.yaml', { query: '?raw', import: 'default', eager: true })

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

let cache: Lesson[] | null = null

export function builtInLessons(): Lesson[] {
  if (cache) return cache
  const checksByFile = new Map(Object.entries(checks).map(([path, text]) => [fileName(path), text]))
  cache = Object.keys(documents).sort().map((path) => parseLesson(documents[path], checksByFile.get(fileName(path)), fileName(path)))
  return cache
}

export function lessonNamed(name: string): Lesson | undefined {
  return builtInLessons().find((l) => l.name === name)
}
