import { memo } from 'react'
import type { NodeProps } from '@xyflow/react'
import type { CanvasNode } from './layout.ts'
import { useClusterObject, useIsSelected } from './use-object.ts'
import { deploymentReadyText } from '../model/k8s-status.ts'

type Props = NodeProps<Extract<CanvasNode, { type: 'deployment' }>>

export const DeploymentCard = memo(function DeploymentCard({ data }: Props) {
  const deployment = useClusterObject('Deployment', data.name, data.namespace)
  const selected = useIsSelected('Deployment', data.name, data.namespace)
  if (!deployment) return null
  const complete = deployment.status.readyReplicas === deployment.spec.replicas
  return (
    <div data-testid="deployment" data-deployment-name={deployment.metadata.name}
      className={`flex h-full w-full cursor-pointer flex-col justify-center rounded-lg border bg-white px-3 shadow-sm ${
        selected ? 'border-k8s ring-4 ring-k8s/20' : 'border-slate-300'}`}>
      <div className="flex items-center gap-1.5">
        <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4 shrink-0 text-slate-500"><rect x="2" y="2" width="5" height="5" rx="1" fill="currentColor"/><rect x="9" y="2" width="5" height="5" rx="1" fill="currentColor"/><rect x="2" y="9" width="5" height="5" rx="1" fill="currentColor"/><rect x="9" y="9" width="5" height="5" rx="1" fill="none" stroke="currentColor"/></svg>
        <span className="truncate text-sm font-semibold text-slate-800">{deployment.metadata.name}</span>
      </div>
      <div className="mt-0.5 text-xs text-slate-500">
        deployment · {deployment.metadata.namespace} · <span className={complete ? 'text-emerald-700' : 'text-amber-700'}>{deploymentReadyText(deployment)} ready</span>
      </div>
    </div>
  )
})
