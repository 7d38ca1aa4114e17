/**
 * `kubectl apply` of multi-document YAML onto the store: each document (or each item of a `List`) is read,
 * validated, and created or updated in order; then the controllers react. The caller applies onto a copy
 * of the store and keeps it only when there was no error, which makes an apply all-or-nothing.
 */
import type { FieldPath, ManifestDocument } from '../scenario/parse-manifests.ts'
import { parseManifests } from '../scenario/parse-manifests.ts'
import type { AppliedObject, ManifestError, SkippedDocument } from './manifest-error.ts'
import type { ClusterObject, Deployment, EndpointSlice, Namespace, Node, Pod, Service, ServiceCIDR } from './types.ts'
import type { ObjectStore } from './store.ts'
import { keyOf } from './store.ts'
import type { Raw } from './validation/common.ts'
import { Reader, isRaw } from './validation/common.ts'
import type { FieldError } from './validation/field-error.ts'
import { formatFieldError, formatPath, rawError } from './validation/field-error.ts'
import { readService } from './validation/service.ts'
import { readDeployment } from './validation/deployment.ts'
import { readPod } from './validation/pod.ts'
import { readNode } from './validation/node.ts'
import { readEndpointSlice } from './validation/endpoint-slice.ts'
import { readKubeProxyConfig, readNamespace, readServiceCIDR } from './validation/namespace.ts'
import { allocateServiceNetworking } from './service-allocation.ts'
import { prepareNode } from './node-registration.ts'
import { withDefaultTolerations } from './deployment-controller.ts'
import { canonicalJson } from './names.ts'
import { reconcile } from './reconcile.ts'
import { podLimitRefusal } from './pod-limit.ts'

/** Kinds the simulator holds, with the API versions that serve them. */
const API_VERSIONS: Record<string, string[]> = {
  Namespace: ['v1'],
  Node: ['v1'],
  Pod: ['v1'],
  Service: ['v1'],
  List: ['v1'],
  Deployment: ['apps/v1'],
  EndpointSlice: ['discovery.k8s.io/v1'],
  ServiceCIDR: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1'],
  KubeProxyConfiguration: ['kubeproxy.config.k8s.io/v1alpha1'],
}

export interface ApplyResult {
  applied: AppliedObject[]
  skipped: SkippedDocument[]
  errors: ManifestError[]
}

interface Item {
  doc: ManifestDocument
  raw: Raw
  /** Path of the item inside its document (`items[3]` for a List item). */
  prefix: FieldPath
}

export function applyManifests(store: ObjectStore, text: string): ApplyResult {
  const parsed = parseManifests(text)
  if (!parsed.ok) {
    return { applied: [], skipped: [], errors: parsed.errors.map((e) => ({ ...e, path: '', message: e.message })) }
  }
  const result: ApplyResult = { applied: [], skipped: [], errors: [] }
  for (const doc of parsed.documents) {
    if (!isRaw(doc.value)) {
      const at = doc.locate([])
      result.errors.push({ document: doc.index, ...at, path: '', message: 'error validating data: the document is not a mapping (an object with apiVersion, kind, metadata...)' })
      continue
    }
    applyItem(store, { doc, raw: doc.value, prefix: [] }, result)
  }
  if (result.errors.length === 0) reconcile(store)
  return result
}

function applyItem(store: ObjectStore, item: Item, result: ApplyResult): void {
  const { doc, raw, prefix } = item
  const at = (path: FieldPath) => doc.locate([...prefix, ...path])
  const fail = (path: FieldPath, message: string, kind?: string, name?: string, where: FieldPath = path) => {
    result.errors.push({ document: doc.index, ...at(where), path: formatPath(path), message, ...(kind ? { kind } : {}), ...(name ? { name } : {}) })
  }
  const kind = raw.kind
  const apiVersion = raw.apiVersion
  if (typeof kind !== 'string' || kind === '' || typeof apiVersion !== 'string' || apiVersion === '') {
    const missing = [typeof apiVersion !== 'string' || apiVersion === '' ? 'apiVersion not set' : '', typeof kind !== 'string' || kind === '' ? 'kind not set' : ''].filter(Boolean)
    fail(typeof kind !== 'string' ? ['kind'] : ['apiVersion'], `error validating data: [${missing.join(', ')}]`)
    return
  }
  const versions = API_VERSIONS[kind]
  if (!versions) {
    result.skipped.push({ document: doc.index, apiVersion, kind, line: at([]).line, reason: `kind ${kind} (${apiVersion}) is not simulated` })
    return
  }
  if (!versions.includes(apiVersion)) {
    fail(['apiVersion'], `resource mapping not found: no matches for kind "${kind}" in version "${apiVersion}" (use ${versions.join(' or ')})`, kind)
    return
  }
  if (kind === 'List') {
    const items = raw.items
    if (!Array.isArray(items)) { fail(['items'], 'error validating data: items must be a list', kind); return }
    items.forEach((it, i) => {
      if (isRaw(it)) applyItem(store, { doc, raw: it, prefix: [...prefix, 'items', i] }, result)
      else fail(['items', i], 'error validating data: a List item must be an object', kind)
    })
    return
  }

  const reader = new Reader()
  const report = (errors: FieldError[], name: string) => {
    for (const e of errors) {
      const message = e.raw !== undefined ? e.raw : `The ${kind} "${name}" is invalid: ${formatFieldError(e)}`
      const where = e.at?.find((p) => doc.has([...prefix, ...p])) ?? e.path
      fail(e.path, message, kind, name, where)
    }
  }
  if (kind === 'KubeProxyConfiguration') {
    const next = readKubeProxyConfig(raw, store.kubeProxyConfig, reader)
    if (reader.errors.length > 0) { report(reader.errors, 'kube-proxy'); return }
    const changed = canonicalJson(next) !== canonicalJson(store.kubeProxyConfig)
    store.kubeProxyConfig = next
    result.applied.push({ kind, name: 'kube-proxy', action: changed ? 'configured' : 'unchanged' })
    return
  }

  const obj = readObject(kind, raw, reader)
  const name = obj.metadata.name
  if (reader.decodeError) { report([reader.decodeError], name); return }
  if (reader.errors.length > 0) { report(reader.errors, name); return }
  const before = store.objects.get(keyOf(obj))
  const errors = storeObject(store, obj, raw)
  if (errors.length > 0) { report(errors, name); return }
  const after = store.objects.get(keyOf(obj))
  const action = !before ? 'created' : after === before ? 'unchanged' : 'configured'
  result.applied.push({ kind, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}), name, action })
}

