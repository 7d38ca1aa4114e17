/**
 * How kubectl would summarise an object's state, as small pure functions the canvas and the details panel
 * share (so a Pod reads "Terminating" in both places, decided once).
 */
import type { ClusterObject, ClusterSnapshot, Deployment, Node, Pod, Service } from '../../engine/cluster/types.ts'
import type { ObjectRef } from '../../state/store.ts'

export type PodState = 'Running' | 'NotReady' | 'Terminating' | 'Pending'

export function podState(pod: Pod): PodState {
  // kubectl shows Terminating for any Pod with a deletionTimestamp, whatever its phase.
  if (pod.metadata.deletionTimestamp) return 'Terminating'
  if (pod.status.phase !== 'Running') return 'Pending'
  const ready = pod.status.conditions?.find((c) => c.type === 'Ready')
  return ready?.status === 'False' ? 'NotReady' : 'Running'
}

export function podReadyCount(pod: Pod): string {
  const total = pod.spec.containers.length
  return `${podState(pod) === 'Running' ? total : 0}/${total}`
}

export function nodeInternalIP(node: Node): string | undefined {
  return node.status.addresses.find((a) => a.type === 'InternalIP')?.address
}

export function nodeIsReady(node: Node): boolean {
  return node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True'
}

export function isControlPlane(node: Node): boolean {
  return node.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined
    || (node.spec.taints ?? []).some((t) => t.key === 'node-role.kubernetes.io/control-plane')
}

/** The STATUS column of `kubectl get nodes`: `Ready`, `NotReady`, `Ready,SchedulingDisabled`. */
export function nodeStatusText(node: Node): string {
  return (nodeIsReady(node) ? 'Ready' : 'NotReady') + (node.spec.unschedulable ? ',SchedulingDisabled' : '')
}

export function nodeRoles(node: Node): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
  return roles.length > 0 ? roles.join(',') : '<none>'
}

/** The PORT(S) column of `kubectl get services`: `80/TCP`, `80:30080/TCP`. */
export function servicePortsText(service: Service): string {
  if (service.spec.ports.length === 0) return '<none>'
  return service.spec.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',')
}

/** The EXTERNAL-IP column of `kubectl get services`. */
export function serviceExternalText(service: Service): string {
  if (service.spec.type === 'ExternalName') return service.spec.externalName ?? '<none>'
  const ingress = (service.status.loadBalancer.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean)
  const ips = [...ingress, ...(service.spec.externalIPs ?? [])]
  if (ips.length > 0) return ips.join(',')
  return service.spec.type === 'LoadBalancer' ? '<pending>' : '<none>'
}

export function deploymentReadyText(deployment: Deployment): string {
  return `${deployment.status.readyReplicas}/${deployment.spec.replicas}`
}

/** Does the object match the Deployment's selector? (matchLabels only: all the app writes or shows.) */
export function selectedByDeployment(deployment: Deployment, labels: Record<string, string> | undefined): boolean {
  const match = deployment.spec.selector.matchLabels ?? {}
  const keys = Object.keys(match)
  return keys.length > 0 && keys.every((k) => labels?.[k] === match[k])
}

export function sameRef(a: ObjectRef | null, b: ObjectRef): boolean {
  return a !== null && a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '')
}

export function refOf(object: ClusterObject): ObjectRef {
  const ref: ObjectRef = { kind: object.kind, name: object.metadata.name }
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace
  return ref
}

/** Finds an object of the snapshot by reference; undefined once it no longer exists. */
export function findObject(snapshot: ClusterSnapshot | undefined, ref: ObjectRef): ClusterObject | undefined {
  if (!snapshot) return undefined
  const matches = (o: ClusterObject) => o.metadata.name === ref.name && (o.metadata.namespace ?? '') === (ref.namespace ?? '')
  switch (ref.kind) {
    case 'Node': return snapshot.nodes.find(matches)
    case 'Pod': return snapshot.pods.find(matches)
    case 'Service': return snapshot.services.find(matches)
    case 'Deployment': return snapshot.deployments.find(matches)
    case 'EndpointSlice': return snapshot.endpointSlices.find(matches)
    case 'Namespace': return snapshot.namespaces.find(matches)
    case 'ServiceCIDR': return snapshot.serviceCIDRs.find(matches)
  }
}
