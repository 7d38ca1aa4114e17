import { memo } from 'react'
import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { CanvasNode } from './layout.ts'
import { useClusterObject, useIsSelected } from './use-object.ts'
import { findObject, podState, selectedByDeployment, type PodState } from '../model/k8s-status.ts'
import { useAppStore } from '../../state/store.ts'

type Props = NodeProps<Extract<CanvasNode, { type: 'pod' }>>

const stateStyle: Record<PodState, { card: string; dot: string; text: string }> = {
  Running: { card: 'border-emerald-300 bg-white', dot: 'bg-emerald-500', text: 'text-emerald-700' },
  NotReady: { card: 'border-amber-300 bg-amber-50', dot: 'bg-amber-500', text: 'text-amber-700' },
  Terminating: { card: 'border-red-300 bg-red-50 opacity-80', dot: 'bg-red-500', text: 'text-red-700' },
  Pending: { card: 'border-slate-300 bg-slate-50', dot: 'bg-slate-400', text: 'text-slate-600' },
}

export const PodCard = memo(function PodCard({ data }: Props) {
  const pod = useClusterObject('Pod', data.name, data.namespace)
  const selected = useIsSelected('Pod', data.name, data.namespace)
  // With a Deployment selected, the Pods it owns are marked too.
  const owned = useAppStore((s) => {
    if (s.selection?.kind !== 'Deployment' || s.selection.namespace !== data.namespace) return false
    const deployment = findObject(s.view?.snapshot, s.selection)
    const labels = s.view?.snapshot.pods.find((p) => p.metadata.name === data.name && p.metadata.namespace === data.namespace)?.metadata.labels
    return deployment?.kind === 'Deployment' && selectedByDeployment(deployment, labels)
  })
  if (!pod) return null
  const state = podState(pod)
  const style = stateStyle[state]
  return (
    <div data-testid="pod" data-pod-name={pod.metadata.name} data-node-name={pod.spec.nodeName ?? ''}
      data-pod-ip={pod.status.podIP ?? ''} data-state={state}
      className={`flex h-full w-full cursor-pointer flex-col justify-center rounded-lg border px-3 shadow-sm ${style.card} ${
        selected ? 'ring-4 ring-k8s/30 border-k8s' : owned ? 'ring-2 ring-k8s/40' : ''}`}>
      <Handle type="target" position={Position.Left} className="!opacity-0" isConnectable={false} />
      <div className="flex items-center gap-1.5">
        <PodName name={pod.metadata.name} namespace={pod.metadata.namespace ?? 'default'} />
      </div>
      <div className="mt-0.5 flex items-center justify-between gap-2 text-xs">
        <span className="font-mono text-slate-600">{pod.status.podIP ?? '<none>'}</span>
        <span className={`flex items-center gap-1 font-medium ${style.text}`}>
          <span className={`h-2 w-2 rounded-full ${style.dot}`} />{state}
        </span>
      </div>
    </div>
  )
})

/**
 * A generated Pod name ends in the part that tells replicas apart (`-nmmhj`): when the name is too long,
 * the shared prefix gives way, never the suffix.
 */
function PodName({ name, namespace }: { name: string; namespace: string }) {
  const cut = name.lastIndexOf('-')
  const [head, tail] = cut > 0 ? [name.slice(0, cut), name.slice(cut)] : [name, '']
  return (
    <span className="flex min-w-0 text-xs font-semibold text-slate-800" title={`${namespace}/${name}`}>
      <span className="truncate">{head}</span>
      <span className="shrink-0">{tail}</span>
    </span>
  )
}
