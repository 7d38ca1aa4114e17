import { memo } from 'react'
import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { CanvasNode } from './layout.ts'
import { useClusterObject, useIsSelected } from './use-object.ts'
import { serviceExternalText, servicePortsText } from '../model/k8s-status.ts'
import { Badge } from '../app/Badge.tsx'

type Props = NodeProps<Extract<CanvasNode, { type: 'service' }>>

export const ServiceCard = memo(function ServiceCard({ data }: Props) {
  const service = useClusterObject('Service', data.name, data.namespace)
  const selected = useIsSelected('Service', data.name, data.namespace)
  if (!service) return null
  const external = serviceExternalText(service)
  return (
    <div data-testid="service" data-service-name={service.metadata.name} data-cluster-ip={service.spec.clusterIP ?? ''}
      className={`flex h-full w-full cursor-pointer flex-col rounded-xl border-2 bg-white px-3 py-2 shadow-sm ${
        selected ? 'border-k8s ring-4 ring-k8s/20' : 'border-k8s/40'}`}>
      <div className="flex items-center justify-between gap-2">
        <span className="flex min-w-0 items-center gap-1.5">
          <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4 shrink-0 text-k8s"><circle cx="8" cy="4" r="2.2" fill="currentColor"/><circle cx="3.5" cy="12" r="2" fill="currentColor"/><circle cx="12.5" cy="12" r="2" fill="currentColor"/><path d="M8 6v2.5M8 8.5L3.5 10M8 8.5l4.5 1.5" stroke="currentColor" strokeWidth="1.3" fill="none"/></svg>
          <span className="truncate font-semibold text-slate-800" title={`${service.metadata.namespace}/${service.metadata.name}`}>{service.metadata.name}</span>
        </span>
        <Badge tone="blue">{service.spec.type}</Badge>
      </div>
      <div className="mt-1 text-xs text-slate-500">{service.metadata.namespace}</div>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-xs">
        <dt className="text-slate-500">IP</dt>
        <dd className="truncate font-mono text-slate-800">{service.spec.clusterIP ?? '<none>'}</dd>
        <dt className="text-slate-500">ports</dt>
        <dd className="truncate font-mono text-slate-800">{servicePortsText(service)}</dd>
        {external !== '<none>' && <>
          <dt className="text-slate-500">external</dt>
          <dd className="truncate font-mono text-slate-800">{external}</dd>
        </>}
      </dl>
      <Handle type="source" position={Position.Bottom} className="!opacity-0" isConnectable={false} />
    </div>
  )
})
