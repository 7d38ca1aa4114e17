import { useEffect, useMemo } from 'react'
import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type EdgeTypes, type NodeMouseHandler, type NodeTypes } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useAppStore, type ObjectRef } from '../../state/store.ts'
import { useNodesView } from '../../state/nodes-view.ts'
import { select } from '../../state/actions.ts'
import { layoutCluster, type CanvasLayout, type CanvasNode } from './layout.ts'
import { K8sNodeCard } from './K8sNodeCard.tsx'
import { PodCard } from './PodCard.tsx'
import { ServiceCard } from './ServiceCard.tsx'
import { DeploymentCard } from './DeploymentCard.tsx'
import { UNSCHEDULED } from './layout.ts'
import { EndpointEdge } from './EndpointEdge.tsx'
import { Legend } from './Legend.tsx'
import { PacketToken } from '../player/PacketToken.tsx'

// Defined once, outside any component: React Flow re-mounts every node when this object changes.
const nodeTypes: NodeTypes = { k8sNode: K8sNodeCard, pod: PodCard, service: ServiceCard, deployment: DeploymentCard }
const edgeTypes: EdgeTypes = { endpoint: EndpointEdge }

const EMPTY: CanvasLayout = { nodes: [], edges: [] }
// Room at the top for the notices that float over the canvas.
const FIT_PADDING = { top: '64px', bottom: '24px', x: '24px' } as const

function refOfCanvasNode(node: CanvasNode): ObjectRef | null {
  switch (node.type) {
    case 'k8sNode': return node.data.name === UNSCHEDULED ? null : { kind: 'Node', name: node.data.name }
    case 'pod': return { kind: 'Pod', namespace: node.data.namespace, name: node.data.name }
    case 'service': return { kind: 'Service', namespace: node.data.namespace, name: node.data.name }
    case 'deployment': return { kind: 'Deployment', namespace: node.data.namespace, name: node.data.name }
  }
}

const onNodeClick: NodeMouseHandler<CanvasNode> = (_event, node) => select(refOfCanvasNode(node))

/** Refits the view when the picture changes shape (a Node or Pod added or removed), not on every update. */
function FitOnChange({ shape }: { shape: string }) {
  const { fitView } = useReactFlow()
  useEffect(() => {
    const frame = requestAnimationFrame(() => void fitView({ padding: FIT_PADDING, duration: 200 }))
    return () => cancelAnimationFrame(frame)
  }, [shape, fitView])
  return null
}

export function ClusterCanvas() {
  const snapshot = useAppStore((s) => s.view?.snapshot)
  const layout = useMemo(() => (snapshot ? layoutCluster(snapshot) : EMPTY), [snapshot])
  const shape = useMemo(() => layout.nodes.map((n) => n.id).join('|'), [layout])
  const bottom = useNodesView((s) => s.bottom)
  // Keyboard selection: Enter or Space on a focused canvas node selects it, as a click does.
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return
    const id = (event.target as HTMLElement).closest('.react-flow__node')?.getAttribute('data-id')
    const node = id ? layout.nodes.find((n) => n.id === id) : undefined
    if (node) {
      event.preventDefault()
      select(refOfCanvasNode(node))
    }
  }
  return (
    <div className="relative h-full w-full" data-testid="cluster-canvas" onKeyDown={onKeyDown}>
      <Legend />
      <ReactFlowProvider>
        <ReactFlow<CanvasNode>
          nodes={layout.nodes}
          edges={layout.edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodeClick={onNodeClick}
          onPaneClick={() => select(null)}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          fitView
          fitViewOptions={{ padding: FIT_PADDING }}
          minZoom={0.2}
          maxZoom={2}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} color="#dbe3ee" />
          <Controls showInteractive={false} position="bottom-left" />
          {/* The bottom panel's tab sets the canvas' height: refit when it changes. */}
          <FitOnChange shape={`${shape}#${bottom}`} />
          <PacketToken />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  )
}
