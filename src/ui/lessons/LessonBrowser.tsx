import { useEffect, useRef } from 'react'
import { builtInLessons } from '../../state/lesson-catalog.ts'
import { closeLessonBrowser, openLesson, useLessonStore } from '../../state/lesson-presenter.ts'
import { Button } from '../app/Button.tsx'

/** The header's "Lessons" button: opens the lesson browser. */
export function LessonsButton() {
  return (
    <Button onClick={() => useLessonStore.setState({ browsing: true })} title="Built-in lessons: each teaches one thing, step by step">
      <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4"><path d="M2 3.5h4.5A1.5 1.5 0 018 5v8a1.5 1.5 0 00-1.5-1.5H2zM14 3.5H9.5A1.5 1.5 0 008 5v8a1.5 1.5 0 011.5-1.5H14z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round"/></svg>
      Lessons
    </Button>
  )
}

/** A modal list of the built-in lessons: open one to explore it, or present it step by step. */
export function LessonBrowser() {
  const open = useLessonStore((s) => s.browsing)
  const dialog = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    dialog.current?.querySelector<HTMLButtonElement>('button')?.focus()
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') closeLessonBrowser() }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])
  if (!open) return null
  const lessons = builtInLessons()
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-6" onClick={closeLessonBrowser}>
      <div ref={dialog} role="dialog" aria-modal="true" aria-labelledby="lesson-browser-title"
        className="flex max-h-full w-full max-w-3xl flex-col overflow-hidden rounded-xl bg-white shadow-2xl"
        onClick={(e) => e.stopPropagation()}>
        <div className="flex items-center justify-between border-b border-slate-200 px-6 py-4">
          <div>
            <h2 id="lesson-browser-title" className="text-lg font-semibold text-slate-900">Lessons</h2>
            <p className="text-sm text-slate-500">Each lesson is a scenario that teaches one thing. Opening one replaces the cluster; Undo brings yours back.</p>
          </div>
          <Button variant="ghost" onClick={closeLessonBrowser} aria-label="Close lessons">✕</Button>
        </div>
        <ol className="min-h-0 flex-1 divide-y divide-slate-100 overflow-y-auto" aria-label="Built-in lessons">
          {lessons.map((lesson, i) => (
            <li key={lesson.name} className="flex items-start gap-4 px-6 py-3.5" data-testid="lesson-item" data-lesson={lesson.name}>
              <span aria-hidden className="mt-0.5 flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-k8s/10 text-sm font-semibold text-k8s">{i + 1}</span>
              <div className="min-w-0 flex-1">
                <h3 className="font-medium text-slate-900">{lesson.title}</h3>
                <p className="text-sm text-slate-600">{lesson.description}</p>
                <p className="mt-0.5 text-xs text-slate-400">{lesson.steps.length} steps</p>
              </div>
              <div className="flex shrink-0 gap-2">
                <Button onClick={() => void openLesson(lesson.name)} aria-label={`Open lesson: ${lesson.title}`}>Open</Button>
                <Button variant="primary" onClick={() => void openLesson(lesson.name, { present: true })} aria-label={`Present lesson: ${lesson.title}`}>Present</Button>
              </div>
            </li>
          ))}
        </ol>
      </div>
    </div>
  )
}
