import { memo } from 'react'
import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { CanvasNode } from './layout.ts'
import { useClusterObject, useIsSelected } from './use-object.ts'
import { isControlPlane, nodeInternalIP, nodeIsReady } from '../model/k8s-status.ts'
import { Badge } from '../app/Badge.tsx'

type Props = NodeProps<Extract<CanvasNode, { type: 'k8sNode' }>>

/** A Kubernetes Node: a container its Pods sit in, with the facts kube-proxy cares about. */
export const K8sNodeCard = memo(function K8sNodeCard({ data }: Props) {
  const node = useClusterObject('Node', data.name)
  const selected = useIsSelected('Node', data.name)
  if (data.unscheduled || !node) {
    return (
      <div data-testid="k8s-node" data-node-name={data.name}
        className="h-full w-full rounded-xl border-2 border-dashed border-slate-300 bg-slate-50/60 px-4 py-3">
        <div className="font-semibold text-slate-500">Unscheduled</div>
        <div className="text-xs text-slate-400">Pods no Node can take</div>
      </div>
    )
  }
  const ready = nodeIsReady(node)
  const cordoned = node.spec.unschedulable === true
  const controlPlane = isControlPlane(node)
  const tainted = (node.spec.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
  return (
    <div data-testid="k8s-node" data-node-name={node.metadata.name}
      className={`h-full w-full cursor-pointer rounded-xl border-2 px-4 py-3 shadow-sm transition-colors ${
        selected ? 'border-k8s ring-4 ring-k8s/20' : ready ? 'border-slate-300' : 'border-red-300'
      } ${ready ? 'bg-slate-50' : 'bg-red-50/70'} ${cordoned ? 'bg-[repeating-linear-gradient(135deg,transparent_0_10px,rgb(241_245_249)_10px_20px)]' : ''}`}>
      <Handle type="target" position={Position.Top} className="!opacity-0" isConnectable={false} />
      <div className="flex items-center gap-2">
        <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4 shrink-0 text-slate-500"><rect x="1.5" y="2.5" width="13" height="11" rx="2" fill="none" stroke="currentColor" strokeWidth="1.5"/><path d="M4 6h8M4 9h5" stroke="currentColor" strokeWidth="1.5"/></svg>
        <span className="truncate font-semibold text-slate-800">{node.metadata.name}</span>
      </div>
      <div className="mt-1 font-mono text-xs text-slate-600">
        {nodeInternalIP(node)} <span className="text-slate-400">·</span> pods {node.spec.podCIDR ?? '—'}
      </div>
      <div className="mt-2 flex flex-wrap gap-1">
        <Badge tone={ready ? 'green' : 'red'}>{ready ? 'Ready' : 'NotReady'}</Badge>
        {cordoned && <Badge tone="amber">SchedulingDisabled</Badge>}
        {controlPlane && <Badge tone="slate">control-plane</Badge>}
        {tainted.length > 0 && <Badge tone="violet" title={tainted.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join('\n')}>tainted</Badge>}
      </div>
    </div>
  )
})
