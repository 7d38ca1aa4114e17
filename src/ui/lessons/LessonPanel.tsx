import { useEffect } from 'react'
import { closeLesson, dismissLessonNotice, nextStep, previousStep, startPresenting, stopPresenting, useLessonStore } from '../../state/lesson-presenter.ts'
import { usePlayerStore } from '../../state/player.ts'
import { Button } from '../app/Button.tsx'
import { placeName } from '../../state/lesson-model.ts'
import { highlightCss } from './highlight-css.ts'
import { LessonText } from './LessonText.tsx'

/**
 * The open lesson: a card over the canvas with the step's text and Previous/Next, or, in presenter mode, a
 * tall side panel with large text for a projector (PageDown/PageUp, as presentation clickers send, move
 * between steps). The step's objects are highlighted on the canvas; the step's packet is in the player.
 */
export function LessonPanel() {
  const lesson = useLessonStore((s) => s.lesson)
  const index = useLessonStore((s) => s.step)
  const presenting = useLessonStore((s) => s.presenting)
  const loading = useLessonStore((s) => s.loading)
  const error = useLessonStore((s) => s.error)
  const notice = useLessonStore((s) => s.notice)
  const journey = usePlayerStore((s) => s.journey)
  const hop = usePlayerStore((s) => s.step)

  useEffect(() => {
    if (!lesson) return
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select, .cm-editor')) return
      if (e.key === 'PageDown') { e.preventDefault(); void nextStep() }
      else if (e.key === 'PageUp') { e.preventDefault(); void previousStep() }
      else if (e.key === 'Escape' && useLessonStore.getState().presenting) stopPresenting()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [lesson])

  if (!lesson) return null
  const step = lesson.steps[index]
  const last = index === lesson.steps.length - 1
  const packetHop = journey && step.packet ? journey.hops[Math.min(hop, journey.hops.length - 1)] : null
  const controls = (
    <div className="flex flex-wrap items-center gap-2">
      <Button onClick={() => void previousStep()} disabled={index === 0 || loading} aria-label="Previous step">← Previous</Button>
      <Button variant="primary" onClick={() => void nextStep()} disabled={last || loading} aria-label="Next step">Next →</Button>
      {presenting && <FullScreenButton />}
      {presenting
        ? <Button variant="ghost" onClick={stopPresenting}>Exit presenter</Button>
        : <Button variant="ghost" onClick={startPresenting} aria-label="Present">Present</Button>}
      <Button variant="ghost" onClick={closeLesson} aria-label="Close lesson">Close</Button>
    </div>
  )
  const body = (
    <>
      <p className={`font-medium uppercase tracking-wide text-k8s ${presenting ? 'text-base' : 'text-xs'}`}>
        {lesson.title} · <span data-testid="lesson-step-counter">Step {index + 1} of {lesson.steps.length}</span>
      </p>
      <h2 className={`font-semibold text-slate-900 ${presenting ? 'mt-3 text-4xl leading-tight' : 'mt-1 text-lg'}`} data-testid="lesson-step-title">{step.title}</h2>
      <LessonText text={step.text} className={`text-slate-700 ${presenting ? 'mt-6 text-2xl leading-relaxed' : 'mt-2 text-sm leading-relaxed'}`} />
      {packetHop && journey && (
        <div className={`rounded-lg border border-amber-200 bg-amber-50 text-amber-950 ${presenting ? 'mt-8 px-4 py-3 text-base' : 'mt-3 px-3 py-2 text-xs'}`} data-testid="lesson-packet"
          data-reached={placeName(journey) ?? ''} data-verdict={journey.verdict}>
          <p className="font-medium">{journey.summary}</p>
          <p className={`mt-2 text-amber-800 ${presenting ? 'text-sm' : ''}`}>
            Hop {hop + 1} of {journey.hops.length}{packetHop.node ? ` · ${packetHop.node}` : ''}{packetHop.table ? ` · ${packetHop.table} ${packetHop.chain}${packetHop.rule ? ` rule ${packetHop.rule}` : ''}` : ''}
          </p>
          {presenting && <p className="mt-1 line-clamp-3 break-all font-mono text-sm text-amber-900">{packetHop.text}</p>}
        </div>
      )}
      {loading && <p className="mt-3 text-sm text-slate-500" aria-live="polite">Preparing the step…</p>}
      {error && <p role="alert" className="mt-3 text-sm text-red-700">This step could not be shown: {error}</p>}
    </>
  )
  return (
    <>
      <style data-testid="lesson-highlight">{highlightCss(step.highlight ?? [])}</style>
      {presenting ? (
        <section aria-label="Presenter" aria-busy={loading} className="fixed inset-y-0 right-0 z-40 flex w-[min(640px,45vw)] flex-col border-l border-slate-200 bg-white shadow-2xl">
          <div className="min-h-0 flex-1 overflow-y-auto px-10 py-10">{body}</div>
          <div className="border-t border-slate-200 px-10 py-5 [&_button]:px-5 [&_button]:py-2.5 [&_button]:text-lg">{controls}</div>
        </section>
      ) : (
        <section aria-label="Lesson" aria-busy={loading} className="absolute left-3 top-3 z-20 max-h-[calc(100%-1.5rem)] w-[380px] max-w-[calc(100%-1.5rem)] overflow-y-auto rounded-xl border border-slate-200 bg-white/95 p-4 shadow-lg backdrop-blur">
          {notice && (
            <p className="mb-2 flex items-start gap-2 rounded bg-slate-100 px-2 py-1 text-xs text-slate-600">
              <span className="flex-1">{notice}</span>
              <button type="button" onClick={dismissLessonNotice} aria-label="Dismiss" className="text-slate-400 hover:text-slate-700">✕</button>
            </p>
          )}
          {body}
          <div className="mt-3">{controls}</div>
        </section>
      )}
    </>
  )
}

/** Full screen for a projector; only where the browser allows it. */
function FullScreenButton() {
  if (typeof document === 'undefined' || !document.fullscreenEnabled) return null
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen()
    else void document.documentElement.requestFullscreen()
  }
  return <Button variant="ghost" onClick={toggle}>Full screen</Button>
}
