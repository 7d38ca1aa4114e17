/**
 * What `kubectl get nodes,pods,services,endpointslices -A -o wide` prints: one table per kind (nodes first,
 * as requested), names prefixed with the resource (`pod/...`) as kubectl does when several kinds are asked
 * for, a NAMESPACE column for namespaced kinds, ages from the simulated clock, and kubectl's tabwriter layout
 * (columns padded by 3 spaces, at least 6 wide; the last column not padded). A blank line separates tables.
 */
import type { ClusterSnapshot, EndpointSlice, Node, Pod, Service } from './types.ts'
import { formatSelector } from './labels.ts'
import { isPodReady } from './pod-lifecycle.ts'

/** What a fresh kind cluster (kind v0.29, kindest/node:v1.33.1 on a Debian 12 host) reports for its Nodes. */
export const NODE_INFO = {
  kubeletVersion: 'v1.33.1',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.1.0-37-amd64',
  containerRuntimeVersion: 'containerd://2.1.1',
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365
    const y = Math.floor(hours / 24 / 365)
    return dy === 0 ? `${y}y` : `${y}y${dy}d`
  }
  return `${Math.floor(hours / 24 / 365)}y`
}

/** text/tabwriter as kubectl configures it: minwidth 6, padding 3, pad with spaces. */
export function tabulate(rows: string[][]): string {
  const widths: number[] = []
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 6, cell.length + 3) })
  }
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join('')).join('\n') + '\n'
}

export function formatGetWide(snapshot: ClusterSnapshot, nowMs = snapshot.now ? Date.parse(snapshot.now) : latestTimestamp(snapshot)): string {
  const age = (ts: string) => humanDuration(nowMs - Date.parse(ts))
  const tables: string[][][] = []
  if (snapshot.nodes.length > 0) tables.push([NODE_HEADER, ...snapshot.nodes.map((n) => nodeRow(n, age))])
  if (snapshot.pods.length > 0) tables.push([POD_HEADER, ...snapshot.pods.map((p) => podRow(p, age))])
  if (snapshot.services.length > 0) tables.push([SERVICE_HEADER, ...snapshot.services.map((s) => serviceRow(s, age))])
  if (snapshot.endpointSlices.length > 0) tables.push([SLICE_HEADER, ...snapshot.endpointSlices.map((s) => sliceRow(s, age))])
  if (tables.length === 0) return 'No resources found\n'
  return tables.map(tabulate).join('\n')
}

/** Without a clock, the newest timestamp in the snapshot stands for "now". */
function latestTimestamp(snapshot: ClusterSnapshot): number {
  let max = 0
  for (const list of [snapshot.nodes, snapshot.pods, snapshot.services, snapshot.endpointSlices]) {
    for (const o of list) max = Math.max(max, Date.parse(o.metadata.creationTimestamp) || 0)
  }
  return max
}

type Age = (timestamp: string) => string

const NODE_HEADER = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']
const POD_HEADER = ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']
const SERVICE_HEADER = ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']
const SLICE_HEADER = ['NAMESPACE', 'NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']

export function nodeStatus(node: Node): string {
  const ready = node.status.conditions.find((c) => c.type === 'Ready')
  let status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'
  if (node.spec.unschedulable) status += ',SchedulingDisabled'
  return status
}

function nodeRoles(node: Node): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort()
  return roles.length > 0 ? roles.join(',') : '<none>'
}

function nodeRow(node: Node, age: Age): string[] {
  const address = (type: string) => node.status.addresses.filter((a) => a.type === type).map((a) => a.address).join(',') || '<none>'
  return [
    `node/${node.metadata.name}`, nodeStatus(node), nodeRoles(node), age(node.metadata.creationTimestamp), NODE_INFO.kubeletVersion,
    address('InternalIP'), address('ExternalIP'), NODE_INFO.osImage, NODE_INFO.kernelVersion, NODE_INFO.containerRuntimeVersion,
  ]
}

/** The STATUS column: Terminating wins, then the phase (ContainerCreating while bound but not started). */
export function podStatus(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating'
  if (pod.status.phase === 'Pending' && pod.spec.nodeName) return 'ContainerCreating'
  return pod.status.phase
}

function podRow(pod: Pod, age: Age): string[] {
  const total = pod.spec.containers.length
  const ready = pod.status.phase === 'Running' && isPodReady(pod) ? total : 0
  return [
    pod.metadata.namespace ?? '', `pod/${pod.metadata.name}`, `${ready}/${total}`, podStatus(pod), '0', age(pod.metadata.creationTimestamp),
    pod.status.podIP ?? '<none>', pod.spec.nodeName ?? '<none>', '<none>', '<none>',
  ]
}

export function serviceExternalIP(svc: Service): string {
  const external = svc.spec.externalIPs ?? []
  switch (svc.spec.type) {
    case 'ClusterIP': return external.length > 0 ? external.join(',') : '<none>'
    case 'NodePort': return external.length > 0 ? external.join(',') : '<none>'
    case 'LoadBalancer': {
      const lb = (svc.status.loadBalancer.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean)
      const all = [...lb, ...external]
      return all.length > 0 ? all.join(',') : '<pending>'
    }
    case 'ExternalName': return svc.spec.externalName ?? '<none>'
  }
}

export function servicePorts(svc: Service): string {
  if (svc.spec.ports.length === 0) return '<none>'
  return svc.spec.ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',')
}

function serviceRow(svc: Service, age: Age): string[] {
  return [
    svc.metadata.namespace ?? '', `service/${svc.metadata.name}`, svc.spec.type, svc.spec.clusterIP ?? '<none>', serviceExternalIP(svc),
    servicePorts(svc), age(svc.metadata.creationTimestamp), formatSelector(svc.spec.selector) || '<none>',
  ]
}

/** kubectl's listWithMoreString: the first three, then ` + N more...`; `<unset>` when empty. */
function listWithMore(items: string[]): string {
  if (items.length === 0) return '<unset>'
  const shown = items.slice(0, 3).join(',')
  return items.length > 3 ? `${shown} + ${items.length - 3} more...` : shown
}

function sliceRow(slice: EndpointSlice, age: Age): string[] {
  return [
    slice.metadata.namespace ?? '', `endpointslice.discovery.k8s.io/${slice.metadata.name}`, slice.addressType,
    listWithMore(slice.ports.map((p) => String(p.port))), listWithMore(slice.endpoints.flatMap((e) => e.addresses)),
    age(slice.metadata.creationTimestamp),
  ]
}
