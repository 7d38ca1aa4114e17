import { useEffect, useRef } from 'react'
import { closeShareLink, shareCurrent, useShareStore } from '../../state/share.ts'
import { Button } from '../app/Button.tsx'

/** "Share": the scenario and the player's step as a link (copied, and shown to copy by hand). */
export function ShareButton() {
  const link = useShareStore((s) => s.link)
  const copied = useShareStore((s) => s.copied)
  const shareError = useShareStore((s) => s.shareError)
  const field = useRef<HTMLInputElement>(null)
  useEffect(() => { field.current?.select() }, [link])
  return (
    <div className="relative">
      <Button onClick={() => void shareCurrent()} aria-label="Share" title="A link that opens this scenario at this step">
        <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4"><path d="M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 013.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 014.5 9l1-1" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round"/></svg>
        Share
      </Button>
      {shareError && (
        <div role="alert" className="absolute right-0 top-10 z-30 w-[28rem] rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 shadow-lg">
          <p>This scenario cannot be shared as a link: {shareError}</p>
          <div className="mt-2 flex justify-end"><Button variant="ghost" onClick={closeShareLink}>Close</Button></div>
        </div>
      )}
      {link && (
        <div role="dialog" aria-label="Share link" className="absolute right-0 top-10 z-30 w-[28rem] rounded-lg border border-slate-200 bg-white p-3 shadow-lg">
          <p className="mb-2 text-sm text-slate-700">{copied ? 'Link copied. ' : ''}Anyone opening it sees this scenario at this step.</p>
          <input ref={field} readOnly value={link} aria-label="Link to this scenario"
            className="w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          <p className="mt-1 text-xs text-slate-500">{link.length.toLocaleString('en')} characters</p>
          <div className="mt-2 flex justify-end"><Button variant="ghost" onClick={closeShareLink}>Close</Button></div>
        </div>
      )}
    </div>
  )
}
