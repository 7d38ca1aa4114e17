import { memo } from 'react'
import { BaseEdge, Position, type EdgeProps } from '@xyflow/react'
import type { CanvasEdge } from './layout.ts'
import { busPath, dropPath } from './bus-path.ts'
import { useAppStore } from '../../state/store.ts'

const strokes = {
  ready: { stroke: '#326ce5', strokeWidth: 1.75 },
  notReady: { stroke: '#d97706', strokeWidth: 1.75, strokeDasharray: '6 4' },
  terminating: { stroke: '#dc2626', strokeWidth: 1.75, strokeDasharray: '6 4' },
} as const

/**
 * Service → endpoint. Each Service crosses the band between the rows at its own height and runs down its
 * own lane beside the Node, so lines never cross a Node's header or the Pods above the one they reach.
 */
export const EndpointEdge = memo(function EndpointEdge({ sourceX, sourceY, targetX, targetY, targetPosition, data }: EdgeProps<CanvasEdge>) {
  // With a Service selected, its edges stand out and the others step back.
  const emphasis = useAppStore((s) => {
    if (s.selection?.kind !== 'Service' || !data) return 'normal'
    return s.selection.name === data.service.name && s.selection.namespace === data.service.namespace ? 'strong' : 'faint'
  })
  const centerY = data?.centerY ?? (sourceY + targetY) / 2
  const path = targetPosition === Position.Left
    ? busPath(sourceX, sourceY, centerY, targetX - (data?.laneOffset ?? 20), targetX, targetY)
    : dropPath(sourceX, sourceY, centerY, targetX, targetY)
  const stroke = strokes[data?.state ?? 'ready']
  const style = emphasis === 'strong' ? { ...stroke, strokeWidth: 3 } : emphasis === 'faint' ? { ...stroke, opacity: 0.25 } : stroke
  return <BaseEdge path={path} style={style} />
})
