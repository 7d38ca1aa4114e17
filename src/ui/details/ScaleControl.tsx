import { useState } from 'react'
import type { Deployment } from '../../engine/cluster/types.ts'
import { scaleDeployment } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'

/** `kubectl scale deployment/NAME --replicas=N` as a number field and a button. */
export function ScaleControl({ deployment }: { deployment: Deployment }) {
  const busy = useAppStore((s) => s.busy)
  const current = deployment.spec.replicas
  const [value, setValue] = useState(String(current))
  const [shownFor, setShownFor] = useState(current)
  // Follow changes made elsewhere (undo, another scale) unless the person is typing a new number.
  if (shownFor !== current) {
    setShownFor(current)
    setValue(String(current))
  }
  const replicas = Number(value)
  const valid = value.trim() !== '' && Number.isInteger(replicas) && replicas >= 0 && replicas <= 100
  const namespace = deployment.metadata.namespace ?? 'default'
  const name = deployment.metadata.name
  return (
    <form className="flex items-center gap-2" onSubmit={(e) => {
      e.preventDefault()
      if (valid) void scaleDeployment(namespace, name, replicas)
    }}>
      <label className="text-sm text-slate-600" htmlFor={`replicas-${namespace}-${name}`}>Replicas</label>
      <input id={`replicas-${namespace}-${name}`} type="number" min={0} max={100} value={value}
        onChange={(e) => setValue(e.target.value)} aria-invalid={!valid}
        className="w-20 rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-k8s focus:outline-none focus:ring-2 focus:ring-k8s/30 aria-[invalid=true]:border-red-400" />
      <Button type="submit" variant="primary" disabled={busy || !valid} title={`kubectl scale deployment/${name} --replicas=${value}`}>Scale</Button>
    </form>
  )
}
