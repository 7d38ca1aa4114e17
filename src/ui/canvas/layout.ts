/**
 * Where everything sits on the canvas, computed from a snapshot alone (no randomness, no measuring), so the
 * same cluster always draws the same picture and a change moves only what changed.
 *
 *   [ svc ] [ svc ] [ svc ]           Services in a row on top, ordered by where their Pods are,
 *      \       |       \              with an edge to every endpoint of their EndpointSlices.
 *   ┌ node ┐ ┌ node ┐ ┌ node ┐        Nodes side by side, each holding its Pods stacked in name order.
 *   │ pod  │ │ pod  │ │ pod  │
 *   └──────┘ └──────┘ └──────┘
 *   [ deploy ] [ deploy ]             Deployments in a row underneath.
 */
import type { Edge, Node as FlowNode } from '@xyflow/react'
import type { ClusterSnapshot, EndpointSlice, Pod, Service } from '../../engine/cluster/types.ts'

export const POD_WIDTH = 262
export const POD_HEIGHT = 58
export const POD_GAP = 10
export const NODE_PADDING = 14
export const NODE_HEADER = 92
export const NODE_WIDTH = POD_WIDTH + 2 * NODE_PADDING
export const NODE_GAP = 48
export const SERVICE_WIDTH = 250
/** A Service card's height: title and namespace, then one line per fact (IP, ports, external addresses). */
export function serviceHeight(service: Service): number {
  const external = service.spec.type === 'ExternalName' || service.spec.type === 'LoadBalancer'
    || (service.spec.externalIPs ?? []).length > 0
  return 64 + 17 * (external ? 3 : 2)
}
export const SERVICE_GAP = 28
export const SERVICE_ROW_GAP = 100
export const DEPLOYMENT_WIDTH = 260
export const DEPLOYMENT_HEIGHT = 64
export const DEPLOYMENT_GAP = 24
export const DEPLOYMENT_ROW_GAP = 48
/** Room for at least two Pods, so an empty worker still reads as a place Pods go. */
const MIN_PODS_SHOWN = 2
/** The pseudo-node holding Pods no Node has taken (Pending, unschedulable). */
export const UNSCHEDULED = '(unscheduled)'

export interface K8sNodeData extends Record<string, unknown> { name: string; unscheduled: boolean }
export interface PodData extends Record<string, unknown> { namespace: string; name: string }
export interface ServiceData extends Record<string, unknown> { namespace: string; name: string }
export interface DeploymentData extends Record<string, unknown> { namespace: string; name: string }

export type CanvasNode =
  | FlowNode<K8sNodeData, 'k8sNode'>
  | FlowNode<PodData, 'pod'>
  | FlowNode<ServiceData, 'service'>
  | FlowNode<DeploymentData, 'deployment'>

export interface EndpointEdgeData extends Record<string, unknown> {
  state: 'ready' | 'notReady' | 'terminating'
  /** The Service the edge leaves, so a selected Service can bring its edges forward. */
  service: { namespace: string; name: string }
  /** Where the edge runs across, in the band between Services and Nodes (staggered per Service). */
  centerY: number
  /** How far left of the Pod its lane runs (outside the Node's border, one lane per Service). */
  laneOffset: number
}
export type CanvasEdge = Edge<EndpointEdgeData>

export const nodeId = (name: string) => `node:${name}`
export const podId = (namespace: string, name: string) => `pod:${namespace}/${name}`
export const serviceId = (namespace: string, name: string) => `svc:${namespace}/${name}`
export const deploymentId = (namespace: string, name: string) => `deploy:${namespace}/${name}`

export interface CanvasLayout {
  nodes: CanvasNode[]
  edges: CanvasEdge[]
}

function podsByNode(snapshot: ClusterSnapshot): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>(snapshot.nodes.map((n) => [n.metadata.name, []]))
  for (const pod of snapshot.pods) {
    const host = pod.spec.nodeName && byNode.has(pod.spec.nodeName) ? pod.spec.nodeName : UNSCHEDULED
    if (!byNode.has(host)) byNode.set(host, [])
    byNode.get(host)!.push(pod)
  }
  return byNode
}

/** The slices that belong to a Service, by the label the EndpointSlice controller sets. */
function slicesOf(service: Service, slices: EndpointSlice[]): EndpointSlice[] {
  return slices.filter((s) => s.metadata.namespace === service.metadata.namespace
    && s.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name)
}

function endpointState(conditions: { ready?: boolean; terminating?: boolean }): EndpointEdgeData['state'] {
  if (conditions.terminating) return 'terminating'
  // The API says a missing `ready` means ready (unknown state is treated as ready by consumers).
  return conditions.ready === false ? 'notReady' : 'ready'
}