function readObject(kind: string, raw: Raw, r: Reader): ClusterObject {
  switch (kind) {
    case 'Namespace': return readNamespace(raw, r)
    case 'Node': return readNode(raw, r)
    case 'Pod': return readPod(raw, r)
    case 'Service': return readService(raw, r)
    case 'Deployment': return readDeployment(raw, r)
    case 'EndpointSlice': return readEndpointSlice(raw, r)
    case 'ServiceCIDR': return readServiceCIDR(raw, r)
    default: throw new Error(`no reader for kind ${kind}`)
  }
}

/** Creates or updates the object; returns field errors (nothing stored) when the cluster refuses it. */
function storeObject(store: ObjectStore, obj: ClusterObject, raw: Raw): FieldError[] {
  const ns = obj.metadata.namespace
  if (ns !== undefined && !store.get<Namespace>('Namespace', undefined, ns)) {
    return [rawError(['metadata', 'namespace'], `namespaces "${ns}" not found`)]
  }
  switch (obj.kind) {
    case 'Service': {
      const existing = store.get<Service>('Service', ns, obj.metadata.name)
      const allocated = allocateServiceNetworking(store, obj, existing)
      if (!allocated.ok) return allocated.errors
      return put(store, allocated.service)
    }
    case 'Deployment': {
      const existing = store.get<Deployment>('Deployment', ns, obj.metadata.name)
      // kubectl apply leaves fields the manifest does not set as they are: a scaled Deployment stays scaled.
      const replicas = !existing || (isRaw(raw.spec) && raw.spec.replicas !== undefined) ? obj.spec.replicas : existing.spec.replicas
      const next: Deployment = existing ? { ...obj, spec: { ...obj.spec, replicas }, status: existing.status } : obj
      const refusal = podLimitRefusal(store, next)
      if (refusal) return [rawError(['spec', 'replicas'], refusal)]
      return put(store, next)
    }
    case 'Pod': {
      const refusal = podLimitRefusal(store, obj)
      if (refusal) return [rawError(['metadata', 'name'], refusal)]
      return putPod(store, obj)
    }
    case 'Node': {
      const prepared = prepareNode(store, obj, store.get<Node>('Node', undefined, obj.metadata.name))
      if (!prepared.ok) return prepared.errors
      return put(store, prepared.node)
    }
    case 'EndpointSlice': return put<EndpointSlice>(store, obj)
    case 'Namespace': return put<Namespace>(store, obj)
    case 'ServiceCIDR': return put<ServiceCIDR>(store, obj)
  }
}

function put<T extends ClusterObject>(store: ObjectStore, obj: T): FieldError[] {
  const existing = store.objects.get(keyOf(obj))
  if (existing) {
    // Keep what the cluster added (ownerReferences, generateName) unless the manifest says otherwise.
    const metadata = { ...obj.metadata, ...(existing.metadata.ownerReferences && !obj.metadata.ownerReferences ? { ownerReferences: existing.metadata.ownerReferences } : {}) }
    store.update({ ...obj, metadata })
  } else store.create(obj)
  return []
}

function putPod(store: ObjectStore, pod: Pod): FieldError[] {
  const existing = store.get<Pod>('Pod', pod.metadata.namespace, pod.metadata.name)
  if (existing) {
    const shape = (p: Pod) => canonicalJson(p.spec.containers.map((c) => ({ ...c, image: '' })))
    if (shape(existing) !== shape(pod)) {
      return [{ type: 'Forbidden', path: ['spec'], detail: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)' }]
    }
    const containers = existing.spec.containers.map((c, i) => ({ ...c, image: pod.spec.containers[i].image }))
    store.update<Pod>({ ...existing, metadata: { ...existing.metadata, labels: pod.metadata.labels, annotations: pod.metadata.annotations }, spec: { ...existing.spec, containers } })
    return []
  }
  const ip = pod.status.podIP
  if (ip && !pod.spec.hostNetwork) {
    const clash = store.list<Pod>('Pod').find((p) => p.status.podIP === ip && !p.spec.hostNetwork)
    if (clash) return [rawError(['status', 'podIP'], `The Pod "${pod.metadata.name}" is invalid: status.podIP: Invalid value: "${ip}": address already in use by Pod ${clash.metadata.namespace}/${clash.metadata.name}`)]
  }
  const running = pod.status.phase === 'Running' && !!ip
  store.create<Pod>({
    ...pod,
    spec: { ...pod.spec, terminationGracePeriodSeconds: pod.spec.terminationGracePeriodSeconds ?? 30, tolerations: withDefaultTolerations(pod.spec.tolerations) },
    status: running ? pod.status : { phase: 'Pending' },
  })
  return []
}
