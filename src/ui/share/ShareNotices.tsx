import { dismissDamaged, keepScenario, useShareStore } from '../../state/share.ts'
import { Button } from '../app/Button.tsx'

/**
 * A broken link says why; a link's scenario says it is not saved until kept. All text (even the link's own)
 * is rendered as React text nodes, never as HTML.
 */
export function ShareNotices() {
  const embedded = useShareStore((s) => s.embedded)
  const damaged = useShareStore((s) => s.damaged)
  const errors = useShareStore((s) => s.damagedErrors)
  const detached = useShareStore((s) => s.detached)
  const opened = useShareStore((s) => s.opened)
  return (
    <>
      {damaged && (
        <div role="alert" className="pointer-events-auto flex max-w-2xl items-start gap-3 rounded-lg border border-red-200 bg-red-50 px-3 py-1.5 text-sm text-red-800 shadow-md">
          <div>
            <p>This link is damaged: {damaged}. The default scenario is open instead.</p>
            {errors.length > 1 && <p className="text-xs">({errors.length} problems; the first: line {errors[0].line}, column {errors[0].column})</p>}
          </div>
          <Button variant="ghost" className="!px-1.5 !py-0" onClick={dismissDamaged} aria-label="Dismiss">✕</Button>
        </div>
      )}
      {!embedded && detached && !damaged && (
        <div className="pointer-events-auto flex items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-1.5 text-sm text-slate-700 shadow-md">
          <span>Opened from a link{opened?.metadata.title ? <>: <strong>{opened.metadata.title}</strong></> : ''}. Your own saved scenario is kept.</span>
          <Button variant="secondary" className="!py-0.5" onClick={keepScenario}>Keep this one instead</Button>
        </div>
      )}
    </>
  )
}