export function layoutCluster(snapshot: ClusterSnapshot): CanvasLayout {
  const nodes: CanvasNode[] = []
  const edges: CanvasEdge[] = []
  const byNode = podsByNode(snapshot)
  const tallest = Math.max(MIN_PODS_SHOWN, ...[...byNode.values()].map((pods) => pods.length))
  const nodeHeight = NODE_HEADER + tallest * (POD_HEIGHT + POD_GAP) - POD_GAP + NODE_PADDING
  // Every Service card in the row is as tall as the tallest, so the row reads as one.
  const servicesHeight = Math.max(0, ...snapshot.services.map(serviceHeight))
  const nodesTop = servicesHeight + SERVICE_ROW_GAP

  // Where each Pod's and each Node's centre ends up, to order the Services above them.
  const centreX = new Map<string, number>()
  const nodeByIP = new Map<string, string>()
  let column = 0
  for (const [name, pods] of byNode) {
    if (name === UNSCHEDULED && pods.length === 0) continue
    const x = column++ * (NODE_WIDTH + NODE_GAP)
    const id = nodeId(name)
    nodes.push({
      id, type: 'k8sNode', position: { x, y: nodesTop }, width: NODE_WIDTH, height: nodeHeight,
      data: { name, unscheduled: name === UNSCHEDULED }, selectable: true, draggable: false,
      ariaRole: 'button', ariaLabel: name === UNSCHEDULED ? 'Unscheduled Pods' : `Node ${name}`,
    })
    centreX.set(id, x + NODE_WIDTH / 2)
    const k8sNode = snapshot.nodes.find((n) => n.metadata.name === name)
    for (const address of k8sNode?.status.addresses ?? []) {
      if (address.type === 'InternalIP') nodeByIP.set(address.address, id)
    }
    const sorted = [...pods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    sorted.forEach((pod, i) => {
      const namespace = pod.metadata.namespace ?? 'default'
      const pid = podId(namespace, pod.metadata.name)
      nodes.push({
        id: pid, type: 'pod', parentId: id, extent: 'parent', draggable: false,
        ariaRole: 'button', ariaLabel: `Pod ${namespace}/${pod.metadata.name}`,
        position: { x: NODE_PADDING, y: NODE_HEADER + i * (POD_HEIGHT + POD_GAP) },
        width: POD_WIDTH, height: POD_HEIGHT,
        data: { namespace, name: pod.metadata.name },
      })
      centreX.set(pid, x + NODE_WIDTH / 2)
    })
  }

  // Services: one edge per endpoint, to its Pod (targetRef) or, for host-network endpoints such as the
  // API server behind `kubernetes`, to the Node that owns the address.
  const services = snapshot.services.map((service) => {
    const namespace = service.metadata.namespace ?? 'default'
    const id = serviceId(namespace, service.metadata.name)
    const targets: { target: string; state: EndpointEdgeData['state'] }[] = []
    for (const slice of slicesOf(service, snapshot.endpointSlices)) {
      for (const endpoint of slice.endpoints) {
        const ref = endpoint.targetRef
        const target = ref?.kind === 'Pod' ? podId(ref.namespace, ref.name) : nodeByIP.get(endpoint.addresses[0] ?? '')
        if (target && centreX.has(target) && !targets.some((t) => t.target === target)) {
          targets.push({ target, state: endpointState(endpoint.conditions) })
        }
      }
    }
    const xs = targets.map((t) => centreX.get(t.target)!)
    const barycentre = xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.POSITIVE_INFINITY
    return { id, namespace, name: service.metadata.name, targets, barycentre }
  })
  // Left to right by where their backends are, so edges cross as little as a simple rule allows.
  services.sort((a, b) => a.barycentre - b.barycentre || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
  const nodesWidth = Math.max(0, column * (NODE_WIDTH + NODE_GAP) - NODE_GAP)
  const servicesWidth = services.length * (SERVICE_WIDTH + SERVICE_GAP) - SERVICE_GAP
  const servicesLeft = (nodesWidth - servicesWidth) / 2
  services.forEach((service, i) => {
    nodes.push({
      id: service.id, type: 'service', draggable: false,
      ariaRole: 'button', ariaLabel: `Service ${service.namespace}/${service.name}`,
      position: { x: servicesLeft + i * (SERVICE_WIDTH + SERVICE_GAP), y: 0 },
      width: SERVICE_WIDTH, height: servicesHeight,
      data: { namespace: service.namespace, name: service.name },
    })
    for (const { target, state } of service.targets) {
      edges.push({
        id: `${service.id}->${target}`, source: service.id, target, type: 'endpoint',
        data: { state, service: { namespace: service.namespace, name: service.name }, centerY: servicesHeight + 24 + (i % 4) * ((SERVICE_ROW_GAP - 48) / 3), laneOffset: NODE_PADDING + 8 + (i % 4) * 6 },
        className: `endpoint-edge endpoint-${state}`,
      })
    }
  })

  const deploymentsTop = nodesTop + nodeHeight + DEPLOYMENT_ROW_GAP
  const deploymentsWidth = snapshot.deployments.length * (DEPLOYMENT_WIDTH + DEPLOYMENT_GAP) - DEPLOYMENT_GAP
  const deploymentsLeft = (nodesWidth - deploymentsWidth) / 2
  snapshot.deployments.forEach((deployment, i) => {
    const namespace = deployment.metadata.namespace ?? 'default'
    nodes.push({
      id: deploymentId(namespace, deployment.metadata.name), type: 'deployment', draggable: false,
      ariaRole: 'button', ariaLabel: `Deployment ${namespace}/${deployment.metadata.name}`,
      position: { x: deploymentsLeft + i * (DEPLOYMENT_WIDTH + DEPLOYMENT_GAP), y: deploymentsTop },
      width: DEPLOYMENT_WIDTH, height: DEPLOYMENT_HEIGHT,
      data: { namespace, name: deployment.metadata.name },
    })
  })

  return { nodes, edges }
}
