import { useMemo, useState } from 'react'
import type { Journey } from '../../engine/journeys/journey.ts'
import { Button } from '../app/Button.tsx'
import { journeyTranscript } from './journey-model.ts'

/** The whole journey as text, for screen readers and for pasting into notes or a bug report. */
export function Transcript({ journey }: { journey: Journey }) {
  const text = useMemo(() => journeyTranscript(journey), [journey])
  const [copied, setCopied] = useState<string | null>(null)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied('Copied')
    } catch {
      setCopied('Copy failed: select the text instead')
    }
  }
  return (
    <div>
      <div className="mb-1 flex items-center justify-between">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Transcript</h3>
        <div className="flex items-center gap-2">
          <span className="text-xs text-slate-500" aria-live="polite">{copied}</span>
          <Button onClick={() => void copy()}>Copy transcript</Button>
        </div>
      </div>
      <pre aria-label="Journey transcript" tabIndex={0} data-testid="journey-transcript"
        className="max-h-72 overflow-auto rounded-md bg-slate-900 p-2 font-mono text-[11px] leading-snug text-slate-100">{text}</pre>
    </div>
  )
}
