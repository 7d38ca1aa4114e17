/**
 * The EndpointSlice controller (pkg/controller/endpointslice): for every Service with a selector, slices
 * `<service>-<5 chars>` holding one endpoint per Pod that matches the selector and has an IP. Endpoints are
 * grouped by their resolved port list (a named targetPort can resolve differently per Pod), at most 100 per
 * slice. Conditions as upstream sets them: serving = Pod Ready, terminating = Pod being deleted,
 * ready = serving and not terminating (or publishNotReadyAddresses).
 * Services without a selector are left alone: their slices are the user's.
 */
import type { Endpoint, EndpointPort, EndpointSlice, Pod, Service } from './types.ts'
import type { ObjectStore } from './store.ts'
import { mapSelectorMatches } from './labels.ts'
import { randomSuffix } from './names.ts'
import { isPodReady } from './pod-lifecycle.ts'

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
export const MAX_ENDPOINTS_PER_SLICE = 100

export function runEndpointSliceController(store: ObjectStore): void {
  const services = store.list<Service>('Service')
  const live = new Set(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`))
  for (const svc of services) {
    if (svc.spec.selector && svc.spec.type !== 'ExternalName') reconcileService(store, svc)
    else removeManagedSlices(store, svc.metadata.namespace ?? 'default', svc.metadata.name)
  }
  // Slices of Services that are gone (the garbage collector follows their ownerReferences).
  for (const slice of store.list<EndpointSlice>('EndpointSlice')) {
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL]
    if (slice.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME && svcName && !live.has(`${slice.metadata.namespace}/${svcName}`)) {
      store.remove(slice)
    }
  }
}

function managedSlices(store: ObjectStore, namespace: string, service: string): EndpointSlice[] {
  return store.list<EndpointSlice>('EndpointSlice', namespace).filter((s) =>
    s.metadata.labels?.[SERVICE_NAME_LABEL] === service && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME)
}

function removeManagedSlices(store: ObjectStore, namespace: string, service: string): void {
  for (const s of managedSlices(store, namespace, service)) store.remove(s)
}

/** The port a Service port reaches on this Pod, or undefined when a named port is not declared by the Pod. */
export function resolveTargetPort(pod: Pod, targetPort: number | string, protocol: string): number | undefined {
  if (typeof targetPort === 'number') return targetPort
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === targetPort && (p.protocol ?? 'TCP') === protocol) return p.containerPort
  }
  return undefined
}

export function podEndpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = []
  for (const sp of svc.spec.ports) {
    const port = resolveTargetPort(pod, sp.targetPort, sp.protocol)
    if (port === undefined) continue
    out.push({ name: sp.name ?? '', protocol: sp.protocol, port })
  }
  return out
}

function endpointFor(svc: Service, pod: Pod): Endpoint {
  const serving = isPodReady(pod)
  const terminating = !!pod.metadata.deletionTimestamp
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating)
  const endpoint: Endpoint = {
    addresses: [pod.status.podIP ?? ''],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid },
  }
  if (pod.spec.nodeName) endpoint.nodeName = pod.spec.nodeName
  return endpoint
}

const portsKey = (ports: EndpointPort[]) => JSON.stringify(ports)

function reconcileService(store: ObjectStore, svc: Service): void {
  const ns = svc.metadata.namespace ?? 'default'
  const pods = store.list<Pod>('Pod', ns).filter((p) =>
    mapSelectorMatches(svc.spec.selector, p.metadata.labels) && !!p.status.podIP &&
    p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')

  // Desired endpoints grouped by their port list.
  const desired = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>()
  for (const pod of pods) {
    const ports = podEndpointPorts(svc, pod)
    const key = portsKey(ports)
    const group = desired.get(key) ?? { ports, endpoints: [] }
    group.endpoints.push(endpointFor(svc, pod))
    desired.set(key, group)
  }

  const existing = managedSlices(store, ns, svc.metadata.name)
  const keep = new Set<string>()
  for (const [key, group] of desired) {
    const mine = existing.filter((s) => portsKey(s.ports) === key && s.endpoints.length > 0)
    const byPod = new Map(group.endpoints.map((e) => [e.targetRef?.name ?? e.addresses[0], e]))
    const placed = new Set<string>()
    // Keep endpoints in the slices they are in (updating their conditions), drop those gone.
    const filled = mine.map((slice) => {
      const endpoints: Endpoint[] = []
      for (const e of slice.endpoints) {
        const id = e.targetRef?.name ?? e.addresses[0]
        const next = byPod.get(id)
        if (next && !placed.has(id)) { endpoints.push(next); placed.add(id) }
      }
      return { slice, endpoints }
    })
    // New endpoints fill slices with room, then new slices.
    const fresh = group.endpoints.filter((e) => !placed.has(e.targetRef?.name ?? e.addresses[0]))
    for (const f of filled) {
      while (fresh.length > 0 && f.endpoints.length < MAX_ENDPOINTS_PER_SLICE) f.endpoints.push(fresh.shift() as Endpoint)
    }
    for (const f of filled) {
      if (f.endpoints.length === 0) continue
      store.update<EndpointSlice>({ ...f.slice, metadata: { ...f.slice.metadata, labels: sliceLabels(svc) }, endpoints: f.endpoints, ports: group.ports })
      keep.add(f.slice.metadata.name)
    }
    while (fresh.length > 0) {
      const created = createSlice(store, svc, group.ports, fresh.splice(0, MAX_ENDPOINTS_PER_SLICE))
      keep.add(created.metadata.name)
    }
  }

  if (desired.size === 0) {
    // No endpoints: one placeholder slice with no endpoints and no ports, reused if it is already there.
    const placeholder = existing.find((s) => s.endpoints.length === 0 && s.ports.length === 0)
    if (placeholder && existing.length === 1) keep.add(placeholder.metadata.name)
    else keep.add(createSlice(store, svc, [], []).metadata.name)
  }
  for (const slice of existing) if (!keep.has(slice.metadata.name)) store.remove(slice)
}

function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) }
  if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = ''
  labels[SERVICE_NAME_LABEL] = svc.metadata.name
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
  return labels
}

function createSlice(store: ObjectStore, svc: Service, ports: EndpointPort[], endpoints: Endpoint[]): EndpointSlice {
  const ns = svc.metadata.namespace ?? 'default'
  let name = `${svc.metadata.name}-${randomSuffix(store.rng)}`
  while (store.get('EndpointSlice', ns, name)) name = `${svc.metadata.name}-${randomSuffix(store.rng)}`
  return store.create<EndpointSlice>({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: ns,
      generateName: `${svc.metadata.name}-`,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true }],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  })
}
