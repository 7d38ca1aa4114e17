import { Suspense, lazy } from 'react'
import type { ClusterObject } from '../../engine/cluster/types.ts'
import { select } from '../../state/actions.ts'
import { useAppStore } from '../../state/store.ts'
import { Button } from '../app/Button.tsx'
import { findObject } from '../model/k8s-status.ts'
import { ClusterOverview } from './ClusterOverview.tsx'
import { DeploymentDetails } from './DeploymentDetails.tsx'
import { NodeDetails } from './NodeDetails.tsx'
import { PodDetails } from './PodDetails.tsx'
import { ServiceDetails } from './ServiceDetails.tsx'

// The YAML view brings the yaml library: its own chunk, loaded with the first selection.
const YamlView = lazy(() => import('./YamlView.tsx'))

function KindDetails({ object }: { object: ClusterObject }) {
  switch (object.kind) {
    case 'Node': return <NodeDetails node={object} />
    case 'Pod': return <PodDetails pod={object} />
    case 'Service': return <ServiceDetails service={object} />
    case 'Deployment': return <DeploymentDetails deployment={object} />
    default: return null
  }
}

export function DetailsPanel() {
  const selection = useAppStore((s) => s.selection)
  const object = useAppStore((s) => (s.selection ? findObject(s.view?.snapshot, s.selection) : undefined))
  if (!selection) return <ClusterOverview />
  return (
    <div className="flex flex-col" data-testid="details" aria-label="Object details">
      <header className="flex items-start justify-between gap-2 px-4 py-3">
        <div className="min-w-0">
          <div className="text-xs font-medium uppercase tracking-wide text-k8s">{selection.kind}</div>
          <h2 className="text-base font-semibold break-all text-slate-900">{selection.name}</h2>
          {selection.namespace && <div className="text-sm text-slate-500">namespace {selection.namespace}</div>}
        </div>
        <Button variant="ghost" onClick={() => select(null)} aria-label="Close details">✕</Button>
      </header>
      {object ? (
        <>
          <KindDetails object={object} />
          <Suspense fallback={null}><YamlView object={object} /></Suspense>
        </>
      ) : (
        <p className="px-4 pb-4 text-sm text-slate-600">
          This {selection.kind} no longer exists in the cluster (it was deleted or replaced).
        </p>
      )}
    </div>
  )
}
