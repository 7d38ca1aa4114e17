import { useState } from 'react'
import { setProxyMode } from '../../state/compare-actions.ts'
import { PROXY_MODES, type ProxyMode } from '../../engine/kube-proxy/proxy-modes.ts'
import { useAppStore } from '../../state/store.ts'
import { useProxyMode } from './use-proxy-mode.ts'

/**
 * The cluster's kube-proxy mode. Changing it applies a KubeProxyConfiguration (an undoable scenario step):
 * every Node's kube-proxy cleans up the old mode's rules and programs the new mode with a full sync.
 */
export function ModeSwitch() {
  const mode = useProxyMode()
  const busy = useAppStore((s) => s.busy)
  const [switching, setSwitching] = useState<ProxyMode | null>(null)
  return (
    <div className="flex items-center gap-1.5" data-testid="mode-switch" data-mode={mode ?? undefined}>
      <label htmlFor="kube-proxy-mode" className="whitespace-nowrap text-xs font-medium text-slate-600">kube-proxy mode</label>
      <select id="kube-proxy-mode" value={switching ?? mode ?? 'iptables'} disabled={mode === null || switching !== null || busy}
        title="Applies a KubeProxyConfiguration with this mode: every Node re-syncs (undoable)"
        onChange={(e) => {
          const next = e.target.value as ProxyMode
          setSwitching(next)
          void setProxyMode(next).finally(() => setSwitching(null))
        }}
        className="rounded-md border border-slate-300 bg-white py-1 pl-2 pr-7 font-mono text-xs font-semibold text-slate-800 focus:border-k8s focus:outline-none focus:ring-2 focus:ring-k8s/20">
        {PROXY_MODES.map((m) => <option key={m} value={m}>{m}</option>)}
      </select>
    </div>
  )
}

/** The mode as a small badge, for titles such as the rules view's. */
export function ProxyModeBadge() {
  const mode = useProxyMode()
  if (!mode) return null
  return (
    <span className="rounded bg-slate-800 px-1.5 py-0.5 font-mono text-[11px] text-white" data-testid="proxy-mode-badge" title="The mode kube-proxy runs in on every Node">
      {mode} mode
    </span>
  )
}
