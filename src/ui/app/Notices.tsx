import { useShallow } from 'zustand/react/shallow'
import { advanceClock, dismissActionError } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { podState } from '../model/k8s-status.ts'
import { ShareNotices } from '../share/ShareNotices.tsx'
import { Button } from './Button.tsx'

/** Things worth a person's attention, floating over the canvas: a refused action, terminating Pods, ... */
export function Notices() {
  const actionError = useAppStore((s) => s.actionError)
  const engineError = useAppStore((s) => s.engineError)
  const issues = useAppStore(useShallow((s) => s.view?.replayIssues ?? []))
  const terminating = useAppStore((s) => s.view?.snapshot.pods.filter((p) => podState(p) === 'Terminating').length ?? 0)
  const grace = useAppStore((s) => Math.max(0, ...(s.view?.snapshot.pods ?? [])
    .filter((p) => podState(p) === 'Terminating').map((p) => p.spec.terminationGracePeriodSeconds ?? 30)))
  const busy = useAppStore((s) => s.busy)
  return (
    <div className="pointer-events-none absolute inset-x-0 top-3 z-10 flex flex-col items-center gap-2 px-4">
      <ShareNotices />
      {engineError && <Notice tone="red">The engine failed: {engineError}</Notice>}
      {actionError && (
        <Notice tone="red">
          <span role="alert">{actionError}</span>
          <Button variant="ghost" className="!px-1.5 !py-0" onClick={dismissActionError} aria-label="Dismiss">✕</Button>
        </Notice>
      )}
      {issues.length > 0 && (
        <Notice tone="amber">{issues.length} saved step{issues.length === 1 ? '' : 's'} could not be replayed: {issues[0].message}</Notice>
      )}
      {terminating > 0 && (
        <Notice tone="slate">
          <span>{terminating} Pod{terminating === 1 ? ' is' : 's are'} terminating (grace period {grace}s).</span>
          <Button variant="secondary" className="!py-0.5" disabled={busy} onClick={() => void advanceClock(grace)}>Finish terminations</Button>
        </Notice>
      )}
    </div>
  )
}

function Notice({ tone, children }: { tone: 'red' | 'amber' | 'slate'; children: React.ReactNode }) {
  const tones = { red: 'border-red-200 bg-red-50 text-red-800', amber: 'border-amber-200 bg-amber-50 text-amber-900', slate: 'border-slate-200 bg-white text-slate-700' }
  return <div className={`pointer-events-auto flex items-center gap-3 rounded-lg border px-3 py-1.5 text-sm shadow-md ${tones[tone]}`}>{children}</div>
}
