import type { ReactNode } from 'react'

/**
 * A lesson step's text: paragraphs separated by blank lines (single line breaks are wrapping), `code` and
 * **bold** spans. Always React text nodes, never HTML: a lesson from a link cannot inject markup.
 */
export function LessonText({ text, className = '' }: { text: string; className?: string }) {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()).filter((p) => p !== '')
  return (
    <div className={className}>
      {paragraphs.map((p, i) => <p key={i} className="mb-3 last:mb-0">{spans(p)}</p>)}
    </div>
  )
}

function spans(text: string): ReactNode[] {
  const out: ReactNode[] = []
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g
  let last = 0
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index))
    out.push(m[1] !== undefined
      ? <code key={m.index} className="rounded bg-slate-100 px-1 font-mono text-[0.9em] text-slate-800">{m[1]}</code>
      : <strong key={m.index}>{m[2]}</strong>)
    last = m.index + m[0].length
  }
  if (last < text.length) out.push(text.slice(last))
  return out
}
