import { Fragment, type ReactNode } from 'react'

/**
 * Lesson text: paragraphs (blank lines), **bold**, *emphasis* and `code`, and nothing else. Built from React
 * elements only, so text from a link can never become markup: `<img onerror=…>` shows as those characters.
 */
export function MarkdownLite({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim() !== '')
  return <>{paragraphs.map((p, i) => <p key={i} className="mb-2 last:mb-0">{inline(p)}</p>)}</>
}

export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = []
  // Tokens: `code`, **bold**, *emphasis*; everything else is text.
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*/g
  let last = 0
  let key = 0
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(<Fragment key={key++}>{text.slice(last, m.index)}</Fragment>)
    if (m[1] !== undefined) out.push(<code key={key++} className="rounded bg-slate-100 px-1 font-mono text-[0.9em]">{m[1]}</code>)
    else if (m[2] !== undefined) out.push(<strong key={key++}>{m[2]}</strong>)
    else out.push(<em key={key++}>{m[3]}</em>)
    last = m.index + m[0].length
  }
  if (last < text.length) out.push(<Fragment key={key++}>{text.slice(last)}</Fragment>)
  return out
}
